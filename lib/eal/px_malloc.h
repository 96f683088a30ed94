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

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

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

/** Heap statistics of one socket (or of all). */
struct px_malloc_stats {
	size_t heap_bytes;   /**< bytes in segments */
	size_t free_bytes;   /**< bytes in free blocks (headers included) */
	size_t alloc_bytes;  /**< bytes in allocated blocks (headers included) */
	size_t largest_free; /**< largest free block, header excluded */
	unsigned int alloc_count;
	unsigned int free_count; /**< number of free blocks */
	unsigned int segments;
};

/**
 * Heap statistics.
 * @param socket a NUMA socket, or PX_SOCKET_ID_ANY for all sockets together
 * @return 0, or -EINVAL for a NULL @p stats or a bad socket
 */
int px_malloc_get_stats(int socket, struct px_malloc_stats *stats);
/** Print the statistics of every socket and the live blocks per type label. */
void px_malloc_dump_stats(FILE *f);
/** Check the heap's invariants (cookies, neighbours, free lists, totals); logs the first
 * problem. @return 0, or -EFAULT */
int px_malloc_validate(void);

/**
 * @return the IOVA of @p addr in Pollux memory, or PX_BAD_IOVA: outside Pollux memory, or
 * under --no-huge (ordinary memory has no device address).
 */
uint64_t px_mem_virt2iova(const void *addr);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_MALLOC_H */
