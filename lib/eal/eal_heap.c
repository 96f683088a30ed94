/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The heap: boundary-tagged blocks inside segments.
 *
 * Each segment is tiled by elements, each a 64-byte header then its data; a header knows its
 * size and its physical predecessor, so freeing merges with both neighbours in O(1). Free elements
 * are on their segment's list, so a block never straddles a segment (and stays IOVA-contiguous).
 * A header carries a cookie (a magic XOR its own address), checked before anything is written:
 * a double free or a pointer the heap never returned is reported and ignored. A segment that
 * becomes entirely free is released, unless it was reserved at init.
 */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "eal_mem.h"
#include "px_lcore.h"

#define HEAP_BUSY 0x506f6c6c75784255ULL /* "PolluxBU" */
#define HEAP_FREE 0x506f6c6c75784652ULL /* "PolluxFR" */
/* a header absorbed into a free neighbour: freeing it again is still a double free */
#define HEAP_DEAD 0x506f6c6c75784445ULL /* "PolluxDE" */
#define HDR sizeof(struct heap_elem)
#define MIN_ELEM (2 * HDR)

struct heap_elem {
	uint64_t cookie;                 /* HEAP_BUSY or HEAP_FREE, XOR the header's address */
	struct heap_elem *prev;          /* physically previous element; NULL: first */
	struct heap_elem *fnext, *fprev; /* the segment's free list (free elements) */
	size_t size;                     /* header + data, up to the next element */
	size_t req;                      /* bytes asked for (busy elements) */
	uint32_t seg;                    /* segment number */
	uint32_t align;                  /* alignment asked for (busy elements) */
	char type[8];                    /* label, truncated */
};
static_assert(sizeof(struct heap_elem) == 64, "heap header is one 64-byte line");

static unsigned int alloc_count[PX_MAX_NUMA_NODES];

static uint64_t cookie(const struct heap_elem *e, uint64_t magic)
{
	return magic ^ (uintptr_t)e;
}

static bool is_free(const struct heap_elem *e)
{
	return e->cookie == cookie(e, HEAP_FREE);
}

static struct eal_seg *seg_of_elem(const struct heap_elem *e)
{
	return &eal_mem.segs[e->seg];
}

static struct heap_elem *elem_next(const struct heap_elem *e)
{
	struct eal_seg *s = seg_of_elem(e);
	uintptr_t n = (uintptr_t)e + e->size;

	return n < s->va + s->len ? (struct heap_elem *)n : NULL;
}

static void free_insert(struct eal_seg *s, struct heap_elem *e)
{
	e->cookie = cookie(e, HEAP_FREE);
	e->fprev = NULL;
	e->fnext = s->free_head;
	if (e->fnext)
		e->fnext->fprev = e;
	s->free_head = e;
	s->free_bytes += e->size;
}

static void free_remove(struct eal_seg *s, struct heap_elem *e)
{
	if (e->fprev)
		e->fprev->fnext = e->fnext;
	else
		s->free_head = e->fnext;
	if (e->fnext)
		e->fnext->fprev = e->fprev;
	s->free_bytes -= e->size;
}

void heap_seg_init(struct eal_seg *s)
{
	struct heap_elem *e = (struct heap_elem *)s->va;

	*e = (struct heap_elem){.size = s->len, .seg = (uint32_t)(s - eal_mem.segs)};
	s->free_head = NULL;
	s->free_bytes = 0;
	free_insert(s, e);
}

/* Cut @e at @off: the tail becomes a new element (not on any list); returns it. */
static struct heap_elem *elem_split(struct heap_elem *e, size_t off)
{
	struct heap_elem *t = PX_PTR_ADD(e, off), *n;

	*t = (struct heap_elem){.prev = e, .size = e->size - off, .seg = e->seg};
	e->size = off;
	n = elem_next(t);
	if (n)
		n->prev = t;
	return t;
}

static bool crosses(uintptr_t u, size_t size, size_t bound)
{
	return bound && ((u ^ (u + size - 1)) & ~(uintptr_t)(bound - 1));
}

/* Where the data of a @size-byte block could start in free element @e; 0 if it does not fit. */
static uintptr_t elem_fit(const struct heap_elem *e, size_t size, size_t align, size_t bound)
{
	uintptr_t start = (uintptr_t)e, end = start + e->size;
	uintptr_t u = PX_ALIGN_CEIL(start + HDR, align);

	while (u + size <= end) {
		size_t lead = u - HDR - start;

		if (lead != 0 && lead < MIN_ELEM)
			u = PX_ALIGN_CEIL(u + MIN_ELEM, align);
		else if (crosses(u, size, bound))
			u = PX_ALIGN_CEIL(PX_ALIGN_CEIL(u + 1, bound), align);
		else
			return u;
	}
	return 0;
}

/* Carve a busy block with data at @u out of free element @e. */
static void *elem_take(struct eal_seg *s, struct heap_elem *e, uintptr_t u, size_t size,
		       size_t align, const char *type)
{
	size_t lead = u - HDR - (uintptr_t)e, need = HDR + PX_ALIGN_CEIL(size, HDR);

	free_remove(s, e);
	if (lead) {
		struct heap_elem *b = elem_split(e, lead);

		free_insert(s, e);
		e = b;
	}
	if (e->size - need >= MIN_ELEM)
		free_insert(s, elem_split(e, need));
	e->cookie = cookie(e, HEAP_BUSY);
	e->req = size;
	e->align = (uint32_t)align;
	memset(e->type, 0, sizeof(e->type));
	if (type)
		strncpy(e->type, type, sizeof(e->type) - 1);
	alloc_count[s->socket]++;
	return (void *)u;
}

static void *seg_alloc(struct eal_seg *s, size_t size, size_t align, size_t bound, const char *type)
{
	if (s->free_bytes < size + HDR)
		return NULL;
	for (struct heap_elem *e = s->free_head; e; e = e->fnext) {
		uintptr_t u = elem_fit(e, size, align, bound);

		if (u)
			return elem_take(s, e, u, size, align, type);
	}
	return NULL;
}

static void *socket_alloc(int socket, size_t size, size_t align, size_t bound, const char *type)
{
	for (unsigned int i = 0; i < eal_mem.nsegs; i++) {
		struct eal_seg *s = &eal_mem.segs[i];
		void *p;

		if (!s->used || s->socket != socket)
			continue;
		p = seg_alloc(s, size, align, bound, type);
		if (p)
			return p;
	}
	return NULL;
}

static void *socket_grow(int socket, size_t size, size_t align, size_t bound, const char *type)
{
	size_t want = HDR + size + align + bound + MIN_ELEM;
	struct eal_seg *s;

	if (eal_mem.page_sz[socket] == 0 || want < size)
		return NULL;
	s = mem_seg_add(want, socket, false);
	return s ? seg_alloc(s, size, align, bound, type) : NULL;
}

/* Lock held. Try the socket asked for (or the caller's), then, for ANY, the others. */
static void *heap_alloc_locked(const char *type, size_t size, size_t align, size_t bound,
			       int socket)
{
	int first = socket == PX_SOCKET_ID_ANY ? px_socket_id() : socket;
	void *p;

	if (first < 0 || first >= (int)eal_mem.nsockets)
		first = 0;
	p = socket_alloc(first, size, align, bound, type);
	for (int s = 0; !p && socket == PX_SOCKET_ID_ANY && s < (int)eal_mem.nsockets; s++)
		if (s != first)
			p = socket_alloc(s, size, align, bound, type);
	if (!p)
		p = socket_grow(first, size, align, bound, type);
	for (int s = 0; !p && socket == PX_SOCKET_ID_ANY && s < (int)eal_mem.nsockets; s++)
		if (s != first)
			p = socket_grow(s, size, align, bound, type);
	if (!p)
		errno = ENOMEM;
	return p;
}

static int check_args(size_t size, size_t *align, size_t bound, int socket)
{
	if (*align == 0)
		*align = PX_CACHE_LINE_SIZE;
	if (!px_is_power_of_2(*align))
		return -EINVAL;
	if (*align < HDR)
		*align = HDR;
	if (size == 0 || (bound && !px_is_power_of_2(bound)) || (bound && bound < size) ||
	    size > (SIZE_MAX >> 2) ||
	    (socket != PX_SOCKET_ID_ANY && (socket < 0 || socket >= PX_MAX_NUMA_NODES)))
		return -EINVAL;
	return 0;
}

void *heap_alloc(const char *type, size_t size, size_t align, size_t bound, int socket)
{
	void *p = NULL;

	if (check_args(size, &align, bound, socket) < 0) {
		errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&eal_mem.lock);
	if (!eal_mem.up) {
		MEM_LOG(ERR, "px_malloc() before px_eal_init(): no memory yet");
		errno = ENOMEM;
	} else if (socket != PX_SOCKET_ID_ANY && socket >= (int)eal_mem.nsockets) {
		errno = EINVAL;
	} else {
		p = heap_alloc_locked(type, size, align, bound, socket);
	}
	pthread_mutex_unlock(&eal_mem.lock);
	return p;
}

/* The live element behind @ptr, or NULL after reporting why not. Lock held. */
static struct heap_elem *elem_of(const void *ptr, const char *who)
{
	struct eal_seg *s = mem_seg_of(ptr);
	struct heap_elem *e = (struct heap_elem *)PX_PTR_SUB(ptr, HDR);

	if (s == NULL || (uintptr_t)e < s->va || ((uintptr_t)ptr & (HDR - 1))) {
		MEM_LOG(ERR, "%s(%p): not Pollux heap memory; ignored", who, ptr);
		return NULL;
	}
	if (e->cookie == cookie(e, HEAP_BUSY))
		return e;
	MEM_LOG(ERR, "%s(%p): %s; ignored", who, ptr,
		is_free(e) || e->cookie == cookie(e, HEAP_DEAD) ? "double free"
								: "not a block the heap returned");
	return NULL;
}

/* Lock held: free @e, merging with free neighbours; release an emptied segment. */
static void elem_free(struct heap_elem *e)
{
	struct eal_seg *s = seg_of_elem(e);
	struct heap_elem *n = elem_next(e), *p = e->prev;

	alloc_count[s->socket]--;
	if (n && is_free(n)) {
		free_remove(s, n);
		e->size += n->size;
		n->cookie = cookie(n, HEAP_DEAD);
		n = elem_next(e);
		if (n)
			n->prev = e;
	}
	e->cookie = cookie(e, HEAP_DEAD);
	if (p && is_free(p)) {
		free_remove(s, p);
		p->size += e->size;
		if (n)
			n->prev = p;
		e = p;
	}
	free_insert(s, e);
	if (e->size == s->len && !s->pinned) {
		free_remove(s, e);
		mem_seg_release(s);
	}
}

void px_free(void *ptr)
{
	struct heap_elem *e;

	if (ptr == NULL)
		return;
	pthread_mutex_lock(&eal_mem.lock);
	e = elem_of(ptr, "px_free");
	if (e)
		elem_free(e);
	pthread_mutex_unlock(&eal_mem.lock);
}

/* Lock held. In place if the block already fits its alignment and size. */
static void *realloc_locked(struct heap_elem *e, void *ptr, size_t size, size_t align)
{
	struct eal_seg *s = seg_of_elem(e);
	void *np;

	if (((uintptr_t)ptr & (align - 1)) == 0 && e->size - HDR >= size) {
		size_t need = HDR + PX_ALIGN_CEIL(size, HDR);

		e->req = size;
		if (e->size - need >= MIN_ELEM) {
			struct heap_elem *t = elem_split(e, need);

			t->cookie = cookie(t, HEAP_BUSY);
			alloc_count[s->socket]++;
			elem_free(t);
		}
		return ptr;
	}
	np = heap_alloc_locked(e->type, size, align, 0, s->socket);
	if (np == NULL)
		np = heap_alloc_locked(e->type, size, align, 0, PX_SOCKET_ID_ANY);
	if (np == NULL)
		return NULL;
	memcpy(np, ptr, PX_MIN(size, e->req));
	elem_free(e);
	return np;
}

void *px_realloc(void *ptr, size_t size, unsigned int align)
{
	size_t a = align;
	struct heap_elem *e;
	void *np = NULL;

	if (ptr == NULL)
		return px_malloc(NULL, size, align);
	if (check_args(size, &a, 0, PX_SOCKET_ID_ANY) < 0) {
		errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&eal_mem.lock);
	e = elem_of(ptr, "px_realloc");
	if (e == NULL)
		errno = EINVAL;
	else
		np = realloc_locked(e, ptr, size, align ? a : PX_MAX(a, e->align));
	pthread_mutex_unlock(&eal_mem.lock);
	return np;
}

void *px_malloc_socket(const char *type, size_t size, unsigned int align, int socket)
{
	return heap_alloc(type, size, align, 0, socket);
}

void *px_zmalloc_socket(const char *type, size_t size, unsigned int align, int socket)
{
	void *p = heap_alloc(type, size, align, 0, socket);

	if (p)
		memset(p, 0, size);
	return p;
}

void *px_calloc_socket(const char *type, size_t num, size_t size, unsigned int align, int socket)
{
	if (size && num > SIZE_MAX / size) {
		errno = EINVAL;
		return NULL;
	}
	return px_zmalloc_socket(type, num * size, align, socket);
}

void *px_malloc(const char *type, size_t size, unsigned int align)
{
	return heap_alloc(type, size, align, 0, PX_SOCKET_ID_ANY);
}

void *px_zmalloc(const char *type, size_t size, unsigned int align)
{
	return px_zmalloc_socket(type, size, align, PX_SOCKET_ID_ANY);
}

void *px_calloc(const char *type, size_t num, size_t size, unsigned int align)
{
	return px_calloc_socket(type, num, size, align, PX_SOCKET_ID_ANY);
}

void heap_reset(void)
{
	memset(alloc_count, 0, sizeof(alloc_count));
}

static void seg_stats(const struct eal_seg *s, struct px_malloc_stats *st)
{
	st->heap_bytes += s->len;
	st->free_bytes += s->free_bytes;
	st->alloc_bytes += s->len - s->free_bytes;
	st->segments++;
	for (struct heap_elem *e = s->free_head; e; e = e->fnext) {
		st->free_count++;
		st->largest_free = PX_MAX(st->largest_free, e->size - HDR);
	}
}

int px_malloc_get_stats(int socket, struct px_malloc_stats *st)
{
	if (st == NULL || socket < PX_SOCKET_ID_ANY || socket >= PX_MAX_NUMA_NODES)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	pthread_mutex_lock(&eal_mem.lock);
	for (unsigned int i = 0; i < eal_mem.nsegs; i++)
		if (eal_mem.segs[i].used &&
		    (socket == PX_SOCKET_ID_ANY || eal_mem.segs[i].socket == socket))
			seg_stats(&eal_mem.segs[i], st);
	for (int s = 0; s < PX_MAX_NUMA_NODES; s++)
		if (socket == PX_SOCKET_ID_ANY || s == socket)
			st->alloc_count += alloc_count[s];
	pthread_mutex_unlock(&eal_mem.lock);
	return 0;
}

void px_malloc_dump_stats(FILE *f)
{
	for (int s = 0; s < (int)PX_MAX(eal_mem.nsockets, 1u); s++) {
		struct px_malloc_stats st;

		px_malloc_get_stats(s, &st);
		fprintf(f,
			"heap socket %d: %u segment(s), %zu bytes, %zu free in %u block(s) (largest %zu), %zu allocated in %u block(s)\n",
			s, st.segments, st.heap_bytes, st.free_bytes, st.free_count,
			st.largest_free, st.alloc_bytes, st.alloc_count);
	}
	px_memseg_dump(f);
}

/* Walk one segment's elements and check every link; lock held. */
static int seg_validate(const struct eal_seg *s)
{
	const struct heap_elem *e = (const struct heap_elem *)s->va, *prev = NULL;
	size_t total = 0, free_bytes = 0;
	unsigned int nfree = 0, nlist = 0;

	for (; e; prev = e, e = elem_next(e)) {
		bool f = is_free(e);

		if ((!f && e->cookie != cookie(e, HEAP_BUSY)) || e->prev != prev || e->size < HDR ||
		    e->seg != (uint32_t)(s - eal_mem.segs) || (f && prev && is_free(prev)))
			goto bad;
		total += e->size;
		free_bytes += f ? e->size : 0;
		nfree += f;
	}
	for (e = s->free_head; e && nlist <= nfree; e = e->fnext)
		nlist++;
	if (total == s->len && free_bytes == s->free_bytes && nlist == nfree)
		return 0;
	e = NULL;
bad:
	MEM_LOG(ERR, "heap corrupt in segment %#lx near element %p", (unsigned long)s->va,
		(const void *)e);
	return -EFAULT;
}

int px_malloc_validate(void)
{
	int ret = 0;

	pthread_mutex_lock(&eal_mem.lock);
	for (unsigned int i = 0; i < eal_mem.nsegs && ret == 0; i++)
		if (eal_mem.segs[i].used)
			ret = seg_validate(&eal_mem.segs[i]);
	pthread_mutex_unlock(&eal_mem.lock);
	return ret;
}
