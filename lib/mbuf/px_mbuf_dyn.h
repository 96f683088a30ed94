/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_mbuf_dyn.h
 * Dynamic mbuf fields and flags: a library or application claims, by name, some bytes of
 * struct px_mbuf's dynfield area or one free ol_flags bit, at run time, as DPDK's
 * rte_mbuf_dynfield/dynflag. Registering a name twice with the same parameters returns the
 * same place, so independent users of one field (a driver filling a timestamp, an application
 * reading it) meet there. Control path: registration takes a mutex; using a field is a load at
 * a fixed offset (PX_MBUF_DYNFIELD).
 *
 * The RX timestamp: a port with PX_ETH_RX_OFFLOAD_TIMESTAMP in its capabilities and in the
 * configured rxmode.offloads (net_pcap) registers the field and flag below at configure and
 * fills them in every mbuf it receives; registering them does not make a port write them.
 */
#ifndef PX_MBUF_DYN_H
#define PX_MBUF_DYN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <px_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

#define PX_MBUF_DYN_NAMESIZE 64

/** A dynamic field: @p size bytes aligned to @p align (a power of two). */
struct px_mbuf_dynfield {
	char name[PX_MBUF_DYN_NAMESIZE];
	size_t size;
	size_t align;
	unsigned int flags; /**< 0 */
};

/** A dynamic flag: one ol_flags bit. */
struct px_mbuf_dynflag {
	char name[PX_MBUF_DYN_NAMESIZE];
	unsigned int flags; /**< 0 */
};

/** The RX/TX timestamp field (uint64_t, nanoseconds for net_pcap) and its RX flag: DPDK's
 * names, so a driver and an application (or the compat layer) meet at one place. */
#define PX_MBUF_DYNFIELD_TIMESTAMP_NAME "rte_dynfield_timestamp"
#define PX_MBUF_DYNFLAG_RX_TIMESTAMP_NAME "rte_dynflag_rx_timestamp"

/** The ol_flags bits no static flag uses (DPDK's RTE_MBUF_F_FIRST_FREE .. LAST_FREE). */
#define PX_MBUF_DYNFLAG_FIRST_BIT 23
#define PX_MBUF_DYNFLAG_LAST_BIT 40

/** The field at @p offset of mbuf @p m, as a pointer of type @p type. */
#define PX_MBUF_DYNFIELD(m, offset, type) ((type)((uintptr_t)(m) + (offset)))

/**
 * Claim a dynamic field, or find it when @p params->name is registered with the same size,
 * alignment and flags.
 * @return its byte offset in struct px_mbuf; -EINVAL (empty or unterminated name, size 0, align
 *         not a power of two, flags not 0), -EEXIST (the name has other parameters), -ENOSPC
 *         (no room left in the dynfield area)
 */
int px_mbuf_dynfield_register(const struct px_mbuf_dynfield *params);

/** @return the offset of field @p name (its parameters in @p params if not NULL), or -ENOENT. */
int px_mbuf_dynfield_lookup(const char *name, struct px_mbuf_dynfield *params);

/**
 * Claim a dynamic flag, or find it (same name and flags).
 * @return its bit number in ol_flags; -EINVAL, -EEXIST, -ENOSPC as for fields
 */
int px_mbuf_dynflag_register(const struct px_mbuf_dynflag *params);

/** @return the bit of flag @p name (its parameters in @p params if not NULL), or -ENOENT. */
int px_mbuf_dynflag_lookup(const char *name, struct px_mbuf_dynflag *params);

/** Print the registered fields and flags. */
void px_mbuf_dyn_dump(FILE *f);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_MBUF_DYN_H */
