/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memzones: named heap blocks with alignment and a boundary they must not cross (a descriptor
 * ring that a NIC requires inside one 4 KiB or 64 KiB window). A heap block never straddles a
 * segment and a segment is IOVA-contiguous, so a zone is IOVA-contiguous.
 */
#include <errno.h>
#include <string.h>

#include "eal_mem.h"
#include "px_memzone.h"

#define MZ_MAX 1024

struct mz_slot {
	struct px_memzone mz;
	bool used;
};

static struct mz_slot mzs[MZ_MAX];
static pthread_mutex_t mz_lock = PTHREAD_MUTEX_INITIALIZER;

static struct mz_slot *mz_find(const char *name)
{
	for (int i = 0; i < MZ_MAX; i++)
		if (mzs[i].used && strcmp(mzs[i].mz.name, name) == 0)
			return &mzs[i];
	return NULL;
}

static struct mz_slot *mz_free_slot(void)
{
	for (int i = 0; i < MZ_MAX; i++)
		if (!mzs[i].used)
			return &mzs[i];
	return NULL;
}

static int mz_check(const char *name, size_t len, unsigned int flags, unsigned int align,
		    size_t bound)
{
	if (name == NULL || name[0] == '\0' || strlen(name) >= PX_MEMZONE_NAMESIZE || len == 0 ||
	    (flags & ~PX_MEMZONE_F_DMA) || (align && !px_is_power_of_2(align)) ||
	    (bound && (!px_is_power_of_2(bound) || bound < len)))
		return -EINVAL;
	if ((flags & PX_MEMZONE_F_DMA) && eal_mem.no_huge) {
		MEM_LOG(ERR,
			"memzone %s: a DMA zone needs hugepage memory, but --no-huge was given (no IOVA)",
			name);
		return -ENOTSUP;
	}
	return 0;
}

static void mz_fill(struct px_memzone *mz, const char *name, void *p, size_t len,
		    unsigned int flags)
{
	struct eal_seg *s;

	*mz = (struct px_memzone){.addr = p, .len = len, .flags = flags};
	snprintf(mz->name, sizeof(mz->name), "%s", name);
	pthread_mutex_lock(&eal_mem.lock);
	s = mem_seg_of(p);
	mz->iova = s->iova == PX_BAD_IOVA ? PX_BAD_IOVA : s->iova + ((uintptr_t)p - s->va);
	mz->hugepage_sz = s->page_sz;
	mz->socket_id = s->socket;
	pthread_mutex_unlock(&eal_mem.lock);
}

const struct px_memzone *px_memzone_reserve(const char *name, size_t len, int socket,
					    unsigned int flags, unsigned int align, size_t bound)
{
	struct mz_slot *slot;
	int ret = mz_check(name, len, flags, align, bound);
	void *p;

	if (ret < 0)
		goto err;
	pthread_mutex_lock(&mz_lock);
	ret = mz_find(name) ? -EEXIST : 0;
	slot = ret ? NULL : mz_free_slot();
	if (ret == 0 && slot == NULL)
		ret = -ENOSPC;
	if (ret < 0)
		goto unlock;
	p = heap_alloc("memzone", len, align, bound, socket);
	if (p == NULL) {
		ret = -errno;
		goto unlock;
	}
	memset(p, 0, len);
	mz_fill(&slot->mz, name, p, len, flags);
	slot->used = true;
	pthread_mutex_unlock(&mz_lock);
	return &slot->mz;
unlock:
	pthread_mutex_unlock(&mz_lock);
err:
	errno = -ret;
	return NULL;
}

const struct px_memzone *px_memzone_lookup(const char *name)
{
	struct mz_slot *slot;

	if (name == NULL) {
		errno = ENOENT;
		return NULL;
	}
	pthread_mutex_lock(&mz_lock);
	slot = mz_find(name);
	pthread_mutex_unlock(&mz_lock);
	if (slot == NULL)
		errno = ENOENT;
	return slot ? &slot->mz : NULL;
}

int px_memzone_free(const struct px_memzone *mz)
{
	struct mz_slot *slot = (struct mz_slot *)mz;
	int ret = -EINVAL;

	pthread_mutex_lock(&mz_lock);
	if (slot >= mzs && slot < mzs + MZ_MAX && &slot->mz == mz && slot->used) {
		px_free(slot->mz.addr);
		slot->used = false;
		ret = 0;
	}
	pthread_mutex_unlock(&mz_lock);
	if (ret < 0)
		MEM_LOG(ERR, "px_memzone_free(%p): not a live memzone", (const void *)mz);
	return ret;
}

void px_memzone_dump(FILE *f)
{
	pthread_mutex_lock(&mz_lock);
	for (int i = 0; i < MZ_MAX; i++) {
		const struct px_memzone *mz = &mzs[i].mz;

		if (mzs[i].used)
			fprintf(f,
				"memzone %-32s va %p iova %#lx len %zu socket %d page %zu KiB flags %#x\n",
				mz->name, mz->addr, (unsigned long)mz->iova, mz->len, mz->socket_id,
				mz->hugepage_sz >> 10, mz->flags);
	}
	pthread_mutex_unlock(&mz_lock);
}

void px_memzone_walk(void (*fn)(const struct px_memzone *mz, void *arg), void *arg)
{
	pthread_mutex_lock(&mz_lock);
	for (int i = 0; i < MZ_MAX; i++)
		if (mzs[i].used)
			fn(&mzs[i].mz, arg);
	pthread_mutex_unlock(&mz_lock);
}

void memzone_cleanup(void)
{
	pthread_mutex_lock(&mz_lock);
	for (int i = 0; i < MZ_MAX; i++)
		if (mzs[i].used)
			px_free(mzs[i].mz.addr);
	memset(mzs, 0, sizeof(mzs));
	pthread_mutex_unlock(&mz_lock);
}
