/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pktsrc: the fixed traffic source of bench/kernel/run.sh. Floods one interface with 64-byte
 * UDP/IPv4 frames through a PF_PACKET socket, a batch of frames per sendmmsg() call, past the
 * qdisc (PACKET_QDISC_BYPASS), until SIGINT/SIGTERM or the given seconds; then prints
 *   pktsrc sent=<frames> seconds=<s> mpps=<rate>
 * The same binary feeds Pollux and DPDK, so neither side's source is its own.
 *
 * usage: pktsrc IFACE SECONDS [BATCH]   (BATCH 1-1024 frames per call, default 256)
 *
 * Built with -DPKTSRC_XSK (and -lxdp -lbpf), `pktsrc -x IFACE SECONDS [BATCH]` sends through an
 * AF_XDP socket instead: copy mode, queue 0, TX only (no XDP program loaded), BATCH descriptors
 * per round, a sendto() kick only when the kernel asks (need_wakeup), frames counted as the
 * completion ring returns them: the kernel's AF_XDP copy-mode send path with nothing else on top.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifdef PKTSRC_XSK
#include <sys/mman.h>
#include <xdp/xsk.h>
#endif

#define FRAME_LEN 64
#define MAX_BATCH 1024

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint16_t ip_cksum(const void *p, size_t n)
{
	const uint16_t *w = p;
	uint32_t s = 0;

	for (; n > 1; n -= 2)
		s += *w++;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* A UDP/IPv4 frame from 02:00:00:00:00:01 to 02:00:00:00:00:02 (no host's address, so the
 * receiving kernel drops it early when no packet socket takes it). */
static void build_frame(uint8_t *f)
{
	static const uint8_t dst[ETH_ALEN] = {2, 0, 0, 0, 0, 2}, src[ETH_ALEN] = {2, 0, 0, 0, 0, 1};
	struct ethhdr *eth = (struct ethhdr *)f;
	struct iphdr *ip = (struct iphdr *)(eth + 1);
	struct udphdr *udp = (struct udphdr *)(ip + 1);

	memset(f, 0, FRAME_LEN);
	memcpy(eth->h_dest, dst, ETH_ALEN);
	memcpy(eth->h_source, src, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(FRAME_LEN - sizeof(*eth));
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->saddr = htonl(0xc6120001); /* 198.18.0.1 -> 198.18.0.2 (RFC 2544 benchmark range) */
	ip->daddr = htonl(0xc6120002);
	ip->check = ip_cksum(ip, sizeof(*ip));
	udp->source = htons(9);
	udp->dest = htons(9);
	udp->len = htons(FRAME_LEN - sizeof(*eth) - sizeof(*ip));
}

static int open_socket(const char *ifname)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = 0};
	int one = 1, fd;

	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (sll.sll_ifindex == 0) {
		fprintf(stderr, "pktsrc: no interface %s (ip link show lists them)\n", ifname);
		return -1;
	}
	/* protocol 0: this socket receives nothing, it only sends */
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("pktsrc: socket(AF_PACKET) (needs CAP_NET_RAW: run as root)");
		return -1;
	}
	if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) != 0)
		perror("pktsrc: PACKET_QDISC_BYPASS (sending through the qdisc)");
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) != 0) {
		perror("pktsrc: bind");
		close(fd);
		return -1;
	}
	return fd;
}

#ifdef PKTSRC_XSK
#define XSK_FRAMES 4096
#define XSK_FRAME_SIZE XSK_UMEM__DEFAULT_FRAME_SIZE

/* Send @frame through an AF_XDP socket on queue 0 of @ifname until @end or a signal;
 * @return the frames the kernel completed, or -1 */
static long long xsk_flood(const char *ifname, const uint8_t *frame, unsigned int batch, double end)
{
	struct xsk_socket_config cfg = {.rx_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
					.tx_size = XSK_RING_PROD__DEFAULT_NUM_DESCS,
					.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
					.bind_flags = XDP_COPY | XDP_USE_NEED_WAKEUP};
	size_t size = (size_t)XSK_FRAMES * XSK_FRAME_SIZE;
	struct xsk_ring_prod fill, tx;
	struct xsk_ring_cons comp;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	uint32_t free_frames = XSK_FRAMES, next = 0;
	long long done = 0;
	uint8_t *area;
	int ret;

	area = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		perror("pktsrc: mmap (UMEM)");
		return -1;
	}
	for (uint32_t i = 0; i < XSK_FRAMES; i++)
		memcpy(area + (size_t)i * XSK_FRAME_SIZE, frame, FRAME_LEN);
	ret = xsk_umem__create(&umem, area, size, &fill, &comp, NULL);
	if (ret != 0) {
		fprintf(stderr, "pktsrc: xsk_umem__create: %s\n", strerror(-ret));
		munmap(area, size);
		return -1;
	}
	ret = xsk_socket__create(&xsk, ifname, 0, umem, NULL, &tx, &cfg);
	if (ret != 0) {
		fprintf(stderr, "pktsrc: xsk_socket__create on %s queue 0 (copy mode): %s\n",
			ifname, strerror(-ret));
		xsk_umem__delete(umem);
		munmap(area, size);
		return -1;
	}
	while (!stop) {
		uint32_t idx, n, c = xsk_ring_cons__peek(&comp, XSK_FRAMES, &idx);

		if (c != 0) {
			xsk_ring_cons__release(&comp, c);
			free_frames += c;
			done += c;
		}
		n = batch < free_frames ? batch : free_frames;
		n = n != 0 ? xsk_ring_prod__reserve(&tx, n, &idx) : 0;
		for (uint32_t i = 0; i < n; i++, next++) {
			struct xdp_desc *d = xsk_ring_prod__tx_desc(&tx, idx + i);

			d->addr = (uint64_t)(next % XSK_FRAMES) * XSK_FRAME_SIZE;
			d->len = FRAME_LEN;
		}
		if (n != 0) {
			xsk_ring_prod__submit(&tx, n);
			free_frames -= n;
		}
		if (xsk_ring_prod__needs_wakeup(&tx))
			sendto(xsk_socket__fd(xsk), NULL, 0, MSG_DONTWAIT, NULL, 0);
		if (now() >= end)
			break;
	}
	xsk_socket__delete(xsk);
	xsk_umem__delete(umem);
	munmap(area, size);
	return done;
}
#endif

int main(int argc, char **argv)
{
	static struct mmsghdr msgs[MAX_BATCH];
	static uint8_t frame[FRAME_LEN];
	struct iovec iov = {.iov_base = frame, .iov_len = FRAME_LEN};
	uint64_t sent = 0;
	double secs, t0, end;
	int fd, batch;

	bool xsk = argc > 1 && strcmp(argv[1], "-x") == 0;

	if (xsk) {
#ifndef PKTSRC_XSK
		fprintf(stderr,
			"pktsrc: -x needs a build with -DPKTSRC_XSK -lxdp -lbpf (libxdp-dev)\n");
		return 2;
#endif
		argc--;
		argv++;
	}
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: pktsrc [-x] IFACE SECONDS [BATCH]\n");
		return 2;
	}
	batch = argc == 4 ? atoi(argv[3]) : 256;
	if (batch < 1 || batch > MAX_BATCH) {
		fprintf(stderr, "pktsrc: BATCH must be 1-%d\n", MAX_BATCH);
		return 2;
	}
	build_frame(frame);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
#ifdef PKTSRC_XSK
	if (xsk) {
		long long n;

		t0 = now();
		n = xsk_flood(argv[1], frame, (unsigned int)batch, t0 + atof(argv[2]));
		if (n < 0)
			return 1;
		secs = now() - t0;
		printf("pktsrc sent=%lld seconds=%.3f mpps=%.3f\n", n, secs, n / secs / 1e6);
		return 0;
	}
#endif
	fd = open_socket(argv[1]);
	if (fd < 0)
		return 1;
	for (int i = 0; i < batch; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	t0 = now();
	end = t0 + atof(argv[2]);
	while (!stop) {
		int n = sendmmsg(fd, msgs, (unsigned int)batch, 0);

		if (n > 0)
			sent += (uint64_t)n;
		else if (n < 0 && errno != ENOBUFS && errno != EAGAIN && errno != EINTR) {
			perror("pktsrc: sendmmsg");
			break;
		}
		/* the clock once per batch: a few hundred frames, well under a millisecond */
		if (now() >= end)
			break;
	}
	secs = now() - t0;
	printf("pktsrc sent=%llu seconds=%.3f mpps=%.3f\n", (unsigned long long)sent, secs,
	       sent / secs / 1e6);
	close(fd);
	return 0;
}
