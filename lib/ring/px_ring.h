/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_ring.h
 * Lock-free bounded FIFO rings of pointers or of fixed-size elements.
 *
 * A ring has a producer side (head, tail) and a consumer side (head, tail), each on its own pair
 * of cache lines. Enqueue reserves slots by moving the producer head, copies, then publishes them
 * by moving the producer tail; dequeue does the same on the consumer side.
 *
 * - Single producer/consumer (SP/SC): the head is private to its side. Each side keeps a cached
 *   copy of the other side's tail and reads the shared tail only when the cache shows too little
 *   room (enqueue) or too few entries (dequeue), or an amount no ring can hold: in a two-core
 *   pipeline the other side's cache line is pulled far less often. The tail is published once
 *   per call. The free_space/available outputs are exact (as a ring without a cache reports):
 *   asking for them costs a read of the other side's tail.
 * - Multi producer/consumer (MP/MC): one compare-and-swap on the head reserves the slots, the
 *   copy follows, and the tail is published in reservation order (a producer waits for earlier
 *   ones to publish first).
 * - Slot sequences (PX_RING_F_MT_SEQ, both sides multi-thread): every slot also holds a 32-bit
 *   sequence number saying which side may use it next, for which index, and how far the run
 *   of slots made ready with it reaches. One compare-and-swap on the side's index reserves
 *   the slots, as in MP/MC, after a look at the sequence of the first slot of each run of the
 *   other side (nearly always one): a call takes only slots the other side has finished with.
 *   There is no second index to publish in order: after its copy a thread stores its run's
 *   end in every slot of the run. Threads finish in any order, no call waits for another
 *   thread (one that needs slots still being copied takes fewer, a bulk none), and the line
 *   of the side's index is written once per call instead of twice: the mode for many threads
 *   on one ring (issue 19). It costs a store per object more than MP/MC, and 4 bytes per
 *   slot.
 *
 * The mode is chosen at creation (PX_RING_F_SP_ENQ, PX_RING_F_SC_DEQ, PX_RING_F_MT_SEQ) and used
 * by the generic functions (px_ring_enqueue_bulk(), ...), or chosen by name
 * (px_ring_sp_enqueue_bulk(), px_ring_mc_dequeue_burst(), ...), which read no flag. The caller
 * guarantees that the SP/SC variants are never called concurrently on the same side. A
 * PX_RING_F_MT_SEQ ring takes only the generic functions (as DPDK's HTS and RTS rings take only
 * theirs): the named sp/sc/mp/mc variants do not maintain the slot sequences.
 *
 * `_bulk` functions move all @p n objects or none; `_burst` functions move as many as possible.
 * Both return the number moved.
 *
 * Memory ordering (C11): the producer's store-release of prod.tail orders its slot writes before
 * the consumer's load-acquire of prod.tail and its slot reads; symmetrically the consumer's
 * store-release of cons.tail orders its slot reads before the producer overwrites the slots
 * (after its load-acquire of cons.tail). On x86 these compile to plain moves; on arm64 and POWER
 * they are the only barriers on the path.
 */
#ifndef PX_RING_H
#define PX_RING_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include <px_common.h>
#include <px_memzone.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

/** Longest ring name, including the terminating NUL. */
#define PX_RING_NAMESIZE (PX_MEMZONE_NAMESIZE - 3)
/** Prefix of the memzone that holds a named ring. */
#define PX_RING_MZ_PREFIX "RG_"

#define PX_RING_F_SP_ENQ 0x0001u   /**< the default enqueue is single-producer */
#define PX_RING_F_SC_DEQ 0x0002u   /**< the default dequeue is single-consumer */
#define PX_RING_F_EXACT_SZ 0x0004u /**< capacity is exactly count (size rounds up internally) */
/** Both sides multi-thread with per-slot sequence numbers (see above): generic calls only. Not
 *  0x0008..0x0040, DPDK's RTS/HTS flags: the compatibility layer passes flags through. */
#define PX_RING_F_MT_SEQ 0x0200u
/** Largest number of slots (size) of a ring. */
#define PX_RING_SZ_MASK 0x7fffffffu

/** @cond internal */
/* How one side of a ring synchronises its threads. */
enum px_ring_sync {
	PX_RING_SYNC_MT = 0,  /* multi-thread: CAS on the head, in-order tail */
	PX_RING_SYNC_ST = 1,  /* single thread */
	PX_RING_SYNC_SEQ = 2, /* multi-thread: CAS on the tail, per-slot sequence numbers */
};

enum px_ring_behavior {
	PX_RING_FIXED = 0,    /* all or nothing */
	PX_RING_VARIABLE = 1, /* as many as possible */
};

/* Twice the cache line: adjacent-line prefetchers pull lines in pairs, so one side's state must
 * not share a pair with the other side's. */
#define PX_RING_SIDE_ALIGN (2 * PX_CACHE_LINE_SIZE)

/* What the other side reads (tail), and what producers (consumers) share among themselves (head).
 */
struct px_ring_side {
	uint32_t head; /* next slot to reserve (MP/MC: moved by CAS; unused with slot sequences) */
	uint32_t tail; /* slots before it are published to the other side (slot sequences: are
			* reserved by this side, moved by CAS; the slots tell what is done) */
};

/* Private to a single producer (consumer): kept off the line the other side polls, so refreshing
 * it while spinning on a full (empty) ring does not steal that line from the other core. */
struct px_ring_private {
	uint32_t cached; /* SP/SC only: last value seen of the other side's tail */
};
/** @endcond */

/** A ring. The slots follow the structure. Read fields through the accessors. */
struct px_ring {
	char name[PX_RING_NAMESIZE];
	unsigned int flags;
	const struct px_memzone *memzone; /**< NULL for a ring in caller memory */
	uint32_t size;                    /**< number of slots, a power of two */
	uint32_t mask;                    /**< size - 1 */
	uint32_t capacity;                /**< usable slots */
	uint32_t esize;                   /**< bytes per element, a multiple of 4 */

	uint32_t prod_sync; /**< how the generic enqueue synchronises (enum px_ring_sync) */
	uint32_t cons_sync; /**< how the generic dequeue synchronises (enum px_ring_sync) */

	/** @cond internal */
	struct px_ring_side prod __px_aligned(PX_RING_SIDE_ALIGN);
	struct px_ring_private prod_priv __px_aligned(PX_RING_SIDE_ALIGN);
	struct px_ring_side cons __px_aligned(PX_RING_SIDE_ALIGN);
	struct px_ring_private cons_priv __px_aligned(PX_RING_SIDE_ALIGN);
	/** @endcond */
} __px_aligned(PX_RING_SIDE_ALIGN);

/**
 * Bytes a ring of @p count elements of @p esize bytes needs (for px_ring_init()).
 * @param esize bytes per element, a non-zero multiple of 4
 * @param count number of elements: a power of two, or any value with PX_RING_F_EXACT_SZ
 * @param flags PX_RING_F_* flags that will be passed to px_ring_init()
 * @return the size in bytes, or -EINVAL (bad esize, count 0, count not a power of two without
 *         PX_RING_F_EXACT_SZ, or too large)
 */
ssize_t px_ring_get_memsize_elem(unsigned int esize, unsigned int count, unsigned int flags);

/** As px_ring_get_memsize_elem() for a ring of pointers. */
ssize_t px_ring_get_memsize(unsigned int count, unsigned int flags);

/**
 * Initialise a ring in caller-provided memory: px_ring_get_memsize_elem() bytes aligned to a
 * cache line (PX_RING_SIDE_ALIGN is better: it keeps the producer and consumer line pairs apart).
 * @param r     the memory
 * @param name  the ring's name (may be NULL for an anonymous ring), < PX_RING_NAMESIZE chars
 * @param esize bytes per element, a non-zero multiple of 4
 * @param count see px_ring_get_memsize_elem(); without PX_RING_F_EXACT_SZ the capacity is
 *              count - 1
 * @param flags PX_RING_F_SP_ENQ, PX_RING_F_SC_DEQ, PX_RING_F_EXACT_SZ, PX_RING_F_MT_SEQ (not
 *              with PX_RING_F_SP_ENQ or PX_RING_F_SC_DEQ)
 * @return 0, -EINVAL (bad argument or unaligned @p r), -ENAMETOOLONG
 */
int px_ring_init_elem(struct px_ring *r, const char *name, unsigned int esize, unsigned int count,
		      unsigned int flags);

/** As px_ring_init_elem() for a ring of pointers. */
int px_ring_init(struct px_ring *r, const char *name, unsigned int count, unsigned int flags);

/**
 * Create a named ring in Pollux memory; px_ring_lookup() finds it by name.
 * @param name   unique name, shorter than PX_RING_NAMESIZE
 * @param esize  bytes per element, a non-zero multiple of 4
 * @param count  see px_ring_get_memsize_elem()
 * @param socket NUMA socket or PX_SOCKET_ID_ANY
 * @param flags  PX_RING_F_*
 * @return the ring, or NULL with errno EINVAL (bad argument), ENAMETOOLONG, EEXIST (name in use),
 *         ENOMEM (no memory), ENOSPC (no free memzone)
 */
struct px_ring *px_ring_create_elem(const char *name, unsigned int esize, unsigned int count,
				    int socket, unsigned int flags);

/** As px_ring_create_elem() for a ring of pointers. */
struct px_ring *px_ring_create(const char *name, unsigned int count, int socket,
			       unsigned int flags);

/**
 * Find a ring made by px_ring_create().
 * @return the ring, or NULL with errno ENOENT (no such ring) or EINVAL (NULL name)
 */
struct px_ring *px_ring_lookup(const char *name);

/** Free a ring made by px_ring_create(); NULL and rings in caller memory are ignored. */
void px_ring_free(struct px_ring *r);

/** Empty a ring. Not thread-safe: nobody may use the ring meanwhile. */
void px_ring_reset(struct px_ring *r);

/** Print the state of a ring. */
void px_ring_dump(FILE *f, const struct px_ring *r);

/* ---- fast path -------------------------------------------------------------------------------
 * Everything below is inline. The element size is a constant at each public entry point so the
 * copy is specialised by the compiler. */

/** @cond internal */
/* 16 bytes moved as one SSE/NEON register; only 4-byte alignment is assumed. */
typedef uint32_t px_ring_v16 __attribute__((vector_size(16), aligned(4), may_alias));

/* Copy @n elements of 8 bytes in 32-byte blocks (two 16-byte moves on SSE/NEON). The pointers
 * step, not an index: where @n is no constant (the mempool's calls without a cache) the loop is
 * 7 instructions a block instead of 12 (the index form recomputed both addresses every time). */
static __px_always_inline void px_ring_copy64(void *dst, const void *src, uint32_t n)
{
	px_ring_v16 *vd = (px_ring_v16 *)dst;
	const px_ring_v16 *vs = (const px_ring_v16 *)src;
	uint64_t *d;
	const uint64_t *s;

	for (; n >= 4; n -= 4, vd += 2, vs += 2) {
		vd[0] = vs[0];
		vd[1] = vs[1];
	}
	d = (uint64_t *)vd;
	s = (const uint64_t *)vs;
	switch (n) {
	case 3:
		d[2] = s[2];
		/* fallthrough */
	case 2:
		d[1] = s[1];
		/* fallthrough */
	case 1:
		d[0] = s[0];
	}
}

static __px_always_inline void px_ring_copy32(void *dst, const void *src, uint32_t n)
{
	uint32_t *d = (uint32_t *)dst;
	const uint32_t *s = (const uint32_t *)src;
	uint32_t i = 0;

	for (; i + 8 <= n; i += 8) {
		px_ring_v16 *vd = (px_ring_v16 *)&d[i];
		const px_ring_v16 *vs = (const px_ring_v16 *)&s[i];

		vd[0] = vs[0];
		vd[1] = vs[1];
	}
	for (; i < n; i++)
		d[i] = s[i];
}

/* Copy @n elements of @esize bytes between a table and the slots from index @idx on. */
static __px_always_inline void px_ring_copy_elems(void *dst, const void *src, uint32_t n,
						  uint32_t esize)
{
	if (esize == 8)
		px_ring_copy64(dst, src, n);
	else if (esize == 4)
		px_ring_copy32(dst, src, n);
	else
		px_ring_copy32(dst, src, n * (esize / 4));
}

/* The rare copy across the end of the slots, out of line: inline, the registers its loop needs
 * made every call of a function with the copy inlined save and restore more of them. */
static __px_noinline __px_cold __px_unused void px_ring_copy_wrap(void *dst, const void *src,
								  uint32_t bytes)
{
	uint32_t *d = (uint32_t *)dst;
	const uint32_t *s = (const uint32_t *)src;

	for (uint32_t i = 0; i < bytes / 4; i++)
		d[i] = s[i];
}

static __px_always_inline void *px_ring_slots(const struct px_ring *r)
{
	return (void *)(uintptr_t)&r[1];
}

/* The slot sequence numbers of a PX_RING_F_MT_SEQ ring: one per slot, on the cache line after
 * the slots. */
static __px_always_inline uint32_t *px_ring_seqs(const struct px_ring *r, uint32_t esize)
{
	return (uint32_t *)((char *)px_ring_slots(r) +
			    PX_ALIGN_CEIL((size_t)r->size * esize, (size_t)PX_CACHE_LINE_SIZE));
}

static __px_always_inline void px_ring_copy_in(struct px_ring *r, uint32_t head, const void *obj,
					       uint32_t n, uint32_t esize)
{
	uint32_t idx = head & r->mask;
	char *slots = (char *)px_ring_slots(r);

	/* One element never wraps: no bounds test, and the object stays in a register. */
	if (__builtin_constant_p(n) && n == 1) {
		memcpy(slots + (size_t)idx * esize, obj, esize);
		return;
	}
	if (px_likely(idx + n <= r->size)) {
		char *d = slots + (size_t)idx * esize;

		/* Pointers from an odd slot: one 8-byte store first, so that the 16-byte stores
		 * start on a 16-byte boundary (one in four would cross a cache line). n >= 1. */
		if (esize == 8 && (idx & 1)) {
			memcpy(d, obj, 8);
			px_ring_copy64(d + 8, (const char *)obj + 8, n - 1);
		} else {
			px_ring_copy_elems(d, obj, n, esize);
		}
	} else {
		uint32_t first = r->size - idx;

		/* Rare: the copy wraps. Plain loops; the blocked copy is for the common case. */
		px_ring_copy_wrap(slots + (size_t)idx * esize, obj, first * esize);
		px_ring_copy_wrap(slots, (const char *)obj + (size_t)first * esize,
				  (n - first) * esize);
	}
}

static __px_always_inline void px_ring_copy_out(const struct px_ring *r, uint32_t head, void *obj,
						uint32_t n, uint32_t esize)
{
	uint32_t idx = head & r->mask;
	const char *slots = (const char *)px_ring_slots(r);

	if (__builtin_constant_p(n) && n == 1) {
		memcpy(obj, slots + (size_t)idx * esize, esize);
		return;
	}
	if (px_likely(idx + n <= r->size)) {
		px_ring_copy_elems(obj, slots + (size_t)idx * esize, n, esize);
	} else {
		uint32_t first = r->size - idx;

		px_ring_copy_wrap(obj, slots + (size_t)idx * esize, first * esize);
		px_ring_copy_wrap((char *)obj + (size_t)first * esize, slots, (n - first) * esize);
	}
}

/*
 * The SP/SC cache is a past value of the other side's tail, so it can only understate what is
 * there: the room (entries) it gives is at most the true one, and is trusted only while it is
 * physically possible, 0..capacity. It goes stale in two ways, both handled:
 * - the caller takes the last entry (room) it shows: the next call finds too little and re-reads;
 * - MP (MC) calls on the same side move the head without touching the cache (the mode is chosen
 *   per call). The room then underflows past capacity and is re-read; and so that 2^32 objects
 *   later it cannot wrap round into looking valid again, the MP (MC) call whose reservation
 *   crosses a multiple of 2^29 replaces the cache with the tail it has just read: the cache is
 *   then never more than 2^29 + 2 * capacity (< 2^31) behind. The test is two register
 *   operations and a branch; the store happens once per 2^29 objects (px_ring_cache_age()).
 */
#define PX_RING_CACHE_AGE_BIT (1u << 29)

static __px_always_inline void px_ring_cache_age(struct px_ring_private *p, uint32_t head,
						 uint32_t n, uint32_t tail)
{
	/* Relaxed: several MP (MC) threads may store at once, and any tail they read will do (it
	 * is a past value of the other side's tail, as the cache must be). */
	if (px_unlikely((head ^ (head + n)) & PX_RING_CACHE_AGE_BIT))
		__atomic_store_n(&p->cached, tail, __ATOMIC_RELAXED);
}

/*
 * Reserve up to @n slots for a single producer. The room is computed from the cached consumer
 * tail; the shared one is read (acquire: the consumer's slot reads happen before we overwrite
 * them) only when the cache shows too little room or an impossible amount, or when the caller
 * asks for the exact free space.
 */
static __px_always_inline uint32_t px_ring_sp_reserve(struct px_ring *r, uint32_t n,
						      enum px_ring_behavior behavior,
						      uint32_t *free_space)
{
	uint32_t head = r->prod.head;
	uint32_t room = r->capacity + r->prod_priv.cached - head;

	if (px_unlikely(room < n || room > r->capacity || free_space != NULL)) {
		r->prod_priv.cached = __atomic_load_n(&r->cons.tail, __ATOMIC_ACQUIRE);
		room = r->capacity + r->prod_priv.cached - head;
		if (room < n)
			n = behavior == PX_RING_FIXED ? 0 : room;
	}
	if (free_space != NULL)
		*free_space = room - n;
	return n;
}

/* Reserve up to @n slots for one of several producers: one CAS on the head. */
static __px_always_inline uint32_t px_ring_mp_reserve(struct px_ring *r, uint32_t n,
						      enum px_ring_behavior behavior,
						      uint32_t *old_head, uint32_t *free_space)
{
	uint32_t head = __atomic_load_n(&r->prod.head, __ATOMIC_ACQUIRE), seen;
	uint32_t tail, room, want;

	for (;;) {
		want = n;
		/* The head is read with acquire (load and failed CAS) so the tail read below
		 * cannot move before it on weakly ordered CPUs: a tail older than the head would
		 * overstate the room. The tail's acquire pairs with the consumer's release of
		 * cons.tail, so its slot reads are done before we write the slots. */
		tail = __atomic_load_n(&r->cons.tail, __ATOMIC_ACQUIRE);
		room = r->capacity + tail - head;
		if (px_unlikely(want > room))
			want = behavior == PX_RING_FIXED ? 0 : room;
		if (want == 0)
			break;
		/* What follows a successful CAS uses @head, the value compared, not the one the
		 * CAS hands back (the same, but the compiler cannot know): on x86 the register
		 * cmpxchg writes is ready only once the locked instruction completes, and the slot
		 * copy and the publish would all wait for it (1.96 -> 1.62 cycles per object in
		 * scale_mpmc_shared at one lcore, docs/bench.md). */
		seen = head;
		if (__atomic_compare_exchange_n(&r->prod.head, &seen, head + want, true,
						__ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE))
			break;
		head = seen;
	}
	px_ring_cache_age(&r->prod_priv, head, want, tail);
	*old_head = head;
	if (free_space != NULL)
		*free_space = room - want;
	return want;
}

/* Publish slots [head, head + n) of side @s: wait for earlier reservations (MP/MC) to publish,
 * then store-release the tail so the other side sees our slot accesses done. */
static __px_always_inline void px_ring_mt_publish(struct px_ring_side *s, uint32_t head, uint32_t n)
{
	/* Acquire, not relaxed: our release below must carry the earlier threads' slot accesses
	 * too (a plain store does not extend their release sequence), so a thread that acquires
	 * our tail also sees what they wrote or finished reading. Free on x86. */
	while (px_unlikely(__atomic_load_n(&s->tail, __ATOMIC_ACQUIRE) != head))
		px_pause();
	__atomic_store_n(&s->tail, head + n, __ATOMIC_RELEASE);
}

/*
 * Slot sequences (PX_RING_F_MT_SEQ). Each slot's 32-bit sequence says which side may use the
 * slot next, for which index, and how far the run of slots that became ready with it reaches.
 * With e an index such that 0 <= e - i - 1 < size, the slot of index i reads
 *   - e: free for the producer of index i, and so are the slots of indices i + 1 .. e - 1 (a
 *     consumer that read a run ending at index e - size stored it);
 *   - e + PX_RING_SEQ_WRITTEN: written for the consumer of index i, and so are i + 1 .. e - 1 (a
 *     producer whose run ends at e stored it).
 * A thread stores the same value in every slot of its run, from the last slot to the first,
 * each a release, after its copy. A thread that then finds the first slot it needs ready
 * (acquire) has seen all those stores: the slots up to e - 1 are ready too without a look at
 * their sequences (the copy of the thread that stored them happens before ours), and its own
 * stores to them come after the ones it skipped in every slot's order (write-write coherence),
 * so a late store of the earlier thread cannot undo them. A thread therefore loads one sequence
 * per run of the other side instead of one per slot, and stores one constant per slot.
 *
 * One CAS on a side's tail reserves (px_ring_seq_reserve()): a producer counts room against the
 * consumers' tail, a consumer counts entries against the producers' one, and takes only slots
 * it has found ready, so nobody waits on a slot. The loads of the tails are acquire and the
 * CAS release for the reason px_ring_mp_reserve() gives: the other side's tail read after ours
 * is no older than the one the thread that moved ours counted against (an older one would make
 * the room wrap round to a huge number). The slots carry the data's ordering.
 *
 * Indices and sequences are free-running 32-bit numbers and size divides 2^32, so the lap
 * arithmetic wraps with them. When the producer of index i looks at its slot (our tail reads
 * i), the consumer of index i - size has reserved it, so it found it written: the slot reads
 * "written for i - size" (that consumer still copies) or "free for i". Relative to i the first
 * is in [2^31 - size, 2^31) and fails the test above for size <= 2^30 (every ring); the
 * consumer's view is the mirror image. A thread whose idea of the tail is stale may see
 * anything, but then its CAS fails.
 */
#define PX_RING_SEQ_WRITTEN 0x80000000u

/* How many slots from index @i on sequence @v says are ready for the side whose values carry
 * @off (0 producers, PX_RING_SEQ_WRITTEN consumers): e - i, 1..size; 0 when not ready. */
static __px_always_inline uint32_t px_ring_seq_run(uint32_t v, uint32_t i, uint32_t off,
						   uint32_t size)
{
	uint32_t d = v - off - i;

	return d - 1 < size ? d : 0;
}

/* The slot sequences of an empty ring whose indices all stand at @start: every slot is free for
 * the producers of indices [start, start + size), as if one consumer had just read a run ending
 * at @start. Not thread-safe (px_ring_init_elem(), px_ring_reset(), tests that start a ring at
 * another index). */
static inline void px_ring_seq_start(struct px_ring *r, uint32_t start)
{
	uint32_t *seqs = px_ring_seqs(r, r->esize);

	for (uint32_t i = 0; i < r->size; i++)
		seqs[i] = start + r->size;
}

/* How many slots from index @i on are ready for the side of @off, by the sequence of the
 * first (acquire: see above); 0 when it is not ready. */
static __px_always_inline uint32_t px_ring_seq_ready_at(const uint32_t *seqs, uint32_t mask,
							uint32_t i, uint32_t off)
{
	return px_ring_seq_run(__atomic_load_n(&seqs[i & mask], __ATOMIC_ACQUIRE), i, off,
			       mask + 1);
}

/* How many of the slots of indices idx, idx + 1, ... (at most @n) are ready in a row for the
 * side of @off: one load per run of the other side, nearly always one in all. */
static __px_always_inline uint32_t px_ring_seq_ready(const uint32_t *seqs, uint32_t mask,
						     uint32_t idx, uint32_t n, uint32_t off)
{
	uint32_t k, d;

	if (n == 0)
		return 0;
	k = px_ring_seq_ready_at(seqs, mask, idx, off);
	if (px_likely(k >= n))
		return n;
	while (k != 0 && k < n && (d = px_ring_seq_ready_at(seqs, mask, idx + k, off)) != 0)
		k += d;
	return k < n ? k : n;
}

/*
 * Reserve up to @n indices whose slots are ready, by a CAS on our side's tail @mine. The slots
 * are checked before the CAS, while the tail still reads @idx (it only grows, so it read @idx
 * all along when the CAS succeeds): no thread of our side can have taken those indices, and
 * the other side does not touch their slots again before we hand them on, so what the check
 * saw (acquire) still holds after the CAS and nobody waits on a slot afterwards. When a slot
 * is not ready (a thread of the other side still copies), the call takes only the ready ones
 * before it (bulk: none), as MP/MC, whose other side publishes in order when done, would.
 */
static __px_always_inline uint32_t
px_ring_seq_reserve(struct px_ring_side *mine, const struct px_ring_side *other, uint32_t cap,
		    uint32_t n, enum px_ring_behavior behavior, const uint32_t *seqs, uint32_t mask,
		    uint32_t off, uint32_t *old_idx, uint32_t *left)
{
	uint32_t idx = __atomic_load_n(&mine->tail, __ATOMIC_ACQUIRE);
	uint32_t avail, want, ready, now, seen;

	for (;;) {
		want = n;
		avail = cap + __atomic_load_n(&other->tail, __ATOMIC_ACQUIRE) - idx;
		if (px_unlikely(want > avail))
			want = behavior == PX_RING_FIXED ? 0 : avail;
		ready = px_ring_seq_ready(seqs, mask, idx, want, off);
		if (px_unlikely(ready < want)) {
			now = __atomic_load_n(&mine->tail, __ATOMIC_ACQUIRE);
			if (now != idx) { /* our side moved on meanwhile: look again */
				idx = now;
				continue;
			}
			want = behavior == PX_RING_FIXED ? 0 : ready;
		}
		if (want == 0)
			break;
		seen = idx; /* as in px_ring_mp_reserve() */
		if (__atomic_compare_exchange_n(&mine->tail, &seen, idx + want, true,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			break;
		idx = seen;
	}
	*old_idx = idx;
	if (left != NULL)
		*left = avail - want;
	return want;
}

/* Store @v in the @n sequences from @sq, last first (see above): the odd ones at the end, then
 * blocks of eight. Release: our slot accesses come first. */
static __px_always_inline void px_ring_seq_mark_run(uint32_t *sq, uint32_t v, uint32_t n)
{
	uint32_t *p = sq + n;

	for (uint32_t k = n & 7; k > 0; k--)
		__atomic_store_n(--p, v, __ATOMIC_RELEASE);
	while (p != sq) {
		p -= 8;
		__atomic_store_n(&p[7], v, __ATOMIC_RELEASE);
		__atomic_store_n(&p[6], v, __ATOMIC_RELEASE);
		__atomic_store_n(&p[5], v, __ATOMIC_RELEASE);
		__atomic_store_n(&p[4], v, __ATOMIC_RELEASE);
		__atomic_store_n(&p[3], v, __ATOMIC_RELEASE);
		__atomic_store_n(&p[2], v, __ATOMIC_RELEASE);
		__atomic_store_n(&p[1], v, __ATOMIC_RELEASE);
		__atomic_store_n(&p[0], v, __ATOMIC_RELEASE);
	}
}

/* Hand the slots of indices [idx, idx + n) on: each sequence becomes @v, from the last index to
 * the first (the part that wrapped round to slot 0 holds the later indices). */
static __px_always_inline void px_ring_seq_mark(const struct px_ring *r, uint32_t *seqs,
						uint32_t idx, uint32_t n, uint32_t v)
{
	uint32_t first = idx & r->mask, run = r->size - first;

	if (px_unlikely(n > run)) {
		px_ring_seq_mark_run(seqs, v, n - run);
		n = run;
	}
	px_ring_seq_mark_run(&seqs[first], v, n);
}

static __px_always_inline uint32_t px_ring_seq_enqueue(struct px_ring *r, const void *obj,
						       uint32_t esize, uint32_t n,
						       enum px_ring_behavior behavior,
						       uint32_t *free_space)
{
	uint32_t *seqs = px_ring_seqs(r, esize);
	uint32_t idx;

	n = px_ring_seq_reserve(&r->prod, &r->cons, r->capacity, n, behavior, seqs, r->mask, 0,
				&idx, free_space);
	if (n == 0)
		return 0;
	px_ring_copy_in(r, idx, obj, n, esize);
	px_ring_seq_mark(r, seqs, idx, n, idx + n + PX_RING_SEQ_WRITTEN);
	return n;
}

static __px_always_inline uint32_t px_ring_seq_dequeue(struct px_ring *r, void *obj, uint32_t esize,
						       uint32_t n, enum px_ring_behavior behavior,
						       uint32_t *available)
{
	uint32_t *seqs = px_ring_seqs(r, esize);
	uint32_t idx;

	n = px_ring_seq_reserve(&r->cons, &r->prod, 0, n, behavior, seqs, r->mask,
				PX_RING_SEQ_WRITTEN, &idx, available);
	if (n == 0)
		return 0;
	px_ring_copy_out(r, idx, obj, n, esize);
	/* free for the producers of the next lap, up to the index after ours there */
	px_ring_seq_mark(r, seqs, idx, n, idx + n + r->size);
	return n;
}

static __px_always_inline uint32_t px_ring_do_enqueue(struct px_ring *r, const void *obj,
						      uint32_t esize, uint32_t n,
						      enum px_ring_behavior behavior,
						      enum px_ring_sync sync, uint32_t *free_space)
{
	uint32_t head;

	if (sync == PX_RING_SYNC_ST) {
		head = r->prod.head;
		n = px_ring_sp_reserve(r, n, behavior, free_space);
		if (n == 0)
			return 0;
		px_ring_copy_in(r, head, obj, n, esize);
		r->prod.head = head + n;
		/* Release: the slot writes above are visible before the new tail. */
		__atomic_store_n(&r->prod.tail, head + n, __ATOMIC_RELEASE);
		return n;
	}
	if (sync == PX_RING_SYNC_SEQ)
		return px_ring_seq_enqueue(r, obj, esize, n, behavior, free_space);
	n = px_ring_mp_reserve(r, n, behavior, &head, free_space);
	if (n == 0)
		return 0;
	px_ring_copy_in(r, head, obj, n, esize);
	px_ring_mt_publish(&r->prod, head, n);
	return n;
}

/* Single consumer: count against the cached producer tail, re-read (acquire: the producer's slot
 * writes are visible) only when the cache shows too few entries or an impossible number, or when
 * the caller asks for the exact number left. */
static __px_always_inline uint32_t px_ring_sc_reserve(struct px_ring *r, uint32_t n,
						      enum px_ring_behavior behavior,
						      uint32_t *available)
{
	uint32_t head = r->cons.head;
	uint32_t entries = r->cons_priv.cached - head;

	/* No unlikely() hint: a consumer that keeps up finds the cache "empty" on most calls. The
	 * new tail is always kept: a cache left behind would fall further back with every call
	 * that takes all there is, and after 2^31 objects look full again. */
	if (entries < n || entries > r->capacity || available != NULL) {
		r->cons_priv.cached = __atomic_load_n(&r->prod.tail, __ATOMIC_ACQUIRE);
		entries = r->cons_priv.cached - head;
		if (entries < n)
			n = behavior == PX_RING_FIXED ? 0 : entries;
	}
	if (available != NULL)
		*available = entries - n;
	return n;
}

static __px_always_inline uint32_t px_ring_mc_reserve(struct px_ring *r, uint32_t n,
						      enum px_ring_behavior behavior,
						      uint32_t *old_head, uint32_t *available)
{
	uint32_t head = __atomic_load_n(&r->cons.head, __ATOMIC_ACQUIRE), seen;
	uint32_t tail, entries, want;

	for (;;) {
		want = n;
		/* Head (acquire) before tail, as in px_ring_mp_reserve(); the tail's acquire
		 * pairs with the producer's release of prod.tail (the slots are written). */
		tail = __atomic_load_n(&r->prod.tail, __ATOMIC_ACQUIRE);
		entries = tail - head;
		if (px_unlikely(want > entries))
			want = behavior == PX_RING_FIXED ? 0 : entries;
		if (want == 0)
			break;
		seen = head; /* as in px_ring_mp_reserve() */
		if (__atomic_compare_exchange_n(&r->cons.head, &seen, head + want, true,
						__ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE))
			break;
		head = seen;
	}
	px_ring_cache_age(&r->cons_priv, head, want, tail);
	*old_head = head;
	if (available != NULL)
		*available = entries - want;
	return want;
}

static __px_always_inline uint32_t px_ring_do_dequeue(struct px_ring *r, void *obj, uint32_t esize,
						      uint32_t n, enum px_ring_behavior behavior,
						      enum px_ring_sync sync, uint32_t *available)
{
	uint32_t head;

	if (sync == PX_RING_SYNC_ST) {
		head = r->cons.head;
		n = px_ring_sc_reserve(r, n, behavior, available);
		if (n == 0)
			return 0;
		px_ring_copy_out(r, head, obj, n, esize);
		r->cons.head = head + n;
		/* Release: our slot reads are done before the producer may reuse the slots. */
		__atomic_store_n(&r->cons.tail, head + n, __ATOMIC_RELEASE);
		return n;
	}
	if (sync == PX_RING_SYNC_SEQ)
		return px_ring_seq_dequeue(r, obj, esize, n, behavior, available);
	n = px_ring_mc_reserve(r, n, behavior, &head, available);
	if (n == 0)
		return 0;
	px_ring_copy_out(r, head, obj, n, esize);
	px_ring_mt_publish(&r->cons, head, n);
	return n;
}
/** @endcond */

/* Generators for the public variants: the element versions take @esize (a constant at most call
 * sites, so the inlined copy is specialised); the pointer versions fix it to sizeof(void *). */
#define PX_RING_ENQ_VARIANT(name, behavior, sync)                                             \
	static __px_always_inline unsigned int px_ring_##name##_elem(                         \
		struct px_ring *r, const void *obj_table, unsigned int esize, unsigned int n, \
		unsigned int *free_space)                                                     \
	{                                                                                     \
		return px_ring_do_enqueue(r, obj_table, esize, n, behavior,                   \
					  (enum px_ring_sync)(sync), free_space);             \
	}                                                                                     \
	static __px_always_inline unsigned int px_ring_##name(                                \
		struct px_ring *r, void *const *obj_table, unsigned int n,                    \
		unsigned int *free_space)                                                     \
	{                                                                                     \
		return px_ring_do_enqueue(r, obj_table, sizeof(void *), n, behavior,          \
					  (enum px_ring_sync)(sync), free_space);             \
	}

#define PX_RING_DEQ_VARIANT(name, behavior, sync)                                             \
	static __px_always_inline unsigned int px_ring_##name##_elem(                         \
		struct px_ring *r, void *obj_table, unsigned int esize, unsigned int n,       \
		unsigned int *available)                                                      \
	{                                                                                     \
		return px_ring_do_dequeue(r, obj_table, esize, n, behavior,                   \
					  (enum px_ring_sync)(sync), available);              \
	}                                                                                     \
	static __px_always_inline unsigned int px_ring_##name(                                \
		struct px_ring *r, void **obj_table, unsigned int n, unsigned int *available) \
	{                                                                                     \
		return px_ring_do_dequeue(r, obj_table, sizeof(void *), n, behavior,          \
					  (enum px_ring_sync)(sync), available);              \
	}

/**
 * @fn unsigned int px_ring_sp_enqueue_bulk(struct px_ring *r, void *const *obj_table,
 *                                          unsigned int n, unsigned int *free_space)
 * Enqueue all @p n pointers of @p obj_table, or none, as the only producer.
 *
 * Family: px_ring_{sp,mp,}_enqueue_{bulk,burst}[_elem] and
 * px_ring_{sc,mc,}_dequeue_{bulk,burst}[_elem]. `sp`/`sc`: the caller is the only thread on that
 * side; `mp`/`mc`: safe with other threads on that side; no prefix: the mode chosen at creation.
 * `_bulk`: all or nothing; `_burst`: as many as possible. `_elem`: elements of @p esize bytes
 * (the ring's element size) instead of pointers.
 * @param r          the ring
 * @param obj_table  objects to enqueue (dequeue: where to store them)
 * @param n          how many
 * @param free_space if not NULL, set to the free slots left after the call (dequeue:
 *                   @c available, the entries left)
 * @return the number of objects moved (bulk: 0 or @p n)
 */
PX_RING_ENQ_VARIANT(sp_enqueue_bulk, PX_RING_FIXED, PX_RING_SYNC_ST)
PX_RING_ENQ_VARIANT(mp_enqueue_bulk, PX_RING_FIXED, PX_RING_SYNC_MT)
PX_RING_ENQ_VARIANT(sp_enqueue_burst, PX_RING_VARIABLE, PX_RING_SYNC_ST)
PX_RING_ENQ_VARIANT(mp_enqueue_burst, PX_RING_VARIABLE, PX_RING_SYNC_MT)
PX_RING_ENQ_VARIANT(enqueue_bulk, PX_RING_FIXED, r->prod_sync)
PX_RING_ENQ_VARIANT(enqueue_burst, PX_RING_VARIABLE, r->prod_sync)
PX_RING_DEQ_VARIANT(sc_dequeue_bulk, PX_RING_FIXED, PX_RING_SYNC_ST)
PX_RING_DEQ_VARIANT(mc_dequeue_bulk, PX_RING_FIXED, PX_RING_SYNC_MT)
PX_RING_DEQ_VARIANT(sc_dequeue_burst, PX_RING_VARIABLE, PX_RING_SYNC_ST)
PX_RING_DEQ_VARIANT(mc_dequeue_burst, PX_RING_VARIABLE, PX_RING_SYNC_MT)
PX_RING_DEQ_VARIANT(dequeue_bulk, PX_RING_FIXED, r->cons_sync)
PX_RING_DEQ_VARIANT(dequeue_burst, PX_RING_VARIABLE, r->cons_sync)

/**
 * Enqueue one pointer (sp_/mp_ variants: see px_ring_sp_enqueue_bulk()).
 * @return 0, or -ENOBUFS when the ring is full
 */
static __px_always_inline int px_ring_enqueue(struct px_ring *r, void *obj)
{
	return px_ring_enqueue_bulk(r, &obj, 1, NULL) ? 0 : -ENOBUFS;
}

static __px_always_inline int px_ring_sp_enqueue(struct px_ring *r, void *obj)
{
	return px_ring_sp_enqueue_bulk(r, &obj, 1, NULL) ? 0 : -ENOBUFS;
}

static __px_always_inline int px_ring_mp_enqueue(struct px_ring *r, void *obj)
{
	return px_ring_mp_enqueue_bulk(r, &obj, 1, NULL) ? 0 : -ENOBUFS;
}

/**
 * Dequeue one pointer into @p *obj_p (sc_/mc_ variants: see px_ring_sp_enqueue_bulk()).
 * @return 0, or -ENOENT when the ring is empty
 */
static __px_always_inline int px_ring_dequeue(struct px_ring *r, void **obj_p)
{
	return px_ring_dequeue_bulk(r, obj_p, 1, NULL) ? 0 : -ENOENT;
}

static __px_always_inline int px_ring_sc_dequeue(struct px_ring *r, void **obj_p)
{
	return px_ring_sc_dequeue_bulk(r, obj_p, 1, NULL) ? 0 : -ENOENT;
}

static __px_always_inline int px_ring_mc_dequeue(struct px_ring *r, void **obj_p)
{
	return px_ring_mc_dequeue_bulk(r, obj_p, 1, NULL) ? 0 : -ENOENT;
}

/** @return the number of entries in the ring (a snapshot when others are using it). */
static inline unsigned int px_ring_count(const struct px_ring *r)
{
	uint32_t prod = __atomic_load_n(&r->prod.tail, __ATOMIC_ACQUIRE);
	uint32_t cons = __atomic_load_n(&r->cons.tail, __ATOMIC_ACQUIRE);
	uint32_t count = (prod - cons) & r->mask;

	/* With an exact-size ring the mask may be wider than the capacity. */
	return count > r->capacity ? r->capacity : count;
}

/** @return the number of free slots (a snapshot). */
static inline unsigned int px_ring_free_count(const struct px_ring *r)
{
	return r->capacity - px_ring_count(r);
}

/** @return non-zero when the ring is full (a snapshot). */
static inline int px_ring_full(const struct px_ring *r)
{
	return px_ring_free_count(r) == 0;
}

/** @return non-zero when the ring is empty (a snapshot). */
static inline int px_ring_empty(const struct px_ring *r)
{
	return __atomic_load_n(&r->prod.tail, __ATOMIC_ACQUIRE) ==
	       __atomic_load_n(&r->cons.tail, __ATOMIC_ACQUIRE);
}

/** @return the number of slots (a power of two). */
static inline unsigned int px_ring_get_size(const struct px_ring *r)
{
	return r->size;
}

/** @return the number of objects the ring can hold. */
static inline unsigned int px_ring_get_capacity(const struct px_ring *r)
{
	return r->capacity;
}

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_RING_H */
