/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internals of the EAL memory layer (eal_memory.c: arena, segments, events; eal_hugepage.c:
 * discovery and hugetlbfs mappings; eal_heap.c; eal_memzone.c). Not installed.
 */
#ifndef EAL_MEM_H
#define EAL_MEM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eal_private.h"
#include "px_malloc.h"
#include "px_memory.h"

#define MEM_LOG(lvl, ...) PX_LOG(lvl, eal_mem_logtype, __VA_ARGS__)

/* Granule of the arena's segment index: every segment starts and ends on it. */
#define MEM_GRANULE (2UL << 20)
#define MEM_MAX_SEGS 8192

struct eal_seg {
	uintptr_t va;
	size_t len;
	uint64_t iova;
	size_t page_sz;
	int socket;
	int fd; /* memfd or --huge-dir file, -1 under --no-huge */
	bool used;
	bool pinned;     /* reserved at init: kept when it empties */
	void *free_head; /* heap: this segment's free list (struct heap_elem *) */
	size_t free_bytes;
};

struct eal_mem {
	pthread_mutex_t lock; /* segments, heap and events */
	uintptr_t arena;
	size_t arena_len;
	uint16_t *index; /* arena granule -> segment number + 1 (0: none) */
	struct eal_seg segs[MEM_MAX_SEGS];
	unsigned int nsegs; /* highest used slot + 1 */
	bool up;
	bool no_huge;
	enum px_iova_mode iova_mode;
	char *huge_dir;
	size_t page_sz[PX_MAX_NUMA_NODES]; /* page size used on each socket (0: none) */
	unsigned int nsockets;
	uint64_t limit;
	uint64_t held;                            /* bytes in segments */
	uint64_t socket_limit[PX_MAX_NUMA_NODES]; /* --socket-limit (0: none) */
	uint64_t socket_held[PX_MAX_NUMA_NODES];  /* bytes in segments, per socket */
};

extern struct eal_mem eal_mem;

/* ---- eal_memory.c (lock held unless said) ---- */
struct eal_seg *mem_seg_of(const void *addr);
/* Reserve a segment of at least @len bytes on @socket. Returns it, or NULL with errno. */
struct eal_seg *mem_seg_add(size_t len, int socket, bool pinned);
void mem_seg_release(struct eal_seg *seg);

/* ---- eal_hugepage.c ---- */
/* Choose the page size for each socket; log the remedy when there is none. */
int hp_discover(struct eal_mem *m, const struct eal_cfg *cfg);
/* Map @seg (va, len, page_sz, socket set) at its place in the arena. */
int hp_map(struct eal_mem *m, struct eal_seg *seg);
void hp_unmap(struct eal_mem *m, struct eal_seg *seg);
/* Free hugepages of @page_sz on @node (-1: whole system), or -1. */
long hp_free_pages(size_t page_sz, int node);
bool hp_numa_on(void);
int hp_check_memlock(uint64_t bytes);

/* ---- eal_heap.c ---- */
void heap_seg_init(struct eal_seg *seg);
void *heap_alloc(const char *type, size_t size, size_t align, size_t bound, int socket);
void heap_reset(void);

/* ---- eal_memzone.c ---- */
void memzone_cleanup(void);

#endif /* EAL_MEM_H */
