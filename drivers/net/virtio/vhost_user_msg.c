/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vhost-user messages on the wire (QEMU docs/interop/vhost-user.rst): send with fds, receive
 * with strict validation. Shared by net_vhost (backend) and net_virtio_user (frontend).
 * Everything here runs on control threads; nothing on a data path.
 */
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "px_log.h"

#include "vhost_user.h"

PX_LOG_REGISTER(vhost_user_logtype, "pmd.net.vhost_user", DEFAULT);
#define VU_LOG(lvl, ...) PX_LOG(lvl, vhost_user_logtype, __VA_ARGS__)

/* What each request carries, from the "Front-end message types" list. */
enum vu_fds {
	VU_FDS_NONE,    /* no fd */
	VU_FDS_ONE,     /* exactly one */
	VU_FDS_VRING,   /* one unless VHOST_USER_VRING_NOFD_MASK is set in the u64 payload */
	VU_FDS_REGIONS, /* one per memory region */
};

#define VU_VAR (-1)      /* payload size depends on the payload (SET_MEM_TABLE) */
#define VU_NO_REPLY (-1) /* the request has no reply of its own */

struct vu_rule {
	const char *name;
	int16_t size;       /* the request's payload size, or VU_VAR */
	int16_t reply_size; /* the reply's, or VU_NO_REPLY */
	uint8_t fds;        /* enum vu_fds */
};

#define U64 ((int16_t)sizeof(uint64_t))
#define STATE ((int16_t)sizeof(struct vhost_user_vring_state))

static const struct vu_rule vu_rules[VHOST_USER_REQUEST_MAX] = {
	[VHOST_USER_GET_FEATURES] = {"GET_FEATURES", 0, U64, VU_FDS_NONE},
	[VHOST_USER_SET_FEATURES] = {"SET_FEATURES", U64, VU_NO_REPLY, VU_FDS_NONE},
	[VHOST_USER_SET_OWNER] = {"SET_OWNER", 0, VU_NO_REPLY, VU_FDS_NONE},
	[VHOST_USER_RESET_OWNER] = {"RESET_OWNER", 0, VU_NO_REPLY, VU_FDS_NONE},
	[VHOST_USER_SET_MEM_TABLE] = {"SET_MEM_TABLE", VU_VAR, VU_NO_REPLY, VU_FDS_REGIONS},
	[VHOST_USER_SET_LOG_BASE] = {"SET_LOG_BASE", (int16_t)sizeof(struct vhost_user_log),
				     VU_NO_REPLY, VU_FDS_ONE},
	[VHOST_USER_SET_LOG_FD] = {"SET_LOG_FD", 0, VU_NO_REPLY, VU_FDS_ONE},
	[VHOST_USER_SET_VRING_NUM] = {"SET_VRING_NUM", STATE, VU_NO_REPLY, VU_FDS_NONE},
	[VHOST_USER_SET_VRING_ADDR] = {"SET_VRING_ADDR",
				       (int16_t)sizeof(struct vhost_user_vring_addr), VU_NO_REPLY,
				       VU_FDS_NONE},
	[VHOST_USER_SET_VRING_BASE] = {"SET_VRING_BASE", STATE, VU_NO_REPLY, VU_FDS_NONE},
	[VHOST_USER_GET_VRING_BASE] = {"GET_VRING_BASE", STATE, STATE, VU_FDS_NONE},
	[VHOST_USER_SET_VRING_KICK] = {"SET_VRING_KICK", U64, VU_NO_REPLY, VU_FDS_VRING},
	[VHOST_USER_SET_VRING_CALL] = {"SET_VRING_CALL", U64, VU_NO_REPLY, VU_FDS_VRING},
	[VHOST_USER_SET_VRING_ERR] = {"SET_VRING_ERR", U64, VU_NO_REPLY, VU_FDS_VRING},
	[VHOST_USER_GET_PROTOCOL_FEATURES] = {"GET_PROTOCOL_FEATURES", 0, U64, VU_FDS_NONE},
	[VHOST_USER_SET_PROTOCOL_FEATURES] = {"SET_PROTOCOL_FEATURES", U64, VU_NO_REPLY,
					      VU_FDS_NONE},
	[VHOST_USER_GET_QUEUE_NUM] = {"GET_QUEUE_NUM", 0, U64, VU_FDS_NONE},
	[VHOST_USER_SET_VRING_ENABLE] = {"SET_VRING_ENABLE", STATE, VU_NO_REPLY, VU_FDS_NONE},
	[VHOST_USER_SEND_RARP] = {"SEND_RARP", U64, VU_NO_REPLY, VU_FDS_NONE},
	[VHOST_USER_NET_SET_MTU] = {"NET_SET_MTU", U64, VU_NO_REPLY, VU_FDS_NONE},
	[VHOST_USER_SET_BACKEND_REQ_FD] = {"SET_BACKEND_REQ_FD", 0, VU_NO_REPLY, VU_FDS_ONE},
	[VHOST_USER_SET_VRING_ENDIAN] = {"SET_VRING_ENDIAN", STATE, VU_NO_REPLY, VU_FDS_NONE},
	[VHOST_USER_RESET_DEVICE] = {"RESET_DEVICE", 0, VU_NO_REPLY, VU_FDS_NONE},
	[VHOST_USER_GET_MAX_MEM_SLOTS] = {"GET_MAX_MEM_SLOTS", 0, U64, VU_FDS_NONE},
	[VHOST_USER_SET_STATUS] = {"SET_STATUS", U64, VU_NO_REPLY, VU_FDS_NONE},
	[VHOST_USER_GET_STATUS] = {"GET_STATUS", 0, U64, VU_FDS_NONE},
};

/* The largest payload of a request we do not know that is still read and skipped. */
#define VU_SKIP_MAX 4096

static const struct vu_rule *vu_rule(uint32_t request)
{
	if (request >= VHOST_USER_REQUEST_MAX || vu_rules[request].name == NULL)
		return NULL;
	return &vu_rules[request];
}

const char *vhost_user_req_name(uint32_t request)
{
	const struct vu_rule *r = vu_rule(request);

	return r ? r->name : "UNKNOWN";
}

bool vhost_user_has_reply(uint32_t request)
{
	const struct vu_rule *r = vu_rule(request);

	return r && r->reply_size != VU_NO_REPLY;
}

void vhost_user_msg_init(struct vhost_user_msg *msg, uint32_t request, uint32_t size)
{
	memset(msg, 0, sizeof(*msg));
	msg->hdr.request = request;
	msg->hdr.flags = VHOST_USER_VERSION;
	msg->hdr.size = size;
}

void vhost_user_msg_close_fds(struct vhost_user_msg *msg)
{
	for (unsigned int i = 0; i < msg->nfds && i < VHOST_USER_MAX_FDS; i++)
		if (msg->fds[i] >= 0)
			close(msg->fds[i]);
	msg->nfds = 0;
}

/* ---- send --------------------------------------------------------------------------------- */

int vhost_user_send(int sock, const struct vhost_user_msg *msg)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * VHOST_USER_MAX_FDS)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov[2] = {
		{.iov_base = (void *)&msg->hdr, .iov_len = sizeof(msg->hdr)},
		{.iov_base = (void *)&msg->payload, .iov_len = msg->hdr.size},
	};
	struct msghdr mh = {.msg_iov = iov, .msg_iovlen = 2};
	size_t left = sizeof(msg->hdr) + msg->hdr.size;

	if (msg->hdr.size > VHOST_USER_PAYLOAD_MAX || msg->nfds > VHOST_USER_MAX_FDS)
		return -EINVAL;
	if (msg->nfds > 0) {
		struct cmsghdr *c;

		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * msg->nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * msg->nfds);
		memcpy(CMSG_DATA(c), msg->fds, sizeof(int) * msg->nfds);
	}
	while (left > 0) {
		ssize_t n = sendmsg(sock, &mh, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		left -= (size_t)n;
		/* the fds went with the first byte; move the iovecs past what was sent */
		mh.msg_control = NULL;
		mh.msg_controllen = 0;
		while (n > 0 && mh.msg_iovlen > 0) {
			size_t step =
				(size_t)n < mh.msg_iov->iov_len ? (size_t)n : mh.msg_iov->iov_len;

			mh.msg_iov->iov_base = (char *)mh.msg_iov->iov_base + step;
			mh.msg_iov->iov_len -= step;
			n -= (ssize_t)step;
			if (mh.msg_iov->iov_len == 0) {
				mh.msg_iov++;
				mh.msg_iovlen--;
			}
		}
	}
	return 0;
}

/* ---- receive ------------------------------------------------------------------------------ */

static int vu_wait(int sock, int timeout_ms)
{
	struct pollfd p = {.fd = sock, .events = POLLIN};
	int ret;

	do
		ret = poll(&p, 1, timeout_ms);
	while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return -errno;
	return ret == 0 ? -ETIMEDOUT : 0;
}

/* Read exactly @len bytes (the rest of a message; no fds may come with them). */
static int vu_read_full(int sock, void *buf, size_t len, int timeout_ms)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n;
		int ret = vu_wait(sock, timeout_ms);

		if (ret < 0)
			return ret;
		n = recv(sock, p, len, MSG_DONTWAIT);
		if (n == 0)
			return -ECONNRESET;
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Take the fds of one SCM_RIGHTS control message into @msg; more than fit, or a truncated
 * control buffer, closes them all and fails. */
static int vu_take_fds(struct msghdr *mh, struct vhost_user_msg *msg)
{
	int ret = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		size_t n;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
		    c->cmsg_len < CMSG_LEN(0))
			continue;
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (msg->nfds < VHOST_USER_MAX_FDS)
				msg->fds[msg->nfds++] = fd;
			else {
				close(fd);
				ret = -EBADMSG;
			}
		}
	}
	if (mh->msg_flags & MSG_CTRUNC)
		ret = -EBADMSG;
	if (ret < 0) {
		VU_LOG(ERR, "vhost-user: a message came with more than %d fds: refused",
		       VHOST_USER_MAX_FDS);
		vhost_user_msg_close_fds(msg);
	}
	return ret;
}

/* Read the header and its fds. */
static int vu_recv_hdr(int sock, struct vhost_user_msg *msg, int timeout_ms)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * VHOST_USER_MAX_FDS)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = {.iov_base = &msg->hdr, .iov_len = sizeof(msg->hdr)};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = ctl.buf,
			    .msg_controllen = sizeof(ctl.buf)};
	ssize_t n;
	int ret;

	do {
		ret = vu_wait(sock, timeout_ms);
		if (ret < 0)
			return ret;
		n = recvmsg(sock, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	} while (n < 0 && (errno == EINTR || errno == EAGAIN));
	if (n < 0)
		return -errno;
	if (n == 0)
		return -ECONNRESET;
	ret = vu_take_fds(&mh, msg);
	if (ret < 0)
		return ret;
	if ((size_t)n < sizeof(msg->hdr)) {
		ret = vu_read_full(sock, (char *)&msg->hdr + n, sizeof(msg->hdr) - (size_t)n,
				   timeout_ms);
		if (ret < 0)
			vhost_user_msg_close_fds(msg);
	}
	return ret;
}

/* How many fds request @msg must carry under @rule. */
static unsigned int vu_fds_wanted(const struct vu_rule *rule, const struct vhost_user_msg *msg)
{
	switch (rule->fds) {
	case VU_FDS_ONE:
		return 1;
	case VU_FDS_VRING:
		return (msg->payload.u64 & VHOST_USER_VRING_NOFD_MASK) ? 0 : 1;
	case VU_FDS_REGIONS:
		return msg->payload.memory.nregions;
	default:
		return 0;
	}
}

/* The payload of a request against its rule. */
static int vu_check_request(const struct vu_rule *rule, const struct vhost_user_msg *msg)
{
	uint32_t size = msg->hdr.size;
	unsigned int fds;

	if (rule->size == VU_VAR) {
		/* SET_MEM_TABLE: 8 + n * 32, 1 <= n <= 8 (or the full 8-region size) */
		uint32_t n;

		if (size < VHOST_USER_MEMORY_SIZE(0))
			return -EBADMSG;
		n = msg->payload.memory.nregions;
		if (n == 0 || n > VHOST_MEMORY_BASELINE_NREGIONS) {
			VU_LOG(ERR, "vhost-user: SET_MEM_TABLE with %u regions (1..%d): refused", n,
			       VHOST_MEMORY_BASELINE_NREGIONS);
			return -EBADMSG;
		}
		if (size != VHOST_USER_MEMORY_SIZE(n) &&
		    size != VHOST_USER_MEMORY_SIZE(VHOST_MEMORY_BASELINE_NREGIONS))
			return -EBADMSG;
	} else if (size != (uint32_t)rule->size) {
		return -EBADMSG;
	}
	fds = vu_fds_wanted(rule, msg);
	if (msg->nfds != fds) {
		VU_LOG(ERR, "vhost-user: %s with %u fds, expected %u: refused", rule->name,
		       msg->nfds, fds);
		return -EBADMSG;
	}
	return 0;
}

/* The header against what the caller expects (request or reply to @reply_to). */
static int vu_check_hdr(const struct vhost_user_msg *msg, uint32_t reply_to)
{
	const struct vhost_user_hdr *h = &msg->hdr;

	if ((h->flags & VHOST_USER_VERSION_MASK) != VHOST_USER_VERSION ||
	    (h->flags & ~VHOST_USER_FLAGS_KNOWN) != 0) {
		VU_LOG(ERR, "vhost-user: %s with flags %#x (version 1 wanted): refused",
		       vhost_user_req_name(h->request), h->flags);
		return -EBADMSG;
	}
	if (reply_to != VHOST_USER_NONE &&
	    (!(h->flags & VHOST_USER_REPLY) || h->request != reply_to)) {
		VU_LOG(ERR, "vhost-user: got %s%s while waiting for the reply to %s",
		       vhost_user_req_name(h->request),
		       (h->flags & VHOST_USER_REPLY) ? " reply" : "",
		       vhost_user_req_name(reply_to));
		return -EBADMSG;
	}
	if (reply_to == VHOST_USER_NONE && (h->flags & VHOST_USER_REPLY)) {
		VU_LOG(ERR, "vhost-user: unexpected reply to %s", vhost_user_req_name(h->request));
		return -EBADMSG;
	}
	return 0;
}

/* Read and drop the payload of a request we do not know, keeping the stream in step. */
static int vu_skip(int sock, struct vhost_user_msg *msg, int timeout_ms)
{
	char scratch[256];
	uint32_t left = msg->hdr.size;
	int ret = 0;

	VU_LOG(NOTICE, "vhost-user: request %u (%s) not supported, ignored", msg->hdr.request,
	       vhost_user_req_name(msg->hdr.request));
	vhost_user_msg_close_fds(msg);
	while (left > 0 && ret == 0) {
		uint32_t n = left < sizeof(scratch) ? left : (uint32_t)sizeof(scratch);

		ret = vu_read_full(sock, scratch, n, timeout_ms);
		left -= n;
	}
	return ret < 0 ? ret : -ENOTSUP;
}

int vhost_user_recv(int sock, struct vhost_user_msg *msg, uint32_t reply_to, int timeout_ms)
{
	const struct vu_rule *rule;
	int ret;

	memset(&msg->hdr, 0, sizeof(msg->hdr));
	memset(&msg->payload, 0, sizeof(msg->payload));
	msg->nfds = 0;
	ret = vu_recv_hdr(sock, msg, timeout_ms);
	if (ret < 0)
		return ret;
	ret = vu_check_hdr(msg, reply_to);
	if (ret < 0)
		goto fail;
	rule = vu_rule(msg->hdr.request);
	if (rule == NULL && reply_to == VHOST_USER_NONE && msg->hdr.size <= VU_SKIP_MAX)
		return vu_skip(sock, msg, timeout_ms);
	if (rule == NULL || msg->hdr.size > VHOST_USER_PAYLOAD_MAX) {
		VU_LOG(ERR, "vhost-user: request %u (%s) with a %u-byte payload: refused",
		       msg->hdr.request, vhost_user_req_name(msg->hdr.request), msg->hdr.size);
		ret = -EBADMSG;
		goto fail;
	}
	ret = vu_read_full(sock, &msg->payload, msg->hdr.size, timeout_ms);
	if (ret < 0)
		goto fail;
	if (reply_to != VHOST_USER_NONE) {
		/* a reply: its own payload, or REPLY_ACK's u64; never fds */
		uint32_t want = rule->reply_size == VU_NO_REPLY ? sizeof(uint64_t)
								: (uint32_t)rule->reply_size;

		if (msg->hdr.size != want || msg->nfds != 0) {
			VU_LOG(ERR,
			       "vhost-user: reply to %s of %u bytes with %u fds (%u bytes, no fds "
			       "wanted): refused",
			       rule->name, msg->hdr.size, msg->nfds, want);
			ret = -EBADMSG;
		}
	} else {
		ret = vu_check_request(rule, msg);
		if (ret < 0)
			VU_LOG(ERR, "vhost-user: %s with a %u-byte payload and %u fds: refused",
			       rule->name, msg->hdr.size, msg->nfds);
	}
	if (ret == 0)
		return 0;
fail:
	vhost_user_msg_close_fds(msg);
	return ret;
}

/* ---- request/reply ------------------------------------------------------------------------ */

int vhost_user_request(int sock, struct vhost_user_msg *msg, bool reply_ack, int timeout_ms)
{
	uint32_t request = msg->hdr.request;
	bool has_reply = vhost_user_has_reply(request);
	int ret;

	if (!has_reply && reply_ack)
		msg->hdr.flags |= VHOST_USER_NEED_REPLY;
	ret = vhost_user_send(sock, msg);
	if (ret < 0 || (!has_reply && !reply_ack))
		return ret;
	ret = vhost_user_recv(sock, msg, request, timeout_ms);
	if (ret < 0)
		return ret;
	if (!has_reply && msg->payload.u64 != 0) {
		VU_LOG(ERR, "vhost-user: the backend refused %s (status %#llx)",
		       vhost_user_req_name(request), (unsigned long long)msg->payload.u64);
		return -EIO;
	}
	return 0;
}

int vhost_user_reply(int sock, const struct vhost_user_hdr *req, struct vhost_user_msg *msg,
		     uint64_t status)
{
	struct vhost_user_hdr h = *req; /* @req may be @msg's own header */

	if (!vhost_user_has_reply(h.request)) {
		if (!(h.flags & VHOST_USER_NEED_REPLY))
			return 0;
		vhost_user_msg_init(msg, h.request, sizeof(uint64_t));
		msg->payload.u64 = status;
	} else {
		msg->hdr.size = (uint32_t)vu_rule(h.request)->reply_size;
		msg->nfds = 0;
	}
	msg->hdr.request = h.request;
	msg->hdr.flags = VHOST_USER_VERSION | VHOST_USER_REPLY;
	return vhost_user_send(sock, msg);
}
