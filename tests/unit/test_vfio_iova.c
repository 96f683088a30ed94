/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IOVAs of the EAL's memory (lib/vfio/vfio_iova.c, docs/vfio.md) on the simulated backends:
 * IOVA = VA where it fits; one offset for the arena where the arena fits an aperture; the
 * first free place of a small aperture otherwise; the same IOVA in two containers; the
 * one-line error when nothing fits; memory reserved before the first attach moved at the
 * attach; sPAPR's default window replaced by one holding the arena. The EAL is played by a
 * fake (vfio_mem hooks); mem_huge_iova_autotest checks the EAL side on real hugepages.
 */
#include <stdlib.h>
#include <unistd.h>

#include <px_eal.h>
#include <px_malloc.h>
#include <px_memory.h>
#include <px_memzone.h>

#include "px_test.h"
#include "vfio_sim.h"

#define MB (1ull << 20)
#define GB (1ull << 30)

/* The fake EAL: an arena and its segments. */
#define FAKE_SEGS 8
static struct {
	uintptr_t arena;
	size_t arena_len;
	struct {
		uint64_t va, iova, len;
		bool used, busy; /* busy: a block lives in it (the EAL would not move it) */
	} seg[FAKE_SEGS];
	unsigned int refreshed;
} fake;

static int fake_layout(struct px_mem_layout *l)
{
	*l = (struct px_mem_layout){fake.arena, fake.arena_len, 2 * MB};
	return 0;
}

static struct px_mem_iova_req req_of(unsigned int i)
{
	return (struct px_mem_iova_req){.va = (void *)(uintptr_t)fake.seg[i].va,
					.len = fake.seg[i].len,
					.page_sz = 2 * MB,
					.cur = fake.seg[i].iova,
					.arena = fake.arena,
					.arena_len = fake.arena_len,
					.refresh = fake.seg[i].used};
}

/* The EAL's memory event for segment @i at @iova: every container gets it through
 * vfio_mem_event (px_vfio_container_create subscribes each one); an ADDED that one container
 * refuses is undone, REMOVED, in those before it. */
static int fake_event(enum px_mem_event type, unsigned int i, uint64_t iova)
{
	void *va = (void *)(uintptr_t)fake.seg[i].va;
	size_t len = fake.seg[i].len;
	struct px_vfio_container *c, *refused = NULL;
	int ret = 0;

	pthread_mutex_lock(&vfio_containers_lock);
	for (c = vfio_containers; c != NULL && refused == NULL; c = c->next) {
		int r = vfio_mem_event(type, va, iova, len, c);

		if (r && type == PX_MEM_EVENT_ADDED)
			refused = c;
		ret = ret ? ret : r;
	}
	for (c = vfio_containers; refused != NULL && c != refused; c = c->next)
		vfio_mem_event(PX_MEM_EVENT_REMOVED, va, iova, len, c);
	pthread_mutex_unlock(&vfio_containers_lock);
	return ret;
}

/* px_mem_iova_refresh: ask again for every unused segment; a move is REMOVED then ADDED. */
static int fake_refresh(void)
{
	fake.refreshed++;
	for (unsigned int i = 0; i < FAKE_SEGS; i++) {
		struct px_mem_iova_req r = req_of(i);
		uint64_t iova;

		if (!fake.seg[i].used || fake.seg[i].busy)
			continue;
		if (vfio_iova_choose(&r, &iova, NULL) || iova == fake.seg[i].iova)
			continue;
		fake_event(PX_MEM_EVENT_REMOVED, i, fake.seg[i].iova);
		fake.seg[i].iova = iova;
		if (fake_event(PX_MEM_EVENT_ADDED, i, iova))
			return -EIO;
	}
	return 0;
}

/* Reserve segment @i at arena offset @off: IOVA from the provider, then ADDED. */
static int fake_reserve(unsigned int i, uint64_t off, uint64_t len)
{
	struct px_mem_iova_req r;
	int ret;

	fake.seg[i].va = fake.arena + off;
	fake.seg[i].len = len;
	fake.seg[i].iova = fake.seg[i].va;
	r = req_of(i);
	ret = vfio_iova_choose(&r, &fake.seg[i].iova, NULL);
	if (ret == 0)
		ret = fake_event(PX_MEM_EVENT_ADDED, i, fake.seg[i].iova);
	fake.seg[i].used = ret == 0;
	return ret;
}

static void fake_start(uintptr_t arena, size_t len)
{
	memset(&fake, 0, sizeof(fake));
	fake.arena = arena;
	fake.arena_len = len;
	vfio_mem = (struct vfio_mem_ops){fake_layout, fake_refresh};
}

static void fake_stop(void)
{
	vfio_mem = (struct vfio_mem_ops){px_mem_layout_get, px_mem_iova_refresh};
}

/* A simulated container of kind @k with one usable range [lo, hi] (hi 0: the kind's own). */
static struct px_vfio_container *sim_with(enum sim_kind k, struct sim **s, uint64_t lo, uint64_t hi,
					  bool attach)
{
	struct px_vfio_container *c = sim_container(k, s);

	if (c == NULL)
		return NULL;
	(*s)->aperture = (struct px_vfio_iova_range){lo, hi};
	if (attach && vfio_container_attach(c, 100, 1, NULL)) {
		px_vfio_container_destroy(c);
		return NULL;
	}
	return c;
}

/* The IOVA the container maps segment @va at (UINT64_MAX: none). */
static uint64_t mapped_at(struct px_vfio_container *c, uint64_t va)
{
	struct px_vfio_dma_extent e[16];
	unsigned int n = px_vfio_dma_list(c, e, 16);

	for (unsigned int i = 0; i < n && i < 16; i++)
		if (e[i].va == va)
			return e[i].iova;
	return UINT64_MAX;
}

/* Lines of the log that are errors of lib/vfio. */
static int vfio_errors(const char *out)
{
	int n = 0;

	for (const char *p = out; (p = strstr(p, "vfio: error")) != NULL; p++)
		n++;
	return n;
}

#define T(cond, ...)                                       \
	do {                                               \
		if (!(cond)) {                             \
			fake_stop();                       \
			PX_TEST_ASSERT(cond, __VA_ARGS__); \
		}                                          \
	} while (0)

/* x86's 39-bit aperture, the arena at 4 GiB (where the EAL asks for it): IOVA = VA. */
static int iova_va_fits(void)
{
	struct sim *s;
	struct px_vfio_container *c;

	fake_start(4 * GB, 64 * GB);
	c = sim_with(SIM_TYPE1V2, &s, 0, 0, true);
	T(c != NULL, "container");
	T(fake_reserve(0, 2 * MB, 4 * MB) == 0, "reserve");
	T(fake.seg[0].iova == fake.seg[0].va, "IOVA = VA: 0x%llx",
	  (unsigned long long)fake.seg[0].iova);
	T(mapped_at(c, fake.seg[0].va) == fake.seg[0].va, "mapped at its VA");
	T(sim_consistent(c, s), "tracker equals kernel");
	px_vfio_container_destroy(c);
	fake_stop();
	return PX_TEST_OK;
}

/* An aperture at 1 TiB that holds the arena (VA at 2^46 does not fit): one offset. */
static int iova_offset(void)
{
	struct sim *s;
	struct px_vfio_container *c;
	uint64_t base = 1ull << 40;

	fake_start(1ull << 46, 64 * GB);
	c = sim_with(SIM_TYPE1V2, &s, base, base + 128 * GB - 1, true);
	T(c != NULL, "container");
	T(fake_reserve(0, 6 * GB, 4 * MB) == 0, "reserve a");
	T(fake_reserve(1, 2 * MB, 2 * MB) == 0, "reserve b");
	T(fake.seg[0].iova == base + 6 * GB, "a at arena offset: 0x%llx",
	  (unsigned long long)fake.seg[0].iova);
	T(fake.seg[1].iova == base + 2 * MB, "b at arena offset: 0x%llx",
	  (unsigned long long)fake.seg[1].iova);
	T(sim_consistent(c, s) && s->n == 2, "both mapped");
	px_vfio_container_destroy(c);
	fake_stop();
	return PX_TEST_OK;
}

/* A 16 MiB aperture at 256 MiB: first fit, page-aligned, no overlap; then the error. */
static int iova_small(void)
{
	struct sim *s;
	struct px_vfio_container *c;
	uint64_t lo = 256 * MB;
	const char *out;
	int r;

	fake_start(4 * GB, 64 * GB);
	c = sim_with(SIM_IOMMUFD, &s, lo, lo + 16 * MB - 1, true);
	T(c != NULL, "container");
	T(px_vfio_dma_map(c, 0x7f0000000000ull, lo + 4 * MB, 2 * MB) == 0, "a map of the user's");
	T(fake_reserve(0, 0, 4 * MB) == 0, "a");
	T(fake_reserve(1, 64 * MB, 2 * MB) == 0, "b");
	T(fake_reserve(2, 128 * MB, 8 * MB) == 0, "c");
	T(fake.seg[0].iova == lo, "a at the bottom: 0x%llx", (unsigned long long)fake.seg[0].iova);
	T(fake.seg[1].iova == lo + 6 * MB, "b after the user's map: 0x%llx",
	  (unsigned long long)fake.seg[1].iova);
	T(fake.seg[2].iova == lo + 8 * MB, "c next: 0x%llx", (unsigned long long)fake.seg[2].iova);
	px_test_log_capture_start();
	r = fake_reserve(3, 256 * MB, 4 * MB);
	out = px_test_log_capture_stop();
	T(r == -ENOSPC, "nothing fits: %d", r);
	T(vfio_errors(out) == 1, "one error line: %s", out);
	T(strstr(out, "0x10000000-0x10ffffff") && strstr(out, "--iova-mode=pa") &&
		  strstr(out, "reserve less"),
	  "names the ranges and the fix: %s", out);
	T(sim_consistent(c, s) && s->n == 4, "three segments and the user's map");
	px_vfio_container_destroy(c);
	fake_stop();
	return PX_TEST_OK;
}

/* Two containers with different apertures: one IOVA inside both. */
static int iova_two_containers(void)
{
	struct sim *s1, *s2;
	struct px_vfio_container *c1, *c2;

	fake_start(1ull << 46, 64 * GB);
	c1 = sim_with(SIM_TYPE1V2, &s1, 1 * GB, 5 * GB - 1, true);
	c2 = sim_with(SIM_IOMMUFD, &s2, 4 * GB, 1ull << 40, true);
	T(c1 && c2, "containers");
	T(fake_reserve(0, 0, 4 * MB) == 0, "reserve");
	T(fake.seg[0].iova == 4 * GB, "inside both: 0x%llx", (unsigned long long)fake.seg[0].iova);
	T(mapped_at(c1, fake.seg[0].va) == 4 * GB && mapped_at(c2, fake.seg[0].va) == 4 * GB,
	  "the same IOVA in both");
	T(sim_consistent(c1, s1) && sim_consistent(c2, s2), "trackers equal kernels");
	px_vfio_container_destroy(c2);
	px_vfio_container_destroy(c1);
	fake_stop();
	return PX_TEST_OK;
}

/* Memory reserved before any container knew its ranges (-m at init) moves at the first
 * attach; memory that is mapped in another container's kernel cannot: one-line error. */
static int iova_first_attach(void)
{
	struct sim *s1, *s2;
	struct px_vfio_container *c1, *c2;
	uint64_t base = 1ull << 40;
	const char *out;
	int r;

	fake_start(1ull << 46, 64 * GB);
	c1 = sim_with(SIM_TYPE1V2, &s1, base, base + 128 * GB - 1, false);
	T(c1 != NULL, "container");
	T(fake_reserve(0, 0, 8 * MB) == 0, "reserved before the attach");
	T(fake.seg[0].iova == fake.seg[0].va, "IOVA = VA while no ranges are known");
	T(vfio_container_attach(c1, 100, 1, NULL) == 0, "first attach");
	T(fake.refreshed == 1, "the EAL was asked to move its memory");
	T(fake.seg[0].iova == base, "moved inside the aperture: 0x%llx",
	  (unsigned long long)fake.seg[0].iova);
	T(s1->n == 1 && s1->maps[0].iova == base, "mapped there in the kernel");
	T(sim_consistent(c1, s1), "tracker equals kernel");

	/* c2's aperture does not hold c1's IOVA; the segment is live in c1: it stays */
	c2 = sim_with(SIM_IOMMUFD, &s2, 0, 4 * GB - 1, false);
	T(c2 != NULL, "second container");
	T(px_vfio_dma_map(c2, fake.seg[0].va, fake.seg[0].iova, 8 * MB) == 0, "EAL's replay");
	px_test_log_capture_start();
	r = vfio_container_attach(c2, 101, 2, NULL);
	out = px_test_log_capture_stop();
	T(r == -EINVAL, "attach refused: %d", r);
	T(vfio_errors(out) == 1, "one error line: %s", out);
	T(strstr(out, "outside the usable IOVA ranges") && strstr(out, "0x0-0xffffffff") &&
		  strstr(out, "--iova-mode=pa"),
	  "names the ranges and the fix: %s", out);
	T(fake.seg[0].iova == base && s1->maps[0].iova == base, "the live segment did not move");
	T(s2->groups == 0 && s2->n == 0, "nothing attached or mapped in c2");
	px_vfio_container_destroy(c2);
	px_vfio_container_destroy(c1);
	fake_stop();
	return PX_TEST_OK;
}

/* sPAPR: the default 1 GiB window cannot hold a 64 GiB arena: a window of 2^36 bytes of
 * 2 MiB pages at 2^59 replaces it at the first attach, before anything is mapped; a second
 * container gets the same window, so the same IOVAs. */
static int iova_spapr_window(void)
{
	struct sim *s1, *s2;
	struct px_vfio_container *c1, *c2;
	const struct px_vfio_dma_caps *caps;
	uint64_t win = 1ull << 59;

	fake_start(4 * GB, 64 * GB);
	c1 = sim_with(SIM_SPAPR, &s1, 0, 0, false);
	T(c1 != NULL, "container");
	T(fake_reserve(0, 0, 64 * MB) == 0, "-m 64 at init");
	T(vfio_container_attach(c1, 100, 1, NULL) == 0, "attach");
	caps = px_vfio_container_caps(c1);
	T(s1->calls_window == 1 && caps->nr_ranges == 1 && caps->ranges[0].start == win &&
		  caps->ranges[0].end == win + 64 * GB - 1 && caps->pgsizes == 2 * MB,
	  "window 0x%llx-0x%llx, pages 0x%llx", (unsigned long long)caps->ranges[0].start,
	  (unsigned long long)caps->ranges[0].end, (unsigned long long)caps->pgsizes);
	T(fake.seg[0].iova == win, "segment at the window's start: 0x%llx",
	  (unsigned long long)fake.seg[0].iova);
	T(fake_reserve(1, 40 * GB, 2 * MB) == 0, "grown later, high in the arena");
	T(fake.seg[1].iova == win + 40 * GB, "same offset: 0x%llx",
	  (unsigned long long)fake.seg[1].iova);
	T(sim_consistent(c1, s1) && s1->n == 2, "both mapped");

	c2 = sim_with(SIM_SPAPR, &s2, 0, 0, false);
	T(c2 != NULL, "second container (next IOMMU group)");
	for (unsigned int i = 0; i < 2; i++) /* the EAL's replay at registration */
		T(px_vfio_dma_map(c2, fake.seg[i].va, fake.seg[i].iova, fake.seg[i].len) == 0,
		  "replay %u", i);
	T(vfio_container_attach(c2, 101, 2, NULL) == 0, "attach");
	T(s2->calls_window == 1 && mapped_at(c2, fake.seg[1].va) == win + 40 * GB,
	  "same window, same IOVAs");
	T(sim_consistent(c2, s2), "tracker equals kernel");
	px_vfio_container_destroy(c2);
	px_vfio_container_destroy(c1);
	fake_stop();
	return PX_TEST_OK;
}

/* sPAPR where no window can be created (a PHB on the failed-DDW list): the default window
 * stays, memory goes inside it while it fits, then the error. */
static int iova_spapr_no_window(void)
{
	struct sim *s;
	struct px_vfio_container *c;
	const char *out;
	int r;

	fake_start(4 * GB, 64 * GB);
	c = sim_with(SIM_SPAPR, &s, 0, 0, false);
	T(c != NULL, "container");
	s->fail_window = ENODEV;
	T(fake_reserve(0, 0, 64 * MB) == 0, "-m 64");
	px_test_log_capture_start();
	r = vfio_container_attach(c, 100, 1, NULL);
	out = px_test_log_capture_stop();
	T(r == 0, "attach: %d", r);
	T(strstr(out, "no 0x1000000000 DMA window") && strstr(out, "0x0-0x3fffffff"),
	  "says the default window stays: %s", out);
	T(fake.seg[0].iova == 0, "inside the default window: 0x%llx",
	  (unsigned long long)fake.seg[0].iova);
	T(fake_reserve(1, 2 * GB, 512 * MB) == 0, "still fits");
	T(fake.seg[1].iova == 64 * MB, "next: 0x%llx", (unsigned long long)fake.seg[1].iova);
	px_test_log_capture_start();
	r = fake_reserve(2, 4 * GB, 512 * MB);
	out = px_test_log_capture_stop();
	T(r == -ENOSPC && vfio_errors(out) == 1 && strstr(out, "0x0-0x3fffffff"),
	  "full: one error naming the window: %s", out);
	T(sim_consistent(c, s), "tracker equals kernel");
	px_vfio_container_destroy(c);
	fake_stop();
	return PX_TEST_OK;
}

/* -m larger than the only window, reserved before the attach: the attach fails with one line
 * (the refresh is quiet; the replay says it). */
static int iova_first_attach_no_room(void)
{
	struct sim *s;
	struct px_vfio_container *c;
	const char *out;
	int r;

	fake_start(4 * GB, 64 * GB);
	c = sim_with(SIM_SPAPR, &s, 0, 0, false);
	T(c != NULL, "container");
	s->fail_window = ENODEV;
	T(fake_reserve(0, 0, 2 * GB) == 0, "-m 2048 at init");
	px_test_log_capture_start();
	r = vfio_container_attach(c, 100, 1, NULL);
	out = px_test_log_capture_stop();
	T(r == -EINVAL, "attach refused: %d", r);
	T(vfio_errors(out) == 1 && strstr(out, "outside the usable IOVA ranges") &&
		  strstr(out, "0x0-0x3fffffff") && strstr(out, "reserve less"),
	  "one error line with the window and the fix: %s", out);
	T(s->groups == 0 && s->n == 0, "nothing attached or mapped");
	px_vfio_container_destroy(c);
	fake_stop();
	return PX_TEST_OK;
}

static int test_vfio_iova(void)
{
	int (*const all[])(void) = {iova_va_fits,         iova_offset,
				    iova_small,           iova_two_containers,
				    iova_first_attach,    iova_spapr_window,
				    iova_spapr_no_window, iova_first_attach_no_room};

	for (size_t i = 0; i < PX_DIM(all); i++)
		if (all[i]() != PX_TEST_OK)
			return PX_TEST_FAILED;
	return PX_TEST_OK;
}
PX_TEST(vfio_iova_autotest, PX_TEST_F_FAST, test_vfio_iova)

/* ---- the EAL side on real hugepages: the provider and px_mem_iova_refresh ---- */

static uint64_t prov_delta;
static unsigned int prov_calls;

static int test_provider(const struct px_mem_iova_req *r, uint64_t *iova, void *arg)
{
	(void)arg;
	prov_calls++;
	if (prov_delta == 1)
		return -ENOSPC; /* refuse */
	*iova = (uintptr_t)r->va + prov_delta;
	return 0;
}

static struct {
	unsigned int added, removed;
	uint64_t last_iova;
} ev;

static int ev_cb(enum px_mem_event type, void *va, uint64_t iova, size_t len, void *arg)
{
	(void)va, (void)len, (void)arg;
	if (type == PX_MEM_EVENT_ADDED) {
		ev.added++;
		ev.last_iova = iova;
	} else {
		ev.removed++;
	}
	return 0;
}

static int seg_iova_of(const struct px_memseg *ms, void *arg)
{
	uint64_t *out = arg;

	out[0] = (uintptr_t)ms->addr;
	out[1] = ms->iova;
	return 1;
}

static int huge_iova_body(void)
{
	uint64_t seg[2] = {0, 0}, t = 1ull << 40;
	struct px_mem_layout l;
	const struct px_memzone *mz;
	void *p;

	PX_TEST_ASSERT_EQ(px_mem_layout_get(&l), 0, "layout in va mode");
	PX_TEST_ASSERT(l.page_sz == 2 * MB && l.arena_len >= 64 * GB, "arena %zu GiB, pages %zu",
		       l.arena_len >> 30, l.page_sz);
	px_memseg_walk(seg_iova_of, seg);
	PX_TEST_ASSERT(seg[1] == seg[0] + t, "-m segment at the provider's IOVA");
	PX_TEST_ASSERT_EQ(px_mem_event_register(ev_cb, NULL), 0, "subscribe");
	prov_delta = 2 * t;
	PX_TEST_ASSERT_EQ(px_mem_iova_refresh(), 1, "one segment moved");
	PX_TEST_ASSERT(ev.removed == 1 && ev.added == 2 && ev.last_iova == seg[0] + 2 * t,
		       "REMOVED old, ADDED new (%u %u)", ev.removed, ev.added);
	PX_TEST_ASSERT_EQ(px_mem_virt2iova((void *)(uintptr_t)seg[0]), seg[0] + 2 * t,
			  "virt2iova follows");
	mz = px_memzone_reserve("iova", 4096, -1, PX_MEMZONE_F_DMA, 0, 0);
	PX_TEST_ASSERT(mz != NULL && mz->iova == (uintptr_t)mz->addr - seg[0] + seg[0] + 2 * t,
		       "memzone IOVA from the segment");
	prov_delta = 3 * t;
	PX_TEST_ASSERT_EQ(px_mem_iova_refresh(), 0, "a segment in use does not move");
	PX_TEST_ASSERT_EQ(mz->iova, px_mem_virt2iova(mz->addr), "memzone IOVA still true");
	px_memzone_free(mz);
	prov_delta = 1;
	px_test_log_capture_start();
	p = px_malloc("big", 8 * MB, 0); /* grows the heap: the provider refuses */
	px_test_log_capture_stop();
	PX_TEST_ASSERT(p == NULL, "a refused IOVA fails the reservation");
	px_mem_event_unregister(ev_cb, NULL);
	return PX_TEST_OK;
}

static int mem_huge_iova(void)
{
	char path[] = "/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages";
	long f = -1;
	FILE *fp = fopen(path, "r");
	int ret;

	if (fp) {
		if (fscanf(fp, "%ld", &f) != 1)
			f = -1;
		fclose(fp);
	}
	if (f < 16)
		PX_TEST_SKIP("needs 16 free 2 MiB hugepages, %ld free", f);
	memset(&ev, 0, sizeof(ev));
	prov_delta = 1ull << 40;
	prov_calls = 0;
	px_mem_iova_provider_set(test_provider, NULL);
	ret = px_test_eal_init("-l 0 -m 8");
	if (ret < 0) {
		px_mem_iova_provider_set(NULL, NULL);
		PX_TEST_ASSERT(0, "px_eal_init: %s", strerror(-ret));
	}
	ret = huge_iova_body();
	px_eal_cleanup();
	px_mem_iova_provider_set(NULL, NULL);
	PX_TEST_ASSERT(prov_calls >= 3, "provider asked: %u", prov_calls);
	return ret;
}
PX_TEST(mem_huge_iova_autotest, PX_TEST_F_HUGE, mem_huge_iova)
