/* SPDX-License-Identifier: BSD-3-Clause */
/* mbuf control path: pools of packet buffers, bulk free, chains, clones, checks and dump. */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <px_log.h>
#include <px_malloc.h>

#include "px_mbuf.h"

PX_LOG_REGISTER(mbuf_logtype, "mbuf", INFO);
#define MBUF_LOG(lvl, ...) PX_LOG(lvl, mbuf_logtype, __VA_ARGS__)

/* The receive path writes only the first 64 bytes; the rest is the second line. */
static_assert(sizeof(struct px_mbuf) == 128, "px_mbuf is two 64-byte lines");
static_assert(offsetof(struct px_mbuf, next) == 64, "next starts the second line");
static_assert(offsetof(struct px_mbuf, rearm_data) % 8 == 0, "rearm_data is one aligned word");
static_assert(offsetof(struct px_mbuf, port) + sizeof(uint16_t) ==
		      offsetof(struct px_mbuf, rearm_data) + 8,
	      "data_off, refcnt, nb_segs, port are the rearm word");
static_assert(offsetof(struct px_mbuf, buf_len) + 2 <= 64, "rx fields in the first line");
static_assert(offsetof(struct px_mbuf, hash) + 4 <= 64, "hash in the first line");
static_assert(offsetof(struct px_mbuf, pool) >= 64, "pool in the second line");

static void pool_ctor(struct px_mempool *mp, void *arg)
{
	const struct px_pktmbuf_pool_private *in = arg;
	struct px_pktmbuf_pool_private *pp = px_mempool_get_priv(mp);
	struct px_mbuf tmp = {0};

	*pp = *in;
	tmp.data_off = (uint16_t)PX_MIN((unsigned int)PX_PKTMBUF_HEADROOM, in->mbuf_data_room_size);
	tmp.refcnt = 1;
	tmp.nb_segs = 1;
	tmp.port = PX_MBUF_PORT_INVALID;
	pp->rearm_data = tmp.rearm_data;
}

static void mbuf_init(struct px_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	const struct px_pktmbuf_pool_private *pp = px_mempool_get_priv(mp);
	struct px_mbuf *m = obj;
	uint32_t off = sizeof(*m) + pp->mbuf_priv_size;

	(void)arg;
	(void)idx;
	memset(m, 0, off);
	m->buf_addr = (char *)m + off;
	m->buf_iova = px_mempool_virt2iova(m) == PX_BAD_IOVA ? PX_BAD_IOVA
							     : px_mempool_virt2iova(m) + off;
	m->buf_len = pp->mbuf_data_room_size;
	m->priv_size = pp->mbuf_priv_size;
	m->pool = mp;
	m->rearm_data = pp->rearm_data;
}

struct px_mempool *px_pktmbuf_pool_create(const char *name, unsigned int n, unsigned int cache_size,
					  uint16_t priv_size, uint16_t data_room_size, int socket)
{
	struct px_pktmbuf_pool_private pp = {
		.mbuf_data_room_size = data_room_size,
		.mbuf_priv_size = priv_size,
	};

	if (priv_size % 8 != 0) {
		MBUF_LOG(ERR, "mbuf pool %s: priv_size %u is not a multiple of 8",
			 name ? name : "(null)", priv_size);
		errno = EINVAL;
		return NULL;
	}
	return px_mempool_create(name, n, sizeof(struct px_mbuf) + priv_size + data_room_size,
				 cache_size, sizeof(pp), pool_ctor, &pp, mbuf_init, NULL, socket,
				 0);
}

void px_pktmbuf_attach(struct px_mbuf *mi, struct px_mbuf *m)
{
	struct px_mbuf *md = (m->ol_flags & PX_MBUF_F_INDIRECT) ? px_mbuf_from_indirect(m) : m;

	px_mbuf_refcnt_update(md, 1);
	mi->direct = md;
	mi->buf_addr = m->buf_addr;
	mi->buf_iova = m->buf_iova;
	mi->buf_len = m->buf_len;
	mi->data_off = m->data_off;
	mi->data_len = m->data_len;
	mi->port = m->port;
	mi->vlan_tci = m->vlan_tci;
	mi->vlan_tci_outer = m->vlan_tci_outer;
	mi->tx_offload = m->tx_offload;
	mi->hash = m->hash;
	mi->packet_type = m->packet_type;
	mi->next = NULL;
	mi->pkt_len = mi->data_len;
	mi->nb_segs = 1;
	mi->ol_flags = m->ol_flags | PX_MBUF_F_INDIRECT;
}

/* Give indirect @m its own buffer back and drop its reference to the direct mbuf. */
void px_pktmbuf_detach(struct px_mbuf *m)
{
	struct px_mbuf *md = m->direct;
	const struct px_pktmbuf_pool_private *pp = px_mempool_get_priv(m->pool);
	uint32_t off = sizeof(*m) + m->priv_size;

	m->buf_addr = (char *)m + off;
	m->buf_iova = px_mempool_virt2iova(m) + off;
	m->buf_len = pp->mbuf_data_room_size;
	m->data_off = (uint16_t)PX_MIN((unsigned int)PX_PKTMBUF_HEADROOM, m->buf_len);
	m->data_len = 0;
	m->ol_flags = 0;
	m->direct = NULL;
	if (px_mbuf_refcnt_update(md, -1) == 0) {
		px_mbuf_refcnt_set(md, 1);
		if (md->next != NULL) {
			md->next = NULL;
			md->nb_segs = 1;
		}
		px_mempool_put(md->pool, md);
	}
}

void px_pktmbuf_free_bulk(struct px_mbuf **mbufs, unsigned int n)
{
	void *pending[64];
	struct px_mempool *pool = NULL;
	unsigned int np = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct px_mbuf *m = mbufs[i];

		while (m != NULL) {
			struct px_mbuf *next = m->next, *f = px_pktmbuf_prefree_seg(m);

			if (f != NULL) {
				if (np == PX_DIM(pending) || (np > 0 && f->pool != pool)) {
					px_mempool_put_bulk(pool, pending, np);
					np = 0;
				}
				pool = f->pool;
				pending[np++] = f;
			}
			m = next;
		}
	}
	if (np > 0)
		px_mempool_put_bulk(pool, pending, np);
}

int px_pktmbuf_chain(struct px_mbuf *head, struct px_mbuf *tail)
{
	struct px_mbuf *last;

	if (head->nb_segs + tail->nb_segs > PX_MBUF_MAX_NB_SEGS)
		return -EOVERFLOW;
	last = px_pktmbuf_lastseg(head);
	last->next = tail;
	head->nb_segs = (uint16_t)(head->nb_segs + tail->nb_segs);
	head->pkt_len += tail->pkt_len;
	tail->pkt_len = tail->data_len;
	return 0;
}

struct px_mbuf *px_pktmbuf_clone(struct px_mbuf *md, struct px_mempool *mp)
{
	struct px_mbuf *mc = NULL, *mi, **prev = &mc;
	uint16_t nseg = 0;

	for (struct px_mbuf *s = md; s != NULL; s = s->next) {
		mi = px_pktmbuf_alloc(mp);
		if (mi == NULL) {
			px_pktmbuf_free(mc);
			errno = ENOENT;
			return NULL;
		}
		px_pktmbuf_attach(mi, s);
		*prev = mi;
		prev = &mi->next;
		nseg++;
	}
	mc->nb_segs = nseg;
	mc->pkt_len = md->pkt_len;
	mc->ol_flags = md->ol_flags | PX_MBUF_F_INDIRECT;
	return mc;
}

int px_mbuf_check(const struct px_mbuf *m, int is_header, const char **reason)
{
	uint32_t nb_segs = 0, pkt_len = 0;

	*reason = NULL;
	if (m == NULL)
		*reason = "mbuf is NULL";
	else if (m->pool == NULL)
		*reason = "no pool";
	else if (m->buf_addr == NULL)
		*reason = "no buffer";
	else if (px_mbuf_refcnt_read(m) == 0)
		*reason = "refcnt is 0";
	else if ((uint32_t)m->data_off + m->data_len > m->buf_len)
		*reason = "data past the buffer";
	if (*reason != NULL || !is_header)
		return *reason != NULL ? -EINVAL : 0;
	for (const struct px_mbuf *s = m; s != NULL && nb_segs <= PX_MBUF_MAX_NB_SEGS;
	     s = s->next) {
		nb_segs++;
		pkt_len += s->data_len;
	}
	if (nb_segs != m->nb_segs)
		*reason = "nb_segs does not match the chain";
	else if (pkt_len != m->pkt_len)
		*reason = "pkt_len is not the sum of data_len";
	return *reason != NULL ? -EINVAL : 0;
}

static void hexdump(FILE *f, const uint8_t *p, unsigned int len)
{
	for (unsigned int i = 0; i < len; i += 16) {
		fprintf(f, "    %04x:", i);
		for (unsigned int j = i; j < i + 16 && j < len; j++)
			fprintf(f, " %02x", p[j]);
		fputc('\n', f);
	}
}

void px_pktmbuf_dump(FILE *f, const struct px_mbuf *m, unsigned int dump_len)
{
	fprintf(f, "dump mbuf at %p, iova=%#" PRIx64 ", buf_len=%u\n", (const void *)m, m->buf_iova,
		m->buf_len);
	fprintf(f, "  pkt_len=%u, ol_flags=%#" PRIx64 ", nb_segs=%u, port=%u, ptype=%#x\n",
		m->pkt_len, m->ol_flags, m->nb_segs, m->port, m->packet_type);
	for (const struct px_mbuf *s = m; s != NULL && dump_len > 0; s = s->next) {
		unsigned int len = PX_MIN(dump_len, (unsigned int)s->data_len);

		fprintf(f, "  segment at %p, data=%p, len=%u, off=%u, refcnt=%u\n", (const void *)s,
			px_pktmbuf_mtod(s, const void *), s->data_len, s->data_off,
			px_mbuf_refcnt_read(s));
		hexdump(f, px_pktmbuf_mtod(s, const uint8_t *), len);
		dump_len -= len;
	}
}
