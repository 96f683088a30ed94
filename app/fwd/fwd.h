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
} __px_cache_aligned;

struct fwd_mode;

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
};

extern struct fwd_config fwd_cfg;
extern volatile int fwd_stop;
extern struct fwd_stream fwd_streams[FWD_MAX_STREAMS];
extern unsigned int fwd_nb_streams;
extern struct px_mempool *fwd_pools[PX_MAX_NUMA_NODES];

const struct fwd_mode *fwd_mode_find(const char *name);
void fwd_modes_list(FILE *f);
/* txonly template: build the frame once (per stream seq and flow vary per packet) */
void fwd_txonly_prepare(void);
/* --tx-first: send one burst on every stream; 0 or -ENOMEM */
int fwd_tx_first(void);

/* statistics */
void fwd_stats_start(void);
void fwd_stats_print_period(double seconds);
int fwd_stats_final(void);
/* --stats-json: the counters fwd_stats_final() took, and fwd_mbufs */
void fwd_stats_write_json(void);

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
