/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rte_malloc.h
 * DPDK compatibility: the EAL heap (px_malloc.h). @p align 0 is a cache line, as in DPDK.
 */
#ifndef POLLUX_RTE_MALLOC_H
#define POLLUX_RTE_MALLOC_H

#include <stddef.h>

#include <rte_common.h>
#include <rte_memory.h>
#include <px_malloc.h>

#ifdef __cplusplus
extern "C" {
#endif

static inline void *rte_malloc(const char *type, size_t size, unsigned int align)
{
	return px_malloc(type, size, align);
}

static inline void *rte_zmalloc(const char *type, size_t size, unsigned int align)
{
	return px_zmalloc(type, size, align);
}

static inline void *rte_calloc(const char *type, size_t num, size_t size, unsigned int align)
{
	return px_calloc(type, num, size, align);
}

static inline void *rte_realloc(void *ptr, size_t size, unsigned int align)
{
	return px_realloc(ptr, size, align);
}

static inline void *rte_malloc_socket(const char *type, size_t size, unsigned int align, int socket)
{
	return px_malloc_socket(type, size, align, socket);
}

static inline void *rte_zmalloc_socket(const char *type, size_t size, unsigned int align,
				       int socket)
{
	return px_zmalloc_socket(type, size, align, socket);
}

static inline void *rte_calloc_socket(const char *type, size_t num, size_t size, unsigned int align,
				      int socket)
{
	return px_calloc_socket(type, num, size, align, socket);
}

static inline void rte_free(void *ptr)
{
	px_free(ptr);
}

static inline rte_iova_t rte_malloc_virt2iova(const void *addr)
{
	return px_mem_virt2iova(addr);
}

static inline void rte_malloc_dump_stats(FILE *f, const char *type)
{
	(void)type;
	px_malloc_dump_stats(f);
}

static inline int rte_malloc_validate(void)
{
	return px_malloc_validate();
}

#ifdef __cplusplus
}
#endif

#endif /* POLLUX_RTE_MALLOC_H */
