/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rte_mbuf_dyn.h
 * DPDK compatibility: dynamic mbuf fields and flags over Pollux's registry (px_mbuf_dyn.h).
 * The area is 16 bytes of struct px_mbuf (DPDK's is 36); offsets are from the start of the
 * mbuf, as DPDK's. Errors: -1 with rte_errno set (EINVAL, EEXIST, ENOSPC, ENOENT).
 */
#ifndef POLLUX_RTE_MBUF_DYN_H
#define POLLUX_RTE_MBUF_DYN_H

#include <stdint.h>
#include <stdio.h>

#include <rte_errno.h>
#include <px_mbuf_dyn.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RTE_MBUF_DYN_NAMESIZE PX_MBUF_DYN_NAMESIZE
#define rte_mbuf_dynfield px_mbuf_dynfield
#define rte_mbuf_dynflag px_mbuf_dynflag
#define RTE_MBUF_DYNFIELD(m, offset, type) PX_MBUF_DYNFIELD(m, offset, type)

#define RTE_MBUF_DYNFIELD_TIMESTAMP_NAME "rte_dynfield_timestamp"
#define RTE_MBUF_DYNFLAG_RX_TIMESTAMP_NAME "rte_dynflag_rx_timestamp"
#define RTE_MBUF_DYNFLAG_TX_TIMESTAMP_NAME "rte_dynflag_tx_timestamp"
typedef uint64_t rte_mbuf_timestamp_t;

static inline int rte_mbuf_dyn_ret(int ret)
{
	if (ret < 0) {
		rte_errno = -ret;
		return -1;
	}
	return ret;
}

static inline int rte_mbuf_dynfield_register(const struct rte_mbuf_dynfield *params)
{
	return rte_mbuf_dyn_ret(px_mbuf_dynfield_register(params));
}

static inline int rte_mbuf_dynfield_lookup(const char *name, struct rte_mbuf_dynfield *params)
{
	return rte_mbuf_dyn_ret(px_mbuf_dynfield_lookup(name, params));
}

static inline int rte_mbuf_dynflag_register(const struct rte_mbuf_dynflag *params)
{
	return rte_mbuf_dyn_ret(px_mbuf_dynflag_register(params));
}

static inline int rte_mbuf_dynflag_lookup(const char *name, struct rte_mbuf_dynflag *params)
{
	return rte_mbuf_dyn_ret(px_mbuf_dynflag_lookup(name, params));
}

static inline void rte_mbuf_dyn_dump(FILE *out)
{
	px_mbuf_dyn_dump(out);
}

/**
 * Register the timestamp field and the RX (or TX) timestamp flag. net_pcap fills the RX ones
 * when RTE_ETH_RX_OFFLOAD_TIMESTAMP is configured (no other port offers it).
 * @return 0, or -1 with rte_errno set
 */
static inline int rte_mbuf_dyn_timestamp_register_(int *field_offset, uint64_t *flag,
						   const char *flag_name)
{
	struct rte_mbuf_dynfield field = {
		.name = RTE_MBUF_DYNFIELD_TIMESTAMP_NAME,
		.size = sizeof(rte_mbuf_timestamp_t),
		.align = sizeof(rte_mbuf_timestamp_t),
	};
	struct rte_mbuf_dynflag fl = {.flags = 0};
	int off, bit;

	snprintf(fl.name, sizeof(fl.name), "%s", flag_name);
	bit = rte_mbuf_dynflag_register(&fl);
	if (bit < 0)
		return -1;
	off = rte_mbuf_dynfield_register(&field);
	if (off < 0)
		return -1;
	if (field_offset != NULL)
		*field_offset = off;
	if (flag != NULL)
		*flag = 1ULL << bit;
	return 0;
}

static inline int rte_mbuf_dyn_rx_timestamp_register(int *field_offset, uint64_t *rx_flag)
{
	return rte_mbuf_dyn_timestamp_register_(field_offset, rx_flag,
						RTE_MBUF_DYNFLAG_RX_TIMESTAMP_NAME);
}

static inline int rte_mbuf_dyn_tx_timestamp_register(int *field_offset, uint64_t *tx_flag)
{
	return rte_mbuf_dyn_timestamp_register_(field_offset, tx_flag,
						RTE_MBUF_DYNFLAG_TX_TIMESTAMP_NAME);
}

#ifdef __cplusplus
}
#endif

#endif /* POLLUX_RTE_MBUF_DYN_H */
