/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rte_memzone.h
 * DPDK compatibility: named memory zones. struct rte_memzone is px_memzone (name, addr, iova,
 * len, hugepage_sz, socket_id, flags, as DPDK's). DPDK's page-size flags (RTE_MEMZONE_2MB ...)
 * are accepted and ignored: Pollux places a zone on the pages the EAL has.
 */
#ifndef POLLUX_RTE_MEMZONE_H
#define POLLUX_RTE_MEMZONE_H

#include <stddef.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_memory.h>
#include <px_memzone.h>

#define rte_memzone px_memzone

#define RTE_MEMZONE_NAMESIZE PX_MEMZONE_NAMESIZE
#define RTE_MEMZONE_2MB 0x00000001
#define RTE_MEMZONE_1GB 0x00000002
#define RTE_MEMZONE_16MB 0x00000100
#define RTE_MEMZONE_16GB 0x00000200
#define RTE_MEMZONE_256KB 0x00010000
#define RTE_MEMZONE_256MB 0x00020000
#define RTE_MEMZONE_512MB 0x00040000
#define RTE_MEMZONE_4GB 0x00080000
#define RTE_MEMZONE_SIZE_HINT_ONLY 0x00000004
#define RTE_MEMZONE_IOVA_CONTIG 0x00100000

/** DPDK's reserve family: NULL with rte_errno set (EINVAL, EEXIST, ENOMEM, ENOSPC, ENOTSUP). */
static inline const struct rte_memzone *
rte_memzone_reserve_bounded(const char *name, size_t len, int socket_id, unsigned int flags,
			    unsigned int align, unsigned int bound)
{
	const struct rte_memzone *mz = px_memzone_reserve(
		name, len, socket_id, (flags & RTE_MEMZONE_IOVA_CONTIG) ? PX_MEMZONE_F_DMA : 0,
		align, bound);

	if (mz == NULL)
		rte_errno = errno;
	return mz;
}

static inline const struct rte_memzone *rte_memzone_reserve_aligned(const char *name, size_t len,
								    int socket_id,
								    unsigned int flags,
								    unsigned int align)
{
	return rte_memzone_reserve_bounded(name, len, socket_id, flags, align, 0);
}

static inline const struct rte_memzone *rte_memzone_reserve(const char *name, size_t len,
							    int socket_id, unsigned int flags)
{
	return rte_memzone_reserve_bounded(name, len, socket_id, flags, RTE_CACHE_LINE_SIZE, 0);
}

static inline const struct rte_memzone *rte_memzone_lookup(const char *name)
{
	return px_memzone_lookup(name);
}

static inline int rte_memzone_free(const struct rte_memzone *mz)
{
	return px_memzone_free(mz);
}

static inline void rte_memzone_dump(FILE *f)
{
	px_memzone_dump(f);
}

#endif /* POLLUX_RTE_MEMZONE_H */
