/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_memzone.h
 * Named, IOVA-contiguous zones of Pollux memory, for descriptor rings and other device memory.
 */
#ifndef PX_MEMZONE_H
#define PX_MEMZONE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <px_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

#define PX_MEMZONE_NAMESIZE 32

/** Flag: the zone is for a device (DMA); fails with ENOTSUP under --no-huge, which has no IOVA. */
#define PX_MEMZONE_F_DMA 0x1

struct px_memzone {
	char name[PX_MEMZONE_NAMESIZE];
	void *addr;    /**< virtual address */
	uint64_t iova; /**< device address of addr (IOVA-contiguous); PX_BAD_IOVA under --no-huge */
	size_t len;
	size_t hugepage_sz;
	int socket_id;
	unsigned int flags;
};

/**
 * Reserve a zone.
 * @param name   unique name, shorter than PX_MEMZONE_NAMESIZE
 * @param len    bytes (> 0)
 * @param socket NUMA socket, or PX_SOCKET_ID_ANY
 * @param flags  0 or PX_MEMZONE_F_DMA
 * @param align  power of two (0: cache line)
 * @param bound  0, or a power of two >= len that the zone must not cross
 * @return the zone, or NULL with errno EINVAL (bad argument), EEXIST (name in use), ENOMEM, ENOSPC
 * (no zone slot left), ENOTSUP (PX_MEMZONE_F_DMA under --no-huge)
 */
const struct px_memzone *px_memzone_reserve(const char *name, size_t len, int socket,
					    unsigned int flags, unsigned int align, size_t bound);
/** @return the zone called @p name, or NULL (errno ENOENT). */
const struct px_memzone *px_memzone_lookup(const char *name);
/** Free a zone. @return 0, or -EINVAL for a pointer that is not a live zone. */
int px_memzone_free(const struct px_memzone *mz);
/** Print every zone. */
void px_memzone_dump(FILE *f);
/**
 * Call @p fn on every zone, with zone reservation and freeing held off meanwhile: @p fn must
 * not reserve or free a zone.
 */
void px_memzone_walk(void (*fn)(const struct px_memzone *mz, void *arg), void *arg);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_MEMZONE_H */
