/* SPDX-License-Identifier: BSD-3-Clause */
/** @file rte_udp.h DPDK compatibility: struct rte_udp_hdr is px_udp_hdr (same field names). */
#ifndef POLLUX_RTE_UDP_H
#define POLLUX_RTE_UDP_H

#include <rte_byteorder.h>
#include <px_udp.h>

#define rte_udp_hdr px_udp_hdr

#endif /* POLLUX_RTE_UDP_H */
