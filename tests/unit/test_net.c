/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/net: byte order, MAC addresses, and the Internet checksum against packets whose checksums
 * are known: the RFC 1071 example, the IPv4 header of Wikipedia's "IPv4 header checksum" article,
 * packets the Linux kernel built and that were captured on loopback (an AF_PACKET socket on lo,
 * kernel 6.x: its checksums are computed in software), and packets built by a reference
 * implementation in Python (16-bit big-endian word sums), where no capture had a full checksum.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <px_arp.h>
#include <px_byteorder.h>
#include <px_cksum.h>
#include <px_ether.h>
#include <px_icmp.h>
#include <px_ip.h>
#include <px_net.h>
#include <px_tcp.h>
#include <px_udp.h>
#include "px_test.h"

/* IPv4/UDP DNS query: ip cksum 0x9b12 udp cksum 0x31cf, udp len 37 (odd) */
static const uint8_t pkt_udp4[71] = {
	0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef, 0x08, 0x00, 0x45,
	0x00, 0x00, 0x39, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x11, 0x9b, 0x12, 0xc0, 0xa8, 0x01, 0x0a,
	0xc0, 0xa8, 0x01, 0x01, 0xcf, 0x08, 0x00, 0x35, 0x00, 0x25, 0x31, 0xcf, 0xab, 0xcd, 0x01,
	0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70,
	0x6c, 0x65, 0x03, 0x63, 0x6f, 0x6d, 0x00, 0x00, 0x01, 0x00, 0x01,
};
/* IPv4/TCP SYN with options: ip cksum 0xc913 tcp cksum 0xcc42 */
static const uint8_t pkt_tcp4[74] = {
	0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef, 0x08, 0x00, 0x45,
	0x00, 0x00, 0x3c, 0x7a, 0x1b, 0x40, 0x00, 0x40, 0x06, 0xc9, 0x13, 0xc0, 0xa8, 0x01, 0x0a,
	0x5d, 0xb8, 0xd8, 0x22, 0xa1, 0x12, 0x00, 0x50, 0x3b, 0x9a, 0xca, 0x00, 0x00, 0x00, 0x00,
	0x00, 0xa0, 0x02, 0xfa, 0xf0, 0xcc, 0x42, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02,
	0x08, 0x0a, 0x00, 0x01, 0xe2, 0x40, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07,
};
/* IPv4/ICMP echo request: ip cksum 0x68e6 icmp cksum 0x2cf6 */
static const uint8_t pkt_icmp4[98] = {
	0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x54, 0x00, 0x01, 0x40, 0x00, 0x40, 0x01, 0x68, 0xe6, 0xc0, 0xa8,
	0x01, 0x0a, 0x08, 0x08, 0x08, 0x08, 0x08, 0x00, 0x2c, 0xf6, 0x12, 0x34, 0x00, 0x01,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d,
	0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b,
	0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39,
	0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47,
};
/* IPv6/UDP: udp cksum 0xc210, udp len 21 (odd) */
static const uint8_t pkt_udp6[75] = {
	0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef, 0x86, 0xdd, 0x60,
	0x00, 0x00, 0x00, 0x00, 0x15, 0x11, 0x40, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x13, 0x88, 0x17, 0x70, 0x00, 0x15,
	0xc2, 0x10, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x70, 0x6f, 0x6c, 0x6c, 0x75, 0x78, 0x21,
};
/* Captured on lo: the kernel's echo reply to an echo request with 23 data bytes (odd ICMP length
 * 31): ip cksum 0x6ceb, icmp cksum 0xecb7. */
static const uint8_t cap_icmp4_reply[65] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08,
	0x00, 0x45, 0x00, 0x00, 0x33, 0x0f, 0xdd, 0x00, 0x00, 0x40, 0x01, 0x6c, 0xeb,
	0x7f, 0x00, 0x00, 0x01, 0x7f, 0x00, 0x00, 0x01, 0x00, 0x00, 0xec, 0xb7, 0x42,
	0x42, 0x00, 0x07, 0x70, 0x6f, 0x6c, 0x6c, 0x75, 0x78, 0x2d, 0x70, 0x69, 0x6e,
	0x67, 0x2d, 0x32, 0x33, 0x2d, 0x62, 0x79, 0x74, 0x65, 0x73, 0x21, 0x21, 0x21,
};
/* Captured on lo: the kernel's RST to a SYN for a closed port: ip 0x3cce, tcp 0x7b10. */
static const uint8_t cap_tcp4_rst[54] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x28, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06, 0x3c, 0xce, 0x7f, 0x00,
	0x00, 0x01, 0x7f, 0x00, 0x00, 0x01, 0x00, 0x09, 0xd0, 0x92, 0x00, 0x00, 0x00, 0x00,
	0x5f, 0x5f, 0x06, 0xc3, 0x50, 0x14, 0x00, 0x00, 0x7b, 0x10, 0x00, 0x00,
};
/* Captured on lo: the kernel's ICMPv6 port unreachable (cksum 0x06de) for a UDP datagram to
 * [::1]:9; it quotes that datagram. */
static const uint8_t cap_icmp6_unreach[116] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x86, 0xdd, 0x60,
	0x0b, 0x45, 0xf4, 0x00, 0x3e, 0x3a, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x04, 0x06, 0xde, 0x00, 0x00,
	0x00, 0x00, 0x60, 0x0d, 0x6f, 0xf1, 0x00, 0x0e, 0x11, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xc3, 0xc8, 0x00,
	0x09, 0x00, 0x0e, 0x00, 0x21, 0x70, 0x6f, 0x6c, 0x6c, 0x75, 0x78,
};
/* Captured on lo: a SYN whose TCP checksum was left to offload (only the pseudo-header sum is
 * in the field, 0xfe30): a wrong checksum from a real stack. */
static const uint8_t cap_tcp4_syn_offload[74] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x45,
	0x00, 0x00, 0x3c, 0xd4, 0xef, 0x40, 0x00, 0x40, 0x06, 0x67, 0xca, 0x7f, 0x00, 0x00, 0x01,
	0x7f, 0x00, 0x00, 0x01, 0xd0, 0x92, 0x00, 0x09, 0x5f, 0x5f, 0x06, 0xc2, 0x00, 0x00, 0x00,
	0x00, 0xa0, 0x02, 0xff, 0xd7, 0xfe, 0x30, 0x00, 0x00, 0x02, 0x04, 0xff, 0xd7, 0x04, 0x02,
	0x08, 0x0a, 0x65, 0x9f, 0x28, 0xc8, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x0a,
};

/* A packet copied to a buffer at an odd address, so no code path may rely on alignment. */
struct pkt {
	uint8_t *mem;
	uint8_t *p;
	size_t len;
};

static int pkt_copy(struct pkt *k, const uint8_t *src, size_t len)
{
	k->mem = malloc(len + 8);
	if (k->mem == NULL)
		return -1;
	k->p = k->mem + 1;
	k->len = len;
	memcpy(k->p, src, len);
	return 0;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static int test_byteorder(void)
{
	static const px_be16_t be16 = PX_BE16(0x1234); /* must be a constant expression */
	uint16_t v16 = px_cpu_to_be_16(0x1234);
	uint32_t v32 = px_cpu_to_be_32(0x12345678);
	uint64_t v64 = px_cpu_to_be_64(0x0102030405060708ull);
	const uint8_t *b = (const uint8_t *)&v32;

	PX_TEST_ASSERT(memcmp(&v16, "\x12\x34", 2) == 0, "px_cpu_to_be_16 stores big-endian");
	PX_TEST_ASSERT(b[0] == 0x12 && b[3] == 0x78, "px_cpu_to_be_32 stores big-endian");
	PX_TEST_ASSERT(memcmp(&v64, "\x01\x02\x03\x04\x05\x06\x07\x08", 8) == 0, "64-bit");
	PX_TEST_ASSERT_EQ(be16, v16, "PX_BE16 agrees with px_cpu_to_be_16");
	PX_TEST_ASSERT_EQ(PX_BE32(0x12345678), v32, "PX_BE32 agrees with px_cpu_to_be_32");
	PX_TEST_ASSERT_EQ(px_be_to_cpu_16(v16), 0x1234, "16-bit round trip");
	PX_TEST_ASSERT_EQ(px_be_to_cpu_32(v32), 0x12345678, "32-bit round trip");
	PX_TEST_ASSERT(px_be_to_cpu_64(v64) == 0x0102030405060708ull, "64-bit round trip");
	PX_TEST_ASSERT_EQ(PX_IPV4(192, 0, 2, 1), 0xc0000201u, "PX_IPV4");
	return PX_TEST_OK;
}
PX_TEST(net_byteorder_autotest, PX_TEST_F_FAST, test_byteorder);

static int test_raw_cksum(void)
{
	/* RFC 1071 §3: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2 (checksum 0x220d) */
	static const uint8_t rfc[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	uint8_t buf[16];
	uint16_t s;

	s = px_raw_cksum(rfc, sizeof(rfc));
	PX_TEST_ASSERT_EQ(px_be_to_cpu_16(s), 0xddf2, "RFC 1071 example sum");
	/* any alignment gives the same sum */
	for (int off = 0; off < 8; off++) {
		memcpy(buf + off, rfc, sizeof(rfc));
		PX_TEST_ASSERT_EQ(px_raw_cksum(buf + off, sizeof(rfc)), s, "offset %d", off);
	}
	/* odd lengths: the last byte is the high half of a zero-padded word */
	PX_TEST_ASSERT_EQ(px_be_to_cpu_16(px_raw_cksum(rfc, 1)), 0x0000, "one zero byte");
	PX_TEST_ASSERT_EQ(px_be_to_cpu_16(px_raw_cksum(rfc + 2, 1)), 0xf200, "one byte 0xf2");
	PX_TEST_ASSERT_EQ(px_be_to_cpu_16(px_raw_cksum(rfc, 7)), 0xdcfb,
			  "7 bytes: 0x0001+0xf203+0xf4f5+0xf600, folded");
	PX_TEST_ASSERT_EQ(px_be_to_cpu_16(px_raw_cksum(rfc, 3)), 0xf201, "3 bytes");
	PX_TEST_ASSERT_EQ(px_raw_cksum(rfc, 0), 0, "empty buffer");
	/* summing in even pieces equals summing at once */
	PX_TEST_ASSERT_EQ(px_cksum_fold(px_cksum_add(rfc + 2, 5, px_cksum_add(rfc, 2, 0))),
			  px_raw_cksum(rfc, 7), "pieces");
	/* carries: 0xffff + 0xffff + 0x0002 = 0x20000 -> 0x0002 */
	{
		static const uint8_t carry[] = {0xff, 0xff, 0xff, 0xff, 0x00, 0x02};

		PX_TEST_ASSERT_EQ(px_be_to_cpu_16(px_raw_cksum(carry, sizeof(carry))), 0x0002,
				  "end-around carry");
	}
	/* a large buffer of 0xff sums to 0xffff, never to 0 */
	{
		uint8_t *big = malloc(65536);

		PX_TEST_ASSERT(big != NULL, "out of memory");
		memset(big, 0xff, 65536);
		s = px_raw_cksum(big, 65536);
		/* odd: 0x7fff words of 0xffff (one's-complement zero) then 0xff00 */
		uint16_t odd = px_raw_cksum(big, 65535);

		free(big);
		PX_TEST_ASSERT_EQ(px_be_to_cpu_16(s), 0xffff, "64 KiB of 0xff");
		PX_TEST_ASSERT_EQ(px_be_to_cpu_16(odd), 0xff00, "64 KiB - 1 of 0xff");
	}
	return PX_TEST_OK;
}
PX_TEST(net_raw_cksum_autotest, PX_TEST_F_FAST, test_raw_cksum);

static int test_ipv4_cksum(void)
{
	/* Wikipedia, "Internet checksum" / "IPv4 header checksum": checksum 0xb861 */
	uint8_t h[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
			 0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
	struct px_ipv4_hdr *ip = (struct px_ipv4_hdr *)h;

	PX_TEST_ASSERT_EQ(px_ipv4_hdr_version(ip), 4, "version");
	PX_TEST_ASSERT_EQ(px_ipv4_hdr_len(ip), 20, "header length");
	PX_TEST_ASSERT_EQ(px_ipv4_cksum(ip), 0, "a right checksum sums to 0");
	ip->hdr_checksum = 0;
	PX_TEST_ASSERT_EQ(px_be_to_cpu_16(px_ipv4_cksum(ip)), 0xb861, "computed checksum");
	ip->hdr_checksum = px_ipv4_cksum(ip);
	PX_TEST_ASSERT(h[10] == 0xb8 && h[11] == 0x61, "stored as is, in network order");
	h[8] = 0x3f; /* TTL changed, checksum not */
	PX_TEST_ASSERT(px_ipv4_cksum(ip) != 0, "a wrong checksum is seen");
	PX_TEST_ASSERT(!px_ipv4_frag_pkt_is_fragmented(ip), "DF only: not a fragment");
	ip->fragment_offset = PX_BE16(PX_IPV4_HDR_MF_FLAG);
	PX_TEST_ASSERT(px_ipv4_frag_pkt_is_fragmented(ip), "MF: a fragment");
	return PX_TEST_OK;
}
PX_TEST(net_ipv4_cksum_autotest, PX_TEST_F_FAST, test_ipv4_cksum);

/* An IPv4 packet with UDP, TCP or ICMP at @l4_cksum_off in the L4 header: check the IP and L4
 * checksums against those in the packet, recompute them, and see a flipped bit fail. */
static int check_ipv4_pkt(const char *name, const uint8_t *bytes, size_t len, size_t l4_cksum_off)
{
	struct pkt k;
	struct px_ipv4_hdr *ip;
	uint8_t *l4;
	uint16_t want_ip, want_l4, got;
	int ret = PX_TEST_FAILED;

	PX_TEST_ASSERT(pkt_copy(&k, bytes, len) == 0, "out of memory");
	ip = (struct px_ipv4_hdr *)(k.p + PX_ETHER_HDR_LEN);
	l4 = k.p + PX_ETHER_HDR_LEN + px_ipv4_hdr_len(ip);
	want_ip = get16(k.p + PX_ETHER_HDR_LEN + 10);
	want_l4 = get16(l4 + l4_cksum_off);
	if (px_ipv4_cksum(ip) != 0 || px_ipv4_l4_len(ip) == 0) {
		fprintf(stderr, "%s: IP header checksum does not verify\n", name);
		goto out;
	}
	ip->hdr_checksum = 0;
	got = px_be_to_cpu_16(px_ipv4_cksum(ip));
	ip->hdr_checksum = PX_BE16(want_ip);
	if (got != want_ip) {
		fprintf(stderr, "%s: IP checksum 0x%04x, want 0x%04x\n", name, got, want_ip);
		goto out;
	}
	if (ip->next_proto_id == PX_IPPROTO_ICMP) {
		if (px_raw_cksum(l4, px_ipv4_l4_len(ip)) != 0xffff) {
			fprintf(stderr, "%s: ICMP checksum does not verify\n", name);
			goto out;
		}
		memset(l4 + 2, 0, 2);
		got = px_be_to_cpu_16(px_icmp_cksum(l4, px_ipv4_l4_len(ip)));
	} else {
		if (px_ipv4_udptcp_cksum_verify(ip, l4) != 0) {
			fprintf(stderr, "%s: L4 checksum does not verify\n", name);
			goto out;
		}
		memset(l4 + l4_cksum_off, 0, 2);
		got = px_be_to_cpu_16(px_ipv4_udptcp_cksum(ip, l4));
	}
	if (got != want_l4) {
		fprintf(stderr, "%s: L4 checksum 0x%04x, want 0x%04x\n", name, got, want_l4);
		goto out;
	}
	l4[l4_cksum_off] = (uint8_t)(want_l4 >> 8);
	l4[l4_cksum_off + 1] = (uint8_t)want_l4;
	k.p[len - 1] ^= 0x01; /* last payload byte: the odd one where the length is odd */
	if (ip->next_proto_id != PX_IPPROTO_ICMP &&
	    px_ipv4_udptcp_cksum_verify(ip, l4) != -EBADMSG) {
		fprintf(stderr, "%s: a flipped bit is not seen\n", name);
		goto out;
	}
	ret = PX_TEST_OK;
out:
	free(k.mem);
	return ret;
}

static int test_ipv4_l4_cksum(void)
{
	PX_TEST_ASSERT_EQ(check_ipv4_pkt("udp4", pkt_udp4, sizeof(pkt_udp4), 6), PX_TEST_OK,
			  "see above");
	PX_TEST_ASSERT_EQ(check_ipv4_pkt("tcp4", pkt_tcp4, sizeof(pkt_tcp4), 16), PX_TEST_OK,
			  "see above");
	PX_TEST_ASSERT_EQ(check_ipv4_pkt("icmp4", pkt_icmp4, sizeof(pkt_icmp4), 2), PX_TEST_OK,
			  "see above");
	PX_TEST_ASSERT_EQ(
		check_ipv4_pkt("cap_icmp4_reply", cap_icmp4_reply, sizeof(cap_icmp4_reply), 2),
		PX_TEST_OK, "see above");
	PX_TEST_ASSERT_EQ(check_ipv4_pkt("cap_tcp4_rst", cap_tcp4_rst, sizeof(cap_tcp4_rst), 16),
			  PX_TEST_OK, "see above");
	return PX_TEST_OK;
}
PX_TEST(net_ipv4_l4_cksum_autotest, PX_TEST_F_FAST, test_ipv4_l4_cksum);

static int test_l4_cksum_bad(void)
{
	struct pkt k;
	struct px_ipv4_hdr *ip;
	struct px_udp_hdr *udp;
	int ret;

	/* the kernel left this SYN's checksum to offload: it must not verify */
	PX_TEST_ASSERT(pkt_copy(&k, cap_tcp4_syn_offload, sizeof(cap_tcp4_syn_offload)) == 0,
		       "out of memory");
	ip = (struct px_ipv4_hdr *)(k.p + PX_ETHER_HDR_LEN);
	ret = px_ipv4_udptcp_cksum_verify(ip, k.p + PX_ETHER_HDR_LEN + 20);
	free(k.mem);
	PX_TEST_ASSERT_EQ(ret, -EBADMSG, "offloaded SYN");

	/* UDP over IPv4 with checksum 0 is "not computed": accepted */
	PX_TEST_ASSERT(pkt_copy(&k, pkt_udp4, sizeof(pkt_udp4)) == 0, "out of memory");
	ip = (struct px_ipv4_hdr *)(k.p + PX_ETHER_HDR_LEN);
	udp = (struct px_udp_hdr *)(k.p + PX_ETHER_HDR_LEN + 20);
	udp->dgram_cksum = 0;
	ret = px_ipv4_udptcp_cksum_verify(ip, udp);
	udp->dgram_cksum = PX_BE16(0x1234);
	PX_TEST_ASSERT_EQ(ret, 0, "UDP checksum 0 over IPv4");
	ret = px_ipv4_udptcp_cksum_verify(ip, udp);
	free(k.mem);
	PX_TEST_ASSERT_EQ(ret, -EBADMSG, "UDP checksum 0x1234");
	return PX_TEST_OK;
}
PX_TEST(net_l4_cksum_bad_autotest, PX_TEST_F_FAST, test_l4_cksum_bad);

static int check_ipv6_pkt(const char *name, const uint8_t *bytes, size_t len, size_t off)
{
	struct pkt k;
	struct px_ipv6_hdr *ip6;
	uint8_t *l4;
	uint16_t want, got;
	int ret = PX_TEST_FAILED;

	PX_TEST_ASSERT(pkt_copy(&k, bytes, len) == 0, "out of memory");
	ip6 = (struct px_ipv6_hdr *)(k.p + PX_ETHER_HDR_LEN);
	l4 = k.p + PX_ETHER_HDR_LEN + PX_IPV6_HDR_LEN;
	want = get16(l4 + off);
	if (px_ipv6_hdr_version(ip6) != 6 || px_ipv6_udptcp_cksum_verify(ip6, l4) != 0) {
		fprintf(stderr, "%s: not IPv6 or checksum does not verify\n", name);
		goto out;
	}
	memset(l4 + off, 0, 2);
	got = px_be_to_cpu_16(px_ipv6_udptcp_cksum(ip6, l4));
	if (got != want) {
		fprintf(stderr, "%s: checksum 0x%04x, want 0x%04x\n", name, got, want);
		goto out;
	}
	if (px_ipv6_udptcp_cksum_verify(ip6, l4) != -EBADMSG) {
		fprintf(stderr, "%s: a zeroed checksum verifies\n", name);
		goto out;
	}
	ret = PX_TEST_OK;
out:
	free(k.mem);
	return ret;
}

static int test_ipv6_cksum(void)
{
	PX_TEST_ASSERT_EQ(check_ipv6_pkt("udp6", pkt_udp6, sizeof(pkt_udp6), 6), PX_TEST_OK,
			  "see above");
	PX_TEST_ASSERT_EQ(check_ipv6_pkt("cap_icmp6_unreach", cap_icmp6_unreach,
					 sizeof(cap_icmp6_unreach), 2),
			  PX_TEST_OK, "see above");
	return PX_TEST_OK;
}
PX_TEST(net_ipv6_cksum_autotest, PX_TEST_F_FAST, test_ipv6_cksum);

static int test_headers(void)
{
	const struct px_ether_hdr *eth = (const void *)pkt_tcp4;
	const struct px_tcp_hdr *tcp = (const void *)(pkt_tcp4 + 34);
	const struct px_udp_hdr *udp = (const void *)(pkt_udp4 + 34);
	const struct px_icmp_hdr *icmp = (const void *)(pkt_icmp4 + 34);
	struct px_vlan_hdr vlan = {PX_BE16(0xa07b), PX_BE16(PX_ETHER_TYPE_IPV4)};

	PX_TEST_ASSERT(eth->ether_type == PX_BE16(PX_ETHER_TYPE_IPV4), "EtherType");
	PX_TEST_ASSERT_EQ(eth->dst_addr.addr_bytes[5], 0x56, "destination first");
	PX_TEST_ASSERT_EQ(px_be_to_cpu_16(tcp->dst_port), 80, "TCP port");
	PX_TEST_ASSERT_EQ(px_tcp_hdr_len(tcp), 40, "TCP header with options");
	PX_TEST_ASSERT_EQ(tcp->tcp_flags, PX_TCP_SYN_FLAG, "SYN");
	PX_TEST_ASSERT_EQ(px_be_to_cpu_16(udp->dst_port), 53, "UDP port");
	PX_TEST_ASSERT_EQ(px_be_to_cpu_16(udp->dgram_len), 37, "UDP length");
	PX_TEST_ASSERT_EQ(icmp->icmp_type, PX_ICMP_TYPE_ECHO_REQUEST, "echo request");
	PX_TEST_ASSERT_EQ(px_be_to_cpu_16(icmp->icmp_ident), 0x1234, "ICMP ident");
	PX_TEST_ASSERT_EQ(px_vlan_tci_id(vlan.vlan_tci), 0x07b, "VLAN id");
	PX_TEST_ASSERT_EQ(px_vlan_tci_pcp(vlan.vlan_tci), 5, "VLAN priority");
	PX_TEST_ASSERT_EQ(offsetof(struct px_arp_hdr, arp_data.arp_tip), 24, "ARP layout");
	return PX_TEST_OK;
}
PX_TEST(net_headers_autotest, PX_TEST_F_FAST, test_headers);

static int test_ether_addr(void)
{
	struct px_ether_addr a = {{0x00, 0x1b, 0x21, 0xab, 0xcd, 0xef}};
	struct px_ether_addr b = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	struct px_ether_addr z = {{0}};
	struct px_ether_addr mc = {{0x01, 0x00, 0x5e, 0x00, 0x00, 0x01}};
	char s[PX_ETHER_ADDR_FMT_SIZE];

	PX_TEST_ASSERT(px_ether_addr_is_unicast(&a) && !px_ether_addr_is_multicast(&a), "a");
	PX_TEST_ASSERT(px_ether_addr_is_universal(&a) && px_ether_addr_is_valid_assigned(&a), "a");
	PX_TEST_ASSERT(px_ether_addr_is_broadcast(&b) && px_ether_addr_is_multicast(&b), "b");
	PX_TEST_ASSERT(!px_ether_addr_is_broadcast(&mc) && px_ether_addr_is_multicast(&mc), "mc");
	PX_TEST_ASSERT(px_ether_addr_is_zero(&z) && !px_ether_addr_is_valid_assigned(&z), "zero");
	PX_TEST_ASSERT(!px_ether_addr_is_valid_assigned(&mc), "multicast is not assignable");
	PX_TEST_ASSERT_EQ(px_ether_addr_format(s, sizeof(s), &a), 0, "format");
	PX_TEST_ASSERT(strcmp(s, "00:1B:21:AB:CD:EF") == 0, "formatted '%s'", s);
	PX_TEST_ASSERT_EQ(px_ether_addr_format(s, sizeof(s) - 1, &a), -ENOSPC, "short buffer");
	PX_TEST_ASSERT_EQ(s[0], '\0', "short buffer left empty");
	for (int i = 0; i < 64; i++) {
		struct px_ether_addr r;

		px_ether_addr_random(&r);
		PX_TEST_ASSERT(px_ether_addr_is_valid_assigned(&r) &&
				       px_ether_addr_is_local_admin(&r),
			       "random address %d is local unicast", i);
	}
	return PX_TEST_OK;
}
PX_TEST(net_ether_addr_autotest, PX_TEST_F_FAST, test_ether_addr);

static int test_ether_parse(void)
{
	static const char *const good[] = {
		"00:1b:21:AB:cd:ef",
		"00-1B-21-AB-CD-EF",
		"001b.21ab.cdef",
		"001B:21AB:CDEF",
	};
	static const char *const bad[] = {
		"",
		"00:1b:21:ab:cd",       /* five groups */
		"00:1b:21:ab:cd:ef:01", /* seven */
		"00:1b:21-ab:cd:ef",    /* mixed separators */
		"0:1b:21:ab:cd:ef0",    /* one digit, then three */
		"00:1b:21:ab:cd:eg",    /* not hex */
		" 00:1b:21:ab:cd:ef",   /* leading space */
		"00:1b:21:ab:cd:ef ",   /* trailing space */
		"00.1b.21.ab.cd.ef",    /* '.' only between groups of four */
		"001b-21ab-cdef",       /* '-' only between groups of two */
		"001b.21ab:cdef",       /* mixed */
		"00:1b:21:ab:cd:+f",    /* sign */
		"0x1b:21:ab:cd:ef:00",  /* prefix */
	};
	struct px_ether_addr want = {{0x00, 0x1b, 0x21, 0xab, 0xcd, 0xef}};
	struct px_ether_addr got, keep = {{1, 2, 3, 4, 5, 6}};

	for (size_t i = 0; i < PX_DIM(good); i++) {
		memset(&got, 0, sizeof(got));
		PX_TEST_ASSERT_EQ(px_ether_addr_parse(good[i], &got), 0, "'%s'", good[i]);
		PX_TEST_ASSERT(px_ether_addr_eq(&got, &want), "'%s' parsed wrong", good[i]);
	}
	for (size_t i = 0; i < PX_DIM(bad); i++) {
		got = keep;
		PX_TEST_ASSERT_EQ(px_ether_addr_parse(bad[i], &got), -EINVAL, "'%s'", bad[i]);
		PX_TEST_ASSERT(px_ether_addr_eq(&got, &keep), "'%s' changed the result", bad[i]);
	}
	PX_TEST_ASSERT_EQ(px_ether_addr_parse(NULL, &got), -EINVAL, "NULL");
	return PX_TEST_OK;
}
PX_TEST(net_ether_parse_autotest, PX_TEST_F_FAST, test_ether_parse);

/* px_net_hdr_parse(): the header lengths of known packets, with a VLAN tag pushed in, and a
 * frame cut inside each header; px_ipv4_phdr_cksum(): what an offloading NIC completes. */
static int test_hdr_parse(void)
{
	struct px_net_hdr_lens h;
	uint8_t tagged[sizeof(pkt_udp4) + PX_VLAN_HLEN], buf[sizeof(pkt_udp4)];
	const struct px_ipv4_hdr *ip;
	uint16_t ck;

	PX_TEST_ASSERT_EQ(px_net_hdr_parse(pkt_udp4, sizeof(pkt_udp4), &h), 0, "udp4");
	PX_TEST_ASSERT(h.l2_len == 14 && h.l3_len == 20 && h.l4_len == 8, "udp4 lengths");
	PX_TEST_ASSERT(h.l4_proto == PX_IPPROTO_UDP && h.l3_type == PX_BE16(PX_ETHER_TYPE_IPV4),
		       "udp4 types");
	PX_TEST_ASSERT_EQ(px_net_hdr_parse(pkt_tcp4, sizeof(pkt_tcp4), &h), 0, "tcp4");
	PX_TEST_ASSERT(h.l4_proto == PX_IPPROTO_TCP && h.l4_len == 40, "TCP with options");
	PX_TEST_ASSERT_EQ(px_net_hdr_parse(pkt_udp6, sizeof(pkt_udp6), &h), 0, "udp6");
	PX_TEST_ASSERT(h.l3_len == 40 && h.l4_proto == PX_IPPROTO_UDP && h.l4_len == 8, "udp6");
	PX_TEST_ASSERT_EQ(px_net_hdr_parse(pkt_icmp4, sizeof(pkt_icmp4), &h), 0, "icmp4");
	PX_TEST_ASSERT(h.l4_proto == PX_IPPROTO_ICMP && h.l4_len == 0, "ICMP: no UDP/TCP length");
	memcpy(tagged, pkt_udp4, 12);
	memcpy(tagged + 12, (const uint8_t[]){0x81, 0x00, 0x00, 0x07}, 4);
	memcpy(tagged + 16, pkt_udp4 + 12, sizeof(pkt_udp4) - 12);
	PX_TEST_ASSERT_EQ(px_net_hdr_parse(tagged, sizeof(tagged), &h), 0, "tagged");
	PX_TEST_ASSERT(h.l2_len == 18 && h.l3_len == 20 && h.l4_proto == PX_IPPROTO_UDP, "tag");
	PX_TEST_ASSERT_EQ(px_net_hdr_parse(pkt_udp4, 13, &h), -EBADMSG, "cut in Ethernet");
	PX_TEST_ASSERT_EQ(px_net_hdr_parse(pkt_udp4, 30, &h), -EBADMSG, "cut in IPv4");
	PX_TEST_ASSERT_EQ(px_net_hdr_parse(pkt_udp4, 40, &h), -EBADMSG, "cut in UDP");
	PX_TEST_ASSERT_EQ(h.l3_len, 20, "what was found before the cut");
	PX_TEST_ASSERT_EQ(px_net_hdr_parse(tagged, 17, &h), -EBADMSG, "cut in the tag");
	/* offload: the field holds the pseudo-header sum; the NIC sums from the L4 header to the
	 * end and stores the complement, which must be the packet's checksum 0x31cf */
	memcpy(buf, pkt_udp4, sizeof(buf));
	ip = (const struct px_ipv4_hdr *)(buf + 14);
	ck = px_ipv4_phdr_cksum(ip);
	memcpy(buf + 34 + 6, &ck, 2);
	ck = (uint16_t)~px_raw_cksum(buf + 34, px_ipv4_l4_len(ip));
	PX_TEST_ASSERT_EQ(px_be_to_cpu_16(ck), 0x31cf, "pseudo-header sum completed as a NIC does");
	return PX_TEST_OK;
}
PX_TEST(net_hdr_parse_autotest, PX_TEST_F_FAST, test_hdr_parse);
