/* SPDX-License-Identifier: BSD-3-Clause */
/* px-fwd: shared state of the forwarder. */
#ifndef FWD_H
#define FWD_H

#include <stdbool.h>
#include <stdint.h>

#include <px_eal.h>
#include <px_ether.h>
#include <px_ethdev.h>
#include <px_mbuf.h>
#include <px_mempool.h>

#define FWD_MAX_STREAMS 256
#define FWD_MAX_BURST 512
#define FWD_MAX_FRAME 9216        /* txonly: largest frame */
#define FWD_SEQ_WINDOW (1u << 17) /* rxonly --check: how far a frame may overtake others */

/* One stream: packets from (rx_port, rxq) go to (tx_port, txq). Only its lcore writes it. */
struct fwd_stream {
	uint16_t rx_port, rxq, tx_port, txq;
	/* --record-burst-stats: [n] bursts of n packets (RX: received, TX: sent), 0..FWD_MAX_BURST;
	 * NULL without the option: one predictable branch per burst, on this first line */
	uint64_t *rx_bursts;
	uint64_t *tx_bursts;
	uint64_t rx_pkts;
	uint64_t tx_pkts;
	uint64_t drops;          /* received, not accepted by the TX queue, freed */
	uint64_t rx_bad;         /* content check failures (rxonly --check) */
	uint64_t tx_seq;         /* txonly: next sequence number to send */
	uint64_t rx_seq;         /* rxonly --check: lowest sequence number not yet received */
	uint64_t rx_reordered;   /* rxonly --check: frames that overtook an earlier one */
	unsigned int bad_logged; /* rxonly --check: anomalies described on stderr so far */
	unsigned int rx_pending; /* rxonly --check: bits set in seen[] */
	uint64_t *seen;          /* rxonly --check: FWD_SEQ_WINDOW bits, received above rx_seq */
	uint64_t next_tsc;       /* txonly rate limit: earliest next burst */
	uint64_t bad_ip_cksum;   /* csum: IPv4 header checksums found wrong */
	uint64_t bad_l4_cksum;   /* csum: UDP/TCP checksums found wrong */
	uint64_t core_cycles;    /* --record-core-cycles: cycles of the bursts that moved packets */
} __px_cache_aligned;

struct fwd_mode;

/* --port-topology: where a port's streams send (testpmd's) */
enum fwd_topology {
	FWD_TOPO_PAIRED,  /* 0<->1, 2<->3; an odd last port to itself */
	FWD_TOPO_CHAINED, /* 0->1->2 ... ->last->0 */
	FWD_TOPO_LOOP,    /* each port to itself */
};

/* --debug-mbuf-fault: a test hook that makes the accounting at exit fail */
enum fwd_mbuf_fault { FWD_FAULT_NONE, FWD_FAULT_LEAK, FWD_FAULT_TWICE };

struct fwd_config {
	const struct fwd_mode *mode;
	unsigned int nb_cores; /* forwarding lcores (0: every worker, or main alone) */
	uint16_t burst;
	uint16_t txpkts; /* txonly frame length, without CRC */
	unsigned int stats_period;
	uint16_t nb_rxq, nb_txq;
	uint16_t nb_rxd, nb_txd;
	unsigned int nb_mbufs;
	unsigned int mbcache; /* per-lcore cache of the pool */
	enum fwd_mbuf_fault mbuf_fault;
	unsigned int flows; /* txonly: UDP source ports to cycle through */
	double tx_pps;      /* txonly rate limit per stream (0: none) */
	double duration;    /* seconds (0: until SIGINT) */
	uint64_t max_pkts;  /* txonly: stop each stream after this many (0: none) */
	uint64_t rx_max;    /* stop once every stream has received this many (0: none) */
	bool check;         /* rxonly: verify the txonly payload pattern and sequence */
	bool tx_first;      /* send one burst per stream before forwarding */
	const char *stats_json;
	bool interactive;     /* -i: the prompt (fwd_cmdline.c) starts and stops forwarding */
	bool auto_start;      /* -a: with -i, start forwarding before the first prompt */
	uint32_t max_pkt_len; /* --max-pkt-len: longest frame with CRC (0: the port's MTU stays) */
	uint32_t mbuf_size; /* --mbuf-size: data room of an mbuf, headroom included (0: default) */
	bool scatter;       /* --enable-scatter: RX frames may span mbufs; txonly chains them */
	bool rx_cksum;      /* --enable-rx-cksum */
	uint64_t rss_hf;    /* --rss-ip, --rss-udp (applied with more than one RX queue) */
	uint64_t tx_offloads; /* --tx-offloads, as PX_ETH_TX_OFFLOAD_* */
	uint64_t portmask;    /* --portmask (0: every port) */
	enum fwd_topology topology;
	bool record_cycles; /* --record-core-cycles */
	bool record_bursts; /* --record-burst-stats */
	unsigned int flowgen_flows;
	px_be32_t ip[PX_MAX_ETHPORTS];              /* icmpecho: the port's IPv4 address */
	struct px_ether_addr peer[PX_MAX_ETHPORTS]; /* mac mode: destination per TX port */
	struct px_ether_addr port_mac[PX_MAX_ETHPORTS];
};

struct fwd_lcore {
	struct fwd_stream *streams[FWD_MAX_STREAMS];
	unsigned int nb_streams;
};

struct fwd_mode {
	const char *name;
	int (*loop)(void *lcore); /* lcore function: struct fwd_lcore * */
	const char *alias;        /* another name testpmd knows it by, or NULL */
};

extern struct fwd_config fwd_cfg;
extern volatile int fwd_stop;
/* set by SIGINT/SIGTERM (with fwd_stop): the prompt ends too */
extern volatile int fwd_interrupted;
extern struct fwd_stream fwd_streams[FWD_MAX_STREAMS];
extern unsigned int fwd_nb_streams;
extern struct px_mempool *fwd_pools[PX_MAX_NUMA_NODES];

/* fwd_opts.c: the command line after the EAL's. @return 0, 1 (--help), -EINVAL (message
 * printed) */
int fwd_parse_args(int argc, char **argv);
/* DPDK's name of a PX_ETH_TX_OFFLOAD_* flag ("UDP_CKSUM") */
const char *fwd_tx_offload_name(uint64_t px_flag);

/* fwd_ports.c: the ports forwarded on (--portmask), in port order */
extern uint16_t fwd_ports[PX_MAX_ETHPORTS];
extern uint16_t fwd_nb_ports;
extern bool fwd_port_started[PX_MAX_ETHPORTS];
/* Create the pool, configure and start the ports. @return 0, -ENOTSUP or -EINVAL (a port
 * cannot do what the options ask; message printed), another -errno */
int fwd_start_ports(void);
int fwd_port_stop(uint16_t p);
int fwd_port_start(uint16_t p);
int fwd_port_close(uint16_t p);
bool fwd_port_is_forwarding(uint16_t p);

/* main.c: forwarding started and stopped from the prompt */
int fwd_start(bool tx_first);
int fwd_stop_forwarding(void);
bool fwd_running(void);

/* fwd_cmdline.c: read and run commands until quit or end of input */
void fwd_prompt(void);

const struct fwd_mode *fwd_mode_find(const char *name);
void fwd_modes_list(FILE *f);
/* Add modes defined outside fwd_modes.c (fwd_engines.c, at start-up); @modes lives forever. */
void fwd_modes_register(const struct fwd_mode *modes, unsigned int n);
/* txonly template: build the frame once (per stream seq and flow vary per packet) */
void fwd_txonly_prepare(void);
/* --tx-first: send one burst on every stream; 0 or -ENOMEM */
int fwd_tx_first(void);

#define STAT_ADD(ctr, n) __atomic_store_n(&(ctr), (ctr) + (n), __ATOMIC_RELAXED)

/* Send @n frames; free and count as drops those the port did not take. @return how many it took */
static inline uint16_t fwd_send_or_drop(struct fwd_stream *s, struct px_mbuf **pkts, uint16_t n)
{
	uint16_t sent = px_eth_tx_burst(s->tx_port, s->txq, pkts, n);

	STAT_ADD(s->tx_pkts, sent);
	if (px_unlikely(s->tx_bursts != NULL))
		s->tx_bursts[sent]++;
	if (px_unlikely(sent < n)) {
		STAT_ADD(s->drops, n - sent);
		px_pktmbuf_free_bulk(pkts + sent, n - sent);
	}
	return sent;
}

typedef uint16_t (*fwd_fix_t)(struct fwd_stream *s, struct px_mbuf **pkts, uint16_t n);

/* The common receive-fix-send loop; @fix is a constant at each call site, so the compiler makes
 * one specialised loop per mode. --record-core-cycles and --record-burst-stats cost a
 * predictable branch each when off. */
static __px_always_inline int fwd_rx_fix_tx_loop(struct fwd_lcore *lc, fwd_fix_t fix)
{
	struct px_mbuf *pkts[FWD_MAX_BURST];
	const uint16_t burst = fwd_cfg.burst;
	const bool cycles = fwd_cfg.record_cycles;

	while (!__atomic_load_n(&fwd_stop, __ATOMIC_RELAXED)) {
		for (unsigned int i = 0; i < lc->nb_streams; i++) {
			struct fwd_stream *s = lc->streams[i];
			uint64_t t0 = cycles ? px_get_tsc_cycles() : 0;
			uint16_t n = px_eth_rx_burst(s->rx_port, s->rxq, pkts, burst);

			if (px_unlikely(s->rx_bursts != NULL))
				s->rx_bursts[n]++;
			if (n == 0)
				continue;
			STAT_ADD(s->rx_pkts, n);
			if (fix)
				n = fix(s, pkts, n);
			if (n)
				fwd_send_or_drop(s, pkts, n);
			if (cycles)
				s->core_cycles += px_get_tsc_cycles() - t0;
		}
	}
	return 0;
}

/* statistics */
void fwd_stats_start(void);
void fwd_stats_print_period(double seconds);
int fwd_stats_final(void);
/* The run's start (@start) or end, for the seconds and rates of fwd_stats_final() */
void fwd_stats_mark(bool start);
/* --stats-json: the counters fwd_stats_final() took, and fwd_mbufs */
void fwd_stats_write_json(void);
/* The prompt's views, in testpmd's formats: what start set up, the forward statistics at stop,
 * and a port's counters ("show port stats"), extended counters and information. */
void fwd_stats_show_start(const unsigned int *lcore_ids, unsigned int n);
void fwd_stats_show_forward(void);
int fwd_stats_show_port(uint16_t p);
int fwd_stats_show_xstats(uint16_t p);
int fwd_stats_show_info(uint16_t p);

/* Every mbuf accounted for at exit (fwd_mbufs.c). */
struct fwd_mbuf_account {
	bool checked;         /* the pool was counted */
	unsigned int total;   /* mbufs in the pool */
	unsigned int in_pool; /* distinct mbufs back in it */
	unsigned int leaked;  /* total - in_pool */
	uint64_t twice;       /* freed twice (extra entries, refused puts, foreign entries) */
};
extern struct fwd_mbuf_account fwd_mbufs;
/* Close every port, counting the pool after each close; messages on stderr name the pool, the
 * counts and the port. @return 0 when every mbuf is back exactly once, -1 otherwise. */
int fwd_close_ports(void);

/* rxonly --check: account for sequence number @seq on @s (fwd_modes.c). @return true when it
 * is new and within FWD_SEQ_WINDOW; *reordered when it arrived before a lower one. */
bool fwd_seq_account(struct fwd_stream *s, uint64_t seq, bool *reordered);

#endif /* FWD_H */
