/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The vhost-user protocol as both ends use it: net_virtio_user (the frontend, which owns the
 * memory and the rings' placement) and net_vhost (the backend, the device). Layouts and values
 * from QEMU's docs/interop/vhost-user.rst ("Vhost-user Protocol"), checked against QEMU 7.2's
 * hw/virtio/vhost-user.c and DPDK 22.11's lib/vhost/vhost_user.h; section names below are that
 * document's. Not installed.
 *
 * A message is a 12-byte header and `size` bytes of payload on a SOCK_STREAM UNIX socket, with
 * file descriptors (SCM_RIGHTS) on the first byte of the header. Everything is in the host's
 * byte order (both ends run on one host).
 */
#ifndef VHOST_USER_H
#define VHOST_USER_H

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>

/* "Message types": front-end requests (only the ones either side of Pollux knows by name) */
enum vhost_user_request {
	VHOST_USER_NONE = 0,
	VHOST_USER_GET_FEATURES = 1,
	VHOST_USER_SET_FEATURES = 2,
	VHOST_USER_SET_OWNER = 3,
	VHOST_USER_RESET_OWNER = 4,
	VHOST_USER_SET_MEM_TABLE = 5,
	VHOST_USER_SET_LOG_BASE = 6,
	VHOST_USER_SET_LOG_FD = 7,
	VHOST_USER_SET_VRING_NUM = 8,
	VHOST_USER_SET_VRING_ADDR = 9,
	VHOST_USER_SET_VRING_BASE = 10,
	VHOST_USER_GET_VRING_BASE = 11,
	VHOST_USER_SET_VRING_KICK = 12,
	VHOST_USER_SET_VRING_CALL = 13,
	VHOST_USER_SET_VRING_ERR = 14,
	VHOST_USER_GET_PROTOCOL_FEATURES = 15,
	VHOST_USER_SET_PROTOCOL_FEATURES = 16,
	VHOST_USER_GET_QUEUE_NUM = 17,
	VHOST_USER_SET_VRING_ENABLE = 18,
	VHOST_USER_SEND_RARP = 19,
	VHOST_USER_NET_SET_MTU = 20,
	VHOST_USER_SET_BACKEND_REQ_FD = 21,
	VHOST_USER_IOTLB_MSG = 22,
	VHOST_USER_SET_VRING_ENDIAN = 23,
	VHOST_USER_GET_CONFIG = 24,
	VHOST_USER_SET_CONFIG = 25,
	VHOST_USER_GET_INFLIGHT_FD = 31,
	VHOST_USER_SET_INFLIGHT_FD = 32,
	VHOST_USER_RESET_DEVICE = 34,
	VHOST_USER_GET_MAX_MEM_SLOTS = 36,
	VHOST_USER_ADD_MEM_REG = 37,
	VHOST_USER_REM_MEM_REG = 38,
	VHOST_USER_SET_STATUS = 39,
	VHOST_USER_GET_STATUS = 40,
	VHOST_USER_REQUEST_MAX = 41, /* one past the last code the table knows */
};

/* "Header": flags */
#define VHOST_USER_VERSION 0x1u /* bits 0..1: the protocol version, always 1 */
#define VHOST_USER_VERSION_MASK 0x3u
#define VHOST_USER_REPLY 0x4u      /* bit 2: this is a reply */
#define VHOST_USER_NEED_REPLY 0x8u /* bit 3: REPLY_ACK asked for */
#define VHOST_USER_FLAGS_KNOWN (VHOST_USER_VERSION_MASK | VHOST_USER_REPLY | VHOST_USER_NEED_REPLY)

/* Device feature bit that says the protocol features exist ("Protocol features") */
#define VHOST_USER_F_PROTOCOL_FEATURES 30
/* Dirty-page logging (live migration); neither side of Pollux offers it */
#define VHOST_F_LOG_ALL 26

/* "Protocol features" */
#define VHOST_USER_PROTOCOL_F_MQ 0
#define VHOST_USER_PROTOCOL_F_LOG_SHMFD 1
#define VHOST_USER_PROTOCOL_F_RARP 2
#define VHOST_USER_PROTOCOL_F_REPLY_ACK 3
#define VHOST_USER_PROTOCOL_F_NET_MTU 4
#define VHOST_USER_PROTOCOL_F_BACKEND_REQ 5
#define VHOST_USER_PROTOCOL_F_CONFIG 9
#define VHOST_USER_PROTOCOL_F_HOST_NOTIFIER 11
#define VHOST_USER_PROTOCOL_F_INFLIGHT_SHMFD 12
#define VHOST_USER_PROTOCOL_F_RESET_DEVICE 13
#define VHOST_USER_PROTOCOL_F_CONFIGURE_MEM_SLOTS 15
#define VHOST_USER_PROTOCOL_F_STATUS 16

/* "Memory regions description": SET_MEM_TABLE carries at most this many regions, one fd each */
#define VHOST_MEMORY_BASELINE_NREGIONS 8
/* The most fds one message carries (SET_MEM_TABLE's) */
#define VHOST_USER_MAX_FDS VHOST_MEMORY_BASELINE_NREGIONS

/* SET_VRING_KICK/CALL/ERR payload: bits 0..7 the vring index, bit 8 "no fd" (polling) */
#define VHOST_USER_VRING_IDX_MASK 0xffu
#define VHOST_USER_VRING_NOFD_MASK 0x100u

/* A vring's state for packed rings (SET/GET_VRING_BASE): bits 0..14 the index, bit 15 the
 * wrap counter ("Ring states", packed virtqueues). */
#define VHOST_USER_PACKED_IDX_MASK 0x7fffu
#define VHOST_USER_PACKED_WRAP (1u << 15)

struct vhost_user_hdr {
	uint32_t request; /* enum vhost_user_request */
	uint32_t flags;   /* VHOST_USER_VERSION | VHOST_USER_REPLY | VHOST_USER_NEED_REPLY */
	uint32_t size;    /* bytes of payload that follow */
};
static_assert(sizeof(struct vhost_user_hdr) == 12, "vhost-user header");

/* "A vring state description" */
struct vhost_user_vring_state {
	uint32_t index;
	uint32_t num;
};

/* "A vring address description": addresses in the frontend's address space (its user
 * addresses, translated through the memory table's userspace_addr) */
struct vhost_user_vring_addr {
	uint32_t index;
	uint32_t flags; /* bit 0: log used-ring writes (VHOST_VRING_F_LOG); refused */
	uint64_t desc_user_addr;
	uint64_t used_user_addr;
	uint64_t avail_user_addr;
	uint64_t log_guest_addr;
};
static_assert(sizeof(struct vhost_user_vring_addr) == 40, "vring address description");

/* "Memory region description" */
struct vhost_user_mem_region {
	uint64_t guest_phys_addr;
	uint64_t memory_size;
	uint64_t userspace_addr; /* the frontend's address of the region (vring addresses use it) */
	uint64_t mmap_offset;    /* where the region starts in the file of its fd */
};
static_assert(sizeof(struct vhost_user_mem_region) == 32, "memory region description");

/* "Multiple Memory regions description" (SET_MEM_TABLE): the payload size is
 * 8 + nregions * 32; the full 8-region size is also accepted. */
struct vhost_user_memory {
	uint32_t nregions;
	uint32_t padding;
	struct vhost_user_mem_region regions[VHOST_MEMORY_BASELINE_NREGIONS];
};
#define VHOST_USER_MEMORY_SIZE(n) (8u + (uint32_t)(n) * sizeof(struct vhost_user_mem_region))

/* "Log description" (SET_LOG_BASE) */
struct vhost_user_log {
	uint64_t mmap_size;
	uint64_t mmap_offset;
};

union vhost_user_payload {
	uint64_t u64; /* features, protocol features, queue count, status, REPLY_ACK, KICK/CALL/ERR
		       */
	struct vhost_user_vring_state state;
	struct vhost_user_vring_addr addr;
	struct vhost_user_memory memory;
	struct vhost_user_log log;
	uint8_t raw[sizeof(struct vhost_user_memory)];
};
/* No message this code accepts has a larger payload; a bigger `size` is refused. */
#define VHOST_USER_PAYLOAD_MAX sizeof(union vhost_user_payload)

/* One message as it travels, plus its fds. */
struct vhost_user_msg {
	struct vhost_user_hdr hdr;
	union vhost_user_payload payload;
	int fds[VHOST_USER_MAX_FDS];
	unsigned int nfds;
};

/* The log component both sides log protocol errors with ("pmd.net.vhost_user"). */
extern int vhost_user_logtype;

/* "GET_FEATURES" etc. for log lines; "UNKNOWN" for a code the table does not know. */
const char *vhost_user_req_name(uint32_t request);

/* Fill @msg's header for @request (version 1, no fds) with a payload of @size bytes. */
void vhost_user_msg_init(struct vhost_user_msg *msg, uint32_t request, uint32_t size);

/* Close the fds @msg carries and forget them (after an error, or fds a handler did not keep). */
void vhost_user_msg_close_fds(struct vhost_user_msg *msg);

/**
 * Send @msg (header, hdr.size bytes of payload, msg->nfds fds) on the stream socket @sock.
 * Retries on EINTR and short writes; never raises SIGPIPE.
 * @return 0; -EINVAL if hdr.size > VHOST_USER_PAYLOAD_MAX or nfds > VHOST_USER_MAX_FDS;
 *   -EPIPE/-ECONNRESET when the peer is gone; another negative errno from sendmsg
 */
int vhost_user_send(int sock, const struct vhost_user_msg *msg);

/**
 * Receive one message from @sock and validate it strictly: a full header, version 1, no
 * unknown flag, a payload no larger than VHOST_USER_PAYLOAD_MAX and exactly the size its
 * request type has, exactly the number of fds it must carry (SET_MEM_TABLE: one per region,
 * at most VHOST_MEMORY_BASELINE_NREGIONS). With @reply_to != VHOST_USER_NONE the message must be
 * the reply to that request (REPLY flag, same code, the reply's size); otherwise it must be a
 * request (no REPLY flag). A request of a type the table does not know is read whole (so the
 * stream stays in step) and returned with -ENOTSUP, its fds closed.
 * Waits up to @timeout_ms for each part (-1: forever). Never reads past @msg.
 * @return 0; -ECONNRESET on end of stream (also mid-message); -ETIMEDOUT; -EBADMSG for a
 *   message that breaks the rules above (logged, its fds closed; the stream may be out of step,
 *   so close the connection); -ENOTSUP (see above); another negative errno from recvmsg
 */
int vhost_user_recv(int sock, struct vhost_user_msg *msg, uint32_t reply_to, int timeout_ms);

/**
 * Frontend: send request @msg and wait for what it answers. A GET_* request (one that has a
 * reply) gets its reply in @msg. Any other request, when @reply_ack (REPLY_ACK was negotiated),
 * is sent with NEED_REPLY and the backend's u64 status is awaited and checked.
 * msg->fds are sent and left open (the caller owns them).
 * @return 0; -EIO when the backend acknowledged with a non-zero status; the errors of
 *   vhost_user_send and vhost_user_recv
 */
int vhost_user_request(int sock, struct vhost_user_msg *msg, bool reply_ack, int timeout_ms);

/* Does @request have a reply of its own (GET_FEATURES, GET_VRING_BASE, ...)? */
bool vhost_user_has_reply(uint32_t request);

/**
 * Backend: answer request @req: with its reply payload (@msg holds it; flags and request set
 * here) for a GET_*; with a u64 @status for a request that asked for REPLY_ACK; nothing
 * otherwise.
 * @return 0 or the errors of vhost_user_send
 */
int vhost_user_reply(int sock, const struct vhost_user_hdr *req, struct vhost_user_msg *msg,
		     uint64_t status);

#endif /* VHOST_USER_H */
