/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_malloc.h
 * The Pollux heap: memory on hugepage segments that devices can reach by DMA.
 *
 * Blocks never straddle a segment, so a block is IOVA-contiguous. Thread-safe. Control-path state
 * that no device reads belongs in libc memory, not here.
 */
#ifndef PX_MALLOC_H
#define PX_MALLOC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <px_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** IOVA of an address that is not in Pollux memory. */
#define PX_BAD_IOVA UINT64_MAX

/**
 * Allocate @p size bytes aligned to @p align (0 = cache line; else a power of two) on any socket.
 * @param type a label for statistics and dumps (may be NULL)
 * @return the block, or NULL with errno ENOMEM (no memory, even after growing the heap) or EINVAL
 */
void *px_malloc(const char *type, size_t size, unsigned int align);
/** As px_malloc(), zero-filled. */
void *px_zmalloc(const char *type, size_t size, unsigned int align);
/** As px_zmalloc() for @p num elements of @p size bytes (overflow: NULL, EINVAL). */
void *px_calloc(const char *type, size_t num, size_t size, unsigned int align);
/** Resize a block, keeping its contents (and @p align); NULL @p ptr allocates. On failure the old
 * block is untouched and NULL is returned. */
void *px_realloc(void *ptr, size_t size, unsigned int align);
/** As px_malloc() on NUMA socket @p socket (PX_SOCKET_ID_ANY: any). */
void *px_malloc_socket(const char *type, size_t size, unsigned int align, int socket);
void *px_zmalloc_socket(const char *type, size_t size, unsigned int align, int socket);
void *px_calloc_socket(const char *type, size_t num, size_t size, unsigned int align, int socket);
/** Free a block. NULL is ignored; a pointer that is not a live block is reported and ignored. */
void px_free(void *ptr);

/** @return the IOVA of @p addr in Pollux memory, or PX_BAD_IOVA. */
uint64_t px_mem_virt2iova(const void *addr);

#ifdef __cplusplus
}
#endif

#endif /* PX_MALLOC_H */
