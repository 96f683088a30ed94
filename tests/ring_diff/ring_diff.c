/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Differential test: Pollux's rings against DPDK 22.11's (issue 12, item 3).
 *
 * Every ring case is one element kind (pointers through the pointer API; elements of 4, 8, 12,
 * 16 bytes through the _elem API) x one size (2, 4, 64, 1024 slots; exact-size 1, 5, 1000) x one
 * mode (SP/SC, MP/MC, SP/MC, MP/SC through the generic calls; SP/SC and MP/MC through the named
 * sp_/sc_ or mp_/mc_ calls; SP/SC and MP/MC with generic, single and multi calls mixed; Pollux's
 * slot-sequence mode PX_RING_F_MT_SEQ through the generic calls against DPDK's MP/MC, which must
 * answer alike in one thread) x one start index (0, 2^31 - 5, 2^32 - 7, random). For each, a seeded
 * random sequence of calls -- enqueue/dequeue, bulk/burst (and the one-object calls on pointer
 * rings), n from 0 to capacity + 1, free_space/available asked for or not -- is made on a Pollux
 * ring and on a DPDK ring. The return values, the objects (and the rest of the table, which must
 * stay untouched), free_space/available and, after every call, count/free_count/empty/full must all
 * be equal.
 *
 * DPDK is the reference. So that a wrong test cannot blame Pollux, DPDK is itself checked
 * against a FIFO model of its documented semantics: free_space is the free slots after the
 * call, available the entries left after it, bulk moves all or nothing, burst as many as there
 * are; objects come out in the order they went in.
 *
 * usage: px-ring-diff [--seed=N] [--steps=N] [--ring=N]
 * exit:  0 all equal; 1 a difference (the first is printed with its ring, step and call)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ring_diff.h"

#define DEFAULT_STEPS 300
#define POISON 0xdeadbeefu
#define HISTORY 6       /* calls shown before a mismatch */
#define MAX_REPORTED 20 /* failing rings listed after the first */

enum policy {
	CALLS_GENERIC,
	CALLS_NAMED,
	CALLS_MIXED,
};

static const unsigned int esizes[] = {0 /* pointers */, 4, 8, 12, 16};

static const struct {
	unsigned int count;
	int exact;
} shapes[] = {{2, 0}, {4, 0}, {64, 0}, {1024, 0}, {1, 1}, {5, 1}, {1000, 1}};

static const struct {
	int sp, sc, seq;
	enum policy policy;
	const char *name;
} modes[] = {
	{1, 1, 0, CALLS_GENERIC, "SP/SC (SP_ENQ|SC_DEQ), generic calls"},
	{0, 0, 0, CALLS_GENERIC, "MP/MC (flags 0), generic calls"},
	{1, 0, 0, CALLS_GENERIC, "SP/MC (SP_ENQ), generic calls"},
	{0, 1, 0, CALLS_GENERIC, "MP/SC (SC_DEQ), generic calls"},
	{1, 1, 0, CALLS_NAMED, "SP/SC (SP_ENQ|SC_DEQ), sp_/sc_ calls"},
	{0, 0, 0, CALLS_NAMED, "MP/MC (flags 0), mp_/mc_ calls"},
	{1, 1, 0, CALLS_MIXED, "SP/SC (SP_ENQ|SC_DEQ), generic, sp/sc and mp/mc calls mixed"},
	{0, 0, 0, CALLS_MIXED, "MP/MC (flags 0), generic, sp/sc and mp/mc calls mixed"},
	{0, 0, 1, CALLS_GENERIC, "Pollux MT_SEQ against DPDK MP/MC (flags 0), generic calls"},
};

#define START_RANDOM 3
static const uint32_t starts[] = {0, 0x80000000u - 5, 0xffffffffu - 6, 0 /* random */};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define N_CASES (N_ELEMS(modes) * N_ELEMS(esizes) * N_ELEMS(shapes) * N_ELEMS(starts))

/* splitmix64: small, and every ring case gets its own stream from (seed, case index). */
static uint64_t rnd64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned int rnd(uint64_t *s, unsigned int bound)
{
	return (unsigned int)(rnd64(s) % bound);
}

/* What the reference FIFO holds: a count, and the sequence numbers of the next object in/out. */
struct model {
	unsigned int capacity;
	unsigned int count;
	uint64_t in_seq, out_seq;
};

/* What one side (or the model) answered to one call. */
struct outcome {
	int ret;
	unsigned int out;
	struct rd_state st;
};

struct ring_case {
	unsigned int index;
	unsigned int mode; /* in modes[] */
	struct rd_ring_cfg cfg;
	enum policy policy;
	unsigned int ebytes; /* bytes per object: esize, or a pointer */
	unsigned int words;  /* 32-bit words per object */
};

enum verbosity {
	QUIET,    /* a failure is counted only */
	ONE_LINE, /* a failure is one line */
	FULL,     /* a failure is shown with the calls before it */
};

/* A run of one ring case: both rings, the model, the tables. */
struct run {
	const struct ring_case *rc;
	void *ring[2]; /* pollux, dpdk */
	struct model m;
	size_t table_bytes;
	void *in, *out[2];
	uint64_t rng;
	enum verbosity verbosity;
	char history[HISTORY][400];
	unsigned int n_history;
};

static const struct rd_side *const sides[2] = {&rd_pollux_side, &rd_dpdk_side};

/* Word @w of object number @seq: word 0 is the object's distinct integer. */
static uint32_t obj_word(uint64_t seq, unsigned int w)
{
	uint32_t v = (uint32_t)seq + 1;

	return w == 0 ? v : ~v ^ (w << 24);
}

static void obj_fill(const struct ring_case *rc, void *table, uint64_t seq, unsigned int n)
{
	char *p = table;

	for (unsigned int i = 0; i < n; i++) {
		for (unsigned int w = 0; w < rc->words; w++) {
			uint32_t v = obj_word(seq + i, w);

			memcpy(p + (size_t)i * rc->ebytes + (size_t)w * 4, &v, 4);
		}
	}
}

static void poison(void *table, size_t bytes)
{
	uint32_t v = POISON;

	for (size_t i = 0; i + 4 <= bytes; i += 4)
		memcpy((char *)table + i, &v, 4);
}

/* ---- describing things ----------------------------------------------------------------------- */

static void case_describe(const struct ring_case *rc, char *buf, size_t len)
{
	const struct rd_ring_cfg *c = &rc->cfg;
	char kind[32];

	if (c->esize == 0)
		snprintf(kind, sizeof(kind), "pointers");
	else
		snprintf(kind, sizeof(kind), "esize %u", c->esize);
	snprintf(buf, len, "ring #%u: %s, count %u%s, %s, start %#" PRIx32, rc->index, kind,
		 c->count, c->exact ? " EXACT_SZ" : "", modes[rc->mode].name, c->start);
}

/* "sc_dequeue_burst_elem(r, table, 16, 5, &available)", after @prefix ("px_ring_", or ""). */
static void call_describe(const struct rd_call *c, unsigned int esize, const char *prefix,
			  char *buf, size_t len)
{
	static const char *const sync[2][3] = {{"", "sp_", "mp_"}, {"", "sc_", "mc_"}};
	const char *op = c->dir == RD_ENQ ? "enqueue" : "dequeue";
	const char *s = sync[c->dir][c->sync];
	const char *out = !c->want_out ? "NULL" : c->dir == RD_ENQ ? "&free_space" : "&available";
	char esz[16] = "";

	if (c->kind == RD_ONE) {
		snprintf(buf, len, "%s%s%s(r, %s)", prefix, s, op,
			 c->dir == RD_ENQ ? "obj" : "&obj");
		return;
	}
	if (esize != 0)
		snprintf(esz, sizeof(esz), "%u, ", esize);
	snprintf(buf, len, "%s%s%s_%s%s(r, table, %s%u, %s)", prefix, s, op,
		 c->kind == RD_BULK ? "bulk" : "burst", esize ? "_elem" : "", esz, c->n, out);
}

static void outcome_describe(const struct rd_call *c, const struct outcome *o, char *buf,
			     size_t len)
{
	char out[48] = "";

	if (c->want_out)
		snprintf(out, sizeof(out), ", %s %u", c->dir == RD_ENQ ? "free_space" : "available",
			 o->out);
	snprintf(buf, len, "= %d%s; then count %u free %u empty %d full %d", o->ret, out,
		 o->st.count, o->st.free, o->st.empty, o->st.full);
}

/* ---- the model ------------------------------------------------------------------------------- */

/* Objects moved by call @c that returned @ret. */
static unsigned int moved(const struct rd_call *c, int ret)
{
	if (c->kind == RD_ONE)
		return ret == 0;
	return ret < 0 ? 0 : (unsigned int)ret;
}

static void model_state(const struct model *m, unsigned int size, struct rd_state *st)
{
	st->size = size;
	st->capacity = m->capacity;
	st->count = m->count;
	st->free = m->capacity - m->count;
	st->empty = m->count == 0;
	st->full = m->count == m->capacity;
}

/* What DPDK's documentation says call @c does to a ring holding @m; @m is updated. */
static void model_call(struct model *m, const struct rd_call *c, unsigned int size,
		       struct outcome *o)
{
	unsigned int have = c->dir == RD_ENQ ? m->capacity - m->count : m->count;
	unsigned int k = c->n <= have ? c->n : c->kind == RD_BURST ? have : 0;

	if (c->kind == RD_ONE)
		o->ret = k == 1 ? 0 : c->dir == RD_ENQ ? -ENOBUFS : -ENOENT;
	else
		o->ret = (int)k;
	o->out = c->want_out ? have - k : POISON;
	if (c->dir == RD_ENQ) {
		m->count += k;
		m->in_seq += k;
	} else {
		m->count -= k;
		m->out_seq += k;
	}
	model_state(m, size, &o->st);
}

/* ---- one step ------------------------------------------------------------------------------- */

static unsigned int pick_n(uint64_t *g, unsigned int cap, unsigned int edge)
{
	unsigned int r = rnd(g, 10);
	long n;

	if (r < 3)
		return rnd(g, cap + 2);
	if (r < 5)
		return rnd(g, cap + 2 < 4 ? cap + 2 : 4);
	if (r < 8) {
		/* Around what the ring can give (or take): the all-or-nothing edge. */
		n = (long)edge + (long)rnd(g, 3) - 1;
		return n < 0 ? 0 : n > (long)cap + 1 ? cap + 1 : (unsigned int)n;
	}
	r = rnd(g, 3);
	return r == 0 ? 0 : r == 1 ? cap : cap + 1;
}

static void pick_call(struct run *x, struct rd_call *c)
{
	const struct ring_case *rc = x->rc;
	uint64_t *g = &x->rng;
	unsigned int cap = x->m.capacity;

	c->dir = rnd(g, 2) ? RD_ENQ : RD_DEQ;
	if (rc->cfg.esize == 0 && rnd(g, 8) == 0)
		c->kind = RD_ONE;
	else
		c->kind = rnd(g, 2) ? RD_BULK : RD_BURST;
	switch (rc->policy) {
	case CALLS_GENERIC:
		c->sync = RD_DEFAULT;
		break;
	case CALLS_NAMED:
		c->sync = (c->dir == RD_ENQ ? rc->cfg.sp : rc->cfg.sc) ? RD_SINGLE : RD_MULTI;
		break;
	default:
		c->sync = (enum rd_sync)rnd(g, 3);
		break;
	}
	if (c->kind == RD_ONE) {
		c->n = 1;
		c->want_out = 0;
		return;
	}
	c->n = pick_n(g, cap, c->dir == RD_ENQ ? cap - x->m.count : x->m.count);
	c->want_out = rnd(g, 2);
}

static void report(const struct run *x, unsigned int step, const struct rd_call *c,
		   const struct outcome o[2], const struct outcome *want, const char *what,
		   const char *detail)
{
	const struct ring_case *rc = x->rc;
	char desc[256], call[160], res[160];

	if (x->verbosity == QUIET)
		return;
	case_describe(rc, desc, sizeof(desc));
	call_describe(c, rc->cfg.esize, "", call, sizeof(call));
	if (x->verbosity == ONE_LINE) {
		printf("ring_diff: also %s: step %u, %s: %s\n", desc, step, call, what);
		return;
	}
	printf("ring_diff: MISMATCH in %s\n", desc);
	printf("  before step %u the ring holds %u of %u\n", step, x->m.count, x->m.capacity);
	if (x->n_history > 0)
		printf("  the calls before it (DPDK's results):\n");
	for (unsigned int i = x->n_history > HISTORY ? x->n_history - HISTORY : 0; i < x->n_history;
	     i++)
		printf("    %s\n", x->history[i % HISTORY]);
	printf("  step %u:\n", step);
	for (int s = 0; s < 2; s++) {
		call_describe(c, rc->cfg.esize, sides[s]->prefix, call, sizeof(call));
		outcome_describe(c, &o[s], res, sizeof(res));
		printf("    %-6s %s %s\n", sides[s]->name, call, res);
	}
	outcome_describe(c, want, res, sizeof(res));
	printf("    model  (DPDK's documented semantics) %s\n", res);
	printf("  differs: %s%s%s\n", what, detail[0] ? ": " : "", detail);
}

/* Compare a side's dequeued table with the objects the model says come out next. */
static int table_check(const struct run *x, const void *table, unsigned int k, char *detail,
		       size_t len)
{
	const struct ring_case *rc = x->rc;
	unsigned int total = (unsigned int)(x->table_bytes / rc->ebytes);

	for (unsigned int i = 0; i < total; i++) {
		for (unsigned int w = 0; w < rc->words; w++) {
			uint32_t got, want = i < k ? obj_word(x->m.out_seq + i, w) : POISON;

			memcpy(&got, (const char *)table + (size_t)i * rc->ebytes + (size_t)w * 4,
			       4);
			if (got != want) {
				snprintf(detail, len,
					 "object %u word %u is %#" PRIx32 ", not %#" PRIx32 "%s", i,
					 w, got, want, i < k ? "" : " (past the objects moved)");
				return -1;
			}
		}
	}
	return 0;
}

static int state_equal(const struct rd_state *a, const struct rd_state *b)
{
	return a->size == b->size && a->capacity == b->capacity && a->count == b->count &&
	       a->free == b->free && a->empty == b->empty && a->full == b->full;
}

/* First difference between outcomes @a and @b of call @c, or NULL. */
static const char *outcome_diff(const struct rd_call *c, const struct outcome *a,
				const struct outcome *b)
{
	if (a->ret != b->ret)
		return "return value";
	if (c->want_out && a->out != b->out)
		return c->dir == RD_ENQ ? "free_space" : "available";
	if (!state_equal(&a->st, &b->st))
		return "count/free_count/empty/full after the call";
	return NULL;
}

static void history_add(struct run *x, unsigned int n_step, const struct rd_call *c,
			const struct outcome *o)
{
	char call[160], res[160];

	call_describe(c, x->rc->cfg.esize, "", call, sizeof(call));
	outcome_describe(c, o, res, sizeof(res));
	snprintf(x->history[x->n_history++ % HISTORY], sizeof(x->history[0]), "%u: %s %s", n_step,
		 call, res);
}

/* One random call on both rings. Returns 0, or 1 after reporting a difference. */
static int step(struct run *x, unsigned int n_step)
{
	const struct ring_case *rc = x->rc;
	struct model next = x->m;
	struct outcome o[2], want;
	const char *what;
	char detail[160] = "";
	struct rd_call c;

	pick_call(x, &c);
	if (c.dir == RD_ENQ)
		obj_fill(rc, x->in, x->m.in_seq, c.n);
	for (int s = 0; s < 2; s++) {
		void *table = c.dir == RD_ENQ ? x->in : x->out[s];

		if (c.dir == RD_DEQ)
			poison(table, x->table_bytes);
		o[s].out = POISON;
		o[s].ret = sides[s]->call(x->ring[s], rc->cfg.esize, &c, table,
					  c.want_out ? &o[s].out : NULL);
		sides[s]->state(x->ring[s], &o[s].st);
	}
	model_call(&next, &c, o[1].st.size, &want);

	what = outcome_diff(&c, &o[0], &o[1]);
	if (what == NULL && c.dir == RD_DEQ &&
	    table_check(x, x->out[0], moved(&c, o[0].ret), detail, sizeof(detail)))
		what = "pollux's dequeued objects";
	if (what == NULL && outcome_diff(&c, &o[1], &want) != NULL)
		what = "DPDK against the model of its documented semantics (a test bug?)";
	if (what == NULL && c.dir == RD_DEQ &&
	    table_check(x, x->out[1], moved(&c, o[1].ret), detail, sizeof(detail)))
		what = "DPDK's dequeued objects against the model (a test bug?)";
	if (what != NULL) {
		report(x, n_step, &c, o, &want, what, detail);
		return 1;
	}
	x->m = next;
	history_add(x, n_step, &c, &o[1]);
	return 0;
}

/* ---- ring cases ---------------------------------------------------------------------------- */

/* Ring case @index: mode (outermost), element kind, shape, start index (innermost). */
static unsigned int case_mode(unsigned int index)
{
	return index / (N_ELEMS(starts) * N_ELEMS(shapes) * N_ELEMS(esizes));
}

static void case_make(unsigned int index, uint64_t *g, struct ring_case *rc)
{
	unsigned int i = index;
	unsigned int st = i % N_ELEMS(starts);
	unsigned int sh = (i /= N_ELEMS(starts)) % N_ELEMS(shapes);
	unsigned int es = (i /= N_ELEMS(shapes)) % N_ELEMS(esizes);
	unsigned int mo = case_mode(index);

	memset(rc, 0, sizeof(*rc));
	rc->index = index;
	rc->mode = mo;
	rc->cfg.esize = esizes[es];
	rc->cfg.count = shapes[sh].count;
	rc->cfg.exact = shapes[sh].exact;
	rc->cfg.sp = modes[mo].sp;
	rc->cfg.sc = modes[mo].sc;
	rc->cfg.seq = modes[mo].seq;
	rc->cfg.start = st == START_RANDOM ? (uint32_t)rnd64(g) : starts[st];
	rc->policy = modes[mo].policy;
	rc->ebytes = rc->cfg.esize ? rc->cfg.esize : (unsigned int)sizeof(void *);
	rc->words = rc->ebytes / 4;
}

static void run_free(struct run *x)
{
	for (int s = 0; s < 2; s++) {
		if (x->ring[s] != NULL)
			sides[s]->destroy(x->ring[s]);
		free(x->out[s]);
	}
	free(x->in);
}

/* Run ring case @index for @steps calls. Returns 0, or 1 after reporting a difference. */
static int run_case(unsigned int index, uint64_t seed, unsigned int steps, enum verbosity verbosity)
{
	struct ring_case rc;
	struct run x = {.rc = &rc, .verbosity = verbosity};
	struct outcome o[2], want;
	int ret = 1;

	x.rng = seed ^ (0xd1b54a32d192ed03ull * (index + 1));
	case_make(index, &x.rng, &rc);
	for (int s = 0; s < 2; s++) {
		x.ring[s] = sides[s]->create(&rc.cfg);
		if (x.ring[s] == NULL) {
			char desc[256];

			case_describe(&rc, desc, sizeof(desc));
			printf("ring_diff: %s: the %s ring cannot be created\n", desc,
			       sides[s]->name);
			goto out;
		}
		memset(&o[s], 0, sizeof(o[s]));
		sides[s]->state(x.ring[s], &o[s].st);
	}
	x.m.capacity = o[1].st.capacity;
	x.table_bytes = (size_t)(x.m.capacity + 2) * rc.ebytes;
	x.in = malloc(x.table_bytes);
	x.out[0] = malloc(x.table_bytes);
	x.out[1] = malloc(x.table_bytes);
	if (x.in == NULL || x.out[0] == NULL || x.out[1] == NULL) {
		printf("ring_diff: out of memory\n");
		goto out;
	}
	/* Step 0: the empty rings, as created. */
	memset(&want, 0, sizeof(want));
	model_state(&x.m, o[1].st.size, &want.st);
	if (!state_equal(&o[0].st, &o[1].st) || !state_equal(&o[1].st, &want.st)) {
		struct rd_call none = {.dir = RD_ENQ, .kind = RD_BULK};

		report(&x, 0, &none, o, &want, "size/capacity/count of the new ring", "");
		goto out;
	}
	for (unsigned int i = 1; i <= steps; i++)
		if (step(&x, i))
			goto out;
	ret = 0;
out:
	run_free(&x);
	return ret;
}

static int parse_u64(const char *arg, const char *name, uint64_t *v)
{
	size_t l = strlen(name);
	char *end;

	if (strncmp(arg, name, l) != 0 || arg[l] != '=')
		return 0;
	errno = 0;
	*v = strtoull(arg + l + 1, &end, 0);
	if (errno != 0 || *end != '\0' || end == arg + l + 1) {
		fprintf(stderr, "ring_diff: %s: not a number\n", arg);
		exit(2);
	}
	return 1;
}

struct options {
	uint64_t seed, steps, only;
};

static int parse_options(int argc, char **argv, struct options *o)
{
	o->seed = (uint64_t)time(NULL) * 1000003u ^ (uint64_t)getpid();
	o->steps = DEFAULT_STEPS;
	o->only = UINT64_MAX;
	for (int i = 1; i < argc; i++) {
		if (parse_u64(argv[i], "--seed", &o->seed) ||
		    parse_u64(argv[i], "--steps", &o->steps) ||
		    parse_u64(argv[i], "--ring", &o->only))
			continue;
		fprintf(stderr,
			"usage: %s [--seed=N] [--steps=N] [--ring=N]\n"
			"  --seed   seed of the random calls (default: from the clock, printed)\n"
			"  --steps  calls per ring case (default %u)\n"
			"  --ring   run only ring case N (0..%zu), as printed by a failure\n",
			argv[0], DEFAULT_STEPS, N_CASES - 1);
		return -1;
	}
	if (o->steps > UINT32_MAX || (o->only != UINT64_MAX && o->only >= N_CASES)) {
		fprintf(stderr, "ring_diff: --steps is at most %u, --ring at most %zu\n",
			UINT32_MAX, N_CASES - 1);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int ran[N_ELEMS(modes)] = {0}, failed[N_ELEMS(modes)] = {0};
	unsigned int n_ran = 0, n_failed = 0;
	struct options o;

	if (parse_options(argc, argv, &o) < 0)
		return 2;
	printf("ring_diff: %s against %s\n", rd_pollux_side.version(), rd_dpdk_side.version());
	printf("ring_diff: seed %#" PRIx64 ", %" PRIu64
	       " calls per ring case (rerun: %s --seed=%#" PRIx64 " --steps=%" PRIu64 ")\n",
	       o.seed, o.steps, argv[0], o.seed, o.steps);
	fflush(stdout);
	for (unsigned int i = 0; i < N_CASES; i++) {
		enum verbosity v = n_failed == 0              ? FULL
				   : n_failed <= MAX_REPORTED ? ONE_LINE
							      : QUIET;

		if (o.only != UINT64_MAX && i != o.only)
			continue;
		n_ran++;
		ran[case_mode(i)]++;
		if (run_case(i, o.seed, (unsigned int)o.steps, v) == 0)
			continue;
		if (n_failed == 0)
			printf("  rerun this ring: %s --seed=%#" PRIx64 " --steps=%" PRIu64
			       " --ring=%u\n",
			       argv[0], o.seed, o.steps, i);
		n_failed++;
		failed[case_mode(i)]++;
	}
	if (n_failed == 0) {
		printf("ring_diff: %u ring cases x %" PRIu64 " calls: they agree\n", n_ran,
		       o.steps);
		return 0;
	}
	printf("ring_diff: FAIL: %u of %u ring cases differ (seed %#" PRIx64 "):\n", n_failed,
	       n_ran, o.seed);
	for (unsigned int m = 0; m < N_ELEMS(modes); m++)
		if (ran[m] != 0)
			printf("  %3u of %3u  %s\n", failed[m], ran[m], modes[m].name);
	return 1;
}
