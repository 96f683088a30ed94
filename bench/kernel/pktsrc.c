/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pktsrc: the fixed traffic source of bench/kernel/run.sh. Floods one interface with 64-byte
 * UDP/IPv4 frames through a PF_PACKET socket, a batch of frames per sendmmsg() call, past the
 * qdisc (PACKET_QDISC_BYPASS), until SIGINT/SIGTERM or the given seconds; then prints
 *   pktsrc sent=<frames> seconds=<s> mpps=<rate>
 * The same binary feeds Pollux and DPDK, so neither side's source is its own.
 *
 * usage: pktsrc IFACE SECONDS [BATCH]   (BATCH 1-1024 frames per call, default 256)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

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

int main(int argc, char **argv)
{
	static struct mmsghdr msgs[MAX_BATCH];
	static uint8_t frame[FRAME_LEN];
	struct iovec iov = {.iov_base = frame, .iov_len = FRAME_LEN};
	uint64_t sent = 0;
	double secs, t0, end;
	int fd, batch;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: pktsrc IFACE SECONDS [BATCH]\n");
		return 2;
	}
	batch = argc == 4 ? atoi(argv[3]) : 256;
	if (batch < 1 || batch > MAX_BATCH) {
		fprintf(stderr, "pktsrc: BATCH must be 1-%d\n", MAX_BATCH);
		return 2;
	}
	fd = open_socket(argv[1]);
	if (fd < 0)
		return 1;
	build_frame(frame);
	for (int i = 0; i < batch; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
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
