/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DMA map tracker against one simulated kernel per VFIO semantics (vfio_sim.c):
 * every case 1-18 and 22 of docs/vfio-checklist.md on every backend where it applies; where
 * a backend cannot do something, the test asserts that it is refused (or that no kernel call
 * is made, for noiommu), never skips it.
 */
#include <ftw.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/vfio.h>

#include "px_test.h"
#include "vfio_sim.h"

#define MB (1ull << 20)
#define VA(iova) (0x7f0000000000ull + (iova))

/* Assert, naming the backend. */
#define CHECK(cond, ...) PX_TEST_ASSERT(cond, "[%s] " __VA_ARGS__)
#define CHECK_EQ(a, b, msg) PX_TEST_ASSERT_EQ(a, b, "[%s] %s", sim_name(k), msg)

static struct px_vfio_container *setup(enum sim_kind k, struct sim **s)
{
	struct px_vfio_container *c = sim_container(k, s);

	if (c != NULL && vfio_container_attach(c, 100, 1, NULL)) {
		px_vfio_container_destroy(c);
		return NULL;
	}
	return c;
}

static bool maps(enum sim_kind k)
{
	return k != SIM_NOIOMMU;
}

#define SETUP()                                                   \
	struct sim *s;                                            \
	struct px_vfio_container *c = setup(k, &s);               \
	uint64_t b = 0;                                           \
	PX_TEST_ASSERT(c != NULL, "[%s] container", sim_name(k)); \
	(void)b

#define DONE()                                                                  \
	do {                                                                    \
		int _ok = sim_consistent(c, s);                                 \
		px_vfio_container_destroy(c);                                   \
		PX_TEST_ASSERT(_ok, "[%s] tracker equals kernel", sim_name(k)); \
	} while (0)

/* Run one case; on failure the container leaks, which is fine: the test fails. */
#define CASE(fn, k)                                                             \
	do {                                                                    \
		if ((fn)(k) != PX_TEST_OK) {                                    \
			fprintf(stderr, "%s on %s failed\n", #fn, sim_name(k)); \
			return PX_TEST_FAILED;                                  \
		}                                                               \
	} while (0)

/* 1. zero length, misaligned VA/IOVA/length */
static int case_map_args(enum sim_kind k)
{
	SETUP();
	CHECK_EQ(px_vfio_dma_map(c, VA(2 * MB), 2 * MB, 0), -EINVAL, "zero length");
	CHECK_EQ(px_vfio_dma_map(c, VA(2 * MB), 2 * MB + 1, MB), -EINVAL, "misaligned IOVA");
	CHECK_EQ(px_vfio_dma_map(c, VA(2 * MB) + 8, 2 * MB, MB), -EINVAL, "misaligned VA");
	CHECK_EQ(px_vfio_dma_map(c, VA(2 * MB), 2 * MB, MB + 0x800), -EINVAL, "misaligned len");
	CHECK_EQ(s->calls_map, 0, "no ioctl");
	CHECK_EQ(px_vfio_dma_count(c), 0, "nothing recorded");
	DONE();
	return PX_TEST_OK;
}

/* 2. wrap past 2^64: rejected before any ioctl */
static int case_map_wrap(enum sim_kind k)
{
	SETUP();
	CHECK_EQ(px_vfio_dma_map(c, VA(0), UINT64_MAX - 0xfff, 0x2000), -EINVAL, "IOVA wraps");
	CHECK_EQ(px_vfio_dma_map(c, UINT64_MAX - 0xfff, 2 * MB, 0x2000), -EINVAL, "VA wraps");
	CHECK_EQ(px_vfio_dma_unmap(c, UINT64_MAX - 0xfff, 0x2000, PX_DMA_UNMAP_RANGE, &b), -EINVAL,
		 "unmap wraps");
	CHECK_EQ(s->calls_map + s->calls_unmap, 0, "no ioctl");
	DONE();
	return PX_TEST_OK;
}

/* 3. ending exactly at the top of a usable range; one page past or into a hole */
static int case_map_ranges(enum sim_kind k)
{
	SETUP();
	const struct px_vfio_dma_caps *caps = px_vfio_container_caps(c);
	const char *out;

	CHECK(caps != NULL, "caps after attach", sim_name(k));
	if (!maps(k)) {
		/* noiommu: IOVAs are physical addresses; there are no ranges to check */
		CHECK_EQ(caps->nr_ranges, 0, "noiommu has no IOVA ranges");
		CHECK_EQ(px_vfio_dma_map(c, VA(0), 0xfffff000ull, 0x1000), 0, "any PA");
		CHECK_EQ(s->calls_map, 0, "noiommu maps nothing");
		DONE();
		return PX_TEST_OK;
	}
	uint64_t top = caps->ranges[0].end + 1;
	CHECK_EQ(px_vfio_dma_map(c, VA(top - 0x1000), top - 0x1000, 0x1000), 0, "ends at the top");
	px_test_log_capture_start();
	CHECK_EQ(px_vfio_dma_map(c, VA(top - 0x1000), top - 0x2000, 0x2000), -EEXIST, "overlap");
	CHECK_EQ(px_vfio_dma_map(c, VA(top), top, 0x1000), -EINVAL, "one page past the top");
	out = px_test_log_capture_stop();
	CHECK(strstr(out, "outside the usable IOVA ranges") && strstr(out, "0x0-"),
	      "error names the ranges: %s", sim_name(k), out);
	CHECK_EQ(s->calls_map, 1, "refusals made no ioctl");
	DONE();
	return PX_TEST_OK;
}

/* 4 and 5. partial overlap and exact duplicate: EEXIST, nothing changes */
static int case_map_overlap(enum sim_kind k)
{
	SETUP();
	CHECK_EQ(px_vfio_dma_map(c, VA(4 * MB), 4 * MB, 4 * MB), 0, "map");
	CHECK_EQ(px_vfio_dma_map(c, VA(6 * MB), 6 * MB, 4 * MB), -EEXIST, "overlap right");
	CHECK_EQ(px_vfio_dma_map(c, VA(2 * MB), 2 * MB, 4 * MB), -EEXIST, "overlap left");
	CHECK_EQ(px_vfio_dma_map(c, VA(2 * MB), 2 * MB, 16 * MB), -EEXIST, "covers");
	CHECK_EQ(px_vfio_dma_map(c, VA(4 * MB), 4 * MB, 4 * MB), -EEXIST, "exact duplicate");
	CHECK_EQ(px_vfio_dma_map(c, VA(8 * MB), 8 * MB, MB), 0, "adjacent is fine");
	CHECK_EQ(s->calls_map, maps(k) ? 2 : 0, "refused before the ioctl");
	if (maps(k)) {
		/* what the kernel itself says, had we asked: EEXIST, or EBUSY on sPAPR */
		int r = sim_ops.map(s, VA(4 * MB), 4 * MB, MB);

		CHECK_EQ(r, k == SIM_SPAPR ? -EBUSY : -EEXIST, "kernel's own answer");
	}
	CHECK_EQ(px_vfio_dma_count(c), 2, "two extents");
	DONE();
	return PX_TEST_OK;
}

/* 6. the kernel refuses half-way: memlock (ENOMEM) and entry limit (ENOSPC) */
static int case_map_kernel_refuses(enum sim_kind k)
{
	SETUP();
	const char *out;

	CHECK_EQ(px_vfio_dma_map(c, VA(2 * MB), 2 * MB, 2 * MB), 0, "first");
	s->memlock = 4 * MB;
	px_test_log_capture_start();
	int r1 = px_vfio_dma_map(c, VA(4 * MB), 4 * MB, 4 * MB);
	s->memlock = UINT64_MAX;
	s->fail_map_after = 0;
	s->fail_errno = ENOSPC;
	int r2 = px_vfio_dma_map(c, VA(8 * MB), 8 * MB, 2 * MB);
	s->fail_map_after = -1;
	out = px_test_log_capture_stop();
	if (!maps(k)) {
		CHECK(r1 == 0 && r2 == 0 && s->calls_map == 0, "noiommu: nothing pinned by VFIO",
		      sim_name(k));
		DONE();
		return PX_TEST_OK;
	}
	CHECK_EQ(r1, -ENOMEM, "memlock");
	CHECK_EQ(r2, -ENOSPC, "entry limit");
	CHECK(strstr(out, "RLIMIT_MEMLOCK") && strstr(out, "ulimit -l"),
	      "names memlock and its fix: %s", sim_name(k), out);
	CHECK(strstr(out, "dma_entry_limit") && strstr(out, "raise"),
	      "names the entry limit and its fix: %s", sim_name(k), out);
	CHECK_EQ(px_vfio_dma_count(c), 1, "nothing recorded");
	DONE();
	return PX_TEST_OK;
}

/* 7. tracker full / kernel entries below the margin: refused before the ioctl; warn at 80 % */
static int case_map_limits(enum sim_kind k)
{
	struct sim *s;
	struct px_vfio_container *c = sim_container(k, &s);
	const char *out;
	unsigned int calls;

	PX_TEST_ASSERT(c != NULL, "container");
	s->entry_limit = 20; /* type1 reports 20 DMA entries available at attach */
	CHECK_EQ(vfio_container_attach(c, 100, 1, NULL), 0, "attach");
	px_vfio_dma_set_limits(c, 5, 16);
	px_test_log_capture_start();
	for (unsigned int i = 0; i < 3; i++)
		CHECK_EQ(px_vfio_dma_map(c, VA(i * 2 * MB), i * 2 * MB, MB), 0, "map");
	out = px_test_log_capture_stop();
	CHECK(strstr(out, "80%") == NULL, "no warning yet: %s", sim_name(k), out);
	px_test_log_capture_start();
	int r = px_vfio_dma_map(c, VA(6 * MB), 6 * MB, MB);
	out = px_test_log_capture_stop();
	calls = s->calls_map;
	if (k == SIM_TYPE1V2) {
		/* 20 - 4 = 16 entries left = the reserve */
		CHECK_EQ(r, 0, "fourth map");
		CHECK(strstr(out, "80%") != NULL, "warning at 80 %%: %s", sim_name(k), out);
		CHECK_EQ(px_vfio_dma_map(c, VA(8 * MB), 8 * MB, MB), -ENOSPC, "kernel margin");
	} else {
		CHECK_EQ(px_vfio_container_caps(c)->dma_avail, UINT32_MAX, "no kernel entry limit");
		CHECK_EQ(r, 0, "fourth map");
		CHECK(strstr(out, "80%") != NULL, "warning at 80 %%: %s", sim_name(k), out);
		CHECK_EQ(px_vfio_dma_map(c, VA(8 * MB), 8 * MB, MB), 0, "fifth");
		CHECK_EQ(px_vfio_dma_map(c, VA(10 * MB), 10 * MB, MB), -ENOSPC, "tracker full");
		calls = maps(k) ? calls + 1 : 0;
	}
	CHECK_EQ(s->calls_map, calls, "refused before the ioctl");
	DONE();
	return PX_TEST_OK;
}

/* 8. exact unmap */
static int case_unmap_exact(enum sim_kind k)
{
	SETUP();
	CHECK_EQ(px_vfio_dma_map(c, VA(2 * MB), 2 * MB, 2 * MB), 0, "map");
	CHECK_EQ(px_vfio_dma_unmap(c, 2 * MB, MB, PX_DMA_UNMAP_EXACT, &b), -EINVAL, "wrong len");
	CHECK_EQ(px_vfio_dma_unmap(c, 8 * MB, MB, PX_DMA_UNMAP_EXACT, &b), -ENOENT, "never mapped");
	CHECK_EQ(s->calls_unmap, 0, "no ioctl for either failure");
	CHECK_EQ(px_vfio_dma_unmap(c, 2 * MB, 2 * MB, PX_DMA_UNMAP_EXACT, &b), 0, "exact");
	CHECK_EQ(b, 2 * MB, "bytes = length");
	CHECK_EQ(s->calls_unmap, maps(k) ? 1 : 0, "one ioctl");
	CHECK_EQ(px_vfio_dma_unmap(c, 0, MB, PX_DMA_UNMAP_EXACT | PX_DMA_UNMAP_RANGE, &b), -EINVAL,
		 "both modes");
	CHECK_EQ(px_vfio_dma_unmap(c, 0, MB, PX_DMA_UNMAP_EXACT | PX_DMA_UNMAP_ALLOW_SPLIT, &b),
		 -EINVAL, "split with exact");
	DONE();
	return PX_TEST_OK;
}

/* 9. a range covering several whole extents: one kernel call, total bytes */
static int case_unmap_whole(enum sim_kind k)
{
	SETUP();
	CHECK_EQ(px_vfio_dma_map(c, VA(2 * MB), 2 * MB, 2 * MB), 0, "a");
	CHECK_EQ(px_vfio_dma_map(c, VA(4 * MB), 4 * MB, 4 * MB), 0, "b");
	CHECK_EQ(px_vfio_dma_map(c, VA(8 * MB), 8 * MB, 2 * MB), 0, "c");
	CHECK_EQ(px_vfio_dma_map(c, VA(20 * MB), 20 * MB, 2 * MB), 0, "outside");
	CHECK_EQ(px_vfio_dma_unmap(c, 2 * MB, 8 * MB, PX_DMA_UNMAP_RANGE, &b), 0, "range");
	CHECK_EQ(b, 8 * MB, "total bytes");
	CHECK_EQ(s->calls_unmap, maps(k) ? 1 : 0, "one kernel call");
	CHECK_EQ(px_vfio_dma_count(c), 1, "the outside one stays");
	DONE();
	return PX_TEST_OK;
}

/* 10. a range cutting an extent */
static int case_unmap_cut(enum sim_kind k)
{
	SETUP();
	CHECK_EQ(px_vfio_dma_map(c, VA(2 * MB), 2 * MB, 4 * MB), 0, "map");
	int r = px_vfio_dma_unmap(c, 3 * MB, MB, PX_DMA_UNMAP_RANGE, &b);
	if (k == SIM_SPAPR || k == SIM_NOIOMMU) {
		/* sPAPR clears TCEs page by page: passed through, remainders recorded */
		CHECK_EQ(r, 0, "cut in the kernel");
		CHECK_EQ(b, MB, "bytes");
		CHECK_EQ(s->calls_unmap, maps(k) ? 1 : 0, "one call, no remap");
		CHECK_EQ(s->calls_map, maps(k) ? 1 : 0, "no remap");
		CHECK_EQ(px_vfio_dma_count(c), 2, "two remainders");
		DONE();
		return PX_TEST_OK;
	}
	CHECK_EQ(r, -EINVAL, "refused without ALLOW_SPLIT");
	CHECK_EQ(s->calls_unmap, 0, "before the ioctl");
	/* the kernel would refuse too: EINVAL on type1 v2, ENOENT on iommufd */
	CHECK_EQ(sim_ops.unmap(s, 3 * MB, MB, &b), k == SIM_TYPE1V2 ? -EINVAL : -ENOENT,
		 "kernel's answer");
	r = px_vfio_dma_unmap(c, 3 * MB, MB, PX_DMA_UNMAP_RANGE | PX_DMA_UNMAP_ALLOW_SPLIT, &b);
	CHECK_EQ(r, 0, "split by unmap + remap");
	CHECK_EQ(b, MB, "bytes");
	CHECK_EQ(s->calls_map, 3, "two remainders remapped");
	CHECK_EQ(px_vfio_dma_count(c), 2, "two extents");
	CHECK(sim_consistent(c, s), "consistent after split", sim_name(k));
	/* a remap that fails leaves the tracker equal to the kernel */
	CHECK_EQ(px_vfio_dma_map(c, VA(16 * MB), 16 * MB, 4 * MB), 0, "map");
	s->fail_map_after = 1;
	s->fail_errno = ENOMEM;
	r = px_vfio_dma_unmap(c, 17 * MB, MB, PX_DMA_UNMAP_RANGE | PX_DMA_UNMAP_ALLOW_SPLIT, &b);
	s->fail_map_after = -1;
	CHECK_EQ(r, -ENOMEM, "remap failure reported");
	CHECK_EQ(px_vfio_dma_count(c), 3, "the failed remainder is not tracked");
	DONE();
	return PX_TEST_OK;
}

/* 11. holes mixed with extents; an empty range */
static int case_unmap_holes(enum sim_kind k)
{
	SETUP();
	CHECK_EQ(px_vfio_dma_map(c, VA(2 * MB), 2 * MB, 2 * MB), 0, "a");
	CHECK_EQ(px_vfio_dma_map(c, VA(8 * MB), 8 * MB, 2 * MB), 0, "b");
	CHECK_EQ(px_vfio_dma_unmap(c, 32 * MB, 2 * MB, PX_DMA_UNMAP_RANGE, &b), 0, "empty");
	CHECK_EQ(b, 0, "0 bytes");
	CHECK_EQ(s->calls_unmap, 0, "no ioctl for an empty range");
	CHECK_EQ(px_vfio_dma_unmap(c, 0, 16 * MB, PX_DMA_UNMAP_RANGE, &b), 0, "holes");
	CHECK_EQ(b, 4 * MB, "bytes of the extents");
	CHECK_EQ(px_vfio_dma_count(c), 0, "all gone");
	DONE();
	return PX_TEST_OK;
}

/* 12. adjacent extents of different sizes */
static int case_unmap_adjacent(enum sim_kind k)
{
	SETUP();
	CHECK_EQ(px_vfio_dma_map(c, VA(2 * MB), 2 * MB, 2 * MB), 0, "a");
	CHECK_EQ(px_vfio_dma_map(c, VA(4 * MB), 4 * MB, MB), 0, "b");
	CHECK_EQ(px_vfio_dma_map(c, VA(5 * MB), 5 * MB, 4 * MB), 0, "c");
	CHECK_EQ(px_vfio_dma_unmap(c, 2 * MB, 2 * MB, PX_DMA_UNMAP_EXACT, &b), 0, "a");
	CHECK_EQ(px_vfio_dma_unmap(c, 5 * MB, 4 * MB, PX_DMA_UNMAP_RANGE, &b), 0, "c");
	CHECK_EQ(px_vfio_dma_count(c), 1, "b stays");
	CHECK_EQ(px_vfio_dma_unmap(c, 4 * MB, MB, PX_DMA_UNMAP_EXACT, &b), 0, "b still mapped");
	DONE();
	return PX_TEST_OK;
}

/* 13. unmap all with the native form */
static int case_unmap_all(enum sim_kind k)
{
	SETUP();
	for (unsigned int i = 1; i <= 3; i++)
		CHECK_EQ(px_vfio_dma_map(c, VA(i * 4 * MB), i * 4 * MB, 2 * MB), 0, "map");
	CHECK_EQ(px_vfio_dma_unmap_all(c, &b), 0, "unmap all");
	CHECK_EQ(b, 6 * MB, "bytes");
	CHECK_EQ(px_vfio_dma_count(c), 0, "tracker empty");
	CHECK_EQ(s->calls_unmap_all, maps(k) ? 1 : 0, "native form, once");
	CHECK(sim_consistent(c, s), "kernel empty", sim_name(k));
	CHECK_EQ(px_vfio_dma_map(c, VA(4 * MB), 4 * MB, 2 * MB), 0, "fresh map at the same IOVA");
	if (k == SIM_TYPE1V2) {
		CHECK_EQ(sim_type1_unmap_flags(s, 4 * MB, 0, VFIO_DMA_UNMAP_FLAG_ALL, &b), -EINVAL,
			 "FLAG_ALL with an iova");
		CHECK_EQ(sim_type1_unmap_flags(s, 0, 2 * MB, VFIO_DMA_UNMAP_FLAG_ALL, &b), -EINVAL,
			 "FLAG_ALL with a size");
	}
	DONE();
	return PX_TEST_OK;
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(p);
}

/* A fake /sys: group 7 holds 0000:00:02.0 (vfio-pci) and 0000:00:03.0 (e1000e). */
static int fake_sysfs(char *root)
{
	static const char *const dev[] = {"0000:00:02.0", "0000:00:03.0"};
	static const char *const drv[] = {"vfio-pci", "e1000e"};
	char p[512], t[512];

	if (mkdtemp(root) == NULL)
		return -1;
	snprintf(p, sizeof(p), "%s/kernel/iommu_groups/7/devices", root);
	for (char *q = strchr(p + strlen(root) + 1, '/'); q; q = strchr(q + 1, '/')) {
		*q = '\0';
		mkdir(p, 0700);
		*q = '/';
	}
	mkdir(p, 0700);
	for (int i = 0; i < 2; i++) {
		snprintf(p, sizeof(p), "%s/kernel/iommu_groups/7/devices/%s", root, dev[i]);
		mkdir(p, 0700);
		snprintf(p, sizeof(p), "%s/kernel/iommu_groups/7/devices/%s/driver", root, dev[i]);
		snprintf(t, sizeof(t), "../../../../bus/pci/drivers/%s", drv[i]);
		if (symlink(t, p))
			return -1;
	}
	return 0;
}

/* 14. a group that is not viable: named devices, the fix, nothing changes */
static int case_group_viability(enum sim_kind k)
{
	SETUP();
	char root[] = "/tmp/px-sysfs-XXXXXX";
	const char *out;
	int r;

	CHECK_EQ(px_vfio_dma_map(c, VA(2 * MB), 2 * MB, 2 * MB), 0, "map");
	CHECK_EQ(fake_sysfs(root), 0, "fake sysfs");
	px_test_log_capture_start();
	r = vfio_group_attach_checked(c, 101, 7, NULL, false, root);
	out = px_test_log_capture_stop();
	nftw(root, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	CHECK_EQ(r, -EPERM, "not viable");
	CHECK(strstr(out, "0000:00:03.0 is bound to e1000e") != NULL, "names the device: %s",
	      sim_name(k), out);
	CHECK(strstr(out, "px-devbind --bind=vfio-pci 0000:00:03.0") != NULL, "the fix: %s",
	      sim_name(k), out);
	CHECK(strstr(out, "0000:00:02.0 is bound") == NULL, "vfio-pci device not blamed: %s",
	      sim_name(k), out);
	CHECK_EQ(s->groups, 1, "no group attached");
	CHECK_EQ(s->calls_map, maps(k) ? 1 : 0, "nothing replayed");
	DONE();
	return PX_TEST_OK;
}

/* 15 and 16. deferred maps, replay at first attach, re-attach, replay failure rolls back */
static int case_group_replay(enum sim_kind k)
{
	struct sim *s;
	struct px_vfio_container *c = sim_container(k, &s);

	PX_TEST_ASSERT(c != NULL, "container");
	CHECK_EQ(px_vfio_dma_map(c, VA(2 * MB), 2 * MB, 2 * MB), 0, "deferred a");
	CHECK_EQ(px_vfio_dma_map(c, VA(8 * MB), 8 * MB, 2 * MB), 0, "deferred b");
	CHECK_EQ(s->calls_map, 0, "deferred: no ioctl before a group");
	CHECK_EQ(vfio_container_attach(c, 100, 1, NULL), 0, "first group");
	CHECK_EQ(s->calls_map, maps(k) ? 2 : 0, "replayed");
	CHECK(sim_consistent(c, s), "after replay", sim_name(k));
	CHECK_EQ(vfio_container_attach(c, 101, 2, NULL), 0, "second group");
	CHECK_EQ(s->calls_map, maps(k) ? 2 : 0, "second group sees the same context");
	CHECK(sim_consistent(c, s), "second group", sim_name(k));
	vfio_container_detach(c, 100);
	vfio_container_detach(c, 101);
	CHECK_EQ(s->n, 0, "last group out: kernel dropped the maps");
	CHECK_EQ(px_vfio_dma_count(c), 2, "tracker keeps them");
	CHECK_EQ(vfio_container_attach(c, 102, 3, NULL), 0, "new group");
	CHECK_EQ(s->calls_map, maps(k) ? 4 : 0, "replayed again");
	CHECK(sim_consistent(c, s), "after re-attach", sim_name(k));
	vfio_container_detach(c, 102);
	s->fail_map_after = 1;
	s->fail_errno = ENOMEM;
	int r = vfio_container_attach(c, 103, 4, NULL);
	s->fail_map_after = -1;
	CHECK_EQ(r, maps(k) ? -ENOMEM : 0, "replay failure fails the attach");
	if (maps(k)) {
		CHECK(s->groups == 0 && !s->context && s->n == 0, "rolled back", sim_name(k));
		CHECK_EQ(px_vfio_dma_count(c), 2, "tracker unchanged");
	}
	px_vfio_container_destroy(c);
	return PX_TEST_OK;
}

/* The EAL's memory event for the 2 MiB segment at @iova, as the container receives it
 * (px_vfio_container_create subscribes it with vfio_mem_event). */
static int seg_event(struct px_vfio_container *c, enum px_mem_event type, uint64_t iova)
{
	return vfio_mem_event(type, (void *)(uintptr_t)VA(iova), iova, 2 * MB, c);
}

/* 17 and 18. memory events: only the freed segment is unmapped; freeing mapped memory that
 * cannot be unmapped is refused */
static int case_mem_events(enum sim_kind k)
{
	SETUP();
	uint64_t base = 64 * MB;

	for (unsigned int i = 0; i < 5; i++)
		CHECK_EQ(seg_event(c, PX_MEM_EVENT_ADDED, base + i * 2 * MB), 0,
			 "segment reserved");
	CHECK_EQ(px_vfio_dma_count(c), 5, "five extents");
	CHECK_EQ(seg_event(c, PX_MEM_EVENT_REMOVED, base + 4 * MB), 0, "freed");
	CHECK_EQ(s->calls_unmap, maps(k) ? 1 : 0, "only that segment unmapped");
	CHECK_EQ(px_vfio_dma_unmap(c, base + 4 * MB, 2 * MB, PX_DMA_UNMAP_EXACT, &b), -ENOENT,
		 "the middle one is gone");
	CHECK_EQ(px_vfio_dma_count(c), 4, "the others stay");
	s->fail_unmap_after = 0;
	s->fail_errno = EIO;
	int r = seg_event(c, PX_MEM_EVENT_REMOVED, base);
	s->fail_unmap_after = -1;
	CHECK_EQ(r, maps(k) ? -EIO : 0, "free refused while still mapped");
	CHECK_EQ(px_vfio_dma_count(c), maps(k) ? 4 : 3, "still tracked while mapped");
	DONE();
	return PX_TEST_OK;
}

struct thr_arg {
	struct px_vfio_container *c;
	uint64_t iova;
	int fails;
};

static void *thr_loop(void *p)
{
	struct thr_arg *a = p;
	uint64_t b;

	for (int i = 0; i < 2000; i++) {
		if (px_vfio_dma_map(a->c, VA(a->iova), a->iova, 2 * MB))
			a->fails++;
		if (px_vfio_dma_unmap(a->c, a->iova, 2 * MB,
				      i & 1 ? PX_DMA_UNMAP_EXACT : PX_DMA_UNMAP_RANGE, &b) ||
		    b != 2 * MB)
			a->fails++;
	}
	px_vfio_dma_map(a->c, VA(a->iova), a->iova, 2 * MB);
	return NULL;
}

/* 22. two threads mapping and unmapping adjacent ranges */
static int case_concurrent(enum sim_kind k)
{
	SETUP();
	struct thr_arg a[2] = {{c, 2 * MB, 0}, {c, 4 * MB, 0}};
	pthread_t t[2];

	for (int i = 0; i < 2; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, thr_loop, &a[i]), 0, "thread");
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(a[0].fails + a[1].fails, 0, "every call succeeded");
	CHECK_EQ(px_vfio_dma_count(c), 2, "both final maps");
	DONE();
	return PX_TEST_OK;
}

#define EACH_KIND(fn)                                            \
	do {                                                     \
		for (enum sim_kind _k = 0; _k < SIM_KINDS; _k++) \
			CASE(fn, _k);                            \
	} while (0)

static int test_dma_map(void)
{
	EACH_KIND(case_map_args);
	EACH_KIND(case_map_wrap);
	EACH_KIND(case_map_ranges);
	EACH_KIND(case_map_overlap);
	EACH_KIND(case_map_kernel_refuses);
	EACH_KIND(case_map_limits);
	return PX_TEST_OK;
}
PX_TEST(vfio_dma_map_autotest, PX_TEST_F_FAST, test_dma_map)

static int test_dma_unmap(void)
{
	EACH_KIND(case_unmap_exact);
	EACH_KIND(case_unmap_whole);
	EACH_KIND(case_unmap_cut);
	EACH_KIND(case_unmap_holes);
	EACH_KIND(case_unmap_adjacent);
	EACH_KIND(case_unmap_all);
	return PX_TEST_OK;
}
PX_TEST(vfio_dma_unmap_range_autotest, PX_TEST_F_FAST, test_dma_unmap)

static int test_dma_groups(void)
{
	EACH_KIND(case_group_viability);
	EACH_KIND(case_group_replay);
	EACH_KIND(case_mem_events);
	return PX_TEST_OK;
}
PX_TEST(vfio_dma_groups_autotest, PX_TEST_F_FAST, test_dma_groups)

static int test_dma_concurrent(void)
{
	EACH_KIND(case_concurrent);
	return PX_TEST_OK;
}
PX_TEST(vfio_dma_concurrent_autotest, PX_TEST_F_FAST, test_dma_concurrent)

/* Everything above, in one process: the checklist's cases 1-18 and 22 on every backend. */
static int test_dma_tracker(void)
{
	int (*const all[])(void) = {test_dma_map, test_dma_unmap, test_dma_groups,
				    test_dma_concurrent};

	for (size_t i = 0; i < PX_DIM(all); i++)
		if (all[i]() != PX_TEST_OK)
			return PX_TEST_FAILED;
	return PX_TEST_OK;
}
PX_TEST(vfio_dma_tracker_autotest, PX_TEST_F_FAST, test_dma_tracker)
