/* SPDX-License-Identifier: BSD-3-Clause */
/** @file rte_memory.h DPDK compatibility: IOVA types and address translation (px_memory.h). */
#ifndef POLLUX_RTE_MEMORY_H
#define POLLUX_RTE_MEMORY_H

#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>
#include <px_malloc.h>
#include <px_memory.h>

typedef uint64_t rte_iova_t;
typedef uint64_t phys_addr_t;
#define RTE_BAD_IOVA ((rte_iova_t)PX_BAD_IOVA)
#define RTE_BAD_PHYS_ADDR ((phys_addr_t)PX_BAD_IOVA)

#define SOCKET_ID_ANY PX_SOCKET_ID_ANY

static inline rte_iova_t rte_mem_virt2iova(const void *virt)
{
	return px_mem_virt2iova(virt);
}

static inline void rte_dump_physmem_layout(FILE *f)
{
	px_memseg_dump(f);
}

#endif /* POLLUX_RTE_MEMORY_H */
