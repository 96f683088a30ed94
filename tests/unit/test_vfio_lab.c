/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tracker and the VFIO paths on the real kernel, in the lab (docs/lab.md):
 * NICs bound to vfio-pci under a vIOMMU. Each test skips (77) where there is no
 * VFIO device, so on the host they are never counted as passed. Raw ioctls on
 * the container check that the tracker equals what the kernel holds:
 * VFIO_IOMMU_UNMAP_DMA returns the bytes it really unmapped.
 */
#include <dirent.h>
#include <linux/vfio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "px_test.h"
#include "vfio_private.h"

#define MB (1ull << 20)

/* The first (or @skip-th) device bound to vfio-pci, into @addr. */
static int vfio_pci_device(char *addr, size_t sz, int skip)
{
	DIR *d = opendir("/sys/bus/pci/drivers/vfio-pci");
	struct dirent *de;
	int found = -1;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strchr(de->d_name, ':') && skip-- == 0) {
			snprintf(addr, sz, "%s", de->d_name);
			found = 0;
			break;
		}
	closedir(d);
	return found;
}

struct lab {
	struct px_vfio_container *c;
	struct px_vfio_group *g;
	const struct px_vfio_dma_caps *caps;
	void *mem;
	size_t mem_len;
	uint64_t iova;
};

static int lab_open(struct lab *l, size_t len)
{
	char addr[300];
	int no;

	memset(l, 0, sizeof(*l));
	if (vfio_pci_device(addr, sizeof(addr), 0))
		return -ENODEV;
	no = px_vfio_group_of(addr);
	l->c = px_vfio_container_create();
	if (no < 0 || l->c == NULL)
		return -errno;
	l->g = px_vfio_group_open(l->c, no);
	if (l->g == NULL)
		return -errno;
	l->caps = px_vfio_container_caps(l->c);
	l->mem_len = len;
	l->mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
		      -1, 0);
	if (l->mem == MAP_FAILED)
		return -errno;
	/* the first usable IOVA at or above 16 MiB (below: firmware and legacy
	 * ranges) */
	return px_vfio_dma_find_iova(l->c, 16 * MB, len, 2 * MB, &l->iova);
}

static void lab_close(struct lab *l)
{
	px_vfio_container_destroy(l->c);
	if (l->mem && l->mem != MAP_FAILED)
		munmap(l->mem, l->mem_len);
}

/*
 * Is [iova, iova+len) free in the kernel? Asked by mapping it through the
 * backend, bypassing the tracker: success (then undone) means free; EEXIST
 * (type1) or EBUSY (sPAPR) means some of it is mapped. (sPAPR's UNMAP_DMA does
 * not report the bytes it cleared, so an unmap cannot tell.) Returns 1 free, 0
 * mapped, or -errno.
 */
static int kernel_free(struct px_vfio_container *c, uint64_t va, uint64_t iova, uint64_t len)
{
	int r = c->ops->map(c->priv, va, iova, len);

	if (r == 0)
		return c->ops->unmap(c->priv, iova, len, NULL) == 0;
	return r == -EEXIST || r == -EBUSY ? 0 : r;
}

/*
 * Open the container, group and memory, run @body, and close everything
 * whatever @body returned: an assertion that fails returns at once, and a
 * container left open would keep the group busy (EBUSY) for every later test of
 * the same boot.
 */
static int run_lab(size_t len, int (*body)(struct lab *), const char *name)
{
	struct lab l;
	int ret = lab_open(&l, len);

	if (ret == -ENODEV) {
		lab_close(&l);
		PX_TEST_SKIP("%s: no device bound to vfio-pci (run in the lab)", name);
	}
	if (ret) {
		fprintf(stderr, "%s: open container, group, memory: %s\n", name, strerror(-ret));
		ret = PX_TEST_FAILED;
	} else {
		ret = body(&l);
	}
	lab_close(&l);
	return ret;
}

/* The backend chosen and its capabilities, printed for the lab log. */
static int test_lab_backend_body(struct lab *lp)
{

	px_vfio_container_dump(lp->c, stdout);
	PX_TEST_ASSERT(
		lp->caps->type == PX_VFIO_IOMMU_TYPE1V2 || lp->caps->type == PX_VFIO_IOMMU_SPAPR_V2,
		"expected type1v2 or spapr-tce-v2, got %s", px_vfio_iommu_name(lp->caps->type));
	PX_TEST_ASSERT(lp->caps->pgsizes & 0x1000, "4 KiB pages");
	PX_TEST_ASSERT(lp->caps->nr_ranges > 0, "usable IOVA ranges");
	if (lp->caps->type == PX_VFIO_IOMMU_TYPE1V2) {
		PX_TEST_ASSERT(lp->caps->unmap_all, "VFIO_UNMAP_ALL on 6.1");
		PX_TEST_ASSERT(lp->caps->dma_avail > 1000 && lp->caps->dma_avail != UINT32_MAX,
			       "DMA avail reported: %u", lp->caps->dma_avail);
	}
	return PX_TEST_OK;
}
static int test_lab_backend(void)
{
	return run_lab(4 * MB, test_lab_backend_body, "vfio_lab_backend");
}
PX_TEST(vfio_lab_backend_autotest, PX_TEST_F_LAB, test_lab_backend)

/* Cases 8-12 on the kernel: cutting unmap refused on type1 v2 (kernel EINVAL
 * too), accepted on sPAPR; split by remap; holes; tracker equals kernel after
 * each. */
static int test_lab_unmap_body(struct lab *lp)
{
	uint64_t b, va, io;
	bool split;

	va = (uintptr_t)lp->mem;
	io = lp->iova;
	split = lp->caps->split;
	PX_TEST_ASSERT_EQ(px_vfio_dma_map(lp->c, va, io, 4 * MB), 0, "map 4 MiB at 0x%llx",
			  (unsigned long long)io);
	PX_TEST_ASSERT_EQ(px_vfio_dma_map(lp->c, va + 2 * MB, io + MB, MB), -EEXIST, "overlap");
	PX_TEST_ASSERT_EQ(px_vfio_dma_unmap(lp->c, io, MB, PX_DMA_UNMAP_EXACT, &b), -EINVAL,
			  "exact with the wrong length");
	b = 0;
	int r = px_vfio_dma_unmap(lp->c, io + MB, MB, PX_DMA_UNMAP_RANGE, &b);
	if (!split) {
		PX_TEST_ASSERT_EQ(r, -EINVAL, "cut refused on %s",
				  px_vfio_iommu_name(lp->caps->type));
		struct vfio_iommu_type1_dma_unmap u = {
			.argsz = sizeof(u), .iova = io + MB, .size = MB};

		PX_TEST_ASSERT(ioctl(lp->c->fd, VFIO_IOMMU_UNMAP_DMA, &u) && errno == EINVAL,
			       "the kernel refuses the cut too (EINVAL)");
		r = px_vfio_dma_unmap(lp->c, io + MB, MB,
				      PX_DMA_UNMAP_RANGE | PX_DMA_UNMAP_ALLOW_SPLIT, &b);
		PX_TEST_ASSERT_EQ(r, 0, "split by unmap + remap");
	}
	PX_TEST_ASSERT_EQ(r, 0, "cut");
	PX_TEST_ASSERT_EQ(b, MB, "bytes");
	PX_TEST_ASSERT_EQ(px_vfio_dma_count(lp->c), 2, "two remainders");
	/* the kernel holds exactly the remainders: the cut part is free, each
	 * remainder mapped */
	PX_TEST_ASSERT_EQ(kernel_free(lp->c, va + MB, io + MB, MB), 1,
			  "cut part free in the kernel");
	/* Probing a mapped range works on type1 only: sPAPR v2's MAP_DMA over a live
	 * TCE succeeds and replaces it (measured on 6.12), and the probe's unmap
	 * would then clear it.
	 */
	if (!split) {
		PX_TEST_ASSERT_EQ(kernel_free(lp->c, va, io, MB), 0,
				  "left remainder in the kernel");
		PX_TEST_ASSERT_EQ(kernel_free(lp->c, va + 2 * MB, io + 2 * MB, 2 * MB), 0,
				  "right remainder");
	}
	PX_TEST_ASSERT_EQ(px_vfio_dma_unmap(lp->c, io, MB, PX_DMA_UNMAP_EXACT, &b), 0, "left");
	PX_TEST_ASSERT_EQ(px_vfio_dma_unmap(lp->c, io + 2 * MB, 2 * MB, PX_DMA_UNMAP_EXACT, &b), 0,
			  "right");
	PX_TEST_ASSERT_EQ(kernel_free(lp->c, va, io, 4 * MB), 1, "all free in the kernel");
	/* holes mixed with extents; empty range */
	PX_TEST_ASSERT_EQ(px_vfio_dma_map(lp->c, va, io, 2 * MB), 0, "a");
	PX_TEST_ASSERT_EQ(px_vfio_dma_map(lp->c, va + 4 * MB, io + 4 * MB, 2 * MB), 0, "b");
	PX_TEST_ASSERT_EQ(px_vfio_dma_unmap(lp->c, io, 8 * MB, PX_DMA_UNMAP_RANGE, &b), 0, "holes");
	PX_TEST_ASSERT_EQ(b, 4 * MB, "bytes");
	PX_TEST_ASSERT_EQ(kernel_free(lp->c, va, io, 8 * MB), 1, "kernel empty");
	PX_TEST_ASSERT_EQ(px_vfio_dma_unmap(lp->c, io, 8 * MB, PX_DMA_UNMAP_RANGE, &b), 0, "empty");
	PX_TEST_ASSERT_EQ(b, 0, "0 bytes");
	printf("vfio_lab_unmap: %s: cut %s\n", px_vfio_iommu_name(lp->caps->type),
	       split ? "passed to the kernel (page-granular)" : "refused, then split by remap");
	return PX_TEST_OK;
}
static int test_lab_unmap(void)
{
	return run_lab(8 * MB, test_lab_unmap_body, "vfio_lab_unmap");
}
PX_TEST(vfio_lab_unmap_autotest, PX_TEST_F_LAB, test_lab_unmap)

/* Case 13 on the kernel: the native unmap-all; FLAG_ALL with an iova is EINVAL
 * (type1). */
static int test_lab_unmap_all_body(struct lab *lp)
{
	uint64_t b, va, io;

	va = (uintptr_t)lp->mem;
	io = lp->iova;
	for (int i = 0; i < 3; i++)
		PX_TEST_ASSERT_EQ(px_vfio_dma_map(lp->c, va + i * 2 * MB, io + i * 2 * MB, 2 * MB),
				  0, "map %d", i);
	if (lp->caps->type == PX_VFIO_IOMMU_TYPE1V2) {
		struct vfio_iommu_type1_dma_unmap u = {
			.argsz = sizeof(u), .flags = VFIO_DMA_UNMAP_FLAG_ALL, .iova = io};

		PX_TEST_ASSERT(ioctl(lp->c->fd, VFIO_IOMMU_UNMAP_DMA, &u) && errno == EINVAL,
			       "FLAG_ALL with an iova: EINVAL");
	}
	PX_TEST_ASSERT_EQ(px_vfio_dma_unmap_all(lp->c, &b), 0, "unmap all");
	PX_TEST_ASSERT_EQ(b, 6 * MB, "bytes");
	PX_TEST_ASSERT_EQ(px_vfio_dma_count(lp->c), 0, "tracker empty");
	PX_TEST_ASSERT_EQ(kernel_free(lp->c, va, io, 8 * MB), 1, "kernel empty");
	PX_TEST_ASSERT_EQ(px_vfio_dma_map(lp->c, va, io, 2 * MB), 0, "fresh map at the same IOVA");
	return PX_TEST_OK;
}
static int test_lab_unmap_all(void)
{
	return run_lab(8 * MB, test_lab_unmap_all_body, "vfio_lab_unmap_all");
}
PX_TEST(vfio_lab_unmap_all_autotest, PX_TEST_F_LAB, test_lab_unmap_all)

/* Case 14: a NIC left on a kernel driver (px-lab-kbind). Its group either is
 * its own (no /dev/vfio/N: ENOENT) or shared with a vfio-pci device (pseries
 * PHB: not viable, EPERM); both messages must give the px-devbind command. */
static int viability_checks(struct px_vfio_container *c, int no, const char *addr)
{
	const char *out;
	struct px_vfio_group *g;
	int err;

	px_test_log_capture_start();
	g = px_vfio_group_open(c, no);
	err = errno;
	out = px_test_log_capture_stop();
	PX_TEST_ASSERT(g == NULL, "group %d with %s on e1000e must not open", no, addr);
	PX_TEST_ASSERT(err == EPERM || err == ENOENT, "EPERM or ENOENT, got %d", err);
	PX_TEST_ASSERT(strstr(out, "px-devbind --bind=vfio-pci") != NULL, "the fix: %s", out);
	if (err == EPERM)
		PX_TEST_ASSERT(strstr(out, addr) && strstr(out, "e1000e"), "names it: %s", out);
	PX_TEST_ASSERT(px_vfio_container_caps(c) == NULL, "nothing changed");
	printf("vfio_lab_viability: group %d: %s\n", no,
	       err == EPERM ? "shared, not viable" : "own group, not a VFIO group");
	return PX_TEST_OK;
}

static int test_lab_viability(void)
{
	struct px_vfio_container *c;
	char addr[300] = "";
	struct dirent *de;
	DIR *d = opendir("/sys/bus/pci/drivers/e1000e");
	int no, ret;

	if (d == NULL)
		PX_TEST_SKIP("no NIC on the kernel's e1000e (px-lab-kbind ADDR e1000e first)");
	while ((de = readdir(d)) != NULL)
		if (strchr(de->d_name, ':'))
			snprintf(addr, sizeof(addr), "%s", de->d_name);
	closedir(d);
	if (!addr[0])
		PX_TEST_SKIP("no NIC on the kernel's e1000e");
	no = px_vfio_group_of(addr);
	PX_TEST_ASSERT(no >= 0, "group of %s", addr);
	c = px_vfio_container_create();
	PX_TEST_ASSERT(c != NULL, "container");
	ret = viability_checks(c, no, addr);
	px_vfio_container_destroy(c); /* also after a failure: a group left open is EBUSY */
	return ret;
}
PX_TEST(vfio_lab_viability_autotest, PX_TEST_F_LAB, test_lab_viability)
