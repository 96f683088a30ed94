/* SPDX-License-Identifier: BSD-3-Clause */
/* What the lab tests of the virtio-net PMD share (test_pmd_virtio.c, test_pmd_virtio_feat.c):
 * the first two virtio ports bound to vfio-pci, opened and closed with every mbuf accounted
 * for, and test frames of a known content between them. */
#ifndef VIRTIO_LAB_H
#define VIRTIO_LAB_H

#include <stddef.h>
#include <stdint.h>

#include "px_ether.h"

#define NB_MBUF 1024
#define NB_DESC 128
#define BURST 32
#define ETHER_TYPE_TEST 0x88B5 /* IEEE local experimental */
#define HDR_LEN 14
#define WAIT_MS 5000

struct px_eth_conf;
struct px_mbuf;
struct px_mempool;

struct vpair {
	uint16_t port[2];
	struct px_ether_addr mac[2];
	struct px_mempool *mp;
	unsigned int avail_idle; /* free mbufs with both ports set up and stopped */
};

/* "-l 0 -m 64 -a ADDR[,devargs] ..." for every virtio device bound to vfio-pci (devargs from
 * PX_VIRTIO_DEVARGS) into @buf. @return the devices, 0 when none. */
int virtio_eal_args(char *buf, size_t len);
/* Configure port @i of @p (one RX, one TX queue of NB_DESC) with @conf; note its MAC. */
int vport_setup(struct vpair *p, int i, const struct px_eth_conf *conf);
/* EAL on the virtio devices, the first two virtio ports, a pool of NB_MBUF; both configured
 * with @conf, stopped. @return PX_TEST_OK, PX_TEST_FAILED, or 77 without two devices. */
int vpair_open(struct vpair *p, const struct px_eth_conf *conf);
/* Start both ports and wait for their links. */
int vpair_start(struct vpair *p);
/* vpair_open() with the default configuration, then vpair_start(). */
int vpair_up(struct vpair *p);
/* Stop both (no mbuf missing), close both (every mbuf back), free the pool, EAL down. */
int vpair_close(struct vpair *p);
/* Frame @seq of @len bytes from port @src to the other, in segments of at most @seg bytes;
 * NULL when the pool is empty. */
struct px_mbuf *vframe_make(struct vpair *p, int src, uint32_t seq, uint32_t len, uint32_t seg);
/* Check a frame port !@src received against vframe_make(@seq, @len). */
int vframe_check(struct vpair *p, int src, struct px_mbuf *m, uint32_t seq, uint32_t len);
typedef uint32_t (*len_fn)(uint32_t seq);
/* 60..1514 bytes, by @seq. */
uint32_t len_small(uint32_t seq);
/* Send @n frames from port @src (lengths from @len, segments of at most @seg bytes) and
 * receive all of them, in order and content checked, on the other port. */
int vtraffic(struct vpair *p, int src, uint32_t n, len_fn len, uint32_t seg);
/* Send one 60-byte frame from port 0 to @dst. @return the frames port 1 got within 200 ms. */
int vframe_to(struct vpair *p, const uint8_t dst[6]);

#endif /* VIRTIO_LAB_H */
