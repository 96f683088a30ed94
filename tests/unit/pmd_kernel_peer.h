/* SPDX-License-Identifier: BSD-3-Clause */
/* What the tests of the kernel-backed PMDs (net_af_packet, net_tap, net_pcap) share: a network
 * namespace of their own, the kernel as the peer through a raw packet socket, frames of several
 * IPv4/UDP flows, receiving from every queue of a port, and one xstat by name. */
#ifndef PMD_KERNEL_PEER_H
#define PMD_KERNEL_PEER_H

#include <stddef.h>
#include <stdint.h>

#define PMD_FLOWS 16

struct px_eth_conf;
struct px_mempool;

/* Move the process into a fresh network namespace without IPv6 (its autoconfiguration would
 * put frames of its own on the interfaces), with a /sys that shows its interfaces.
 * @return 0, or -errno (no root: -EPERM). */
int pmd_netns(void);

/* Frame @i of a sequence into @f: IPv4/UDP of flow i % PMD_FLOWS (a source address and port of
 * its own, so the kernel's flow hash tells the flows apart), @len bytes. @return @len. */
size_t pmd_flow_frame(uint8_t *f, unsigned int i, size_t len);

/* The kernel sends @n such frames of @len bytes out of @iface through a raw packet socket.
 * @return how many it took. */
unsigned int pmd_kernel_send(const char *iface, unsigned int n, size_t len);

/* Receive from queues 0 .. @nq-1 of port @p until @want frames came or 2 s passed with none, adding
 * each queue's frames and bytes to @got[q] and @bytes[q]. @return the frames received. */
unsigned int pmd_receive(uint16_t p, uint16_t nq, unsigned int want, uint64_t *got,
			 uint64_t *bytes);

/* Queue @q of port @p sends @n (at most 32) flow frames of @len bytes from @mp.
 * @return how many it took. */
uint16_t pmd_send(uint16_t p, uint16_t q, struct px_mempool *mp, uint16_t n, size_t len);

/* @return xstat @name of port @p, or UINT64_MAX when the port has none of that name. */
uint64_t pmd_xstat(uint16_t p, const char *name);

/* @return 0 when every xstat of port @p is 0, else 1 with a message naming the first that is
 * not. */
int pmd_xstats_all_zero(uint16_t p);

/* EAL up (one lcore, no hugepages) and vdev @name with @args probed as *@port.
 * @return 0; 77 (EAL down again) when the driver is not built; 1 on a failure. */
int pmd_probe(const char *name, const char *args, uint16_t *port);

/* Configure port @p with @nq RX and TX queues (@conf may be NULL), RX from @mp, and start it.
 * @return 0 or a negative errno. */
int pmd_port_start(uint16_t p, uint16_t nq, const struct px_eth_conf *conf, struct px_mempool *mp);

/* After the kernel sent @n frames of PMD_FLOWS flows to port @p (2 queues): every frame is
 * received, on both queues, and the per-queue xstats count each queue's frames and bytes.
 * Then queue 1 sends 10 frames of 200 bytes from @mp, counted in tx_q1 and not in tx_q0.
 * @return 0, or 1 with a message. */
int pmd_check_queue_xstats(uint16_t p, unsigned int n, struct px_mempool *mp);

#endif /* PMD_KERNEL_PEER_H */
