/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers of the kernel-backed PMD tests (pmd_kernel_peer.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <px_eal.h>
#include <px_ethdev.h>
#include <px_ether.h>
#include <px_ip.h>
#include <px_mbuf.h>
#include <px_udp.h>
#include <px_vdev.h>

#include "pmd_kernel_peer.h"
#include "px_test.h"

int pmd_netns(void)
{
	int fd;

	/* a mount namespace too, for a /sys of the new network namespace's (as `ip netns exec`
	 * makes): the one mounted shows the interfaces of the namespace that mounted it */
	if (unshare(CLONE_NEWNET | CLONE_NEWNS) != 0)
		return -errno;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    umount2("/sys", MNT_DETACH) != 0 || mount("sysfs", "/sys", "sysfs", 0, NULL) != 0)
		return -errno;
	fd = open("/proc/sys/net/ipv6/conf/default/disable_ipv6", O_WRONLY);
	if (fd >= 0) {
		(void)!write(fd, "1", 1);
		close(fd);
	}
	return 0;
}

size_t pmd_flow_frame(uint8_t *f, unsigned int i, size_t len)
{
	struct px_ether_hdr *eth = (struct px_ether_hdr *)f;
	struct px_ipv4_hdr *ip = (struct px_ipv4_hdr *)(eth + 1);
	struct px_udp_hdr *udp = (struct px_udp_hdr *)(ip + 1);
	unsigned int flow = i % PMD_FLOWS;

	memset(f, (int)(i & 0xff), len);
	*eth = (struct px_ether_hdr){.dst_addr = {{2, 0, 0, 0, 0, 1}},
				     .src_addr = {{2, 0, 0, 0, 0, 2}},
				     .ether_type = px_cpu_to_be_16(PX_ETHER_TYPE_IPV4)};
	*ip = (struct px_ipv4_hdr){
		.version_ihl = PX_IPV4_VHL_DEF,
		.total_length = px_cpu_to_be_16((uint16_t)(len - sizeof(*eth))),
		.time_to_live = 64,
		.next_proto_id = PX_IPPROTO_UDP,
		.src_addr = px_cpu_to_be_32(PX_IPV4(10, 0, 0, 1 + flow)),
		.dst_addr = px_cpu_to_be_32(PX_IPV4(10, 0, 1, 1)),
	};
	ip->hdr_checksum = px_ipv4_cksum(ip);
	*udp = (struct px_udp_hdr){
		.src_port = px_cpu_to_be_16((uint16_t)(1000 + flow)),
		.dst_port = px_cpu_to_be_16(2000),
		.dgram_len = px_cpu_to_be_16((uint16_t)(len - sizeof(*eth) - sizeof(*ip))),
	};
	return len;
}

unsigned int pmd_kernel_send(const char *iface, unsigned int n, size_t len)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_ifindex = (int)if_nametoindex(iface)};
	uint8_t f[ETH_FRAME_LEN];
	unsigned int sent = 0;
	int fd = socket(AF_PACKET, SOCK_RAW, 0);

	if (fd < 0 || len > sizeof(f) || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		goto out;
	for (unsigned int i = 0; i < n; i++)
		if (send(fd, f, pmd_flow_frame(f, i, len), 0) == (ssize_t)len)
			sent++;
out:
	if (fd >= 0)
		close(fd);
	return sent;
}

unsigned int pmd_receive(uint16_t p, uint16_t nq, unsigned int want, uint64_t *got, uint64_t *bytes)
{
	unsigned int total = 0;

	/* 2000 polls of 1 ms with nothing: a slow guest (TCG under load) may take longer than that
	 * for all of them, but not between two frames */
	for (int idle = 0; total < want && idle < 2000; idle++) {
		unsigned int before = total;

		for (uint16_t q = 0; q < nq; q++) {
			struct px_mbuf *m[32];
			uint16_t n = px_eth_rx_burst(p, q, m, 32);

			for (uint16_t i = 0; i < n; i++)
				bytes[q] += m[i]->pkt_len;
			got[q] += n;
			total += n;
			px_pktmbuf_free_bulk(m, n);
		}
		if (total != before)
			idle = -1;
		usleep(1000);
	}
	return total;
}

uint16_t pmd_send(uint16_t p, uint16_t q, struct px_mempool *mp, uint16_t n, size_t len)
{
	struct px_mbuf *m[32];
	uint16_t k = 0;

	for (; k < n && k < 32; k++) {
		m[k] = px_pktmbuf_alloc(mp);
		if (m[k] == NULL)
			break;
		pmd_flow_frame(px_pktmbuf_mtod(m[k], uint8_t *), k, len);
		m[k]->data_len = (uint16_t)len;
		m[k]->pkt_len = (uint32_t)len;
	}
	return px_eth_tx_burst(p, q, m, k);
}

uint64_t pmd_xstat(uint16_t p, const char *name)
{
	uint64_t v = UINT64_MAX;

	return px_eth_xstats_get_by_name(p, name, &v) == 0 ? v : UINT64_MAX;
}

int pmd_xstats_all_zero(uint16_t p)
{
	struct px_eth_xstat_name names[128];
	struct px_eth_xstat vals[128];
	int n = px_eth_xstats_get_names(p, names, PX_DIM(names));

	if (n <= 0 || n > (int)PX_DIM(names) || px_eth_xstats_get(p, vals, PX_DIM(vals)) != n) {
		fprintf(stderr, "port %u: cannot read its xstats (%d)\n", p, n);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		if (vals[i].value != 0) {
			fprintf(stderr, "port %u: %s is %" PRIu64 ", not 0\n", p, names[i].name,
				vals[i].value);
			return 1;
		}
	}
	return 0;
}

int pmd_probe(const char *name, const char *args, uint16_t *port)
{
	int ret;

	PX_TEST_ASSERT(px_test_eal_init("-l 0 --no-huge --no-pci -m 64") >= 0, "init");
	ret = px_vdev_init(name, args);
	if (ret == -ENODEV) {
		px_eal_cleanup();
		PX_TEST_SKIP("%s: its driver is not built (PX_DRIVERS, or a library it needs)",
			     name);
	}
	PX_TEST_ASSERT_EQ(ret, 0, "%s,%s", name, args);
	PX_TEST_ASSERT_EQ(px_eth_dev_get_port_by_name(name, port), 0, "the port of %s", name);
	return 0;
}

int pmd_port_start(uint16_t p, uint16_t nq, const struct px_eth_conf *conf, struct px_mempool *mp)
{
	int ret = px_eth_dev_configure(p, nq, nq, conf);

	for (uint16_t q = 0; ret == 0 && q < nq; q++) {
		ret = px_eth_rx_queue_setup(p, q, 256, 0, NULL, mp);
		if (ret == 0)
			ret = px_eth_tx_queue_setup(p, q, 256, 0, NULL);
	}
	return ret == 0 ? px_eth_dev_start(p) : ret;
}

int pmd_check_queue_xstats(uint16_t p, unsigned int n, struct px_mempool *mp)
{
	uint64_t got[2] = {0}, bytes[2] = {0};

	PX_TEST_ASSERT_EQ(pmd_receive(p, 2, n, got, bytes), n, "every frame received");
	printf("port %u: queue 0 received %" PRIu64 " frames, queue 1 %" PRIu64 "\n", p, got[0],
	       got[1]);
	PX_TEST_ASSERT(got[0] > 0 && got[1] > 0, "both queues received (%d flows)", PMD_FLOWS);
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "rx_q0_packets"), got[0], "rx_q0_packets");
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "rx_q1_packets"), got[1], "rx_q1_packets");
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "rx_q0_bytes"), bytes[0], "rx_q0_bytes");
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "rx_q1_bytes"), bytes[1], "rx_q1_bytes");
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "rx_good_packets"), n, "rx_good_packets");
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "rx_q0_errors") + pmd_xstat(p, "rx_q1_errors"), 0,
			  "no RX errors");
	PX_TEST_ASSERT_EQ(pmd_send(p, 1, mp, 10, 200), 10, "queue 1 sent");
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "tx_q1_packets"), 10, "tx_q1_packets");
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "tx_q1_bytes"), 2000, "tx_q1_bytes");
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "tx_q0_packets"), 0, "tx_q0_packets");
	return 0;
}
