/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target for net_vhost's descriptor walks and data path (vhost_rxtx.c): a vring over 64 KiB
 * of "frontend memory" whose every byte comes from the input, as a hostile frontend could write
 * it. Input: 8 bytes of vring state (flags: bit 0 packed, 1 mergeable, 2 EVENT_IDX; log2 of the
 * ring size, 0..8; last_avail and last_used, 16 bits each; the wrap counters), 4 frame lengths
 * (16 bits each) to enqueue, then the memory image: descriptors at 0, the driver area at 0x1000,
 * the device area at 0x2000, buffers anywhere (guest address 0x10000 + offset). Dequeue and
 * enqueue must never touch memory outside the image, loop, or crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <px_eal.h>
#include <px_log.h>
#include <px_mbuf.h>
#include <px_mempool.h>

#include "vhost.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MEM 65536
#define FUZZ_GPA 0x10000
#define FUZZ_HDR 16

static struct px_mempool *pool(void)
{
	static struct px_mempool *mp;
	static char *argv[] = {"fuzz", "-l", "0", "--no-huge", "--no-pci", "-m", "64", NULL};

	if (mp == NULL) {
		px_log_set_global_level(PX_LOG_EMERG);
		if (px_eal_init(7, argv) < 0)
			abort();
		mp = px_pktmbuf_pool_create("fuzz_vhost", 512, 0, 0, PX_MBUF_DEFAULT_BUF_SIZE, 0);
		if (mp == NULL)
			abort();
	}
	return mp;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *mem;
	struct px_mempool *mp = pool();
	struct vhost_mem vm = {.nregions = 1};
	struct vhost_vring vr;
	struct eth_queue_stats st;
	struct px_mbuf *pkts[32];
	uint16_t lens[4], n = 0, got;

	if (size < FUZZ_HDR)
		return 0;
	if (mem == NULL)
		mem = aligned_alloc(4096, FUZZ_MEM);
	memset(mem, 0, FUZZ_MEM);
	memcpy(mem, data + FUZZ_HDR, size - FUZZ_HDR < FUZZ_MEM ? size - FUZZ_HDR : FUZZ_MEM);
	vm.r[0] = (struct vhost_region){
		.gpa = FUZZ_GPA, .size = FUZZ_MEM, .uva = FUZZ_GPA, .host = mem};
	memset(&vr, 0, sizeof(vr));
	memset(&st, 0, sizeof(st));
	vr.is_packed = data[0] & 1;
	vr.mrg = data[0] & 2;
	vr.event_idx = data[0] & 4;
	vr.hdr_len = 12;
	vr.size = (uint16_t)(1u << (data[1] % 9));
	if (vr.is_packed && data[1] >= 9) /* packed rings need not be a power of 2 */
		vr.size = (uint16_t)(data[1] % 200 + 1);
	vr.last_avail = get16(data + 2) % (vr.is_packed ? vr.size : 65536);
	vr.last_used = get16(data + 4) % (vr.is_packed ? vr.size : 65536);
	vr.avail_wrap = data[6] & 1;
	vr.used_wrap = data[6] & 2;
	vr.callfd = -1;
	vr.mem = &vm;
	if (vr.is_packed) {
		vr.packed.desc = (void *)mem;
		vr.packed.driver = (void *)(mem + 0x1000);
		vr.packed.device = (void *)(mem + 0x2000);
	} else {
		vr.split.desc = (void *)mem;
		vr.split.avail = (void *)(mem + 0x1000);
		vr.split.used = (void *)(mem + 0x2000);
	}
	atomic_store(&vr.ready, 1);
	for (int i = 0; i < 4; i++)
		lens[i] = get16(data + 8 + 2 * i) % 3000;

	for (int round = 0; round < 3; round++) {
		got = vhost_dequeue(&vr, mp, 0, pkts, 32, &st);
		px_pktmbuf_free_bulk(pkts, got);
		n = 0;
		for (int i = 0; i < 4; i++) {
			struct px_mbuf *m = px_pktmbuf_alloc(mp);

			if (m == NULL)
				break;
			m->data_len = (uint16_t)(lens[i] < 2048 ? lens[i] : 2048);
			m->pkt_len = m->data_len;
			if (lens[i] > 2048) { /* a two-segment frame */
				struct px_mbuf *s = px_pktmbuf_alloc(mp);

				if (s != NULL) {
					s->data_len = (uint16_t)(lens[i] - 2048);
					m->next = s;
					m->nb_segs = 2;
					m->pkt_len = lens[i];
				}
			}
			pkts[n++] = m;
		}
		got = vhost_enqueue(&vr, pkts, n, &st);
		px_pktmbuf_free_bulk(pkts + got, n - got);
	}
	if (px_mempool_avail_count(mp) != 512)
		abort(); /* an mbuf lost or freed twice */
	return 0;
}
