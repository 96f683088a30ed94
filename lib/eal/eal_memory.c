/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * INTERIM memory layer: libc-backed heap and memzones so the rest of the tree can build and test
 * before the hugepage heap of issue 3 lands. It provides no DMA memory (IOVA = VA) and will be
 * replaced by eal_memory.c/eal_heap.c/eal_memzone.c on hugetlbfs.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "eal_private.h"
#include "px_malloc.h"
#include "px_memzone.h"

struct mz_slot {
	struct px_memzone mz;
	bool used;
};

#define MZ_MAX 512
static struct mz_slot mzs[MZ_MAX];
static pthread_mutex_t mz_lock = PTHREAD_MUTEX_INITIALIZER;

int eal_mem_init(const struct eal_cfg *cfg)
{
	(void)cfg;
	return 0;
}

void eal_mem_cleanup(void)
{
	pthread_mutex_lock(&mz_lock);
	for (int i = 0; i < MZ_MAX; i++) {
		if (mzs[i].used)
			free(mzs[i].mz.addr);
		mzs[i].used = false;
	}
	pthread_mutex_unlock(&mz_lock);
}

void *px_malloc_socket(const char *type, size_t size, unsigned int align, int socket)
{
	void *p = NULL;

	(void)type;
	(void)socket;
	if (align == 0)
		align = PX_CACHE_LINE_SIZE;
	if (!px_is_power_of_2(align) || size == 0) {
		errno = EINVAL;
		return NULL;
	}
	if (align < sizeof(void *))
		align = sizeof(void *);
	if (posix_memalign(&p, align, size) != 0) {
		errno = ENOMEM;
		return NULL;
	}
	return p;
}

void *px_zmalloc_socket(const char *type, size_t size, unsigned int align, int socket)
{
	void *p = px_malloc_socket(type, size, align, socket);

	if (p)
		memset(p, 0, size);
	return p;
}

void *px_calloc_socket(const char *type, size_t num, size_t size, unsigned int align, int socket)
{
	if (size && num > SIZE_MAX / size) {
		errno = EINVAL;
		return NULL;
	}
	return px_zmalloc_socket(type, num * size, align, socket);
}

void *px_malloc(const char *type, size_t size, unsigned int align)
{
	return px_malloc_socket(type, size, align, PX_SOCKET_ID_ANY);
}

void *px_zmalloc(const char *type, size_t size, unsigned int align)
{
	return px_zmalloc_socket(type, size, align, PX_SOCKET_ID_ANY);
}

void *px_calloc(const char *type, size_t num, size_t size, unsigned int align)
{
	return px_calloc_socket(type, num, size, align, PX_SOCKET_ID_ANY);
}

void *px_realloc(void *ptr, size_t size, unsigned int align)
{
	(void)align;
	return realloc(ptr, size);
}

void px_free(void *ptr)
{
	free(ptr);
}

uint64_t px_mem_virt2iova(const void *addr)
{
	return (uint64_t)(uintptr_t)addr;
}

const struct px_memzone *px_memzone_reserve(const char *name, size_t len, int socket,
					    unsigned int flags, unsigned int align, size_t bound)
{
	struct px_memzone *mz = NULL;

	(void)bound;
	if (name == NULL || strlen(name) >= PX_MEMZONE_NAMESIZE || len == 0) {
		errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&mz_lock);
	for (int i = 0; i < MZ_MAX; i++) {
		if (mzs[i].used && strcmp(mzs[i].mz.name, name) == 0) {
			errno = EEXIST;
			goto out;
		}
	}
	for (int i = 0; i < MZ_MAX; i++) {
		if (mzs[i].used)
			continue;
		void *p = px_zmalloc_socket(name, len, align, socket);
		if (p == NULL)
			goto out;
		mzs[i].used = true;
		mz = &mzs[i].mz;
		*mz = (struct px_memzone){.addr = p,
					  .iova = (uintptr_t)p,
					  .len = len,
					  .socket_id = 0,
					  .flags = flags};
		strcpy(mz->name, name);
		goto out;
	}
	errno = ENOSPC;
out:
	pthread_mutex_unlock(&mz_lock);
	return mz;
}

const struct px_memzone *px_memzone_lookup(const char *name)
{
	const struct px_memzone *mz = NULL;

	pthread_mutex_lock(&mz_lock);
	for (int i = 0; i < MZ_MAX; i++)
		if (mzs[i].used && strcmp(mzs[i].mz.name, name) == 0)
			mz = &mzs[i].mz;
	pthread_mutex_unlock(&mz_lock);
	if (mz == NULL)
		errno = ENOENT;
	return mz;
}

int px_memzone_free(const struct px_memzone *mz)
{
	int ret = -EINVAL;

	pthread_mutex_lock(&mz_lock);
	for (int i = 0; i < MZ_MAX; i++) {
		if (mzs[i].used && &mzs[i].mz == mz) {
			free(mzs[i].mz.addr);
			mzs[i].used = false;
			ret = 0;
		}
	}
	pthread_mutex_unlock(&mz_lock);
	return ret;
}

void px_memzone_dump(FILE *f)
{
	pthread_mutex_lock(&mz_lock);
	for (int i = 0; i < MZ_MAX; i++)
		if (mzs[i].used)
			fprintf(f, "memzone %s: %p len %zu\n", mzs[i].mz.name, mzs[i].mz.addr,
				mzs[i].mz.len);
	pthread_mutex_unlock(&mz_lock);
}
