/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ports seen from outside the process: the /ethdev/ telemetry commands (DPDK's names and
 * answers) and packet capture, which one of them starts (px_capture.h).
 *
 * Capture. While a capture tool is connected, the burst functions in px_eth_fp_ops[port] are
 * the capture's (cap_rx_NN/cap_tx_NN, one pair per port), which call the driver's and copy each
 * packet into a free slot and pass it through a ring to the capture thread; with no capture
 * they are the driver's and a burst pays nothing for the hook. The lcores never wait: no slot,
 * no copy (counted in `drops`). A session ends only after every burst that may have seen it has
 * left it: a burst counts itself in cap_inflight before it reads cap_session (both seq_cst),
 * and the end clears cap_session then waits for cap_inflight to reach 0.
 *
 * These commands are registered by a constructor in this file, which every program that moves
 * packets links (the inline bursts reference it).
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <px_lcore.h>
#include <px_mbuf.h>
#include <px_ring.h>
#include <px_telemetry.h>
#include <telemetry_server.h>

#include "ethdev_driver.h"
#include "ethdev_telemetry.h"
#include "px_capture.h"

/* ---- the commands ------------------------------------------------------------------------ */

/* The port named by @params ("0"). Returns 0 or -EINVAL/-ENODEV. */
static int tel_port(const char *params, uint16_t *port)
{
	char *end;
	unsigned long v;

	if (params == NULL || params[0] < '0' || params[0] > '9')
		return -EINVAL;
	v = strtoul(params, &end, 10);
	if (*end != '\0' || v >= PX_MAX_ETHPORTS)
		return -EINVAL;
	if (!px_eth_dev_is_valid_port((uint16_t)v))
		return -ENODEV;
	*port = (uint16_t)v;
	return 0;
}

static int ethdev_list_cmd(const char *cmd, const char *params, struct px_tel_data *d)
{
	uint16_t p;

	(void)cmd;
	(void)params;
	px_tel_start_array(d, NULL);
	PX_ETH_FOREACH_DEV (p)
		px_tel_add_int(d, NULL, p);
	px_tel_end(d);
	return 0;
}

static void tel_mac(struct px_tel_data *d, const char *key, const struct px_ether_addr *a)
{
	char s[18];

	snprintf(s, sizeof(s), "%02X:%02X:%02X:%02X:%02X:%02X", a->addr_bytes[0], a->addr_bytes[1],
		 a->addr_bytes[2], a->addr_bytes[3], a->addr_bytes[4], a->addr_bytes[5]);
	px_tel_add_string(d, key, s);
}

static int ethdev_info_cmd(const char *cmd, const char *params, struct px_tel_data *d)
{
	struct px_eth_dev_info info;
	struct px_eth_dev *dev;
	uint16_t port;
	int ret;

	(void)cmd;
	ret = tel_port(params, &port);
	if (ret == 0)
		ret = px_eth_dev_info_get(port, &info);
	if (ret < 0)
		return ret;
	dev = eth_dev_get(port);
	px_tel_start_dict(d, NULL);
	px_tel_add_string(d, "name", dev->name);
	px_tel_add_string(d, "driver_name", info.driver_name);
	px_tel_add_int(d, "state", dev->state);
	px_tel_add_int(d, "port_id", port);
	px_tel_add_int(d, "socket_id", dev->socket_id);
	px_tel_add_int(d, "started", dev->started);
	px_tel_add_int(d, "mtu", dev->mtu);
	px_tel_add_int(d, "nb_rx_queues", dev->nb_rx_queues);
	px_tel_add_int(d, "nb_tx_queues", dev->nb_tx_queues);
	px_tel_add_int(d, "max_rx_queues", info.max_rx_queues);
	px_tel_add_int(d, "max_tx_queues", info.max_tx_queues);
	px_tel_add_int(d, "min_mtu", info.min_mtu);
	px_tel_add_int(d, "max_mtu", info.max_mtu);
	px_tel_add_int(d, "max_rx_pktlen", info.max_rx_pktlen);
	px_tel_add_int(d, "promiscuous", dev->promiscuous);
	px_tel_add_int(d, "all_multicast", dev->all_multicast);
	px_tel_add_uint(d, "rx_offloads", dev->conf.rxmode.offloads);
	px_tel_add_uint(d, "tx_offloads", dev->conf.txmode.offloads);
	px_tel_add_uint(d, "rx_offload_capa", info.rx_offload_capa);
	px_tel_add_uint(d, "tx_offload_capa", info.tx_offload_capa);
	px_tel_add_uint(d, "flow_type_rss_offloads", info.flow_type_rss_offloads);
	px_tel_add_int(d, "if_index", info.if_index);
	tel_mac(d, "mac_addr", &dev->mac);
	px_tel_end(d);
	return 0;
}

static void tel_queue_array(struct px_tel_data *d, const char *key, const uint64_t *v)
{
	px_tel_start_array(d, key);
	for (unsigned int i = 0; i < PX_ETH_QUEUE_STAT_CNTRS; i++)
		px_tel_add_uint(d, NULL, v[i]);
	px_tel_end(d);
}

static int ethdev_stats_cmd(const char *cmd, const char *params, struct px_tel_data *d)
{
	struct px_eth_stats st;
	uint16_t port;
	int ret;

	(void)cmd;
	ret = tel_port(params, &port);
	if (ret == 0)
		ret = px_eth_stats_get(port, &st);
	if (ret < 0)
		return ret;
	px_tel_start_dict(d, NULL);
	px_tel_add_uint(d, "ipackets", st.ipackets);
	px_tel_add_uint(d, "opackets", st.opackets);
	px_tel_add_uint(d, "ibytes", st.ibytes);
	px_tel_add_uint(d, "obytes", st.obytes);
	px_tel_add_uint(d, "imissed", st.imissed);
	px_tel_add_uint(d, "ierrors", st.ierrors);
	px_tel_add_uint(d, "oerrors", st.oerrors);
	px_tel_add_uint(d, "rx_nombuf", st.rx_nombuf);
	tel_queue_array(d, "q_ipackets", st.q_ipackets);
	tel_queue_array(d, "q_opackets", st.q_opackets);
	tel_queue_array(d, "q_ibytes", st.q_ibytes);
	tel_queue_array(d, "q_obytes", st.q_obytes);
	tel_queue_array(d, "q_errors", st.q_errors);
	px_tel_end(d);
	return 0;
}

static int ethdev_xstats_cmd(const char *cmd, const char *params, struct px_tel_data *d)
{
	struct px_eth_xstat_name *names = NULL;
	struct px_eth_xstat *vals = NULL;
	uint16_t port;
	int n, ret;

	(void)cmd;
	ret = tel_port(params, &port);
	if (ret < 0)
		return ret;
	n = px_eth_xstats_get_names(port, NULL, 0);
	if (n < 0)
		return n;
	names = calloc((size_t)n + 1, sizeof(*names));
	vals = calloc((size_t)n + 1, sizeof(*vals));
	ret = -ENOMEM;
	if (names == NULL || vals == NULL)
		goto out;
	/* The count may change between the calls (queues reconfigured): take the smaller. */
	ret = px_eth_xstats_get_names(port, names, (unsigned int)n);
	if (ret >= 0 && ret <= n)
		ret = PX_MIN(ret, px_eth_xstats_get(port, vals, (unsigned int)n));
	if (ret < 0 || ret > n) {
		ret = ret < 0 ? ret : -EAGAIN;
		goto out;
	}
	px_tel_start_dict(d, NULL);
	for (int i = 0; i < ret; i++)
		px_tel_add_uint(d, names[i].name, vals[i].value);
	px_tel_end(d);
	ret = 0;
out:
	free(names);
	free(vals);
	return ret;
}

static int ethdev_link_cmd(const char *cmd, const char *params, struct px_tel_data *d)
{
	struct px_eth_link link;
	uint16_t port;
	int ret;

	(void)cmd;
	ret = tel_port(params, &port);
	if (ret == 0)
		ret = px_eth_link_get_nowait(port, &link);
	if (ret < 0)
		return ret;
	px_tel_start_dict(d, NULL);
	px_tel_add_string(d, "status", link.link_status ? "UP" : "DOWN");
	if (link.link_status) {
		px_tel_add_uint(d, "speed", link.link_speed);
		px_tel_add_string(d, "duplex", link.link_duplex ? "full-duplex" : "half-duplex");
	}
	px_tel_end(d);
	return 0;
}

/* ---- capture ----------------------------------------------------------------------------- */

#define CAP_SLOTS 2048   /* packets in flight between the lcores and the capture thread */
#define CAP_TX_BURST 256 /* the most a TX burst sends while captured (copies kept on the stack) */

struct cap_session {
	uint16_t port;
	uint8_t dirs; /* PX_CAPTURE_RX | PX_CAPTURE_TX */
	uint32_t snaplen;
	size_t slot_size;
	char *slots;          /* CAP_SLOTS slots: a px_capture_rec and snaplen bytes each */
	struct px_ring *free; /* slots the lcores may fill (mp/mc) */
	struct px_ring *full; /* slots for the capture thread (mp/sc) */
	uint64_t drops;       /* atomic: packets not copied */
	int listen_fd;
	int conn_fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static struct cap_session *cap_session; /* seq_cst: the session the bursts may use */
static unsigned int cap_inflight;       /* seq_cst: bursts inside a session */
static pthread_mutex_t cap_lock = PTHREAD_MUTEX_INITIALIZER;
static bool cap_busy; /* under cap_lock: a session exists (starting, running or ending) */

static struct cap_session *cap_enter(void)
{
	struct cap_session *s;

	__atomic_fetch_add(&cap_inflight, 1, __ATOMIC_SEQ_CST);
	s = __atomic_load_n(&cap_session, __ATOMIC_SEQ_CST);
	if (s == NULL)
		__atomic_fetch_sub(&cap_inflight, 1, __ATOMIC_RELEASE);
	return s;
}

static void cap_leave(void)
{
	__atomic_fetch_sub(&cap_inflight, 1, __ATOMIC_RELEASE);
}

static uint64_t cap_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts); /* the vDSO: no system call */
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Copy @m into a free slot. Returns the slot, or NULL (counted as a drop) when none is free. */
static struct px_capture_rec *cap_copy(struct cap_session *s, const struct px_mbuf *m,
				       uint16_t queue, uint8_t dir, uint64_t ts)
{
	struct px_capture_rec *r;
	uint32_t left, off = 0;
	char *data;

	if (px_ring_mc_dequeue(s->free, (void **)&r) != 0) {
		__atomic_fetch_add(&s->drops, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	r->ts_ns = ts;
	r->orig_len = m->pkt_len;
	r->cap_len = PX_MIN(m->pkt_len, s->snaplen);
	r->port = s->port;
	r->queue = queue;
	r->dir = dir;
	data = (char *)(r + 1);
	for (left = r->cap_len; m != NULL && left > 0; m = m->next) {
		uint32_t n = PX_MIN(left, (uint32_t)m->data_len);

		memcpy(data + off, px_pktmbuf_mtod(m, const char *), n);
		off += n;
		left -= n;
	}
	r->cap_len = off; /* a chain shorter than pkt_len says: what it holds */
	return r;
}

static void cap_commit(struct cap_session *s, struct px_capture_rec *r)
{
	r->drops = __atomic_load_n(&s->drops, __ATOMIC_RELAXED);
	/* full has room for every slot: this cannot fail */
	px_ring_mp_enqueue(s->full, r);
}

/* The driver's bursts of each port whose px_eth_fp_ops a capture has swapped: set when the
 * capture's bursts are put in, never cleared, so a burst that read the capture's function just
 * before a capture ended still finds the driver's. */
static px_eth_rx_burst_t cap_drv_rx[PX_MAX_ETHPORTS];
static px_eth_tx_burst_t cap_drv_tx[PX_MAX_ETHPORTS];

/* The queue id of driver queue @q (for the record); bursts come only from started queues. */
static uint16_t cap_queue_id(void *const *queues, uint16_t nb, const void *q)
{
	uint16_t i = 0;

	while (i < nb && queues[i] != q)
		i++;
	return i;
}

/* noinline: the per-port bursts below stay calls, and those past PX_MAX_ETHPORTS (never put
 * in) are not compiled into accesses out of bounds */
__attribute__((noinline)) static uint16_t cap_rx(uint16_t port, void *q, struct px_mbuf **pkts,
						 uint16_t n)
{
	const struct px_eth_fp_ops *p = &px_eth_fp_ops[port];
	struct cap_session *s;
	uint16_t nb, queue;
	uint64_t ts;

	nb = __atomic_load_n(&cap_drv_rx[port], __ATOMIC_RELAXED)(q, pkts, n);
	if (nb == 0 || (s = cap_enter()) == NULL)
		return nb;
	if (s->port == port && (s->dirs & PX_CAPTURE_RX)) {
		ts = cap_now_ns();
		queue = cap_queue_id(p->rxq, p->nb_rxq, q);
		for (uint16_t i = 0; i < nb; i++) {
			struct px_capture_rec *r = cap_copy(s, pkts[i], queue, PX_CAPTURE_RX, ts);

			if (r)
				cap_commit(s, r);
		}
	}
	cap_leave();
	return nb;
}

/* TX: copy before the driver takes the mbufs (it may free them), keep only what it accepted,
 * so the capture holds what the port counts in opackets. */
__attribute__((noinline)) static uint16_t cap_tx(uint16_t port, void *q, struct px_mbuf **pkts,
						 uint16_t n)
{
	const struct px_eth_fp_ops *p = &px_eth_fp_ops[port];
	px_eth_tx_burst_t drv = __atomic_load_n(&cap_drv_tx[port], __ATOMIC_RELAXED);
	struct px_capture_rec *recs[CAP_TX_BURST];
	struct cap_session *s;
	uint16_t nb, i, queue;
	uint64_t ts;

	s = cap_enter();
	if (s != NULL && !(s->port == port && (s->dirs & PX_CAPTURE_TX))) {
		cap_leave();
		s = NULL;
	}
	if (s == NULL)
		return drv(q, pkts, n);
	/* A burst may take fewer than offered: the caller keeps the rest. */
	n = PX_MIN(n, CAP_TX_BURST);
	ts = cap_now_ns();
	queue = cap_queue_id(p->txq, p->nb_txq, q);
	for (i = 0; i < n; i++)
		recs[i] = cap_copy(s, pkts[i], queue, PX_CAPTURE_TX, ts);
	nb = drv(q, pkts, n);
	for (i = 0; i < n; i++) {
		if (recs[i] == NULL)
			continue;
		if (i < nb)
			cap_commit(s, recs[i]);
		else
			px_ring_mp_enqueue(s->free, recs[i]);
	}
	cap_leave();
	return nb;
}

/* A burst function knows its queue, not its port: one pair of bursts per port, each passing
 * its port on. */
#define CAP_BURSTS(tag, port)                                                    \
	static uint16_t cap_rx_##tag(void *q, struct px_mbuf **pkts, uint16_t n) \
	{                                                                        \
		return cap_rx(port, q, pkts, n);                                 \
	}                                                                        \
	static uint16_t cap_tx_##tag(void *q, struct px_mbuf **pkts, uint16_t n) \
	{                                                                        \
		return cap_tx(port, q, pkts, n);                                 \
	}
#define CAP_BURSTS8(h)              \
	CAP_BURSTS(h##0, h * 8 + 0) \
	CAP_BURSTS(h##1, h * 8 + 1) \
	CAP_BURSTS(h##2, h * 8 + 2) \
	CAP_BURSTS(h##3, h * 8 + 3) \
	CAP_BURSTS(h##4, h * 8 + 4) \
	CAP_BURSTS(h##5, h * 8 + 5) \
	CAP_BURSTS(h##6, h * 8 + 6) \
	CAP_BURSTS(h##7, h * 8 + 7)
CAP_BURSTS8(0)
CAP_BURSTS8(1)
CAP_BURSTS8(2)
CAP_BURSTS8(3)
CAP_BURSTS8(4)
CAP_BURSTS8(5)
CAP_BURSTS8(6)
CAP_BURSTS8(7)
#define CAP_FNS8(d, h)                                                                            \
	cap_##d##_##h##0, cap_##d##_##h##1, cap_##d##_##h##2, cap_##d##_##h##3, cap_##d##_##h##4, \
		cap_##d##_##h##5, cap_##d##_##h##6, cap_##d##_##h##7
#define CAP_FNS(d)                                                                              \
	{                                                                                       \
		CAP_FNS8(d, 0), CAP_FNS8(d, 1), CAP_FNS8(d, 2), CAP_FNS8(d, 3), CAP_FNS8(d, 4), \
			CAP_FNS8(d, 5), CAP_FNS8(d, 6), CAP_FNS8(d, 7)                          \
	}
static const px_eth_rx_burst_t cap_rx_fns[] = CAP_FNS(rx);
static const px_eth_tx_burst_t cap_tx_fns[] = CAP_FNS(tx);
_Static_assert(PX_MAX_ETHPORTS <= PX_DIM(cap_rx_fns),
	       "capture: one pair of bursts per port; add CAP_BURSTS8 lines for more ports");

/* Under cap_fp_lock: which directions of which port a capture takes (bits PX_CAPTURE_*). */
static pthread_mutex_t cap_fp_lock = PTHREAD_MUTEX_INITIALIZER;
static uint8_t cap_dirs[PX_MAX_ETHPORTS];

/* Put the port's burst functions in its px_eth_fp_ops: the driver's, or the capture's for each
 * direction a capture takes. At start and when a capture begins or ends. */
static void cap_fp_set(struct px_eth_dev *dev)
{
	struct px_eth_fp_ops *fp = &px_eth_fp_ops[dev->port_id];
	uint8_t dirs = cap_dirs[dev->port_id];

	__atomic_store_n(&cap_drv_rx[dev->port_id], dev->rx_pkt_burst, __ATOMIC_RELAXED);
	__atomic_store_n(&cap_drv_tx[dev->port_id], dev->tx_pkt_burst, __ATOMIC_RELAXED);
	__atomic_store_n(&fp->rx_pkt_burst,
			 dirs & PX_CAPTURE_RX ? cap_rx_fns[dev->port_id] : dev->rx_pkt_burst,
			 __ATOMIC_RELEASE);
	__atomic_store_n(&fp->tx_pkt_burst,
			 dirs & PX_CAPTURE_TX ? cap_tx_fns[dev->port_id] : dev->tx_pkt_burst,
			 __ATOMIC_RELEASE);
}

void ethdev_capture_fp_set(struct px_eth_dev *dev)
{
	pthread_mutex_lock(&cap_fp_lock);
	cap_fp_set(dev);
	pthread_mutex_unlock(&cap_fp_lock);
}

static void cap_publish(struct cap_session *s, bool on)
{
	struct px_eth_dev *dev;

	if (on)
		__atomic_store_n(&cap_session, s, __ATOMIC_SEQ_CST);
	pthread_mutex_lock(&cap_fp_lock);
	cap_dirs[s->port] = on ? s->dirs : 0;
	dev = eth_dev_get(s->port);
	if (dev != NULL) /* stopped: no burst reads them (nb_rxq 0), and start sets them again */
		cap_fp_set(dev);
	pthread_mutex_unlock(&cap_fp_lock);
	if (on)
		return;
	__atomic_store_n(&cap_session, NULL, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&cap_inflight, __ATOMIC_SEQ_CST) != 0)
		sched_yield();
}

static void cap_free(struct cap_session *s)
{
	if (s->conn_fd >= 0)
		close(s->conn_fd);
	if (s->listen_fd >= 0) {
		close(s->listen_fd);
		unlink(s->path);
	}
	px_ring_free(s->free);
	px_ring_free(s->full);
	free(s->slots);
	free(s);
	pthread_mutex_lock(&cap_lock);
	cap_busy = false;
	pthread_mutex_unlock(&cap_lock);
}

/* Send what the lcores copied until the tool closes its end. Returns when it has. */
static void cap_pump(struct cap_session *s)
{
	struct pollfd pf = {.fd = s->conn_fd, .events = POLLIN};
	struct px_capture_rec *r;
	char byte;

	for (;;) {
		while (px_ring_sc_dequeue(s->full, (void **)&r) == 0) {
			ssize_t len = (ssize_t)(sizeof(*r) + r->cap_len);
			bool ok = send(s->conn_fd, r, (size_t)len, MSG_NOSIGNAL) == len;

			px_ring_mp_enqueue(s->free, r);
			if (!ok)
				return;
		}
		/* Nothing to send: the tool may have closed (POLLIN with 0 bytes, or POLLHUP). */
		if (poll(&pf, 1, 1) > 0 && recv(s->conn_fd, &byte, 1, MSG_DONTWAIT) <= 0)
			return;
	}
}

static void *cap_thread(void *arg)
{
	struct cap_session *s = arg;
	struct pollfd pf = {.fd = s->listen_fd, .events = POLLIN};

	if (poll(&pf, 1, PX_CAPTURE_CONNECT_MS) == 1)
		s->conn_fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	close(s->listen_fd);
	unlink(s->path);
	s->listen_fd = -1;
	if (s->conn_fd < 0) {
		ETHDEV_LOG(WARNING, "capture of port %u: no tool connected within %d ms; stopped",
			   s->port, PX_CAPTURE_CONNECT_MS);
		cap_free(s);
		return NULL;
	}
	ETHDEV_LOG(INFO, "capture of port %u started", s->port);
	cap_publish(s, true);
	cap_pump(s);
	cap_publish(s, false);
	ETHDEV_LOG(INFO, "capture of port %u ended: %" PRIu64 " packets not copied (no room)",
		   s->port, __atomic_load_n(&s->drops, __ATOMIC_RELAXED));
	cap_free(s);
	return NULL;
}

static int cap_listen(struct cap_session *s)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	const char *dir = telemetry_dir();
	int n;

	if (dir == NULL)
		return -ENOTCONN;
	n = snprintf(s->path, sizeof(s->path), "%s/px_capture.%d", dir, (int)getpid());
	if (n < 0 || (size_t)n >= sizeof(s->path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, s->path, (size_t)n + 1);
	s->listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s->listen_fd < 0)
		return -errno;
	unlink(s->path);
	if (bind(s->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(s->listen_fd, 1) < 0)
		return -errno;
	return 0;
}

static int cap_setup(struct cap_session *s)
{
	s->slot_size = PX_ALIGN_CEIL(sizeof(struct px_capture_rec) + s->snaplen, 8);
	s->slots = malloc(s->slot_size * CAP_SLOTS);
	s->free =
		px_ring_create("px_capture_free", CAP_SLOTS, PX_SOCKET_ID_ANY, PX_RING_F_EXACT_SZ);
	s->full = px_ring_create("px_capture_full", CAP_SLOTS, PX_SOCKET_ID_ANY,
				 PX_RING_F_EXACT_SZ | PX_RING_F_SC_DEQ);
	if (s->slots == NULL || s->free == NULL || s->full == NULL)
		return -ENOMEM;
	for (unsigned int i = 0; i < CAP_SLOTS; i++)
		px_ring_mp_enqueue(s->free, s->slots + i * s->slot_size);
	return cap_listen(s);
}

/* "PORT,DIR,SNAPLEN" into @s. */
static int cap_parse(const char *params, struct cap_session *s)
{
	char dir[8];
	unsigned int port, snaplen;
	int used = 0;

	if (sscanf(params, "%u,%7[a-z],%u%n", &port, dir, &snaplen, &used) != 3 ||
	    params[used] != '\0' || port >= PX_MAX_ETHPORTS || snaplen == 0)
		return -EINVAL;
	if (!px_eth_dev_is_valid_port((uint16_t)port))
		return -ENODEV;
	s->port = (uint16_t)port;
	s->snaplen = PX_MIN(snaplen, PX_CAPTURE_MAX_SNAPLEN);
	s->dirs = strcmp(dir, "rx") == 0     ? PX_CAPTURE_RX
		  : strcmp(dir, "tx") == 0   ? PX_CAPTURE_TX
		  : strcmp(dir, "rxtx") == 0 ? PX_CAPTURE_RX | PX_CAPTURE_TX
					     : 0;
	return s->dirs ? 0 : -EINVAL;
}

static int ethdev_capture_cmd(const char *cmd, const char *params, struct px_tel_data *d)
{
	struct cap_session *s;
	pthread_t t;
	int ret;

	(void)cmd;
	pthread_mutex_lock(&cap_lock);
	ret = cap_busy ? -EBUSY : 0;
	cap_busy = true;
	pthread_mutex_unlock(&cap_lock);
	if (ret < 0)
		return ret; /* cap_busy belongs to the session running */
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		pthread_mutex_lock(&cap_lock);
		cap_busy = false;
		pthread_mutex_unlock(&cap_lock);
		return -ENOMEM;
	}
	s->listen_fd = s->conn_fd = -1;
	ret = cap_parse(params, s);
	if (ret == 0)
		ret = cap_setup(s);
	if (ret == 0) {
		/* the answer first: once the thread runs, the session is its to free */
		px_tel_start_dict(d, NULL);
		px_tel_add_string(d, "socket", s->path);
		px_tel_add_int(d, "port", s->port);
		px_tel_add_string(d, "name", eth_dev_get(s->port)->name);
		px_tel_add_int(d, "snaplen", s->snaplen);
		px_tel_add_int(d, "rx", !!(s->dirs & PX_CAPTURE_RX));
		px_tel_add_int(d, "tx", !!(s->dirs & PX_CAPTURE_TX));
		px_tel_end(d);
		ret = px_ctrl_thread_create(&t, "px-capture", cap_thread, s);
	}
	if (ret < 0) {
		if (ret == -EINVAL)
			ETHDEV_LOG(ERR,
				   "/ethdev/capture,%s: the parameters are PORT,rx|tx|rxtx,SNAPLEN",
				   params);
		else
			ETHDEV_LOG(ERR, "/ethdev/capture,%s: %s", params, strerror(-ret));
		cap_free(s);
		return ret;
	}
	pthread_detach(t); /* s is the thread's now: it frees it */
	return 0;
}

/* ---- registration ------------------------------------------------------------------------ */

static const struct {
	const char *name;
	px_telemetry_cb fn;
	const char *help;
} ethdev_cmds[] = {
	{"/ethdev/list", ethdev_list_cmd,
	 "Returns list of available ethdev ports. Takes no parameters"},
	{"/ethdev/info", ethdev_info_cmd,
	 "Returns the device info for a port. Parameters: int port_id"},
	{"/ethdev/stats", ethdev_stats_cmd,
	 "Returns the common stats for a port. Parameters: int port_id"},
	{"/ethdev/xstats", ethdev_xstats_cmd,
	 "Returns the extended stats for a port. Parameters: int port_id"},
	{"/ethdev/link_status", ethdev_link_cmd,
	 "Returns the link status for a port. Parameters: int port_id"},
	{"/ethdev/capture", ethdev_capture_cmd,
	 "Starts a packet capture (px-dumpcap). Parameters: int port_id, rx|tx|rxtx, int snaplen"},
};

static pthread_mutex_t ethdev_tel_lock = PTHREAD_MUTEX_INITIALIZER;

void ethdev_telemetry_lock(void)
{
	pthread_mutex_lock(&ethdev_tel_lock);
}

void ethdev_telemetry_unlock(void)
{
	pthread_mutex_unlock(&ethdev_tel_lock);
}

/* Every command, with the lock that keeps px_eth_dev_close() from freeing the port it reads. */
static int ethdev_cmd(const char *cmd, const char *params, struct px_tel_data *d)
{
	int ret = -ENOENT;

	for (size_t i = 0; i < PX_DIM(ethdev_cmds); i++) {
		if (strcmp(cmd, ethdev_cmds[i].name) != 0)
			continue;
		ethdev_telemetry_lock();
		ret = ethdev_cmds[i].fn(cmd, params, d);
		ethdev_telemetry_unlock();
	}
	return ret;
}

__attribute__((constructor)) static void ethdev_telemetry_register(void)
{
	for (size_t i = 0; i < PX_DIM(ethdev_cmds); i++)
		px_telemetry_register_cmd(ethdev_cmds[i].name, ethdev_cmd, ethdev_cmds[i].help);
}
