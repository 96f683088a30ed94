/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The calls of one side, written once: side_pollux.c and side_dpdk.c include this file after
 * defining RING_T (the ring type) and RING_FN(name) (the library's function of that name:
 * px_ring_##name, rte_ring_##name). Both libraries give their ring functions the same names and
 * arguments, so one struct rd_call maps to the same-named function on each side by construction.
 */
#ifndef RING_T
#error "define RING_T and RING_FN() before including side_calls.h"
#endif

/* The default, single and multi variant of one function, chosen by c->sync. */
#define SIDE_PICK(single, multi, deflt, ...)                  \
	(c->sync == RD_SINGLE  ? RING_FN(single)(__VA_ARGS__) \
	 : c->sync == RD_MULTI ? RING_FN(multi)(__VA_ARGS__)  \
			       : RING_FN(deflt)(__VA_ARGS__))

/* Element API. Always inlined into side_call() with a constant @esize, as an application's
 * call site would be, so each library's specialised copy is the one tested. */
static inline __attribute__((always_inline)) unsigned int
side_elem(RING_T *r, const struct rd_call *c, void *objs, unsigned int esize, unsigned int *out)
{
	unsigned int n = c->n;

	if (c->dir == RD_ENQ) {
		if (c->kind == RD_BULK)
			return SIDE_PICK(sp_enqueue_bulk_elem, mp_enqueue_bulk_elem,
					 enqueue_bulk_elem, r, objs, esize, n, out);
		return SIDE_PICK(sp_enqueue_burst_elem, mp_enqueue_burst_elem, enqueue_burst_elem,
				 r, objs, esize, n, out);
	}
	if (c->kind == RD_BULK)
		return SIDE_PICK(sc_dequeue_bulk_elem, mc_dequeue_bulk_elem, dequeue_bulk_elem, r,
				 objs, esize, n, out);
	return SIDE_PICK(sc_dequeue_burst_elem, mc_dequeue_burst_elem, dequeue_burst_elem, r, objs,
			 esize, n, out);
}

/* Pointer API, including the one-object calls. */
static int side_ptr(RING_T *r, const struct rd_call *c, void **objs, unsigned int *out)
{
	unsigned int n = c->n;

	if (c->kind == RD_ONE)
		return c->dir == RD_ENQ ? SIDE_PICK(sp_enqueue, mp_enqueue, enqueue, r, objs[0])
					: SIDE_PICK(sc_dequeue, mc_dequeue, dequeue, r, &objs[0]);
	if (c->dir == RD_ENQ) {
		if (c->kind == RD_BULK)
			return (int)SIDE_PICK(sp_enqueue_bulk, mp_enqueue_bulk, enqueue_bulk, r,
					      objs, n, out);
		return (int)SIDE_PICK(sp_enqueue_burst, mp_enqueue_burst, enqueue_burst, r, objs, n,
				      out);
	}
	if (c->kind == RD_BULK)
		return (int)SIDE_PICK(sc_dequeue_bulk, mc_dequeue_bulk, dequeue_bulk, r, objs, n,
				      out);
	return (int)SIDE_PICK(sc_dequeue_burst, mc_dequeue_burst, dequeue_burst, r, objs, n, out);
}

static int side_call(void *ring, unsigned int esize, const struct rd_call *c, void *objs,
		     unsigned int *out)
{
	RING_T *r = ring;

	switch (esize) {
	case 0:
		return side_ptr(r, c, objs, out);
	case 4:
		return (int)side_elem(r, c, objs, 4, out);
	case 8:
		return (int)side_elem(r, c, objs, 8, out);
	case 12:
		return (int)side_elem(r, c, objs, 12, out);
	case 16:
		return (int)side_elem(r, c, objs, 16, out);
	default:
		return (int)side_elem(r, c, objs, esize, out);
	}
}

static void side_state(const void *ring, struct rd_state *s)
{
	const RING_T *r = ring;

	s->size = RING_FN(get_size)(r);
	s->capacity = RING_FN(get_capacity)(r);
	s->count = RING_FN(count)(r);
	s->free = RING_FN(free_count)(r);
	s->empty = RING_FN(empty)(r) != 0;
	s->full = RING_FN(full)(r) != 0;
}

#undef SIDE_PICK
