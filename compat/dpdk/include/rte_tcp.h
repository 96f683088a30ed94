/* SPDX-License-Identifier: BSD-3-Clause */
/** @file rte_tcp.h DPDK compatibility: struct rte_tcp_hdr is px_tcp_hdr (same field names). */
#ifndef POLLUX_RTE_TCP_H
#define POLLUX_RTE_TCP_H

#include <rte_byteorder.h>
#include <px_tcp.h>

#define rte_tcp_hdr px_tcp_hdr

#define RTE_TCP_CWR_FLAG PX_TCP_CWR_FLAG
#define RTE_TCP_ECE_FLAG PX_TCP_ECE_FLAG
#define RTE_TCP_URG_FLAG PX_TCP_URG_FLAG
#define RTE_TCP_ACK_FLAG PX_TCP_ACK_FLAG
#define RTE_TCP_PSH_FLAG PX_TCP_PSH_FLAG
#define RTE_TCP_RST_FLAG PX_TCP_RST_FLAG
#define RTE_TCP_SYN_FLAG PX_TCP_SYN_FLAG
#define RTE_TCP_FIN_FLAG PX_TCP_FIN_FLAG

#endif /* POLLUX_RTE_TCP_H */
