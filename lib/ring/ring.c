/* SPDX-License-Identifier: BSD-3-Clause */
/* Ring control path: sizing, initialisation, named rings in memzones, dump. The fast path is
 * inline in px_ring.h. */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <px_log.h>
#include <px_memzone.h>

#include "px_ring.h"

PX_LOG_REGISTER(ring_logtype, "ring", INFO);
#define RING_LOG(lvl, ...) PX_LOG(lvl, ring_logtype, __VA_ARGS__)

static_assert(offsetof(struct px_ring, cons) - offsetof(struct px_ring, prod) >= PX_RING_SIDE_ALIGN,
	      "producer and consumer state share a cache line pair");
static_assert(sizeof(struct px_ring) % PX_RING_SIDE_ALIGN == 0, "slots start on a line pair");

/* Number of slots for @count elements, or 0 when the count is not acceptable. */
static uint32_t ring_slots(unsigned int count, unsigned int flags)
{
	if (flags & PX_RING_F_EXACT_SZ) {
		if (count == 0 || count > PX_RING_SZ_MASK / 2)
			return 0;
		return px_align32pow2(count + 1);
	}
	if (!px_is_power_of_2(count) || count > PX_RING_SZ_MASK || count < 2)
		return 0;
	return count;
}

ssize_t px_ring_get_memsize_elem(unsigned int esize, unsigned int count, unsigned int flags)
{
	uint32_t slots;
	size_t sz;

	if (esize == 0 || esize % 4 != 0)
		return -EINVAL;
	slots = ring_slots(count, flags);
	if (slots == 0)
		return -EINVAL;
	sz = PX_ALIGN_CEIL(sizeof(struct px_ring) + (size_t)slots * esize,
			   (size_t)PX_CACHE_LINE_SIZE);
	/* px_ring_seqs(): a sequence number per slot on the lines after the slots */
	if (flags & PX_RING_F_MT_SEQ)
		sz += PX_ALIGN_CEIL((size_t)slots * sizeof(uint32_t), (size_t)PX_CACHE_LINE_SIZE);
	return (ssize_t)sz;
}

ssize_t px_ring_get_memsize(unsigned int count, unsigned int flags)
{
	return px_ring_get_memsize_elem(sizeof(void *), count, flags);
}

int px_ring_init_elem(struct px_ring *r, const char *name, unsigned int esize, unsigned int count,
		      unsigned int flags)
{
	const unsigned int known =
		PX_RING_F_SP_ENQ | PX_RING_F_SC_DEQ | PX_RING_F_EXACT_SZ | PX_RING_F_MT_SEQ;
	uint32_t slots = ring_slots(count, flags);

	if (r == NULL || (uintptr_t)r % PX_CACHE_LINE_SIZE != 0 || esize == 0 || esize % 4 != 0 ||
	    slots == 0 || (flags & ~known) != 0)
		return -EINVAL;
	if ((flags & PX_RING_F_MT_SEQ) && (flags & (PX_RING_F_SP_ENQ | PX_RING_F_SC_DEQ)))
		return -EINVAL; /* slot sequences are for many threads on both sides */
	if (name != NULL && strlen(name) >= PX_RING_NAMESIZE)
		return -ENAMETOOLONG;
	memset(r, 0, sizeof(*r));
	if (name != NULL)
		strcpy(r->name, name);
	r->flags = flags;
	r->esize = esize;
	r->size = slots;
	r->mask = slots - 1;
	r->capacity = (flags & PX_RING_F_EXACT_SZ) ? count : slots - 1;
	r->prod_sync = (flags & PX_RING_F_SP_ENQ)   ? PX_RING_SYNC_ST
		       : (flags & PX_RING_F_MT_SEQ) ? PX_RING_SYNC_SEQ
						    : PX_RING_SYNC_MT;
	r->cons_sync = (flags & PX_RING_F_SC_DEQ)   ? PX_RING_SYNC_ST
		       : (flags & PX_RING_F_MT_SEQ) ? PX_RING_SYNC_SEQ
						    : PX_RING_SYNC_MT;
	if (r->prod_sync == PX_RING_SYNC_SEQ)
		px_ring_seq_start(r, 0);
	return 0;
}

int px_ring_init(struct px_ring *r, const char *name, unsigned int count, unsigned int flags)
{
	return px_ring_init_elem(r, name, sizeof(void *), count, flags);
}

struct px_ring *px_ring_create_elem(const char *name, unsigned int esize, unsigned int count,
				    int socket, unsigned int flags)
{
	char mz_name[PX_MEMZONE_NAMESIZE];
	const struct px_memzone *mz;
	ssize_t sz = px_ring_get_memsize_elem(esize, count, flags);
	struct px_ring *r;
	int ret;

	if (name == NULL || sz < 0) {
		errno = EINVAL;
		return NULL;
	}
	if (strlen(name) >= PX_RING_NAMESIZE) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	snprintf(mz_name, sizeof(mz_name), PX_RING_MZ_PREFIX "%s", name);
	mz = px_memzone_reserve(mz_name, (size_t)sz, socket, 0, PX_RING_SIDE_ALIGN, 0);
	if (mz == NULL) {
		RING_LOG(ERR, "ring %s: cannot reserve %zd bytes: %s", name, sz, strerror(errno));
		return NULL;
	}
	r = mz->addr;
	ret = px_ring_init_elem(r, name, esize, count, flags);
	if (ret < 0) {
		px_memzone_free(mz);
		errno = -ret;
		return NULL;
	}
	r->memzone = mz;
	return r;
}

struct px_ring *px_ring_create(const char *name, unsigned int count, int socket, unsigned int flags)
{
	return px_ring_create_elem(name, sizeof(void *), count, socket, flags);
}

struct px_ring *px_ring_lookup(const char *name)
{
	char mz_name[PX_MEMZONE_NAMESIZE];
	const struct px_memzone *mz;

	if (name == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if (strlen(name) >= PX_RING_NAMESIZE) {
		errno = ENOENT;
		return NULL;
	}
	snprintf(mz_name, sizeof(mz_name), PX_RING_MZ_PREFIX "%s", name);
	mz = px_memzone_lookup(mz_name);
	if (mz == NULL) {
		errno = ENOENT;
		return NULL;
	}
	return mz->addr;
}

void px_ring_free(struct px_ring *r)
{
	if (r == NULL)
		return;
	if (r->memzone == NULL) {
		RING_LOG(ERR, "ring %s: not made by px_ring_create(), not freed", r->name);
		return;
	}
	px_memzone_free(r->memzone);
}

void px_ring_reset(struct px_ring *r)
{
	memset(&r->prod, 0, sizeof(r->prod));
	memset(&r->prod_priv, 0, sizeof(r->prod_priv));
	memset(&r->cons, 0, sizeof(r->cons));
	memset(&r->cons_priv, 0, sizeof(r->cons_priv));
	if (r->prod_sync == PX_RING_SYNC_SEQ)
		px_ring_seq_start(r, 0);
}

void px_ring_dump(FILE *f, const struct px_ring *r)
{
	fprintf(f, "ring <%s>@%p\n  flags=%#x\n  size=%u\n  capacity=%u\n  esize=%u\n", r->name,
		(const void *)r, r->flags, r->size, r->capacity, r->esize);
	if (r->flags & PX_RING_F_MT_SEQ)
		fprintf(f, "  sync=slot sequences (heads unused, tails count reservations)\n");
	fprintf(f, "  prod.head=%u\n  prod.tail=%u\n  cons.head=%u\n  cons.tail=%u\n", r->prod.head,
		r->prod.tail, r->cons.head, r->cons.tail);
	fprintf(f, "  used=%u\n  avail=%u\n", px_ring_count(r), px_ring_free_count(r));
}
