/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL memory: the VA arena, the segment table and memory events.
 *
 * At init one large PROT_NONE arena is reserved; every segment is mapped into it with MAP_FIXED,
 * so segments are contiguous in VA and IOVA == VA needs no search for a hole. An index from each
 * 2 MiB granule of the arena to its segment makes "which segment holds this pointer" O(1), which
 * is what px_free() and px_mem_virt2iova() need to validate a pointer before touching it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "eal_mem.h"

struct eal_mem eal_mem = {.lock = PTHREAD_MUTEX_INITIALIZER};

#define MEM_MAX_CBS 32
struct mem_cb {
	px_mem_event_cb_t fn;
	void *arg;
};
static struct mem_cb cbs[MEM_MAX_CBS];
static unsigned int ncbs;
/* The IOVA provider (lib/vfio): chooses a segment's IOVA in va mode. */
static px_mem_iova_cb_t iova_cb;
static void *iova_arg;

#define ARENA_MIN (64ULL << 30)
/* Ask for the arena low in the address space (a hint; the kernel may place it elsewhere), so
 * that IOVA = VA fits an IOMMU's aperture: intel-iommu's is 39 bits (512 GiB) where mmap's
 * default placement is near 2^47. 4 GiB is above the x86 MSI window (0xfee00000) and the arm64
 * one (0x8000000): the arena is reserved at a VA inside the aperture (docs/memory.md). */
#define ARENA_HINT ((void *)(4ULL << 30))

static size_t granules(size_t len)
{
	return len / MEM_GRANULE;
}

struct eal_seg *mem_seg_of(const void *addr)
{
	uintptr_t a = (uintptr_t)addr;
	unsigned int n;

	if (!eal_mem.up || a < eal_mem.arena || a >= eal_mem.arena + eal_mem.arena_len)
		return NULL;
	n = eal_mem.index[granules(a - eal_mem.arena)];
	return n ? &eal_mem.segs[n - 1] : NULL;
}

/* First-fit place for @len bytes aligned to @align in the arena; 0 when full. */
static uintptr_t arena_find(size_t len, size_t align)
{
	size_t ng = granules(eal_mem.arena_len), need = granules(len), step = granules(align);

	for (size_t g = 0; g + need <= ng; g += step) {
		size_t k = 0;

		while (k < need && eal_mem.index[g + k] == 0)
			k++;
		if (k == need)
			return eal_mem.arena + g * MEM_GRANULE;
	}
	return 0;
}

static void index_set(const struct eal_seg *seg, uint16_t v)
{
	size_t g = granules(seg->va - eal_mem.arena);

	for (size_t k = 0; k < granules(seg->len); k++)
		eal_mem.index[g + k] = v;
}

/* Tell callbacks [0, upto) that @seg is going away. */
static void events_removed(const struct eal_seg *seg, unsigned int upto)
{
	while (upto-- > 0)
		cbs[upto].fn(PX_MEM_EVENT_REMOVED, (void *)seg->va, seg->iova, seg->len,
			     cbs[upto].arg);
}

static int events_added(const struct eal_seg *seg)
{
	for (unsigned int i = 0; i < ncbs; i++) {
		int ret = cbs[i].fn(PX_MEM_EVENT_ADDED, (void *)seg->va, seg->iova, seg->len,
				    cbs[i].arg);

		if (ret < 0) {
			MEM_LOG(ERR, "memory event callback refused segment %#lx+%zu: %s",
				(unsigned long)seg->va, seg->len, strerror(-ret));
			events_removed(seg, i);
			return ret;
		}
	}
	return 0;
}

static struct eal_seg *seg_slot(void)
{
	for (unsigned int i = 0; i < MEM_MAX_SEGS; i++) {
		if (!eal_mem.segs[i].used) {
			if (i >= eal_mem.nsegs)
				eal_mem.nsegs = i + 1;
			return &eal_mem.segs[i];
		}
	}
	return NULL;
}

static int seg_place(struct eal_seg *seg, size_t len, int socket)
{
	size_t pg = eal_mem.page_sz[socket];

	seg->page_sz = pg;
	seg->len = PX_ALIGN_CEIL(len, PX_MAX(pg, MEM_GRANULE));
	if (eal_mem.limit && eal_mem.held + seg->len > eal_mem.limit) {
		MEM_LOG(NOTICE, "cannot grow by %zu KiB: the memory cap of %lu MiB is reached",
			seg->len >> 10, (unsigned long)(eal_mem.limit >> 20));
		return -ENOMEM;
	}
	if (eal_mem.socket_limit[socket] &&
	    eal_mem.socket_held[socket] + seg->len > eal_mem.socket_limit[socket]) {
		MEM_LOG(NOTICE,
			"cannot grow by %zu KiB on socket %d: its --socket-limit of %lu MiB is reached",
			seg->len >> 10, socket,
			(unsigned long)(eal_mem.socket_limit[socket] >> 20));
		return -ENOMEM;
	}
	seg->va = arena_find(seg->len, PX_MAX(pg, MEM_GRANULE));
	if (seg->va == 0) {
		MEM_LOG(ERR, "the %zu GiB virtual arena is full", eal_mem.arena_len >> 30);
		return -ENOMEM;
	}
	seg->socket = socket;
	seg->fd = -1;
	return 0;
}

/* va mode: the provider's IOVA for @seg, whose IOVA is @cur now (IOVA = VA without one). */
static int seg_iova(const struct eal_seg *seg, uint64_t cur, uint64_t *iova)
{
	struct px_mem_iova_req req = {.va = (void *)seg->va,
				      .len = seg->len,
				      .page_sz = seg->page_sz,
				      .cur = cur,
				      .arena = eal_mem.arena,
				      .arena_len = eal_mem.arena_len,
				      .refresh = seg->used};
	int ret;

	*iova = cur;
	if (iova_cb == NULL)
		return 0;
	ret = iova_cb(&req, iova, iova_arg);
	if (ret == 0 && (*iova & (seg->page_sz - 1))) {
		MEM_LOG(ERR,
			"IOVA provider gave %#lx for segment %#lx: not aligned to its %zu KiB pages",
			(unsigned long)*iova, (unsigned long)seg->va, seg->page_sz >> 10);
		ret = -EINVAL;
	}
	if (ret < 0)
		*iova = cur;
	return ret;
}

struct eal_seg *mem_seg_add(size_t len, int socket, bool pinned)
{
	struct eal_seg *seg = seg_slot();
	int ret = -ENOSPC;

	if (seg == NULL)
		goto err;
	memset(seg, 0, sizeof(*seg));
	ret = seg_place(seg, len, socket);
	if (ret < 0)
		goto err;
	ret = hp_map(&eal_mem, seg);
	if (ret < 0)
		goto err;
	ret = 0;
	if (eal_mem.no_huge)
		seg->iova = PX_BAD_IOVA;
	else if (eal_mem.iova_mode != PX_IOVA_PA)
		ret = seg_iova(seg, seg->va, &seg->iova);
	if (ret == 0)
		ret = events_added(seg);
	if (ret < 0)
		goto unmap;
	seg->used = true;
	seg->pinned = pinned;
	index_set(seg, (uint16_t)(seg - eal_mem.segs + 1));
	eal_mem.held += seg->len;
	eal_mem.socket_held[socket] += seg->len;
	heap_seg_init(seg);
	MEM_LOG(DEBUG, "segment %#lx+%zu MiB on socket %d, %zu KiB pages", (unsigned long)seg->va,
		seg->len >> 20, socket, seg->page_sz >> 10);
	return seg;
unmap:
	hp_unmap(&eal_mem, seg);
err:
	errno = -ret;
	return NULL;
}

void mem_seg_release(struct eal_seg *seg)
{
	events_removed(seg, ncbs);
	index_set(seg, 0);
	hp_unmap(&eal_mem, seg);
	eal_mem.held -= seg->len;
	eal_mem.socket_held[seg->socket] -= seg->len;
	seg->used = false;
	while (eal_mem.nsegs > 0 && !eal_mem.segs[eal_mem.nsegs - 1].used)
		eal_mem.nsegs--;
}

int px_mem_event_register(px_mem_event_cb_t cb, void *arg)
{
	int ret = 0;

	if (cb == NULL)
		return -EINVAL;
	pthread_mutex_lock(&eal_mem.lock);
	for (unsigned int i = 0; i < ncbs; i++)
		if (cbs[i].fn == cb && cbs[i].arg == arg)
			ret = -EEXIST;
	if (ret == 0 && ncbs == MEM_MAX_CBS)
		ret = -ENOMEM;
	for (unsigned int i = 0; ret == 0 && eal_mem.up && i < eal_mem.nsegs; i++) {
		struct eal_seg *s = &eal_mem.segs[i];

		if (!s->used)
			continue;
		ret = cb(PX_MEM_EVENT_ADDED, (void *)s->va, s->iova, s->len, arg);
		/* undo the replay: REMOVED for the segments before this one */
		for (unsigned int j = 0; ret < 0 && j < i; j++)
			if (eal_mem.segs[j].used)
				cb(PX_MEM_EVENT_REMOVED, (void *)eal_mem.segs[j].va,
				   eal_mem.segs[j].iova, eal_mem.segs[j].len, arg);
	}
	if (ret == 0)
		cbs[ncbs++] = (struct mem_cb){cb, arg};
	pthread_mutex_unlock(&eal_mem.lock);
	return ret;
}

int px_mem_event_unregister(px_mem_event_cb_t cb, void *arg)
{
	int ret = -ENOENT;

	pthread_mutex_lock(&eal_mem.lock);
	for (unsigned int i = 0; i < ncbs; i++) {
		if (cbs[i].fn == cb && cbs[i].arg == arg) {
			memmove(&cbs[i], &cbs[i + 1], (ncbs - i - 1) * sizeof(cbs[0]));
			ncbs--;
			ret = 0;
			break;
		}
	}
	pthread_mutex_unlock(&eal_mem.lock);
	return ret;
}

int px_memseg_walk(px_memseg_walk_t fn, void *arg)
{
	int ret = 0;

	pthread_mutex_lock(&eal_mem.lock);
	for (size_t g = 0; eal_mem.up && g < granules(eal_mem.arena_len) && ret == 0; g++) {
		unsigned int n = eal_mem.index[g];
		struct eal_seg *s;

		if (n == 0 || (g > 0 && eal_mem.index[g - 1] == n))
			continue;
		s = &eal_mem.segs[n - 1];
		ret = fn(&(struct px_memseg){(void *)s->va, s->iova, s->len, s->page_sz, s->socket,
					     s->fd},
			 arg);
	}
	pthread_mutex_unlock(&eal_mem.lock);
	return ret;
}

void px_mem_iova_provider_set(px_mem_iova_cb_t cb, void *arg)
{
	pthread_mutex_lock(&eal_mem.lock);
	iova_cb = cb;
	iova_arg = arg;
	pthread_mutex_unlock(&eal_mem.lock);
}

/* Move @seg to @iova: REMOVED with the old IOVA, ADDED with the new; back on failure. */
static int seg_move(struct eal_seg *seg, uint64_t iova)
{
	uint64_t old = seg->iova;
	int ret;

	events_removed(seg, ncbs);
	seg->iova = iova;
	ret = events_added(seg);
	if (ret == 0) {
		MEM_LOG(INFO, "segment %#lx+%zu MiB: IOVA %#lx -> %#lx", (unsigned long)seg->va,
			seg->len >> 20, (unsigned long)old, (unsigned long)iova);
		return 0;
	}
	seg->iova = old;
	if (events_added(seg) < 0)
		MEM_LOG(ERR,
			"segment %#lx: no subscriber could map it back at IOVA %#lx: devices "
			"cannot reach it",
			(unsigned long)seg->va, (unsigned long)old);
	return ret;
}

int px_mem_iova_refresh(void)
{
	int moved = 0, ret = 0;

	pthread_mutex_lock(&eal_mem.lock);
	for (unsigned int i = 0; eal_mem.up && !eal_mem.no_huge &&
				 eal_mem.iova_mode != PX_IOVA_PA && iova_cb && i < eal_mem.nsegs;
	     i++) {
		struct eal_seg *s = &eal_mem.segs[i];
		uint64_t iova;

		/* a segment with a live block may have had its IOVA read (memzone, mbuf) */
		if (!s->used || s->free_bytes != s->len)
			continue;
		if (seg_iova(s, s->iova, &iova) < 0 || iova == s->iova)
			continue;
		ret = seg_move(s, iova);
		if (ret < 0)
			break;
		moved++;
	}
	pthread_mutex_unlock(&eal_mem.lock);
	return ret < 0 ? ret : moved;
}

int px_mem_layout_get(struct px_mem_layout *l)
{
	int ret = -ENODEV;

	pthread_mutex_lock(&eal_mem.lock);
	if (eal_mem.up && !eal_mem.no_huge && eal_mem.iova_mode != PX_IOVA_PA) {
		size_t pg = 0;

		for (unsigned int s = 0; s < eal_mem.nsockets && s < PX_MAX_NUMA_NODES; s++)
			if (eal_mem.page_sz[s] && (pg == 0 || eal_mem.page_sz[s] < pg))
				pg = eal_mem.page_sz[s];
		*l = (struct px_mem_layout){eal_mem.arena, eal_mem.arena_len, pg};
		ret = pg ? 0 : -ENODEV;
	}
	pthread_mutex_unlock(&eal_mem.lock);
	return ret;
}

int px_memseg_set_iova(const void *va, uint64_t iova)
{
	struct eal_seg *s;
	int ret = -ENOENT;

	pthread_mutex_lock(&eal_mem.lock);
	s = mem_seg_of(va);
	if (s && s->va == (uintptr_t)va) {
		s->iova = iova;
		ret = 0;
	}
	pthread_mutex_unlock(&eal_mem.lock);
	return ret;
}

void px_mem_set_limit(uint64_t bytes)
{
	pthread_mutex_lock(&eal_mem.lock);
	eal_mem.limit = bytes;
	pthread_mutex_unlock(&eal_mem.lock);
}

uint64_t px_mem_virt2iova(const void *addr)
{
	uint64_t iova = PX_BAD_IOVA;
	struct eal_seg *s;

	pthread_mutex_lock(&eal_mem.lock);
	s = mem_seg_of(addr);
	if (s && s->iova != PX_BAD_IOVA)
		iova = s->iova + ((uintptr_t)addr - s->va);
	pthread_mutex_unlock(&eal_mem.lock);
	return iova;
}

void px_memseg_dump(FILE *f)
{
	pthread_mutex_lock(&eal_mem.lock);
	for (unsigned int i = 0; i < eal_mem.nsegs; i++) {
		const struct eal_seg *s = &eal_mem.segs[i];

		if (s->used)
			fprintf(f,
				"segment %u: va %#lx len %zu MiB iova %#lx socket %d page %zu KiB%s\n",
				i, (unsigned long)s->va, s->len >> 20, (unsigned long)s->iova,
				s->socket, s->page_sz >> 10,
				s->pinned ? " (reserved at init)" : "");
	}
	pthread_mutex_unlock(&eal_mem.lock);
}

static int arena_init(uint64_t want, uintptr_t base)
{
	void *hint = base ? (void *)base : ARENA_HINT;
	size_t floor_len = PX_ALIGN_CEIL(PX_MAX(1ULL << 30, 2 * want), 1ULL << 30);
	size_t len = PX_ALIGN_CEIL(PX_MAX(ARENA_MIN, 2 * want), 1ULL << 30);
	size_t map_len;
	void *p;
	uintptr_t a;

	/* A smaller arena where the address space is limited (valgrind, ulimit -v): halve down to
	 * twice what was asked for. */
	for (;;) {
		map_len = len + (1ULL << 30);
		p = mmap(hint, map_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			 0);
		if (p != MAP_FAILED || len / 2 < floor_len)
			break;
		len = PX_ALIGN_CEIL(len / 2, 1ULL << 30);
	}
	if (p == MAP_FAILED) {
		MEM_LOG(ERR, "cannot reserve %zu GiB of address space: %s (check ulimit -v)",
			len >> 30, strerror(errno));
		return -ENOMEM;
	}
	/* 1 GiB alignment so 1 GiB pages fit; give back the slack on both sides */
	a = PX_ALIGN_CEIL((uintptr_t)p, 1ULL << 30);
	if (base && a != base) /* as DPDK, a hint the kernel did not take is not an error */
		MEM_LOG(NOTICE, "--base-virtaddr %#lx not respected: memory is at %#lx",
			(unsigned long)base, (unsigned long)a);
	if (a > (uintptr_t)p)
		munmap(p, a - (uintptr_t)p);
	munmap((void *)(a + len), (uintptr_t)p + map_len - (a + len));
	eal_mem.index = calloc(granules(len), sizeof(*eal_mem.index));
	if (eal_mem.index == NULL) {
		munmap((void *)a, len);
		return -ENOMEM;
	}
	eal_mem.arena = a;
	eal_mem.arena_len = len;
	return 0;
}

static void arena_fini(void)
{
	if (eal_mem.arena)
		munmap((void *)eal_mem.arena, eal_mem.arena_len);
	free(eal_mem.index);
	eal_mem.index = NULL;
	eal_mem.arena = 0;
	eal_mem.arena_len = 0;
}

/* Reserve @bytes on @socket at init, as one segment (one page per segment in pa mode). */
static int mem_reserve(uint64_t bytes, int socket)
{
	size_t pg = eal_mem.page_sz[socket];
	size_t step = eal_mem.iova_mode == PX_IOVA_PA ? pg : bytes;

	if (pg == 0) {
		MEM_LOG(ERR, "no hugepages on socket %d for --socket-mem", socket);
		return -ENOMEM;
	}
	bytes = PX_ALIGN_CEIL(bytes, pg);
	for (uint64_t done = 0; done < bytes; done += step) {
		if (mem_seg_add(step, socket, true) == NULL) {
			MEM_LOG(ERR, "cannot reserve %lu MiB on socket %d at init: %s",
				(unsigned long)(bytes >> 20), socket, strerror(errno));
			return -errno;
		}
	}
	return 0;
}

static int mem_reserve_cfg(const struct eal_cfg *cfg)
{
	int ret = 0;

	if (cfg->mem_bytes) {
		/* the main lcore's socket (the lcores are set up after memory, so ask sysfs) */
		int s = eal_cpu_socket(cfg->lcore[cfg->main_lcore].cpu);

		if (s < 0 || s >= (int)eal_mem.nsockets || eal_mem.page_sz[s] == 0)
			s = 0;
		return mem_reserve(cfg->mem_bytes, s);
	}
	for (unsigned int s = 0; s < cfg->socket_mem_n && ret == 0; s++) {
		if (cfg->socket_mem[s] == 0)
			continue;
		if (s >= eal_mem.nsockets) {
			MEM_LOG(ERR,
				"--socket-mem names socket %u but this machine has %u socket(s)", s,
				eal_mem.nsockets);
			return -EINVAL;
		}
		ret = mem_reserve(cfg->socket_mem[s], (int)s);
	}
	return ret;
}

static void mem_release_all(void)
{
	for (unsigned int i = eal_mem.nsegs; i-- > 0;)
		if (eal_mem.segs[i].used)
			mem_seg_release(&eal_mem.segs[i]);
	eal_mem.nsegs = 0;
}

int eal_mem_init(const struct eal_cfg *cfg)
{
	uint64_t want = cfg->mem_bytes;
	int ret;

	for (unsigned int s = 0; s < cfg->socket_mem_n; s++)
		want += cfg->socket_mem[s];
	pthread_mutex_lock(&eal_mem.lock);
	eal_mem.no_huge = cfg->no_huge;
	eal_mem.iova_mode = cfg->iova_mode == PX_IOVA_PA ? PX_IOVA_PA : PX_IOVA_VA;
	eal_mem.held = 0;
	memset(eal_mem.socket_held, 0, sizeof(eal_mem.socket_held));
	memset(eal_mem.socket_limit, 0, sizeof(eal_mem.socket_limit));
	memcpy(eal_mem.socket_limit, cfg->socket_limit,
	       cfg->socket_limit_n * sizeof(cfg->socket_limit[0]));
	eal_mem.huge_dir = cfg->huge_dir;
	ret = hp_discover(&eal_mem, cfg);
	if (ret < 0)
		goto out;
	ret = arena_init(want, (uintptr_t)cfg->base_virtaddr);
	if (ret < 0)
		goto out;
	eal_mem.up = true;
	ret = mem_reserve_cfg(cfg);
	if (ret < 0)
		goto release;
	if (!cfg->no_huge)
		hp_check_memlock(want);
	goto out;
release:
	mem_release_all();
	heap_reset();
	eal_mem.up = false;
	arena_fini();
out:
	pthread_mutex_unlock(&eal_mem.lock);
	return ret;
}

void eal_mem_cleanup(void)
{
	memzone_cleanup();
	pthread_mutex_lock(&eal_mem.lock);
	mem_release_all();
	heap_reset();
	eal_mem.up = false;
	eal_mem.huge_dir = NULL;
	arena_fini();
	pthread_mutex_unlock(&eal_mem.lock);
}
