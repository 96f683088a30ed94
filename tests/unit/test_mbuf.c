/* SPDX-License-Identifier: BSD-3-Clause */
/* mbuf: pool creation, layout, alloc/free single and bulk, reset, prepend/append/adj/trim,
 * chains, clones and reference counts, check and dump. */
#include <px_eal.h>
#include <px_malloc.h>
#include <px_mbuf.h>
#include "px_test.h"

#define NB_MBUF 256

static int mbuf_eal_init(void)
{
	return px_test_eal_init("-l 0-1 --no-huge");
}

static int test_mbuf_pool(void)
{
	struct px_mempool *mp;
	struct px_mbuf *m;

	PX_TEST_ASSERT(mbuf_eal_init() >= 0, "init");
	PX_TEST_ASSERT(px_pktmbuf_pool_create("mb_bad", NB_MBUF, 32, 7, 2048, PX_SOCKET_ID_ANY) ==
				       NULL &&
			       errno == EINVAL,
		       "priv_size not a multiple of 8");
	mp = px_pktmbuf_pool_create("mb_pool", NB_MBUF, 32, 16, PX_MBUF_DEFAULT_BUF_SIZE,
				    PX_SOCKET_ID_ANY);
	PX_TEST_ASSERT(mp != NULL, "create: %s", strerror(errno));
	PX_TEST_ASSERT_EQ(px_pktmbuf_data_room_size(mp), PX_MBUF_DEFAULT_BUF_SIZE, "room");
	m = px_pktmbuf_alloc(mp);
	PX_TEST_ASSERT(m != NULL, "alloc");
	PX_TEST_ASSERT(m->pool == mp && m->refcnt == 1 && m->nb_segs == 1 && m->next == NULL,
		       "fresh");
	PX_TEST_ASSERT_EQ(m->data_off, PX_PKTMBUF_HEADROOM, "headroom");
	PX_TEST_ASSERT_EQ(m->port, PX_MBUF_PORT_INVALID, "port");
	PX_TEST_ASSERT_EQ(m->buf_len, PX_MBUF_DEFAULT_BUF_SIZE, "buf_len");
	PX_TEST_ASSERT_EQ(m->priv_size, 16, "priv_size");
	PX_TEST_ASSERT((char *)m->buf_addr == (char *)px_mbuf_to_priv(m) + 16, "buffer after priv");
	PX_TEST_ASSERT_EQ(m->buf_iova, px_mem_virt2iova(m->buf_addr), "buf_iova");
	PX_TEST_ASSERT_EQ(px_pktmbuf_iova(m), m->buf_iova + PX_PKTMBUF_HEADROOM, "data iova");
	PX_TEST_ASSERT(px_pktmbuf_mtod(m, char *) == (char *)m->buf_addr + 128, "mtod");
	PX_TEST_ASSERT(px_pktmbuf_mtod_offset(m, char *, 10) == (char *)m->buf_addr + 138, "off");
	PX_TEST_ASSERT_EQ(px_pktmbuf_headroom(m), 128, "headroom");
	PX_TEST_ASSERT_EQ(px_pktmbuf_tailroom(m), 2048, "tailroom");
	m->ol_flags = PX_MBUF_F_RX_IP_CKSUM_GOOD | PX_MBUF_F_RX_RSS_HASH;
	m->pkt_len = m->data_len = 60;
	m->port = 3;
	m->tx_offload = 5;
	px_pktmbuf_reset(m);
	PX_TEST_ASSERT(m->ol_flags == 0 && m->pkt_len == 0 && m->data_len == 0 &&
			       m->port == PX_MBUF_PORT_INVALID && m->tx_offload == 0 &&
			       m->data_off == PX_PKTMBUF_HEADROOM,
		       "reset");
	px_pktmbuf_free(m);
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), NB_MBUF, "back");
	px_pktmbuf_free(NULL);
	px_mempool_free(mp);
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}
PX_TEST(mbuf_pool_autotest, PX_TEST_F_FAST, test_mbuf_pool)

static int test_mbuf_bulk(void)
{
	struct px_mbuf *m[NB_MBUF + 1];
	struct px_mempool *mp;

	PX_TEST_ASSERT(mbuf_eal_init() >= 0, "init");
	mp = px_pktmbuf_pool_create("mb_bulk", NB_MBUF, 32, 0, 512, PX_SOCKET_ID_ANY);
	PX_TEST_ASSERT(mp != NULL, "create");
	PX_TEST_ASSERT_EQ(px_pktmbuf_alloc_bulk(mp, m, NB_MBUF + 1), -ENOENT, "too many");
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), NB_MBUF, "none taken");
	for (unsigned int i = 0; i < NB_MBUF; i += 32)
		PX_TEST_ASSERT_EQ(px_pktmbuf_alloc_bulk(mp, &m[i], 32), 0, "alloc 32 at %u", i);
	PX_TEST_ASSERT(px_pktmbuf_alloc(mp) == NULL, "pool exhausted");
	for (unsigned int i = 0; i < NB_MBUF; i++) {
		PX_TEST_ASSERT(m[i]->data_off == 128 && m[i]->refcnt == 1 && m[i]->data_len == 0,
			       "reset %u", i);
		m[i]->data_len = 1; /* dirty so the next alloc must reset it */
		m[i]->pkt_len = 1;
	}
	px_pktmbuf_free_bulk(m, NB_MBUF);
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), NB_MBUF, "all back");
	PX_TEST_ASSERT_EQ(px_pktmbuf_alloc_bulk(mp, m, 7), 0, "alloc 7");
	for (unsigned int i = 0; i < 7; i++)
		PX_TEST_ASSERT(m[i]->data_len == 0 && m[i]->pkt_len == 0, "reset again");
	m[3] = NULL;
	px_pktmbuf_free_bulk(m, 7);
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), NB_MBUF - 1, "NULL skipped");
	PX_TEST_ASSERT_EQ(px_mempool_audit(mp), 0, "audit");
	px_mempool_free(mp);
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}
PX_TEST(mbuf_bulk_autotest, PX_TEST_F_FAST, test_mbuf_bulk)

static int test_mbuf_data(void)
{
	struct px_mempool *mp;
	struct px_mbuf *m;
	const char *why;
	char *p;

	PX_TEST_ASSERT(mbuf_eal_init() >= 0, "init");
	mp = px_pktmbuf_pool_create("mb_data", 16, 0, 0, 128 + 256, PX_SOCKET_ID_ANY);
	PX_TEST_ASSERT(mp != NULL, "create");
	m = px_pktmbuf_alloc(mp);
	PX_TEST_ASSERT(m != NULL, "alloc");
	p = px_pktmbuf_append(m, 100);
	PX_TEST_ASSERT(p == px_pktmbuf_mtod(m, char *), "append to empty");
	memset(p, 0xab, 100);
	PX_TEST_ASSERT(m->data_len == 100 && m->pkt_len == 100, "lengths");
	PX_TEST_ASSERT(px_pktmbuf_append(m, 157) == NULL, "past the tailroom");
	PX_TEST_ASSERT(px_pktmbuf_append(m, 156) != NULL, "exactly the tailroom");
	PX_TEST_ASSERT_EQ(px_pktmbuf_tailroom(m), 0, "no tailroom");
	p = px_pktmbuf_prepend(m, 14);
	PX_TEST_ASSERT(p == (char *)m->buf_addr + 114 && m->pkt_len == 270, "prepend");
	PX_TEST_ASSERT(px_pktmbuf_prepend(m, 115) == NULL, "past the headroom");
	PX_TEST_ASSERT(px_pktmbuf_prepend(m, 114) != NULL, "exactly the headroom");
	PX_TEST_ASSERT(px_pktmbuf_adj(m, 128) == (char *)m->buf_addr + 128, "adj");
	PX_TEST_ASSERT_EQ(m->pkt_len, 256, "after adj");
	PX_TEST_ASSERT(px_pktmbuf_adj(m, 257) == NULL, "adj too much");
	PX_TEST_ASSERT_EQ(px_pktmbuf_trim(m, 156), 0, "trim");
	PX_TEST_ASSERT_EQ(px_pktmbuf_trim(m, 101), -EINVAL, "trim too much");
	PX_TEST_ASSERT(m->data_len == 100 && m->pkt_len == 100, "lengths after trim");
	PX_TEST_ASSERT(*px_pktmbuf_mtod_offset(m, uint8_t *, 99) == 0xab, "data kept");
	PX_TEST_ASSERT_EQ(px_mbuf_check(m, 1, &why), 0, "check: %s", why);
	m->data_len = 99;
	PX_TEST_ASSERT_EQ(px_mbuf_check(m, 1, &why), -EINVAL, "pkt_len mismatch caught");
	m->data_len = 100;
	px_pktmbuf_dump(stderr, m, 32);
	px_pktmbuf_free(m);
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), 16, "back");
	px_mempool_free(mp);
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}
PX_TEST(mbuf_data_autotest, PX_TEST_F_FAST, test_mbuf_data)

static int test_mbuf_chain_clone(void)
{
	struct px_mempool *mp, *cp;
	struct px_mbuf *a, *b, *c, *cl, *cl2;
	const char *why;

	PX_TEST_ASSERT(mbuf_eal_init() >= 0, "init");
	mp = px_pktmbuf_pool_create("mb_chain", 16, 0, 0, 1024, PX_SOCKET_ID_ANY);
	cp = px_pktmbuf_pool_create("mb_clone", 4, 0, 8, 256, PX_SOCKET_ID_ANY);
	PX_TEST_ASSERT(mp && cp, "create");
	a = px_pktmbuf_alloc(mp);
	b = px_pktmbuf_alloc(mp);
	c = px_pktmbuf_alloc(mp);
	PX_TEST_ASSERT(a && b && c, "alloc");
	memset(px_pktmbuf_append(a, 10), 'a', 10);
	memset(px_pktmbuf_append(b, 20), 'b', 20);
	memset(px_pktmbuf_append(c, 30), 'c', 30);
	PX_TEST_ASSERT_EQ(px_pktmbuf_chain(b, c), 0, "chain b+c");
	PX_TEST_ASSERT_EQ(px_pktmbuf_chain(a, b), 0, "chain a+(b+c)");
	PX_TEST_ASSERT(a->nb_segs == 3 && a->pkt_len == 60 && !px_pktmbuf_is_contiguous(a),
		       "chain lengths");
	PX_TEST_ASSERT(px_pktmbuf_lastseg(a) == c, "last segment");
	PX_TEST_ASSERT(px_pktmbuf_append(a, 5) == px_pktmbuf_mtod_offset(c, char *, 30),
		       "append goes to the last segment");
	PX_TEST_ASSERT(a->pkt_len == 65 && c->data_len == 35, "lengths after append");
	PX_TEST_ASSERT_EQ(px_pktmbuf_trim(a, 5), 0, "trim last segment");
	PX_TEST_ASSERT_EQ(px_mbuf_check(a, 1, &why), 0, "check: %s", why);

	cl = px_pktmbuf_clone(a, cp);
	PX_TEST_ASSERT(cl != NULL, "clone");
	PX_TEST_ASSERT(cl->nb_segs == 3 && cl->pkt_len == 60, "clone lengths");
	PX_TEST_ASSERT(cl->ol_flags & PX_MBUF_F_INDIRECT, "indirect");
	PX_TEST_ASSERT(px_pktmbuf_mtod(cl, char *) == px_pktmbuf_mtod(a, char *), "shares data");
	PX_TEST_ASSERT(px_pktmbuf_mtod(cl->next->next, char *) == px_pktmbuf_mtod(c, char *),
		       "shares the last segment");
	PX_TEST_ASSERT(a->refcnt == 2 && b->refcnt == 2 && c->refcnt == 2, "refcnt up");
	PX_TEST_ASSERT_EQ(px_mbuf_check(cl, 1, &why), 0, "clone check: %s", why);
	cl2 = px_pktmbuf_clone(cl, cp);
	PX_TEST_ASSERT(cl2 == NULL && errno == ENOENT, "clone pool has 4, needs 3 more");
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(cp), 1, "partial clone returned");
	PX_TEST_ASSERT_EQ(a->refcnt, 2, "partial clone dropped its references");
	px_pktmbuf_free(a); /* the clone still holds the buffers */
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), 13, "originals not freed yet");
	PX_TEST_ASSERT(*px_pktmbuf_mtod(cl->next, char *) == 'b', "data alive");
	px_pktmbuf_free(cl);
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), 16, "last reference frees the buffers");
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(cp), 4, "clones back");
	a = px_pktmbuf_alloc(mp);
	PX_TEST_ASSERT(a != NULL && a->refcnt == 1 && a->next == NULL && a->nb_segs == 1,
		       "a freed segment comes back clean");
	PX_TEST_ASSERT_EQ(px_mbuf_refcnt_update(a, 2), 3, "refcnt update");
	PX_TEST_ASSERT_EQ(px_mbuf_refcnt_update(a, -1), 2, "refcnt down");
	px_pktmbuf_free(a);
	px_pktmbuf_free(a);
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), 16, "freed at refcnt 0");
	PX_TEST_ASSERT_EQ(px_mempool_audit(mp), 0, "audit");
	PX_TEST_ASSERT_EQ(px_mempool_audit(cp), 0, "audit clones");
	px_mempool_free(mp);
	px_mempool_free(cp);
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}
PX_TEST(mbuf_chain_clone_autotest, PX_TEST_F_FAST, test_mbuf_chain_clone)
