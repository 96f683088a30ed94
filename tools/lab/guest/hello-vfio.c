// SPDX-License-Identifier: BSD-3-Clause
/*
 * hello-vfio - the lab's self-check: is real VFIO there, and which IOMMU backend?
 *
 * Opens /dev/vfio/vfio, prints the API version and the extensions the kernel
 * offers, then for every group in /dev/vfio attaches it to its own container
 * with the backend the kernel offers (type1 v2, else sPAPR TCE v2), prints
 * what the backend reports (page sizes and IOVA ranges, or the sPAPR DMA
 * window), maps and unmaps 2 MiB for DMA at the lowest usable IOVA, and
 * opens each device of the group (regions, IRQs, PCI IDs).
 * Uses only libc and the kernel uAPI (linux/vfio.h, Documentation/driver-api/vfio.rst).
 *
 * usage: hello-vfio [--groups N] [--new-window]
 * Exit 0 ok, 1 failure, 77 no VFIO here. With --groups N it fails unless
 * exactly N groups work end to end. --new-window (sPAPR) replaces the default
 * DMA window with a new one before mapping.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/vfio.h>

static const struct {
	unsigned long ext;
	const char *name;
} extensions[] = {
	{ VFIO_TYPE1_IOMMU, "TYPE1" },
	{ VFIO_SPAPR_TCE_IOMMU, "SPAPR_TCE" },
	{ VFIO_TYPE1v2_IOMMU, "TYPE1v2" },
	{ VFIO_DMA_CC_IOMMU, "DMA_CC" },
	{ VFIO_EEH, "EEH" },
	{ VFIO_TYPE1_NESTING_IOMMU, "TYPE1_NESTING" },
	{ VFIO_SPAPR_TCE_v2_IOMMU, "SPAPR_TCE_v2" },
	{ VFIO_NOIOMMU_IOMMU, "NOIOMMU" },
#ifdef VFIO_UNMAP_ALL
	{ VFIO_UNMAP_ALL, "UNMAP_ALL" },
#endif
#ifdef VFIO_UPDATE_VADDR
	{ VFIO_UPDATE_VADDR, "UPDATE_VADDR" },
#endif
};

/* Type1 reports its capabilities in a chain after the fixed info struct. */
static void print_type1_info(int container)
{
	struct vfio_iommu_type1_info *info;
	size_t argsz = sizeof(*info);

	for (int pass = 0; pass < 2; pass++) {
		info = calloc(1, argsz);
		if (!info)
			return;
		info->argsz = argsz;
		if (ioctl(container, VFIO_IOMMU_GET_INFO, info)) {
			perror("hello-vfio: VFIO_IOMMU_GET_INFO");
			free(info);
			return;
		}
		if (info->argsz <= argsz)
			break;
		argsz = info->argsz; /* the kernel wants room for the capability chain */
		free(info);
	}
	printf("  type1: page sizes 0x%llx\n", (unsigned long long)info->iova_pgsizes);
	if (!(info->flags & VFIO_IOMMU_INFO_CAPS) || !info->cap_offset)
		goto out;
	for (uint32_t off = info->cap_offset; off; ) {
		struct vfio_info_cap_header *hdr = (void *)((char *)info + off);

		if (hdr->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
			struct vfio_iommu_type1_info_cap_iova_range *r = (void *)hdr;

			for (uint32_t i = 0; i < r->nr_iovas; i++)
				printf("  type1: iova range 0x%llx-0x%llx\n",
				       (unsigned long long)r->iova_ranges[i].start,
				       (unsigned long long)r->iova_ranges[i].end);
		} else if (hdr->id == VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL) {
			struct vfio_iommu_type1_info_dma_avail *a = (void *)hdr;

			printf("  type1: dma mappings available %u\n", a->avail);
		}
		off = hdr->next;
	}
out:
	free(info);
}

static void print_spapr_info(int container)
{
	struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };

	if (ioctl(container, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info)) {
		perror("hello-vfio: VFIO_IOMMU_SPAPR_TCE_GET_INFO");
		return;
	}
	printf("  spapr: dma32 window 0x%x+0x%x, page sizes 0x%llx, max windows %u, levels %u\n",
	       info.dma32_window_start, info.dma32_window_size,
	       (unsigned long long)info.ddw.pgsizes, info.ddw.max_dynamic_windows_supported,
	       info.ddw.levels);
}

#define DMA_LEN (2u << 20)

static int force_new_window;

/* Memory to map for DMA: a 2 MiB hugepage when there is one, else 4 KiB pages. */
static void *dma_buffer(void)
{
	void *va = mmap(NULL, DMA_LEN, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_POPULATE, -1, 0);

	if (va == MAP_FAILED)
		va = mmap(NULL, DMA_LEN, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	return va == MAP_FAILED ? NULL : va;
}

/*
 * Map and unmap DMA_LEN at @iova. sPAPR v2 first needs the memory
 * pre-registered (Documentation/driver-api/vfio.rst, sPAPR section).
 */
static int check_dma(int container, int spapr, uint64_t iova)
{
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };
	struct vfio_iommu_spapr_register_memory reg = { .argsz = sizeof(reg) };
	void *va = dma_buffer();
	int ret = -1;

	if (!va) {
		perror("hello-vfio: mmap");
		return -1;
	}
	reg.vaddr = (uintptr_t)va;
	reg.size = DMA_LEN;
	if (spapr && ioctl(container, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, &reg)) {
		perror("hello-vfio: VFIO_IOMMU_SPAPR_REGISTER_MEMORY");
		goto unmap_va;
	}
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	map.vaddr = (uintptr_t)va;
	map.iova = iova;
	map.size = DMA_LEN;
	if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map)) {
		ret = -errno;
		printf("  dma: VFIO_IOMMU_MAP_DMA at iova 0x%llx: %s\n",
		       (unsigned long long)iova, strerror(errno));
		goto unregister;
	}
	unmap.iova = iova;
	unmap.size = DMA_LEN;
	if (ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap) || unmap.size != DMA_LEN) {
		perror("hello-vfio: VFIO_IOMMU_UNMAP_DMA");
		goto unregister;
	}
	printf("  dma: map + unmap 2 MiB at iova 0x%llx ok\n", (unsigned long long)iova);
	ret = 0;
unregister:
	if (spapr && ioctl(container, VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY, &reg))
		perror("hello-vfio: VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY");
unmap_va:
	munmap(va, DMA_LEN);
	return ret;
}

/*
 * pseries sometimes fails to set up a device's default DMA window ("failed
 * DDW device list" in dmesg; seen with virtio-net): MAP_DMA then gives
 * ENODEV. Replace the default window with a new one, 1 GiB of 4 KiB pages.
 */
static int spapr_new_window(int container, uint64_t *start)
{
	struct vfio_iommu_spapr_tce_remove rm = { .argsz = sizeof(rm), .start_addr = 0 };
	struct vfio_iommu_spapr_tce_create cr = { .argsz = sizeof(cr), .page_shift = 12,
						  .window_size = 1ull << 30, .levels = 1 };

	if (ioctl(container, VFIO_IOMMU_SPAPR_TCE_REMOVE, &rm)) {
		perror("hello-vfio: VFIO_IOMMU_SPAPR_TCE_REMOVE");
		return -1;
	}
	if (ioctl(container, VFIO_IOMMU_SPAPR_TCE_CREATE, &cr)) {
		perror("hello-vfio: VFIO_IOMMU_SPAPR_TCE_CREATE");
		return -1;
	}
	printf("  spapr: replaced the default window: new window at 0x%llx, 1 GiB, 4 KiB pages\n",
	       (unsigned long long)cr.start_addr);
	*start = cr.start_addr;
	return 0;
}

/* Read the vendor and device IDs from the config space region. */
static void print_device(int dev, const char *name)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_region_info cfg = { .argsz = sizeof(cfg),
					.index = VFIO_PCI_CONFIG_REGION_INDEX };
	uint16_t ids[2] = { 0, 0 };

	if (ioctl(dev, VFIO_DEVICE_GET_INFO, &info)) {
		perror("hello-vfio: VFIO_DEVICE_GET_INFO");
		return;
	}
	if (!ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &cfg) &&
	    pread(dev, ids, sizeof(ids), (off_t)cfg.offset) != sizeof(ids))
		ids[0] = ids[1] = 0;
	printf("  device %s: %04x:%04x, %u regions, %u irqs%s\n", name, ids[0], ids[1],
	       info.num_regions, info.num_irqs,
	       info.flags & VFIO_DEVICE_FLAGS_RESET ? ", reset" : "");
}

/* Attach group @grp to a new container and open its devices. 0 if it all works. */
static int check_group(const char *grp)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[300];
	int container, group, ret = -1, ndev = 0, err;
	unsigned long type;
	uint64_t iova = 0;
	struct dirent *de;
	DIR *dir;

	printf("group %s:\n", grp);
	container = open("/dev/vfio/vfio", O_RDWR);
	snprintf(path, sizeof(path), "/dev/vfio/%s", grp);
	group = open(path, O_RDWR);
	if (container < 0 || group < 0) {
		perror("hello-vfio: open");
		goto close;
	}
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &status) ||
	    !(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		printf("  not viable: bind every device of the group to vfio-pci\n");
		goto close;
	}
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container)) {
		perror("hello-vfio: VFIO_GROUP_SET_CONTAINER");
		goto close;
	}
	type = ioctl(container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0 ?
		       VFIO_TYPE1v2_IOMMU : VFIO_SPAPR_TCE_v2_IOMMU;
	if (ioctl(container, VFIO_SET_IOMMU, type)) {
		perror("hello-vfio: VFIO_SET_IOMMU");
		goto close;
	}
	printf("  backend: %s\n", type == VFIO_TYPE1v2_IOMMU ? "type1v2" : "spapr-tce-v2");
	if (type == VFIO_TYPE1v2_IOMMU) {
		print_type1_info(container);
		if (check_dma(container, 0, 0))
			goto close;
	} else {
		print_spapr_info(container);
		/*
		 * v2 needs no VFIO_IOMMU_ENABLE (v1 only; v2 answers ENOTTY).
		 * The default 32-bit window starts at 0 (printed above).
		 */
		err = force_new_window ? spapr_new_window(container, &iova) : 0;
		if (!err)
			err = check_dma(container, 1, iova);
		if (err == -ENODEV && !force_new_window && !spapr_new_window(container, &iova))
			err = check_dma(container, 1, iova);
		if (err)
			goto close;
	}

	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%s/devices", grp);
	dir = opendir(path);
	while (dir && (de = readdir(dir))) {
		int dev;

		if (de->d_name[0] == '.')
			continue;
		dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, de->d_name);
		if (dev < 0) {
			printf("  device %s: VFIO_GROUP_GET_DEVICE_FD: %s\n", de->d_name,
			       strerror(errno));
			continue;
		}
		print_device(dev, de->d_name);
		close(dev);
		ndev++;
	}
	if (dir)
		closedir(dir);
	ret = ndev > 0 ? 0 : -1;
close:
	if (group >= 0)
		close(group);
	if (container >= 0)
		close(container);
	return ret;
}

int main(int argc, char **argv)
{
	int want = -1, ok = 0, fail = 0, container, api;
	struct dirent *de;
	DIR *dir;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--groups") && i + 1 < argc) {
			want = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--new-window")) {
			force_new_window = 1;
		} else {
			fprintf(stderr, "usage: hello-vfio [--groups N] [--new-window]\n");
			return 2;
		}
	}
	container = open("/dev/vfio/vfio", O_RDWR);
	if (container < 0) {
		printf("hello-vfio: /dev/vfio/vfio: %s: no VFIO here (load vfio-pci)\n",
		       strerror(errno));
		return 77;
	}
	api = ioctl(container, VFIO_GET_API_VERSION);
	printf("vfio: api version %d%s\nvfio: extensions:", api,
	       api == VFIO_API_VERSION ? "" : " (unexpected)");
	for (size_t i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++)
		if (ioctl(container, VFIO_CHECK_EXTENSION, extensions[i].ext) > 0)
			printf(" %s", extensions[i].name);
	printf("\n");
	close(container);

	dir = opendir("/dev/vfio");
	while (dir && (de = readdir(dir))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "vfio"))
			continue;
		if (check_group(de->d_name))
			fail++;
		else
			ok++;
	}
	if (dir)
		closedir(dir);
	printf("hello-vfio: %d group(s) ok, %d failed\n", ok, fail);
	if (api != VFIO_API_VERSION || fail || (want >= 0 && ok != want))
		return 1;
	return 0;
}
