/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_vhost on the host, without a peer process: the vhost-user message parser (vhost_user_msg.c)
 * against good messages and every kind of bad one, over a socketpair; then the backend
 * (vhost_dev.c) driven by this test as the frontend, with a memfd as the shared memory, and its
 * data path (vhost_rxtx.c) against rings the test writes: frames both ways on split and packed
 * rings, mergeable buffers, and hostile rings (descriptor loops, indices and addresses out of
 * range, chains longer than the ring, nested indirect tables) refused and counted without a
 * crash. No fd and no mapping outlives a test.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "px_test.h"
#include "px_eal.h"
#include "px_mbuf.h"
#include "px_mempool.h"

#include "vhost.h"

static int count_lines(const char *path)
{
	char line[512];
	FILE *f = fopen(path, "r");
	int n = 0;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

static int count_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 4096; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			n++;
	return n;
}

/* Raw bytes (and fds) into @sock, as a frontend that breaks the rules would send them. */
static void send_raw(int sock, const void *buf, size_t len, const int *fds, unsigned int nfds)
{
	union {
		char b[CMSG_SPACE(sizeof(int) * 16)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

	if (nfds) {
		struct cmsghdr *c;

		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.b;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	}
	if (sendmsg(sock, &mh, MSG_NOSIGNAL) != (ssize_t)len)
		fprintf(stderr, "send_raw: %s\n", strerror(errno));
}

/* A header and a payload of @size bytes (@payload may be shorter: zeros follow). */
static void send_msg(int sock, uint32_t req, uint32_t flags, uint32_t size, const void *payload,
		     size_t plen, const int *fds, unsigned int nfds)
{
	uint8_t buf[12 + 1024] = {0};
	struct vhost_user_hdr h = {req, flags, size};

	memcpy(buf, &h, sizeof(h));
	if (payload)
		memcpy(buf + 12, payload, plen);
	send_raw(sock, buf, 12 + (size < 1024 ? size : 1024), fds, nfds);
}

/* One message through a fresh socketpair: what vhost_user_recv says about it. */
static int recv_one(uint32_t req, uint32_t flags, uint32_t size, const void *payload, size_t plen,
		    unsigned int nfds, uint32_t reply_to, struct vhost_user_msg *out)
{
	int sv[2], fds[16], ret;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -999;
	for (unsigned int i = 0; i < nfds; i++)
		fds[i] = eventfd(0, EFD_CLOEXEC);
	send_msg(sv[0], req, flags, size, payload, plen, fds, nfds);
	for (unsigned int i = 0; i < nfds; i++)
		close(fds[i]);
	shutdown(sv[0], SHUT_WR);
	ret = vhost_user_recv(sv[1], out, reply_to, 100);
	if (ret == 0)
		vhost_user_msg_close_fds(out);
	close(sv[0]);
	close(sv[1]);
	return ret;
}

static int test_vhost_msg_parse(void)
{
	struct vhost_user_msg m;
	struct vhost_user_memory mem = {.nregions = 2};
	uint64_t u64 = 0x1234;
	uint64_t nofd = 1 | VHOST_USER_VRING_NOFD_MASK, withfd = 1;
	int fds_before = count_fds(), sv[2];

	/* good ones */
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_GET_FEATURES, 1, 0, NULL, 0, 0, 0, &m), 0, "GET");
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_SET_FEATURES, 1, 8, &u64, 8, 0, 0, &m), 0, "SET");
	PX_TEST_ASSERT_EQ(m.payload.u64, 0x1234, "payload");
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_SET_MEM_TABLE, 1, VHOST_USER_MEMORY_SIZE(2), &mem,
				   sizeof(mem), 2, 0, &m),
			  0, "2 regions, 2 fds");
	PX_TEST_ASSERT_EQ(m.nfds, 0, "fds closed by the test helper");
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_SET_VRING_KICK, 1, 8, &withfd, 8, 1, 0, &m), 0,
			  "KICK with its fd");
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_SET_VRING_KICK, 1, 8, &nofd, 8, 0, 0, &m), 0,
			  "KICK, polling");
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_GET_FEATURES, 1 | VHOST_USER_REPLY, 8, &u64, 8, 0,
				   VHOST_USER_GET_FEATURES, &m),
			  0, "a reply");
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_SET_VRING_NUM, 1 | VHOST_USER_REPLY, 8, &u64, 8, 0,
				   VHOST_USER_SET_VRING_NUM, &m),
			  0, "a REPLY_ACK");

	/* bad headers */
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_GET_FEATURES, 2, 0, NULL, 0, 0, 0, &m), -EBADMSG,
			  "version 2");
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_GET_FEATURES, 1 | 0x10, 0, NULL, 0, 0, 0, &m),
			  -EBADMSG, "unknown flag");
	PX_TEST_ASSERT_EQ(
		recv_one(VHOST_USER_GET_FEATURES, 1 | VHOST_USER_REPLY, 0, NULL, 0, 0, 0, &m),
		-EBADMSG, "a reply where a request belongs");
	PX_TEST_ASSERT_EQ(
		recv_one(VHOST_USER_GET_FEATURES, 1, 0, NULL, 0, 0, VHOST_USER_GET_FEATURES, &m),
		-EBADMSG, "a request where a reply belongs");
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_GET_PROTOCOL_FEATURES, 1 | VHOST_USER_REPLY, 8, &u64,
				   8, 0, VHOST_USER_GET_FEATURES, &m),
			  -EBADMSG, "the reply to another request");
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_GET_FEATURES, 1 | VHOST_USER_REPLY, 4, &u64, 4, 0,
				   VHOST_USER_GET_FEATURES, &m),
			  -EBADMSG, "a short reply");
	/* bad sizes */
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_SET_FEATURES, 1, 4, &u64, 4, 0, 0, &m), -EBADMSG,
			  "4-byte u64");
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_SET_FEATURES, 1, 16, &u64, 8, 0, 0, &m), -EBADMSG,
			  "16-byte u64");
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_SET_VRING_ADDR, 1, 1000, NULL, 0, 0, 0, &m), -EBADMSG,
			  "payload larger than any");
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_SET_VRING_NUM, 1, 0xffffffff, NULL, 0, 0, 0, &m),
			  -EBADMSG, "4 GiB payload");
	/* bad memory tables */
	mem.nregions = 9;
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_SET_MEM_TABLE, 1, VHOST_USER_MEMORY_SIZE(8), &mem,
				   sizeof(mem), 8, 0, &m),
			  -EBADMSG, "9 regions");
	mem.nregions = 0;
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_SET_MEM_TABLE, 1, VHOST_USER_MEMORY_SIZE(0), &mem,
				   sizeof(mem), 0, 0, &m),
			  -EBADMSG, "no region");
	mem.nregions = 2;
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_SET_MEM_TABLE, 1, VHOST_USER_MEMORY_SIZE(3), &mem,
				   sizeof(mem), 2, 0, &m),
			  -EBADMSG, "size of 3 regions, 2 announced");
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_SET_MEM_TABLE, 1, VHOST_USER_MEMORY_SIZE(2), &mem,
				   sizeof(mem), 1, 0, &m),
			  -EBADMSG, "2 regions, 1 fd");
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_SET_MEM_TABLE, 1, 4, &mem, 4, 0, 0, &m), -EBADMSG,
			  "shorter than nregions");
	/* bad fd counts */
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_SET_VRING_KICK, 1, 8, &nofd, 8, 1, 0, &m), -EBADMSG,
			  "NOFD with an fd");
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_SET_VRING_CALL, 1, 8, &withfd, 8, 0, 0, &m), -EBADMSG,
			  "no fd without NOFD");
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_GET_FEATURES, 1, 0, NULL, 0, 3, 0, &m), -EBADMSG,
			  "fds where none belong");
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_SET_MEM_TABLE, 1, VHOST_USER_MEMORY_SIZE(2), &mem,
				   sizeof(mem), 12, 0, &m),
			  -EBADMSG, "12 fds");
	/* truncated */
	PX_TEST_ASSERT_EQ(recv_one(VHOST_USER_SET_FEATURES, 1, 8, &u64, 0, 0, 0, &m), 0,
			  "(helper pads: a full message)");
	PX_TEST_ASSERT(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	send_raw(sv[0], "\x02\0\0\0\x01", 5, NULL, 0);
	shutdown(sv[0], SHUT_WR);
	PX_TEST_ASSERT_EQ(vhost_user_recv(sv[1], &m, 0, 100), -ECONNRESET, "half a header");
	close(sv[0]);
	close(sv[1]);
	PX_TEST_ASSERT(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	PX_TEST_ASSERT_EQ(vhost_user_recv(sv[1], &m, 0, 20), -ETIMEDOUT, "nothing: timeout");
	send_raw(sv[0], "\x02\0\0\0\x01\0\0\0\x08\0\0\0\x01\x02", 14, NULL, 0);
	PX_TEST_ASSERT_EQ(vhost_user_recv(sv[1], &m, 0, 20), -ETIMEDOUT, "half a payload");
	close(sv[0]);
	close(sv[1]);
	/* an unknown request is skipped whole: the next one is read correctly */
	PX_TEST_ASSERT(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	send_msg(sv[0], 99, 1, 300, NULL, 0, NULL, 0);
	send_msg(sv[0], VHOST_USER_SET_FEATURES, 1, 8, &u64, 8, NULL, 0);
	PX_TEST_ASSERT_EQ(vhost_user_recv(sv[1], &m, 0, 100), -ENOTSUP, "unknown request");
	PX_TEST_ASSERT_EQ(vhost_user_recv(sv[1], &m, 0, 100), 0, "the next one");
	PX_TEST_ASSERT_EQ(m.hdr.request, VHOST_USER_SET_FEATURES, "in step");
	PX_TEST_ASSERT_EQ(m.payload.u64, 0x1234, "in step");
	/* REPLY_ACK through vhost_user_request: the status decides */
	u64 = 1;
	send_msg(sv[1], VHOST_USER_SET_OWNER, 1 | VHOST_USER_REPLY, 8, &u64, 8, NULL, 0);
	vhost_user_msg_init(&m, VHOST_USER_SET_OWNER, 0);
	PX_TEST_ASSERT_EQ(vhost_user_request(sv[0], &m, true, 100), -EIO, "refused");
	u64 = 0;
	send_msg(sv[1], VHOST_USER_SET_OWNER, 1 | VHOST_USER_REPLY, 8, &u64, 8, NULL, 0);
	vhost_user_msg_init(&m, VHOST_USER_SET_OWNER, 0);
	PX_TEST_ASSERT_EQ(vhost_user_request(sv[0], &m, true, 100), 0, "acknowledged");
	PX_TEST_ASSERT_EQ(vhost_user_recv(sv[1], &m, 0, 100), 0, "the requests arrived");
	PX_TEST_ASSERT(m.hdr.flags & VHOST_USER_NEED_REPLY, "with NEED_REPLY");
	PX_TEST_ASSERT_EQ(vhost_user_recv(sv[1], &m, 0, 100), 0, "the requests arrived");
	close(sv[0]);
	close(sv[1]);
	PX_TEST_ASSERT_EQ(count_fds(), fds_before, "no fd left open");
	return PX_TEST_OK;
}
PX_TEST(vhost_msg_parse_autotest, PX_TEST_F_FAST, test_vhost_msg_parse);

/* ---- the backend, driven by the test as its frontend --------------------------------------- */

#define FE_MEM (1u << 20)
#define FE_RING 256
#define FE_BUF 0x40000 /* buffers start here in the memory */
#define FE_VRING(i) ((i)*0x8000u)

struct fe {
	int sock;           /* the frontend's end */
	struct vhost_dev d; /* the backend; d.conn is the other end */
	int memfd;
	uint8_t *mem; /* the frontend's mapping; guest addresses are its addresses */
	bool packed;
	uint16_t avail[2]; /* split: avail->idx; packed: next position */
	bool wrap[2];
	struct px_mempool *mp;
	struct eth_queue_stats st;
};

static uint64_t gpa(struct fe *f, uint32_t off)
{
	return (uint64_t)(uintptr_t)(f->mem + off);
}

/* Send a request (with @fd, then closed here, when >= 0), let the backend handle it, return
 * its REPLY_ACK status (or its reply in @m). */
static int fe_req(struct fe *f, uint32_t req, const void *payload, uint32_t size, int fd,
		  struct vhost_user_msg *m)
{
	struct vhost_user_msg msg, reply;
	int ret;

	vhost_user_msg_init(&msg, req, size);
	if (payload)
		memcpy(&msg.payload, payload, size);
	if (fd >= 0) {
		msg.fds[0] = fd;
		msg.nfds = 1;
	}
	if (!vhost_user_has_reply(req))
		msg.hdr.flags |= VHOST_USER_NEED_REPLY;
	ret = vhost_user_send(f->sock, &msg);
	if (fd >= 0)
		close(fd);
	if (ret < 0 || vhost_dev_process(&f->d) < 0)
		return -EPIPE;
	ret = vhost_user_recv(f->sock, &reply, req, 100);
	if (ret < 0)
		return ret;
	if (m)
		*m = reply;
	return vhost_user_has_reply(req) ? 0 : (int)reply.payload.u64;
}

static int fe_u64(struct fe *f, uint32_t req, uint64_t v)
{
	return fe_req(f, req, &v, 8, -1, NULL);
}

static int fe_state(struct fe *f, uint32_t req, uint32_t index, uint32_t num)
{
	struct vhost_user_vring_state s = {index, num};

	return fe_req(f, req, &s, sizeof(s), -1, NULL);
}

static int fe_mem_table(struct fe *f, uint64_t size, uint64_t off)
{
	struct vhost_user_memory m = {.nregions = 1};

	m.regions[0] = (struct vhost_user_mem_region){gpa(f, 0), size, gpa(f, 0), off};
	return fe_req(f, VHOST_USER_SET_MEM_TABLE, &m, VHOST_USER_MEMORY_SIZE(1), dup(f->memfd),
		      NULL);
}

static int fe_vring(struct fe *f, uint32_t i)
{
	struct vhost_user_vring_addr a = {
		.index = i,
		.desc_user_addr = gpa(f, FE_VRING(i)),
		.avail_user_addr = gpa(f, FE_VRING(i) + 0x1000 * 4),
		.used_user_addr = gpa(f, FE_VRING(i) + 0x1000 * 5),
	};
	uint64_t kick = i;
	int ret = fe_state(f, VHOST_USER_SET_VRING_NUM, i, FE_RING);

	ret = ret ? ret : fe_state(f, VHOST_USER_SET_VRING_BASE, i, f->packed ? 1u << 15 : 0);
	ret = ret ? ret : fe_req(f, VHOST_USER_SET_VRING_ADDR, &a, sizeof(a), -1, NULL);
	ret = ret ? ret : fe_req(f, VHOST_USER_SET_VRING_KICK, &kick, 8, eventfd(0, 0), NULL);
	ret = ret ? ret : fe_req(f, VHOST_USER_SET_VRING_CALL, &kick, 8, eventfd(0, 0), NULL);
	ret = ret ? ret : fe_state(f, VHOST_USER_SET_VRING_ENABLE, i, 1);
	f->avail[i] = 0;
	f->wrap[i] = true;
	return ret;
}

/* Connect, negotiate, share the memory and set up vrings 0 and 1. */
static int fe_setup(struct fe *f, bool packed, uint64_t extra)
{
	int sv[2];
	struct vhost_user_msg m;
	uint64_t features =
		VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VHOST_USER_F_PROTOCOL_FEATURES) | extra;

	memset(f, 0, sizeof(*f));
	f->packed = packed;
	if (packed)
		features |= VIRTIO_BIT(VIRTIO_F_RING_PACKED);
	PX_TEST_ASSERT(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0, "socketpair");
	f->sock = sv[0];
	vhost_dev_init(&f->d, "vhost_test", 2);
	f->d.conn = sv[1];
	f->memfd = memfd_create("vhost_test", MFD_CLOEXEC);
	PX_TEST_ASSERT(f->memfd >= 0 && ftruncate(f->memfd, FE_MEM) == 0, "memfd");
	f->mem = mmap(NULL, FE_MEM, PROT_READ | PROT_WRITE, MAP_SHARED, f->memfd, 0);
	PX_TEST_ASSERT(f->mem != MAP_FAILED, "mmap");
	PX_TEST_ASSERT_EQ(fe_req(f, VHOST_USER_GET_FEATURES, NULL, 0, -1, &m), 0, "GET_FEATURES");
	PX_TEST_ASSERT_EQ(m.payload.u64, VHOST_FEATURES, "offered");
	PX_TEST_ASSERT_EQ(fe_req(f, VHOST_USER_GET_PROTOCOL_FEATURES, NULL, 0, -1, &m), 0, "GET");
	/* REPLY_ACK first: then every later request is answered (fe_req waits for it) */
	vhost_user_msg_init(&m, VHOST_USER_SET_PROTOCOL_FEATURES, 8);
	m.payload.u64 =
		VIRTIO_BIT(VHOST_USER_PROTOCOL_F_REPLY_ACK) | VIRTIO_BIT(VHOST_USER_PROTOCOL_F_MQ);
	PX_TEST_ASSERT(vhost_user_send(f->sock, &m) == 0 && vhost_dev_process(&f->d) == 0, "SET");
	PX_TEST_ASSERT_EQ(fe_u64(f, VHOST_USER_SET_FEATURES, features), 0, "SET_FEATURES");
	PX_TEST_ASSERT_EQ(fe_mem_table(f, FE_MEM, 0), 0, "SET_MEM_TABLE");
	PX_TEST_ASSERT_EQ(fe_vring(f, 0), 0, "vring 0");
	PX_TEST_ASSERT_EQ(fe_vring(f, 1), 0, "vring 1");
	PX_TEST_ASSERT(vhost_vring_is_ready(&f->d.vring[0]) && vhost_vring_is_ready(&f->d.vring[1]),
		       "both vrings ready");
	return PX_TEST_OK;
}

static int fe_teardown(struct fe *f)
{
	vhost_dev_reset(&f->d);
	close(f->d.conn);
	close(f->sock);
	munmap(f->mem, FE_MEM);
	close(f->memfd);
	return PX_TEST_OK;
}

/* Make chain @descs available on vring @i (split: a table of @n descriptors at @head). */
static void fe_split_post(struct fe *f, unsigned int i, uint16_t head)
{
	struct vring_avail *av = (void *)(f->mem + FE_VRING(i) + 0x1000 * 4);

	av->ring[f->avail[i] % FE_RING] = head;
	__atomic_store_n(&av->idx, ++f->avail[i], __ATOMIC_RELEASE);
}

static struct vring_desc *fe_split_desc(struct fe *f, unsigned int i)
{
	return (struct vring_desc *)(f->mem + FE_VRING(i));
}

static struct vring_used *fe_split_used(struct fe *f, unsigned int i)
{
	return (struct vring_used *)(f->mem + FE_VRING(i) + 0x1000 * 5);
}

/* A frame with a header in front, at @off: @len bytes of pattern @seed after 12 zero bytes. */
static void fe_frame(struct fe *f, uint32_t off, uint32_t len, uint8_t seed)
{
	memset(f->mem + off, 0, 12);
	for (uint32_t k = 0; k < len; k++)
		f->mem[off + 12 + k] = (uint8_t)(seed + k);
}

static int check_mbuf(struct px_mbuf *m, uint32_t len, uint8_t seed)
{
	uint32_t k = 0;

	PX_TEST_ASSERT_EQ(m->pkt_len, len, "length");
	for (struct px_mbuf *s = m; s; s = s->next)
		for (uint32_t j = 0; j < s->data_len; j++, k++)
			PX_TEST_ASSERT_EQ(px_pktmbuf_mtod(s, uint8_t *)[j], (uint8_t)(seed + k),
					  "byte %u", k);
	PX_TEST_ASSERT_EQ(k, len, "segments add up");
	return PX_TEST_OK;
}

static uint16_t rx(struct fe *f, struct px_mbuf **pkts)
{
	return vhost_dequeue(&f->d.vring[1], f->mp, 0, pkts, 32, &f->st);
}

/* Split TX from the frontend: good chains (one buffer, header apart, 9000 bytes in three, an
 * indirect table), then hostile ones, each given back empty and counted. */
static int split_dequeue_cases(struct fe *f)
{
	struct vring_desc *d = fe_split_desc(f, 1), *ind = (void *)(f->mem + 0x30000);
	struct px_mbuf *pkts[32];
	uint64_t bad0 = px_counter64_fetch(&f->d.vring[1].cnt.bad_chain);

	fe_frame(f, FE_BUF, 100, 1);
	d[0] = (struct vring_desc){gpa(f, FE_BUF), 112, 0, 0};
	fe_split_post(f, 1, 0);
	PX_TEST_ASSERT_EQ(rx(f, pkts), 1, "one frame");
	PX_TEST_ASSERT_EQ(check_mbuf(pkts[0], 100, 1), PX_TEST_OK, "its bytes");
	px_pktmbuf_free(pkts[0]);
	PX_TEST_ASSERT_EQ(fe_split_used(f, 1)->idx, 1, "given back");
	/* 9000 bytes: header alone, then 4000 + 5000 */
	fe_frame(f, FE_BUF, 9000, 7);
	d[1] = (struct vring_desc){gpa(f, FE_BUF), 12, VRING_DESC_F_NEXT, 2};
	d[2] = (struct vring_desc){gpa(f, FE_BUF + 12), 4000, VRING_DESC_F_NEXT, 3};
	d[3] = (struct vring_desc){gpa(f, FE_BUF + 4012), 5000, 0, 0};
	fe_split_post(f, 1, 1);
	PX_TEST_ASSERT_EQ(rx(f, pkts), 1, "a jumbo frame");
	PX_TEST_ASSERT_EQ(check_mbuf(pkts[0], 9000, 7), PX_TEST_OK, "its bytes");
	px_pktmbuf_free(pkts[0]);
	/* an indirect table of the same three */
	ind[0] = d[1];
	ind[0].next = 1;
	ind[1] = d[2];
	ind[1].next = 2;
	ind[2] = d[3];
	d[4] = (struct vring_desc){gpa(f, 0x30000), 3 * 16, VRING_DESC_F_INDIRECT, 0};
	fe_split_post(f, 1, 4);
	PX_TEST_ASSERT_EQ(rx(f, pkts), 1, "through an indirect table");
	PX_TEST_ASSERT_EQ(check_mbuf(pkts[0], 9000, 7), PX_TEST_OK, "its bytes");
	px_pktmbuf_free(pkts[0]);

	/* hostile: each refused, given back, counted; the ring goes on */
	d[5] = (struct vring_desc){gpa(f, FE_BUF), 100, VRING_DESC_F_NEXT, 5}; /* loop */
	fe_split_post(f, 1, 5);
	fe_split_post(f, 1, 300);                                   /* head beyond the ring */
	d[6] = (struct vring_desc){gpa(f, FE_MEM - 10), 100, 0, 0}; /* past the region's end */
	fe_split_post(f, 1, 6);
	d[7] = (struct vring_desc){UINT64_MAX - 5, 100, 0, 0}; /* wraps around */
	fe_split_post(f, 1, 7);
	d[8] = (struct vring_desc){gpa(f, FE_BUF), 100, VRING_DESC_F_NEXT, 999}; /* next beyond */
	fe_split_post(f, 1, 8);
	d[9] = (struct vring_desc){gpa(f, FE_BUF), 100, VRING_DESC_F_WRITE, 0}; /* writable TX */
	fe_split_post(f, 1, 9);
	ind[0] = (struct vring_desc){gpa(f, 0x30000), 16, VRING_DESC_F_INDIRECT, 0};
	d[10] = (struct vring_desc){gpa(f, 0x30000), 16, VRING_DESC_F_INDIRECT, 0}; /* nested */
	fe_split_post(f, 1, 10);
	d[11] = (struct vring_desc){gpa(f, 0x30000), 17, VRING_DESC_F_INDIRECT, 0}; /* odd size */
	fe_split_post(f, 1, 11);
	for (unsigned int k = 12; k < FE_RING; k++) /* a chain through the whole ring and back */
		d[k] = (struct vring_desc){gpa(f, FE_BUF), 1, VRING_DESC_F_NEXT,
					   (uint16_t)(k + 1 < FE_RING ? k + 1 : 12)};
	fe_split_post(f, 1, 12);
	PX_TEST_ASSERT_EQ(rx(f, pkts), 0, "no frame from any of them");
	PX_TEST_ASSERT_EQ(px_counter64_fetch(&f->d.vring[1].cnt.bad_chain) - bad0, 9,
			  "nine chains refused");
	PX_TEST_ASSERT_EQ(fe_split_used(f, 1)->idx, f->avail[1], "all given back");
	/* the ring still works */
	d[0] = (struct vring_desc){gpa(f, FE_BUF), 112, 0, 0};
	fe_frame(f, FE_BUF, 100, 3);
	fe_split_post(f, 1, 0);
	PX_TEST_ASSERT_EQ(rx(f, pkts), 1, "a good frame after them");
	PX_TEST_ASSERT_EQ(check_mbuf(pkts[0], 100, 3), PX_TEST_OK, "its bytes");
	px_pktmbuf_free(pkts[0]);
	/* avail->idx jumps by more than the ring: nothing taken, counted */
	fe_split_post(f, 1, 0);
	f->avail[1] += 1000;
	((struct vring_avail *)(f->mem + FE_VRING(1) + 0x4000))->idx = f->avail[1];
	PX_TEST_ASSERT_EQ(rx(f, pkts), 0, "a ring that lies");
	PX_TEST_ASSERT(px_counter64_fetch(&f->d.vring[1].cnt.bad_ring) > 0, "counted");
	return PX_TEST_OK;
}

/* Split RX into the frontend: one buffer per frame, or several (mergeable). */
static int split_enqueue_cases(struct fe *f, bool mrg)
{
	struct vring_desc *d = fe_split_desc(f, 0);
	struct vring_used *u = fe_split_used(f, 0);
	struct px_mbuf *m = px_pktmbuf_alloc(f->mp);
	struct virtio_net_hdr *h;
	uint32_t len = mrg ? 5000 : 1000;

	PX_TEST_ASSERT(m != NULL, "mbuf");
	for (uint32_t k = 0; k < 1000; k++)
		px_pktmbuf_mtod(m, uint8_t *)[k] = (uint8_t)(9 + k);
	m->data_len = 1000;
	m->pkt_len = 1000;
	if (mrg) { /* 5000 bytes in a chain of five mbufs */
		struct px_mbuf *last = m;

		for (int s = 1; s < 5; s++) {
			struct px_mbuf *n = px_pktmbuf_alloc(f->mp);

			PX_TEST_ASSERT(n != NULL, "mbuf");
			for (uint32_t k = 0; k < 1000; k++)
				px_pktmbuf_mtod(n, uint8_t *)[k] = (uint8_t)(9 + s * 1000 + k);
			n->data_len = 1000;
			last->next = n;
			last = n;
			m->nb_segs++;
		}
		m->pkt_len = 5000;
	}
	/* buffers of 2048 bytes, as many as posted */
	for (uint16_t k = 0; k < 4; k++) {
		d[k] = (struct vring_desc){gpa(f, FE_BUF + k * 2048u), 2048, VRING_DESC_F_WRITE, 0};
		fe_split_post(f, 0, k);
	}
	PX_TEST_ASSERT_EQ(vhost_enqueue(&f->d.vring[0], &m, 1, &f->st), 1, "sent");
	h = (struct virtio_net_hdr *)(f->mem + FE_BUF);
	PX_TEST_ASSERT_EQ(u->idx, mrg ? 3 : 1, "buffers used");
	PX_TEST_ASSERT_EQ(h->num_buffers, mrg ? 3 : 1, "num_buffers");
	PX_TEST_ASSERT_EQ(u->ring[0].len, mrg ? 2048 : 12 + len, "first buffer's length");
	if (mrg)
		PX_TEST_ASSERT_EQ(u->ring[2].len, 12 + len - 4096, "last buffer's length");
	for (uint32_t k = 0; k < len; k++)
		PX_TEST_ASSERT_EQ(f->mem[FE_BUF + 12 + k], (uint8_t)(9 + k), "byte %u", k);
	if (!mrg) {
		/* without mergeable buffers a frame larger than a buffer is dropped */
		m = px_pktmbuf_alloc(f->mp);
		m->data_len = m->pkt_len = 2040;
		PX_TEST_ASSERT_EQ(vhost_enqueue(&f->d.vring[0], &m, 1, &f->st), 1, "consumed");
		PX_TEST_ASSERT_EQ(px_counter64_fetch(&f->st.errs), 1, "dropped, counted");
	}
	return PX_TEST_OK;
}

static int vhost_pool(struct fe *f)
{
	PX_TEST_ASSERT(px_test_eal_init("-l 0 --no-huge --no-pci -m 64") >= 0, "EAL");
	f->mp = px_pktmbuf_pool_create("vhost_test", 1024, 0, 0, PX_MBUF_DEFAULT_BUF_SIZE, 0);
	PX_TEST_ASSERT(f->mp != NULL, "pool");
	return PX_TEST_OK;
}

static int vhost_pool_free(struct px_mempool *mp)
{
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), 1024, "every mbuf back");
	px_mempool_free(mp);
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "EAL cleanup");
	return PX_TEST_OK;
}

static int test_vhost_split(void)
{
	struct fe f;
	struct px_mempool *mp;
	int fds, maps, ret;

	if (vhost_pool(&f) != PX_TEST_OK)
		return PX_TEST_FAILED;
	mp = f.mp;
	fds = count_fds();
	maps = count_lines("/proc/self/maps");
	for (int mrg = 0; mrg < 2; mrg++) {
		ret = fe_setup(&f, false, mrg ? VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF) : 0);
		f.mp = mp;
		if (ret == PX_TEST_OK)
			ret = split_dequeue_cases(&f);
		if (ret == PX_TEST_OK)
			ret = split_enqueue_cases(&f, mrg);
		fe_teardown(&f);
		PX_TEST_ASSERT_EQ(ret, PX_TEST_OK, "mrg %d", mrg);
	}
	PX_TEST_ASSERT_EQ(count_fds(), fds, "no fd left");
	PX_TEST_ASSERT_EQ(count_lines("/proc/self/maps"), maps, "no mapping left");
	return vhost_pool_free(mp);
}
PX_TEST(vhost_split_autotest, PX_TEST_F_FAST, test_vhost_split);

/* Packed: a frame each way, then a chain longer than the ring stops the ring without a crash. */
static void fe_packed_post(struct fe *f, unsigned int i, uint64_t addr, uint32_t len,
			   uint16_t flags, uint16_t id)
{
	struct vring_packed_desc *d = (void *)(f->mem + FE_VRING(i));
	uint16_t p = f->avail[i];

	d[p].addr = addr;
	d[p].len = len;
	d[p].id = id;
	__atomic_store_n(&d[p].flags,
			 (uint16_t)(flags | (f->wrap[i] ? VRING_PACKED_DESC_F_AVAIL
							: VRING_PACKED_DESC_F_USED)),
			 __ATOMIC_RELEASE);
	if (++f->avail[i] == FE_RING) {
		f->avail[i] = 0;
		f->wrap[i] = !f->wrap[i];
	}
}

static int packed_cases(struct fe *f)
{
	struct vring_packed_desc *rxd = (void *)(f->mem + FE_VRING(0));
	struct px_mbuf *pkts[32], *m;

	for (int round = 0; round < 600; round++) { /* wraps the ring twice */
		fe_frame(f, FE_BUF, 60 + round, (uint8_t)round);
		fe_packed_post(f, 1, gpa(f, FE_BUF), 72 + round, 0, (uint16_t)round);
		PX_TEST_ASSERT_EQ(rx(f, pkts), 1, "frame %d", round);
		PX_TEST_ASSERT_EQ(check_mbuf(pkts[0], 60 + round, (uint8_t)round), PX_TEST_OK,
				  "bytes");
		px_pktmbuf_free(pkts[0]);
	}
	m = px_pktmbuf_alloc(f->mp);
	m->data_len = m->pkt_len = 64;
	fe_packed_post(f, 0, gpa(f, FE_BUF), 2048, VRING_DESC_F_WRITE, 77);
	PX_TEST_ASSERT_EQ(vhost_enqueue(&f->d.vring[0], &m, 1, &f->st), 1, "sent");
	PX_TEST_ASSERT_EQ(rxd[0].id, 77, "used id");
	PX_TEST_ASSERT_EQ(rxd[0].len, 76, "used length");
	PX_TEST_ASSERT_EQ(rxd[0].flags & (VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED),
			  VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED, "used flags");
	/* a chain through the whole ring: refused; the ring stops there, nothing breaks */
	for (unsigned int k = 0; k < FE_RING; k++)
		fe_packed_post(f, 1, gpa(f, FE_BUF), 100, VRING_DESC_F_NEXT, 1);
	PX_TEST_ASSERT_EQ(rx(f, pkts), 0, "nothing");
	PX_TEST_ASSERT(px_counter64_fetch(&f->d.vring[1].cnt.bad_chain) > 0, "counted");
	return PX_TEST_OK;
}

static int test_vhost_packed(void)
{
	struct fe f;
	struct px_mempool *mp;
	struct vhost_user_msg m;
	int ret;

	if (vhost_pool(&f) != PX_TEST_OK)
		return PX_TEST_FAILED;
	mp = f.mp;
	ret = fe_setup(&f, true, VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF));
	f.mp = mp;
	if (ret == PX_TEST_OK)
		ret = packed_cases(&f);
	/* GET_VRING_BASE stops the ring and says where it stood */
	if (ret == PX_TEST_OK) {
		struct vhost_user_vring_state s = {0, 0};

		ret = fe_req(&f, VHOST_USER_GET_VRING_BASE, &s, sizeof(s), -1, &m);
		if (ret == 0 && (m.payload.state.num != (1u | VHOST_USER_PACKED_WRAP) ||
				 vhost_vring_is_ready(&f.d.vring[0])))
			ret = PX_TEST_FAILED;
	}
	fe_teardown(&f);
	PX_TEST_ASSERT_EQ(ret, PX_TEST_OK, "packed");
	return vhost_pool_free(mp);
}
PX_TEST(vhost_packed_autotest, PX_TEST_F_FAST, test_vhost_packed);

/* Requests with bad contents: refused (status 1), the connection stays, nothing is ready. */
static int test_vhost_bad_requests(void)
{
	struct fe f;
	int fds = count_fds(), maps = count_lines("/proc/self/maps");
	struct vhost_user_vring_addr a = {.index = 0, .desc_user_addr = 1};

	PX_TEST_ASSERT_EQ(fe_setup(&f, false, 0), PX_TEST_OK, "setup");
	PX_TEST_ASSERT_EQ(fe_u64(&f, VHOST_USER_SET_FEATURES, VIRTIO_BIT(VHOST_F_LOG_ALL)), 1,
			  "a feature not offered");
	PX_TEST_ASSERT_EQ(fe_u64(&f, VHOST_USER_SET_PROTOCOL_FEATURES, 1ull << 40), 1,
			  "a protocol feature not offered");
	PX_TEST_ASSERT_EQ(fe_state(&f, VHOST_USER_SET_VRING_NUM, 4, 256), 1, "vring 4 of 4");
	PX_TEST_ASSERT_EQ(fe_state(&f, VHOST_USER_SET_VRING_NUM, 0, 0), 1, "size 0");
	PX_TEST_ASSERT_EQ(fe_state(&f, VHOST_USER_SET_VRING_NUM, 0, 65536), 1, "size 65536");
	PX_TEST_ASSERT_EQ(fe_mem_table(&f, FE_MEM * 2, 0), 1, "a region larger than its file");
	PX_TEST_ASSERT_EQ(fe_mem_table(&f, FE_MEM, 4096), 1, "offset past the file");
	PX_TEST_ASSERT_EQ(fe_mem_table(&f, UINT64_MAX, 2), 1, "overflowing size");
	PX_TEST_ASSERT(!vhost_vring_is_ready(&f.d.vring[0]), "no memory: stopped");
	PX_TEST_ASSERT_EQ(fe_mem_table(&f, FE_MEM, 0), 0, "good again");
	PX_TEST_ASSERT(vhost_vring_is_ready(&f.d.vring[0]), "ready again");
	a.avail_user_addr = a.used_user_addr = gpa(&f, 0);
	PX_TEST_ASSERT_EQ(fe_req(&f, VHOST_USER_SET_VRING_ADDR, &a, sizeof(a), -1, NULL), 0,
			  "accepted, checked when the ring starts");
	PX_TEST_ASSERT(!vhost_vring_is_ready(&f.d.vring[0]), "its descriptors outside: stopped");
	a.flags = 1;
	PX_TEST_ASSERT_EQ(fe_req(&f, VHOST_USER_SET_VRING_ADDR, &a, sizeof(a), -1, NULL), 1,
			  "logging refused");
	PX_TEST_ASSERT_EQ(fe_state(&f, VHOST_USER_SET_VRING_NUM, 1, 100), 0, "accepted");
	PX_TEST_ASSERT(!vhost_vring_is_ready(&f.d.vring[1]), "split of 100: stopped");
	PX_TEST_ASSERT_EQ(fe_req(&f, VHOST_USER_SET_LOG_BASE, &a, 16, eventfd(0, 0), NULL), 1,
			  "no live migration");
	fe_teardown(&f);
	PX_TEST_ASSERT_EQ(count_fds(), fds, "no fd left");
	PX_TEST_ASSERT_EQ(count_lines("/proc/self/maps"), maps, "no mapping left");
	return PX_TEST_OK;
}
PX_TEST(vhost_bad_requests_autotest, PX_TEST_F_FAST, test_vhost_bad_requests);

/* Several regions of one file, as QEMU shares a guest's RAM below and above a PCI hole: the
 * second starts at an offset in the file (here also one not on a page boundary); each is mapped
 * for its own pages only, and addresses translate into the right bytes of the file. */
static int test_vhost_mem_regions(void)
{
	struct fe f;
	int maps = count_lines("/proc/self/maps");
	const uint64_t half = FE_MEM / 2, hi = 0x100000000ull;
	struct vhost_user_memory m = {.nregions = 2};
	struct vhost_user_vring_addr a = {.index = 1};
	struct vhost_user_msg msg, reply;

	PX_TEST_ASSERT_EQ(fe_setup(&f, false, 0), PX_TEST_OK, "setup");
	m.regions[0] = (struct vhost_user_mem_region){0, half, gpa(&f, 0), 0};
	m.regions[1] =
		(struct vhost_user_mem_region){hi, half - 100, gpa(&f, half + 100), half + 100};
	/* one fd per region, both of the same file */
	vhost_user_msg_init(&msg, VHOST_USER_SET_MEM_TABLE, VHOST_USER_MEMORY_SIZE(2));
	memcpy(&msg.payload, &m, VHOST_USER_MEMORY_SIZE(2));
	msg.fds[0] = dup(f.memfd);
	msg.fds[1] = dup(f.memfd);
	msg.nfds = 2;
	msg.hdr.flags |= VHOST_USER_NEED_REPLY;
	PX_TEST_ASSERT(vhost_user_send(f.sock, &msg) == 0, "send");
	close(msg.fds[0]);
	close(msg.fds[1]);
	PX_TEST_ASSERT_EQ(vhost_dev_process(&f.d), 0, "process");
	PX_TEST_ASSERT_EQ(vhost_user_recv(f.sock, &reply, VHOST_USER_SET_MEM_TABLE, 100), 0,
			  "reply");
	PX_TEST_ASSERT_EQ(reply.payload.u64, 0, "two regions at offsets 0 and half + 100");
	PX_TEST_ASSERT_EQ(f.d.mem.nregions, 2, "two regions");
	PX_TEST_ASSERT_EQ(f.d.mem.r[1].map_len, half, "the second maps its own pages only");
	f.mem[half + 100] = 0x5a;
	f.mem[FE_MEM - 1] = 0xa5;
	PX_TEST_ASSERT(vhost_gpa_to_ptr(&f.d.mem, hi, 1) != NULL &&
			       *vhost_gpa_to_ptr(&f.d.mem, hi, 1) == 0x5a,
		       "the second region's first byte");
	PX_TEST_ASSERT(vhost_gpa_to_ptr(&f.d.mem, hi + half - 101, 1) != NULL &&
			       *vhost_gpa_to_ptr(&f.d.mem, hi + half - 101, 1) == 0xa5,
		       "its last byte");
	PX_TEST_ASSERT(vhost_gpa_to_ptr(&f.d.mem, hi + half - 100, 1) == NULL, "past its end");
	PX_TEST_ASSERT(vhost_gpa_to_ptr(&f.d.mem, half - 2, 4) == NULL, "across two regions");
	PX_TEST_ASSERT(vhost_vring_is_ready(&f.d.vring[0]), "vring 0 (first region) ready again");
	/* vring 1 moves into the second region (its frontend addresses) */
	a.desc_user_addr = gpa(&f, half + 4096);
	a.avail_user_addr = gpa(&f, half + 4096 * 5);
	a.used_user_addr = gpa(&f, half + 4096 * 6);
	PX_TEST_ASSERT_EQ(fe_req(&f, VHOST_USER_SET_VRING_ADDR, &a, sizeof(a), -1, NULL), 0,
			  "addr");
	PX_TEST_ASSERT(vhost_vring_is_ready(&f.d.vring[1]), "vring 1 in the second region ready");
	PX_TEST_ASSERT((uint8_t *)f.d.vring[1].split.desc == f.d.mem.r[1].host + 4096 - 100,
		       "its descriptors where the file has them");
	fe_teardown(&f);
	PX_TEST_ASSERT_EQ(count_lines("/proc/self/maps"), maps, "no mapping left");
	return PX_TEST_OK;
}
PX_TEST(vhost_mem_regions_autotest, PX_TEST_F_FAST, test_vhost_mem_regions);

/*
 * The data path's cost per packet, for callgrind: 64-byte frames through split and packed
 * rings, bursts of 32, the test playing the frontend with as little work as it can (descriptors
 * written once, only the ring indices and flags per burst). `valgrind --tool=callgrind px-test
 * vhost_perf_autotest`, then vhost_dequeue's and vhost_enqueue's inclusive counts over the
 * PERF_PKTS packets each (docs/vhost.md).
 */
#define PERF_PKTS (32 * 4096)

static void perf_post(struct fe *f, unsigned int i, uint16_t flags)
{
	if (f->packed) {
		for (uint16_t j = 0; j < 32; j++)
			fe_packed_post(f, i, gpa(f, FE_BUF + (f->avail[i] % 64u) * 2048u), 2048,
				       flags, j);
		return;
	}
	for (uint16_t j = 0; j < 32; j++) {
		struct vring_avail *av = (void *)(f->mem + FE_VRING(i) + 0x1000 * 4);

		av->ring[(f->avail[i] + j) % FE_RING] = (uint16_t)((f->avail[i] + j) % FE_RING);
	}
	f->avail[i] = (uint16_t)(f->avail[i] + 32);
	__atomic_store_n(&((struct vring_avail *)(f->mem + FE_VRING(i) + 0x4000))->idx, f->avail[i],
			 __ATOMIC_RELEASE);
}

static int perf_run(struct fe *f)
{
	struct px_mbuf *pkts[32];

	for (unsigned int k = 0; k < FE_RING; k++) {
		fe_split_desc(f, 0)[k] = (struct vring_desc){gpa(f, FE_BUF + (k % 64) * 2048u),
							     2048, VRING_DESC_F_WRITE, 0};
		fe_split_desc(f, 1)[k] =
			(struct vring_desc){gpa(f, FE_BUF + (k % 64) * 2048u), 76, 0, 0};
	}
	for (unsigned int k = 0; k < 64; k++)
		fe_frame(f, FE_BUF + k * 2048u, 64, 0);
	for (unsigned int r = 0; r < PERF_PKTS / 32; r++) {
		/* packed TX buffers hold 76 bytes: header and frame */
		if (f->packed) {
			for (uint16_t j = 0; j < 32; j++)
				fe_packed_post(f, 1, gpa(f, FE_BUF + (j % 64u) * 2048u), 76, 0, j);
		} else {
			perf_post(f, 1, 0);
		}
		PX_TEST_ASSERT_EQ(rx(f, pkts), 32, "round %u: a full burst in", r);
		for (int j = 0; j < 32; j++)
			pkts[j]->data_len = (uint16_t)(pkts[j]->pkt_len = 64);
		perf_post(f, 0, VRING_DESC_F_WRITE);
		PX_TEST_ASSERT_EQ(vhost_enqueue(&f->d.vring[0], pkts, 32, &f->st), 32,
				  "round %u: a full burst out", r);
	}
	PX_TEST_ASSERT_EQ(px_counter64_fetch(&f->st.pkts), 2u * PERF_PKTS, "every frame moved");
	return PX_TEST_OK;
}

static int test_vhost_perf(void)
{
	struct fe f;
	struct px_mempool *mp;
	int ret = PX_TEST_OK;

	if (vhost_pool(&f) != PX_TEST_OK)
		return PX_TEST_FAILED;
	mp = f.mp;
	for (int packed = 0; packed < 2 && ret == PX_TEST_OK; packed++) {
		ret = fe_setup(&f, packed, VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF));
		f.mp = mp;
		if (ret == PX_TEST_OK)
			ret = perf_run(&f);
		fe_teardown(&f);
	}
	PX_TEST_ASSERT_EQ(ret, PX_TEST_OK, "perf run");
	return vhost_pool_free(mp);
}
PX_TEST(vhost_perf_autotest, PX_TEST_F_PERF, test_vhost_perf);
