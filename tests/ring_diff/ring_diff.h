/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The neutral interface between the differential test's driver (ring_diff.c) and its two sides,
 * side_pollux.c and side_dpdk.c. No translation unit includes both libraries' headers: DPDK's
 * need its own compile flags (-include rte_config.h, -march=...), which must not reach the
 * Pollux code under test, and the two libraries' macros (cache line size, likely()) are free to
 * clash in a later release. This file names neither library.
 */
#ifndef RING_DIFF_H
#define RING_DIFF_H

#include <stdint.h>

enum rd_dir {
	RD_ENQ,
	RD_DEQ,
};

enum rd_kind {
	RD_BULK,  /* all or nothing, returns the count */
	RD_BURST, /* as many as possible, returns the count */
	RD_ONE,   /* one pointer, returns 0 or -ENOBUFS / -ENOENT (rings of pointers only) */
};

enum rd_sync {
	RD_DEFAULT, /* the generic function: the mode chosen at creation */
	RD_SINGLE,  /* sp_ / sc_ */
	RD_MULTI,   /* mp_ / mc_ */
};

/* A ring to create on both sides. */
struct rd_ring_cfg {
	unsigned int
		esize; /* bytes per element; 0: a ring of pointers, used with the pointer API */
	unsigned int count;
	int exact;      /* PX_RING_F_EXACT_SZ / RING_F_EXACT_SZ */
	int sp, sc;     /* PX_RING_F_SP_ENQ / RING_F_SP_ENQ, PX_RING_F_SC_DEQ / RING_F_SC_DEQ */
	int seq;        /* Pollux's PX_RING_F_MT_SEQ (DPDK has no such mode: its ring is MP/MC) */
	uint32_t start; /* every head, tail (and Pollux's cached indices) start here */
};

/* One call, made identically on both sides. */
struct rd_call {
	enum rd_dir dir;
	enum rd_kind kind;
	enum rd_sync sync;
	unsigned int n;
	int want_out; /* pass a free_space / available pointer (else NULL) */
};

/* What the read-only accessors say. */
struct rd_state {
	unsigned int size, capacity;
	unsigned int count, free; /* *_count(), *_free_count() */
	int empty, full;          /* normalised to 0 / 1 */
};

struct rd_side {
	const char *name;   /* "pollux", "dpdk" */
	const char *prefix; /* of the function names: "px_ring_", "rte_ring_" */
	const char *(*version)(void);
	/* The ring, or NULL after printing why. */
	void *(*create)(const struct rd_ring_cfg *cfg);
	void (*destroy)(void *ring);
	/* Make call @c on a ring of elements of @esize bytes (0: pointers); @objs is the table
	 * (input for enqueue, output for dequeue); @out is NULL or where free_space / available
	 * goes. Returns what the library function returned. */
	int (*call)(void *ring, unsigned int esize, const struct rd_call *c, void *objs,
		    unsigned int *out);
	void (*state)(const void *ring, struct rd_state *s);
};

extern const struct rd_side rd_pollux_side;
extern const struct rd_side rd_dpdk_side;

#endif /* RING_DIFF_H */
