/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_virtio_user: the virtio-net PMD (virtio_ethdev.c, with the rings of virtio_rxtx.c and
 * virtio_rxtx_packed.c unchanged) on a vhost-user backend instead of a PCI device. This file
 * is the transport (struct virtio_transport): the device's status, features and configuration
 * live here, and the backend learns about the rings and the memory through vhost-user messages
 * (vhost_user.h; QEMU's docs/interop/vhost-user.rst) on a UNIX socket, as DPDK's virtio_user
 * does.
 *
 * Memory: every EAL segment is a memfd (or a --huge-dir file), sent with SCM_RIGHTS in
 * SET_MEM_TABLE as one region whose guest_phys_addr is the segment's IOVA, so descriptors carry
 * the IOVAs the ring code already writes (buf_iova); the vring addresses are our virtual
 * addresses (userspace_addr). --no-huge memory is anonymous and cannot be shared: refused.
 *
 * Notifications: a kick is an eventfd write, made only when the ring's event suppression says
 * the backend wants one (the same checks as for PCI); each queue has a call eventfd, which is
 * the RX queue's interrupt with intr_conf.rxq.
 *
 * Connection: with server=1 we listen and the backend connects (probe waits for it); when it
 * goes away the link goes down, and a backend that connects again gets the memory and the rings
 * where they are, so traffic resumes (split rings: from the used index; packed: from the
 * position after the last used descriptor). In client mode (default) a lost backend leaves the
 * link down until the port is closed. The socket is watched on the EAL interrupt thread; the
 * data path never touches it.
 *
 * Queue pairs: queues=N (up to 8) offers VIRTIO_NET_F_MQ and a control queue, which stays in
 * this process as in DPDK's virtio_user: the backend never sees it; VQ_PAIRS_SET enables that
 * many pairs in the backend (SET_VRING_ENABLE). No receive filters are offered (CTRL_RX):
 * promiscuous mode and extra MAC addresses are -ENOTSUP, as on DPDK's virtio_user.
 *
 * In order: in_order=1 (the default, as DPDK's) offers VIRTIO_F_IN_ORDER when the backend does;
 * negotiated, both ring layouts use their in-order paths (virtio_rxtx.c, virtio_rxtx_packed.c).
 *
 * Not done: a backend's own control queue, reconnection in client mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "bus_vdev_driver.h"
#include "ethdev_driver.h"
#include "px_ether.h"
#include "px_intr.h"
#include "px_kvargs.h"
#include "px_log.h"
#include "px_memory.h"

#include "vhost_user.h"
#include "virtio.h"

#define VU_DRIVER_NAME "net_virtio_user"
#define VU_PARAMS                                                                   \
	"path=<socket> queues=<1-8> queue_size=<2^n> server=<0|1> mrg_rxbuf=<0|1> " \
	"in_order=<0|1> packed_vq=<0|1> mac=<xx:xx:xx:xx:xx:xx>"
#define VU_DEFAULT_QUEUE_SIZE 1024
#define VU_MAX_QUEUE_SIZE 32768 /* §2.7 */
#define VU_MAX_PAIRS VIRTIO_MAX_QUEUE_PAIRS
#define VU_MAX_VQS (2 * VU_MAX_PAIRS + 1) /* the queue pairs and the control queue */
#define VU_CTRL_DESC 64
#define VU_NET_OK 0 /* §5.1.6.5: the control queue's ack */
#define VU_NET_ERR 1
#define VU_TIMEOUT_MS 5000 /* for each reply of the backend */
#define VU_DRAIN_MS 1000   /* stop: for the backend to take the TX ring's last frames */

/* What the rings and the PMD can use of the backend's offer. */
#define VU_FEATURES                                                             \
	(VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX) | \
	 VIRTIO_BIT(VIRTIO_F_RING_PACKED) | VIRTIO_BIT(VIRTIO_F_IN_ORDER) |     \
	 VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF) | VIRTIO_BIT(VIRTIO_NET_F_CSUM) |   \
	 VIRTIO_BIT(VIRTIO_NET_F_GUEST_CSUM))
/* What this transport offers itself: the configuration space (MAC, link status) and the
 * control queue are ours. */
#define VU_FRONTEND_FEATURES                                              \
	(VIRTIO_BIT(VIRTIO_NET_F_MAC) | VIRTIO_BIT(VIRTIO_NET_F_STATUS) | \
	 VIRTIO_BIT(VIRTIO_NET_F_CTRL_VQ))
#define VU_PROTOCOL_FEATURES                                                                  \
	(VIRTIO_BIT(VHOST_USER_PROTOCOL_F_MQ) | VIRTIO_BIT(VHOST_USER_PROTOCOL_F_REPLY_ACK) | \
	 VIRTIO_BIT(VHOST_USER_PROTOCOL_F_STATUS))

struct virtio_user {
	struct virtio_hw hw;
	pthread_mutex_t lock; /* the socket and what follows: control path vs interrupt thread */
	char name[PX_VDEV_NAME_MAX];
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	bool server;
	bool mrg_rxbuf;
	bool in_order; /* in_order=: offer VIRTIO_F_IN_ORDER when the backend does */
	uint16_t queue_size;
	uint16_t nb_pairs;     /* queues= */
	uint16_t active_pairs; /* enabled in the backend (VQ_PAIRS_SET; 1 at first) */
	struct px_ether_addr mac;
	struct px_eth_dev *eth;     /* once attached */
	int listen_fd;              /* server=1: the listening socket, else -1 */
	int sock;                   /* the connection, -1 while there is none */
	uint64_t backend_features;  /* GET_FEATURES, with VHOST_USER_F_PROTOCOL_FEATURES */
	uint64_t protocol_features; /* negotiated */
	uint64_t features;          /* the driver's, as it last wrote them */
	uint8_t status;             /* the device status the driver sees */
	bool running;               /* the backend has the rings (DRIVER_OK sent through) */
	struct virtio_queue *vqs[VU_MAX_VQS];
	int kickfd[VU_MAX_VQS];
	int callfd[VU_MAX_VQS];
};

PX_LOG_REGISTER(virtio_user_logtype, "pmd.net.virtio_user", DEFAULT);
#define VU_LOG(lvl, ...) PX_LOG(lvl, virtio_user_logtype, __VA_ARGS__)

static struct virtio_user *vu_of(struct virtio_hw *hw)
{
	return px_container_of(hw, struct virtio_user, hw);
}

static bool vu_has_pf(const struct virtio_user *vu, unsigned int bit)
{
	return (vu->protocol_features & VIRTIO_BIT(bit)) != 0;
}

/* ---- messages (lock held) ----------------------------------------------------------------- */

static int vu_request(struct virtio_user *vu, struct vhost_user_msg *msg)
{
	uint32_t request = msg->hdr.request;
	int ret;

	if (vu->sock < 0)
		return -ENOTCONN;
	ret = vhost_user_request(vu->sock, msg, vu_has_pf(vu, VHOST_USER_PROTOCOL_F_REPLY_ACK),
				 VU_TIMEOUT_MS);
	if (ret < 0)
		VU_LOG(ERR, "%s: vhost-user %s: %s", vu->name, vhost_user_req_name(request),
		       strerror(-ret));
	return ret;
}

static int vu_u64(struct virtio_user *vu, uint32_t request, uint64_t v)
{
	struct vhost_user_msg msg;

	vhost_user_msg_init(&msg, request, sizeof(msg.payload.u64));
	msg.payload.u64 = v;
	return vu_request(vu, &msg);
}

static int vu_get_u64(struct virtio_user *vu, uint32_t request, uint64_t *v)
{
	struct vhost_user_msg msg;
	int ret;

	vhost_user_msg_init(&msg, request, 0);
	ret = vu_request(vu, &msg);
	if (ret == 0)
		*v = msg.payload.u64;
	return ret;
}

static int vu_state(struct virtio_user *vu, uint32_t request, uint32_t index, uint32_t num)
{
	struct vhost_user_msg msg;

	vhost_user_msg_init(&msg, request, sizeof(msg.payload.state));
	msg.payload.state.index = index;
	msg.payload.state.num = num;
	return vu_request(vu, &msg);
}

/* SET_VRING_KICK / SET_VRING_CALL: the eventfd travels with the message. */
static int vu_vring_fd(struct virtio_user *vu, uint32_t request, uint32_t index, int fd)
{
	struct vhost_user_msg msg;

	vhost_user_msg_init(&msg, request, sizeof(msg.payload.u64));
	msg.payload.u64 = index;
	msg.fds[0] = fd;
	msg.nfds = 1;
	return vu_request(vu, &msg);
}

/* One region per EAL segment: its fd from offset 0, guest_phys_addr its IOVA. */
static int vu_region_add(const struct px_memseg *ms, void *arg)
{
	struct vhost_user_msg *msg = arg;
	struct vhost_user_memory *m = &msg->payload.memory;

	if (ms->fd < 0)
		return -ENOTSUP;
	if (m->nregions == VHOST_MEMORY_BASELINE_NREGIONS)
		return -E2BIG;
	m->regions[m->nregions] = (struct vhost_user_mem_region){
		.guest_phys_addr = ms->iova,
		.memory_size = ms->len,
		.userspace_addr = (uint64_t)(uintptr_t)ms->addr,
		.mmap_offset = 0,
	};
	msg->fds[m->nregions++] = ms->fd;
	return 0;
}

static int vu_mem_table_build(const char *name, struct vhost_user_msg *msg)
{
	int ret;

	vhost_user_msg_init(msg, VHOST_USER_SET_MEM_TABLE, 0);
	msg->payload.memory.nregions = 0;
	msg->payload.memory.padding = 0;
	ret = px_memseg_walk(vu_region_add, msg);
	if (ret == -ENOTSUP)
		VU_LOG(ERR,
		       "%s: the EAL's memory is not file-backed (--no-huge): it cannot be shared "
		       "with a vhost-user backend; run with hugepages",
		       name);
	else if (ret == -E2BIG)
		VU_LOG(ERR,
		       "%s: more than %u memory segments to share with the backend: give the EAL "
		       "its memory up front (-m) so it comes in fewer, larger segments",
		       name, VHOST_MEMORY_BASELINE_NREGIONS);
	else if (ret == 0 && msg->payload.memory.nregions == 0)
		ret = -ENOMEM;
	if (ret < 0)
		return ret;
	msg->hdr.size = VHOST_USER_MEMORY_SIZE(msg->payload.memory.nregions);
	msg->nfds = msg->payload.memory.nregions;
	return 0;
}

/* ---- the device: connect, start, stop (lock held) ----------------------------------------- */

/* queues=N > 1: the backend must take that many pairs (MQ, and GET_QUEUE_NUM says how many). */
static int vu_check_mq(struct virtio_user *vu)
{
	uint64_t n = 1;
	int ret = 0;

	if (vu_has_pf(vu, VHOST_USER_PROTOCOL_F_MQ) &&
	    (vu->backend_features & VIRTIO_BIT(VIRTIO_NET_F_MQ)))
		ret = vu_get_u64(vu, VHOST_USER_GET_QUEUE_NUM, &n);
	if (ret == 0 && n < vu->nb_pairs) {
		VU_LOG(ERR,
		       "%s: queues=%u, but the backend at %s takes %" PRIu64 " queue pair(s) "
		       "(dpdk-testpmd: --vdev net_vhost0,iface=...,queues=%u)",
		       vu->name, vu->nb_pairs, vu->path, n, vu->nb_pairs);
		ret = -ENOTSUP;
	}
	return ret;
}

/* SET_OWNER, the backend's features and the protocol features both sides know. */
static int vu_handshake(struct virtio_user *vu)
{
	struct vhost_user_msg msg;
	uint64_t pf = 0;
	int ret;

	vu->protocol_features = 0;
	vhost_user_msg_init(&msg, VHOST_USER_SET_OWNER, 0);
	ret = vu_request(vu, &msg);
	if (ret == 0)
		ret = vu_get_u64(vu, VHOST_USER_GET_FEATURES, &vu->backend_features);
	if (ret < 0 || !(vu->backend_features & VIRTIO_BIT(VHOST_USER_F_PROTOCOL_FEATURES)))
		return ret;
	ret = vu_get_u64(vu, VHOST_USER_GET_PROTOCOL_FEATURES, &pf);
	if (ret == 0)
		ret = vu_u64(vu, VHOST_USER_SET_PROTOCOL_FEATURES, pf & VU_PROTOCOL_FEATURES);
	if (ret == 0)
		vu->protocol_features = pf & VU_PROTOCOL_FEATURES;
	return ret == 0 && vu->nb_pairs > 1 ? vu_check_mq(vu) : ret;
}

/* Where the backend takes up a ring: split, the used index it wrote (DPDK's backend resets to
 * it too); packed, the position after the last used descriptor, walked from the driver's used
 * position over the chains it has not taken back yet, in order over whole batches
 * (virtio_packed_used_end). */
static uint32_t vu_vring_base(const struct virtio_queue *vq)
{
	uint16_t pos;
	bool wrap;

	if (!vq->packed_ring)
		return le16toh(vq->split.used->idx);
	pos = virtio_packed_used_end(vq, &wrap);
	return pos | (wrap ? VHOST_USER_PACKED_WRAP : 0);
}

/* One ring: call fd, size, where the backend starts, addresses (ours), kick fd. */
static int vu_vring_start(struct virtio_user *vu, struct virtio_queue *vq)
{
	uint32_t i = vq->vq_index;
	struct vhost_user_msg msg;
	int ret;

	ret = vu_vring_fd(vu, VHOST_USER_SET_VRING_CALL, i, vu->callfd[i]);
	if (ret == 0)
		ret = vu_state(vu, VHOST_USER_SET_VRING_NUM, i, vq->nb_desc);
	if (ret == 0)
		ret = vu_state(vu, VHOST_USER_SET_VRING_BASE, i, vu_vring_base(vq));
	if (ret < 0)
		return ret;
	/* the split ring's desc/avail/used and the packed ring's desc/driver/device overlay */
	vhost_user_msg_init(&msg, VHOST_USER_SET_VRING_ADDR, sizeof(msg.payload.addr));
	msg.payload.addr = (struct vhost_user_vring_addr){
		.index = i,
		.desc_user_addr = (uint64_t)(uintptr_t)vq->split.desc,
		.used_user_addr = (uint64_t)(uintptr_t)vq->split.used,
		.avail_user_addr = (uint64_t)(uintptr_t)vq->split.avail,
	};
	ret = vu_request(vu, &msg);
	if (ret == 0)
		ret = vu_vring_fd(vu, VHOST_USER_SET_VRING_KICK, i, vu->kickfd[i]);
	if (ret == 0 && (vu->backend_features & VIRTIO_BIT(VHOST_USER_F_PROTOCOL_FEATURES)))
		ret = vu_state(vu, VHOST_USER_SET_VRING_ENABLE, i, i / 2 < vu->active_pairs);
	return ret;
}

/* Data queue @i (RX 2k, TX 2k + 1) of the port's configured pairs, or NULL. A queue the port
 * released (reconfigured with fewer) is not looked at. */
static struct virtio_queue *vu_data_vq(const struct virtio_user *vu, unsigned int i)
{
	unsigned int pairs = vu->eth ? PX_MIN(vu->eth->nb_rx_queues, vu->eth->nb_tx_queues) : 0;

	return i / 2 < pairs ? vu->vqs[i] : NULL;
}

/* DRIVER_OK: features, memory, rings; then a kick each, for buffers made available before. */
static int vu_start(struct virtio_user *vu)
{
	uint64_t f = vu->features;
	struct vhost_user_msg msg;
	int ret;

	if (vu->backend_features & VIRTIO_BIT(VHOST_USER_F_PROTOCOL_FEATURES))
		f |= VIRTIO_BIT(VHOST_USER_F_PROTOCOL_FEATURES);
	f &= ~VU_FRONTEND_FEATURES;
	ret = vu_u64(vu, VHOST_USER_SET_FEATURES, f);
	if (ret == 0)
		ret = vu_mem_table_build(vu->name, &msg);
	if (ret == 0)
		ret = vu_request(vu, &msg);
	for (unsigned int i = 0; i < 2 * vu->nb_pairs && ret == 0; i++)
		if (vu_data_vq(vu, i))
			ret = vu_vring_start(vu, vu->vqs[i]);
	if (ret == 0 && vu_has_pf(vu, VHOST_USER_PROTOCOL_F_STATUS))
		ret = vu_u64(vu, VHOST_USER_SET_STATUS, vu->status);
	if (ret < 0)
		return ret;
	vu->running = true;
	for (unsigned int i = 0; i < 2 * vu->nb_pairs; i++)
		if (vu_data_vq(vu, i))
			virtio_kick_fd(vu->vqs[i]);
	VU_LOG(INFO, "%s: the backend at %s has the rings (features %#" PRIx64 ")", vu->name,
	       vu->path, vu->features);
	return 0;
}

/* A stopped port's TX frames reach the backend before the rings are taken back: wait (1 s at
 * most) until it has used every descriptor made available, so what the port counted as sent
 * was sent. */
static void vu_tx_drain(struct virtio_user *vu, struct virtio_queue *vq)
{
	uint32_t end =
		vq->avail_idx | (vq->packed_ring && vq->avail_wrap ? VHOST_USER_PACKED_WRAP : 0);
	unsigned int ms;

	for (ms = 0; ms < VU_DRAIN_MS && vu_vring_base(vq) != end; ms++)
		usleep(1000);
	VU_LOG(DEBUG, "%s: TX queue %u: %s after %u ms (used up to %#x, available up to %#x)",
	       vu->name, vq->vq_index / 2, ms < VU_DRAIN_MS ? "drained" : "not drained", ms,
	       vu_vring_base(vq), end);
}

/* Reset: the backend lets go of the rings (GET_VRING_BASE stops a ring in DPDK's and QEMU's
 * backends); they are ours again when the replies are in. */
static void vu_stop(struct virtio_user *vu)
{
	if (!vu->running)
		return;
	vu->running = false;
	/* every TX ring first: DPDK's backend stops all its rings at the first GET_VRING_BASE */
	for (uint32_t i = 1; i < 2u * vu->nb_pairs && vu->sock >= 0; i += 2)
		if (vu_data_vq(vu, i))
			vu_tx_drain(vu, vu->vqs[i]);
	for (uint32_t i = 0; i < 2u * vu->nb_pairs && vu->sock >= 0; i++) {
		struct vhost_user_msg msg;

		if (vu_data_vq(vu, i) == NULL)
			continue;
		if (vu->backend_features & VIRTIO_BIT(VHOST_USER_F_PROTOCOL_FEATURES))
			vu_state(vu, VHOST_USER_SET_VRING_ENABLE, i, 0);
		vhost_user_msg_init(&msg, VHOST_USER_GET_VRING_BASE, sizeof(msg.payload.state));
		msg.payload.state.index = i;
		msg.payload.state.num = 0;
		vu_request(vu, &msg);
	}
	if (vu->sock >= 0 && vu_has_pf(vu, VHOST_USER_PROTOCOL_F_STATUS))
		vu_u64(vu, VHOST_USER_SET_STATUS, 0);
}

static void vu_link_event(struct virtio_user *vu)
{
	if (vu->eth && vu->eth->conf.intr_conf.lsc)
		eth_dev_callback_process(vu->eth, PX_ETH_EVENT_INTR_LSC, NULL);
}

static void vu_sock_event(int fd, void *arg);

/* The backend is gone: the link is down; the rings stay as they are for the next one. */
static void vu_disconnect(struct virtio_user *vu)
{
	if (vu->sock < 0)
		return;
	px_intr_callback_unregister(vu->sock, vu_sock_event, vu);
	close(vu->sock);
	vu->sock = -1;
	vu->running = false;
	VU_LOG(WARNING, "%s: the vhost-user backend at %s went away: link down%s", vu->name,
	       vu->path, vu->server ? "; waiting for it to connect again" : "");
}

/* A new connection: handshake, and when the driver had started the device, start it again. */
static int vu_connected(struct virtio_user *vu, int sock)
{
	uint64_t missing;
	int ret;

	vu->sock = sock;
	ret = vu_handshake(vu);
	missing = vu->features & ~(vu->backend_features | VU_FRONTEND_FEATURES);
	if (ret == 0 && (vu->status & VIRTIO_STATUS_FEATURES_OK) && missing) {
		VU_LOG(ERR, "%s: the backend no longer offers features %#" PRIx64 " we use",
		       vu->name, missing);
		ret = -ENOTSUP;
	}
	if (ret == 0 && (vu->status & VIRTIO_STATUS_DRIVER_OK))
		ret = vu_start(vu);
	if (ret == 0)
		ret = px_intr_callback_register(sock, vu_sock_event, vu);
	if (ret < 0) {
		close(sock);
		vu->sock = -1;
		vu->running = false;
	}
	return ret;
}

/* ---- interrupt thread: the connection ----------------------------------------------------- */

/* The socket is readable: the backend closed it (no message comes unasked: we negotiate no
 * backend requests), or a stray message, read and dropped. */
static void vu_sock_event(int fd, void *arg)
{
	struct virtio_user *vu = arg;
	struct vhost_user_msg msg;
	bool gone;
	char c;
	ssize_t n;

	pthread_mutex_lock(&vu->lock);
	n = vu->sock == fd ? recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) : -1;
	if (vu->sock == fd && n > 0) {
		if (vhost_user_recv(fd, &msg, VHOST_USER_NONE, VU_TIMEOUT_MS) == 0) {
			VU_LOG(WARNING, "%s: unexpected vhost-user %s from the backend: ignored",
			       vu->name, vhost_user_req_name(msg.hdr.request));
			vhost_user_msg_close_fds(&msg);
		} else {
			vu_disconnect(vu);
		}
	} else if (vu->sock == fd && (n == 0 || (errno != EAGAIN && errno != EINTR))) {
		vu_disconnect(vu);
	}
	gone = vu->sock < 0;
	pthread_mutex_unlock(&vu->lock);
	if (gone)
		vu_link_event(vu);
}

/* server=1: a backend connects. One at a time: another is turned away. */
static void vu_listen_event(int fd, void *arg)
{
	struct virtio_user *vu = arg;
	int sock = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
	int ret;

	if (sock < 0)
		return;
	pthread_mutex_lock(&vu->lock);
	if (vu->sock >= 0) {
		VU_LOG(WARNING, "%s: a second vhost-user backend connected to %s: refused",
		       vu->name, vu->path);
		close(sock);
		pthread_mutex_unlock(&vu->lock);
		return;
	}
	ret = vu_connected(vu, sock);
	pthread_mutex_unlock(&vu->lock);
	if (ret == 0) {
		VU_LOG(INFO, "%s: a vhost-user backend connected to %s%s", vu->name, vu->path,
		       vu->running ? ": link up" : "");
		vu_link_event(vu);
	}
}

/* ---- the control queue, served here ------------------------------------------------------- */

/* The address of @len bytes at @iova in the control queue's command buffer, or NULL. */
static uint8_t *vu_ctrl_va(const struct virtio_queue *vq, uint64_t iova, uint32_t len)
{
	uint64_t off = iova - vq->ctrl_buf_iova;

	if (iova < vq->ctrl_buf_iova || off + len > virtio_ctrl_buf_size())
		return NULL;
	return (uint8_t *)vq->ctrl_buf + off;
}

/* §5.1.6.5.6 VQ_PAIRS_SET: that many pairs enabled in the backend; nothing else is offered. */
static uint8_t vu_ctrl_handle(struct virtio_user *vu, const uint8_t *cmd, uint32_t len)
{
	uint16_t n;

	if (len < 4 || cmd[0] != VIRTIO_NET_CTRL_MQ || cmd[1] != VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET)
		return VU_NET_ERR;
	memcpy(&n, cmd + 2, sizeof(n));
	n = le16toh(n);
	if (n < 1 || n > vu->nb_pairs)
		return VU_NET_ERR;
	pthread_mutex_lock(&vu->lock);
	vu->active_pairs = n;
	for (uint32_t i = 0; vu->running && i < 2u * vu->nb_pairs; i++)
		if (vu_data_vq(vu, i))
			vu_state(vu, VHOST_USER_SET_VRING_ENABLE, i, i / 2 < n);
	pthread_mutex_unlock(&vu->lock);
	return VU_NET_OK;
}

/* The driver kicked the control queue (virtio_ctrl.c: one command at a time, a chain of two
 * descriptors under id 0, the command then the ack byte): play the device, in the driver's
 * thread. The chain is where the driver put it; the used entry goes where it polls. */
static void vu_ctrl_kick(struct virtio_queue *vq)
{
	uint64_t cmd_iova, ack_iova;
	uint16_t head = 0, u;
	uint8_t *cmd, *ack;
	uint32_t len;

	if (vq->packed_ring) {
		volatile struct vring_packed_desc *d = vq->packed.desc;

		cmd_iova = le64toh(d[vq->used_idx].addr);
		len = le32toh(d[vq->used_idx].len);
		ack_iova = le64toh(d[(vq->used_idx + 1) % vq->nb_desc].addr);
	} else {
		head = le16toh(vq->split.avail->ring[(uint16_t)(vq->avail_idx - 1) & vq->mask]);
		cmd_iova = le64toh(vq->split.desc[head].addr);
		len = le32toh(vq->split.desc[head].len);
		ack_iova = le64toh(vq->split.desc[le16toh(vq->split.desc[head].next)].addr);
	}
	cmd = vu_ctrl_va(vq, cmd_iova, len);
	ack = vu_ctrl_va(vq, ack_iova, 1);
	if (ack == NULL)
		return; /* not our command buffer: the driver times out */
	*ack = cmd ? vu_ctrl_handle(vq->kick_arg, cmd, len) : VU_NET_ERR;
	px_io_wmb(); /* the ack before the used entry */
	if (vq->packed_ring) {
		vq->packed.desc[vq->used_idx].len = htole32(1);
		px_io_wmb();
		vq->packed.desc[vq->used_idx].flags = htole16(
			vq->used_wrap ? VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED : 0);
	} else {
		u = le16toh(vq->split.used->idx);
		vq->split.used->ring[u & vq->mask].id = htole32(head);
		vq->split.used->ring[u & vq->mask].len = htole32(1);
		px_io_wmb();
		vq->split.used->idx = htole16((uint16_t)(u + 1));
	}
}

/* ---- transport ops ------------------------------------------------------------------------ */

static int vu_reset(struct virtio_hw *hw)
{
	struct virtio_user *vu = vu_of(hw);

	pthread_mutex_lock(&vu->lock);
	vu_stop(vu);
	vu->status = 0;
	pthread_mutex_unlock(&vu->lock);
	return 0;
}

static uint8_t vu_status(struct virtio_hw *hw)
{
	return vu_of(hw)->status;
}

/* DRIVER_OK starts the device when a backend is there; without one (server=1, between
 * backends) it starts when one connects, and the link is down until then. */
static void vu_status_set(struct virtio_hw *hw, uint8_t bits)
{
	struct virtio_user *vu = vu_of(hw);
	int ret;

	pthread_mutex_lock(&vu->lock);
	vu->status |= bits;
	if ((bits & VIRTIO_STATUS_DRIVER_OK) && vu->sock >= 0 && !vu->running) {
		ret = vu_start(vu);
		if (ret == -EPIPE || ret == -ECONNRESET || ret == -ETIMEDOUT)
			vu_disconnect(vu);
		else if (ret < 0)
			vu->status |= VIRTIO_STATUS_FAILED;
	}
	pthread_mutex_unlock(&vu->lock);
}

static uint64_t vu_device_features(struct virtio_hw *hw)
{
	struct virtio_user *vu = vu_of(hw);
	uint64_t f = (vu->backend_features & VU_FEATURES) | VU_FRONTEND_FEATURES;

	if (!vu->mrg_rxbuf)
		f &= ~VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF);
	if (!vu->in_order)
		f &= ~VIRTIO_BIT(VIRTIO_F_IN_ORDER);
	if (vu->nb_pairs > 1)
		f |= VIRTIO_BIT(VIRTIO_NET_F_MQ); /* the handshake checked the backend's */
	else
		f &= ~VIRTIO_BIT(VIRTIO_NET_F_CTRL_VQ);
	return f;
}

static void vu_driver_features(struct virtio_hw *hw, uint64_t features)
{
	vu_of(hw)->features = features;
}

static uint16_t vu_queue_max(struct virtio_hw *hw, uint16_t q)
{
	struct virtio_user *vu = vu_of(hw);

	if (q < 2 * vu->nb_pairs)
		return vu->queue_size;
	return q == 2 * vu->nb_pairs && vu->nb_pairs > 1 ? VU_CTRL_DESC : 0;
}

/* The rings reach the backend at DRIVER_OK (vu_start); here a data queue gets its kick fd, the
 * control queue our handler. */
static int vu_queue_setup(struct virtio_hw *hw, struct virtio_queue *vq, uint16_t vector)
{
	struct virtio_user *vu = vu_of(hw);

	(void)vector; /* every data queue has its call fd */
	if (vq->vq_index > 2 * vu->nb_pairs)
		return -EIO;
	pthread_mutex_lock(&vu->lock);
	vu->vqs[vq->vq_index] = vq;
	vq->notify = NULL;
	vq->kick_fd = vu->kickfd[vq->vq_index];
	vq->kick = vq->vq_index == 2 * vu->nb_pairs ? vu_ctrl_kick : virtio_kick_fd;
	vq->kick_arg = vu;
	pthread_mutex_unlock(&vu->lock);
	return 0;
}

/* The configuration space (§5.1.4) is ours: the MAC, the link (up while the backend has the
 * rings), the queue pairs. */
static void vu_read_dev_config(struct virtio_hw *hw, uint32_t off, void *buf, uint32_t len)
{
	struct virtio_user *vu = vu_of(hw);
	uint8_t cfg[VIRTIO_NET_CFG_DUPLEX + 1] = {0};
	uint16_t v = htole16(vu->running ? VIRTIO_NET_S_LINK_UP : 0);

	memcpy(cfg + VIRTIO_NET_CFG_MAC, vu->mac.addr_bytes, PX_ETHER_ADDR_LEN);
	memcpy(cfg + VIRTIO_NET_CFG_STATUS, &v, sizeof(v));
	v = htole16(vu->nb_pairs);
	memcpy(cfg + VIRTIO_NET_CFG_MAX_PAIRS, &v, sizeof(v));
	memset(buf, 0, len);
	if (off < sizeof(cfg))
		memcpy(buf, cfg + off, PX_MIN(len, (uint32_t)(sizeof(cfg) - off)));
}

/* RX queue q's interrupt is its call eventfd: the backend signals it when the ring asks. */
static int vu_intr_vectors(struct virtio_hw *hw, unsigned int n, int *fds)
{
	struct virtio_user *vu = vu_of(hw);

	if (n > vu->nb_pairs)
		return -ENOTSUP;
	for (unsigned int q = 0; q < n; q++)
		fds[q] = vu->callfd[2 * q];
	return 0;
}

static void vu_free(struct virtio_user *vu)
{
	if (vu->listen_fd >= 0) {
		px_intr_callback_unregister(vu->listen_fd, vu_listen_event, vu);
		close(vu->listen_fd);
		if (vu->server)
			unlink(vu->path);
	}
	if (vu->sock >= 0) {
		px_intr_callback_unregister(vu->sock, vu_sock_event, vu);
		close(vu->sock);
	}
	for (unsigned int i = 0; i < VU_MAX_VQS; i++) {
		if (vu->kickfd[i] >= 0)
			close(vu->kickfd[i]);
		if (vu->callfd[i] >= 0)
			close(vu->callfd[i]);
	}
	pthread_mutex_destroy(&vu->lock);
	free(vu);
}

/* The port is closed (the device was reset: the backend has let go of the rings). */
static int vu_close(struct virtio_hw *hw, bool removed)
{
	(void)removed;
	vu_free(vu_of(hw));
	return 0;
}

static const struct virtio_transport virtio_user_ops = {
	.reset = vu_reset,
	.status = vu_status,
	.status_set = vu_status_set,
	.device_features = vu_device_features,
	.driver_features = vu_driver_features,
	.queue_max = vu_queue_max,
	.queue_setup = vu_queue_setup,
	.read_dev_config = vu_read_dev_config,
	.intr_vectors = vu_intr_vectors,
	.close = vu_close,
};

/* ---- devargs ------------------------------------------------------------------------------ */

static int vu_parse_mac(const char *key, const char *value, void *opaque)
{
	unsigned int b[PX_ETHER_ADDR_LEN];
	struct px_ether_addr *mac = opaque;
	char end;

	if (sscanf(value, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &end) !=
	    PX_ETHER_ADDR_LEN) {
		VU_LOG(ERR, VU_DRIVER_NAME ": %s=%s: expected a MAC address xx:xx:xx:xx:xx:xx", key,
		       value);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < PX_ETHER_ADDR_LEN; i++)
		mac->addr_bytes[i] = (uint8_t)b[i];
	return 0;
}

static int vu_parse(struct virtio_user *vu, struct virtio_adapter *ad, const char *name,
		    const struct px_kvargs *args)
{
	const char *path = args ? px_kvargs_get(args, "path") : NULL;
	const char *queues = px_kvargs_get(args, "queues");
	uint64_t qsize = VU_DEFAULT_QUEUE_SIZE;
	unsigned long pairs = 1;
	char *end = NULL;
	bool packed = false;
	int ret;

	if (path == NULL || *path == '\0' || strlen(path) >= sizeof(vu->path)) {
		VU_LOG(ERR, "%s: path=<vhost-user socket> is required (at most %zu bytes)", name,
		       sizeof(vu->path) - 1);
		return -EINVAL;
	}
	snprintf(vu->path, sizeof(vu->path), "%s", path);
	vu->mrg_rxbuf = true;
	vu->in_order = true; /* DPDK 22.11's default too */
	if (queues)
		pairs = strtoul(queues, &end, 10);
	if (queues && (*queues == '\0' || *end != '\0' || pairs < 1 || pairs > VU_MAX_PAIRS)) {
		VU_LOG(ERR, "%s: queues=%s: expected 1 to %u queue pairs", name, queues,
		       VU_MAX_PAIRS);
		return -EINVAL;
	}
	vu->nb_pairs = (uint16_t)pairs;
	vu->active_pairs = 1;
	ret = px_kvargs_get_u64(args, "queue_size", 64, VU_MAX_QUEUE_SIZE, &qsize);
	if (ret < 0)
		return ret;
	if (qsize & (qsize - 1)) {
		VU_LOG(ERR, "%s: queue_size=%" PRIu64 ": expected a power of two", name, qsize);
		return -EINVAL;
	}
	vu->queue_size = (uint16_t)qsize;
	ret = px_kvargs_get_bool(args, "server", &vu->server);
	if (ret == 0)
		ret = px_kvargs_get_bool(args, "mrg_rxbuf", &vu->mrg_rxbuf);
	if (ret == 0)
		ret = px_kvargs_get_bool(args, "in_order", &vu->in_order);
	if (ret == 0)
		ret = px_kvargs_get_bool(args, "packed_vq", &packed);
	if (ret == 0)
		ret = px_kvargs_process(args, "mac", vu_parse_mac, &vu->mac);
	if (ret < 0)
		return -EINVAL;
	ad->packed_arg = packed; /* DPDK's default too: split rings unless packed_vq=1 */
	return 0;
}

/* ---- connection --------------------------------------------------------------------------- */

static int vu_socket(struct virtio_user *vu, struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	snprintf(sa->sun_path, sizeof(sa->sun_path), "%s", vu->path);
	return fd < 0 ? -errno : fd;
}

static int vu_connect(struct virtio_user *vu)
{
	struct sockaddr_un sa;
	int fd = vu_socket(vu, &sa), ret;

	if (fd < 0)
		return fd;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		VU_LOG(ERR,
		       "%s: cannot connect to the vhost-user socket %s: %s (start the backend "
		       "first, e.g. dpdk-testpmd --vdev net_vhost0,iface=%s, or use server=1)",
		       vu->name, vu->path, strerror(-ret), vu->path);
		close(fd);
		return ret;
	}
	return fd;
}

/* server=1: listen at path (a stale socket file there is replaced) and wait for the backend. */
static int vu_listen_accept(struct virtio_user *vu)
{
	struct sockaddr_un sa;
	struct stat st;
	int fd = vu_socket(vu, &sa), sock;

	if (fd < 0)
		return fd;
	if (stat(vu->path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(vu->path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
		sock = -errno;
		VU_LOG(ERR, "%s: cannot listen on %s: %s", vu->name, vu->path, strerror(-sock));
		close(fd);
		return sock;
	}
	vu->listen_fd = fd;
	VU_LOG(INFO, "%s: waiting for a vhost-user backend to connect to %s", vu->name, vu->path);
	do
		sock = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
	while (sock < 0 && errno == EINTR);
	return sock < 0 ? -errno : sock;
}

/* ---- probe -------------------------------------------------------------------------------- */

static struct virtio_user *vu_alloc(const char *name)
{
	struct virtio_user *vu = calloc(1, sizeof(*vu));

	if (vu == NULL)
		return NULL;
	pthread_mutex_init(&vu->lock, NULL);
	snprintf(vu->name, sizeof(vu->name), "%s", name);
	vu->hw.ops = &virtio_user_ops;
	vu->hw.name = vu->name;
	vu->listen_fd = -1;
	vu->sock = -1;
	for (unsigned int i = 0; i < VU_MAX_VQS; i++) {
		vu->kickfd[i] = -1;
		vu->callfd[i] = -1;
	}
	px_ether_addr_random(&vu->mac);
	return vu;
}

/* A kick and a call eventfd for each data queue. */
static int vu_eventfds(struct virtio_user *vu)
{
	for (unsigned int i = 0; i < 2u * vu->nb_pairs; i++) {
		vu->kickfd[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		vu->callfd[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (vu->kickfd[i] < 0 || vu->callfd[i] < 0)
			return -errno;
	}
	return 0;
}

static int vu_probe(const char *name, const struct px_kvargs *args)
{
	struct virtio_adapter *ad = calloc(1, sizeof(*ad));
	struct virtio_user *vu = vu_alloc(name);
	struct vhost_user_msg msg;
	int ret = -ENOMEM, sock;

	if (ad == NULL || vu == NULL)
		goto free;
	ret = vu_parse(vu, ad, name, args);
	if (ret == 0)
		ret = vu_eventfds(vu);
	if (ret == 0)
		ret = vu_mem_table_build(name, &msg); /* refuse --no-huge before connecting */
	if (ret < 0)
		goto free;
	sock = vu->server ? vu_listen_accept(vu) : vu_connect(vu);
	if (sock < 0) {
		ret = sock;
		goto free;
	}
	pthread_mutex_lock(&vu->lock);
	ret = vu_connected(vu, sock);
	pthread_mutex_unlock(&vu->lock);
	if (ret == 0 && vu->server)
		ret = px_intr_callback_register(vu->listen_fd, vu_listen_event, vu);
	if (ret < 0)
		goto free;
	ad->hw = &vu->hw;
	ret = virtio_attach(ad, name);
	if (ret < 0)
		goto free;
	vu->eth = ad->eth;
	vu->eth->dev_flags |= PX_ETH_DEV_F_INTR_LSC;
	VU_LOG(INFO, "%s: vhost-user %s %s, protocol features %#" PRIx64, name,
	       vu->server ? "server on" : "client of", vu->path, vu->protocol_features);
	return 0;

free:
	if (vu)
		vu_free(vu);
	free(ad);
	return ret;
}

static struct px_vdev_driver virtio_user_driver = {
	.name = VU_DRIVER_NAME,
	.params = VU_PARAMS,
	.probe = vu_probe,
	.remove = eth_dev_close_by_name,
};

VDEV_DRIVER_INIT(virtio_user_register, virtio_user_driver)
