/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/pci on the host, against a fake sysfs tree made by the test: the scan (IDs, class, NUMA
 * node, kernel driver, IOMMU group), ID matching, -a/-b, and the message for a matching device
 * bound to another driver, which must name the px-devbind fix. Devices in the tree are never
 * bound to vfio-pci, so nothing here needs VFIO.
 */
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

#include <px_eal.h>
#include <px_pci.h>

#include "px_test.h"

#define TEST_VENDOR 0xfeed /* no real device has it: real sysfs devices never match */
/* Fake devices sit in PCI domain 00fe, which no real machine here has: one address is one
 * device to lib/pci, so a fake 0000:00:03.0 would be taken for the host's own 00:03.0 when the
 * EAL scans the real bus. */

struct fake_dev {
	const char *name, *vendor, *device, *class_id, *drv, *group;
};

static const struct fake_dev fake_devs[] = {
	{"00fe:00:03.0", "0xfeed", "0x0001", "0x020000", "e1000e", "7"},
	{"00fe:00:04.0", "0xfeed", "0x0002", "0x020000", "ixgbe", NULL},
	{"0001:05:00.1", "0x8086", "0x10d3", "0x020000", NULL, "9"},
};

static int write_file(const char *dir, const char *name, const char *text)
{
	char p[PATH_MAX];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	if (f == NULL)
		return -errno;
	fprintf(f, "%s\n", text);
	return fclose(f) ? -errno : 0;
}

static int fake_one(const char *root, const struct fake_dev *fd)
{
	char dir[PATH_MAX / 2], t[PATH_MAX], l[PATH_MAX];
	int ret;

	snprintf(dir, sizeof(dir), "%s/%s", root, fd->name);
	if (mkdir(dir, 0755))
		return -errno;
	ret = write_file(dir, "vendor", fd->vendor);
	ret = ret ? ret : write_file(dir, "device", fd->device);
	ret = ret ? ret : write_file(dir, "subsystem_vendor", "0x1af4");
	ret = ret ? ret : write_file(dir, "subsystem_device", "0x1100");
	ret = ret ? ret : write_file(dir, "class", fd->class_id);
	ret = ret ? ret : write_file(dir, "numa_node", "-1");
	if (ret == 0 && fd->drv) {
		snprintf(t, sizeof(t), "../../../bus/pci/drivers/%s", fd->drv);
		snprintf(l, sizeof(l), "%s/driver", dir);
		ret = symlink(t, l) ? -errno : 0;
	}
	if (ret == 0 && fd->group) {
		snprintf(t, sizeof(t), "../../../kernel/iommu_groups/%s", fd->group);
		snprintf(l, sizeof(l), "%s/iommu_group", dir);
		ret = symlink(t, l) ? -errno : 0;
	}
	return ret;
}

/* A fake /sys/bus/pci/devices in @root (mkdtemp), plus a file that is not a device. */
static int fake_sysfs(char *root, size_t sz)
{
	int ret = 0;

	snprintf(root, sz, "/tmp/px-test-pci.XXXXXX");
	if (mkdtemp(root) == NULL)
		return -errno;
	for (size_t i = 0; i < PX_DIM(fake_devs) && ret == 0; i++)
		ret = fake_one(root, &fake_devs[i]);
	return ret ? ret : write_file(root, "not-a-device", "x");
}

static void fake_sysfs_remove(const char *root)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
}

static struct px_pci_device *find_dev(const char *name)
{
	for (struct px_pci_device *d = px_pci_devices(); d; d = d->next)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

static unsigned int probes;

static int test_probe(struct px_pci_driver *drv, struct px_pci_device *dev)
{
	(void)drv;
	(void)dev;
	probes++;
	return 0;
}

static const struct px_pci_id test_ids[] = {
	{TEST_VENDOR, 0x0001, PX_PCI_ANY_ID, PX_PCI_ANY_ID},
	{TEST_VENDOR, 0x0002, 0x1af4, PX_PCI_ANY_ID},
	{0},
};
static struct px_pci_driver test_drv = {
	.name = "net_pcitest", .id_table = test_ids, .probe = test_probe};

/* Free the scanned list the only way lib/pci offers: an EAL init and cleanup (its bus). */
static int drop_devices(void)
{
	int ret = px_test_eal_init("-l 0 --no-huge");

	if (ret >= 0)
		px_eal_cleanup();
	return ret < 0 ? ret : 0;
}

static int scan_checks(const char *root)
{
	struct px_pci_device *d;
	unsigned int n = 0;

	PX_TEST_ASSERT_EQ(px_pci_scan_dir(root), 0, "scan %s", root);
	for (d = px_pci_devices(); d; d = d->next)
		n++;
	PX_TEST_ASSERT_EQ(n, 3, "three devices, the other file skipped");
	for (d = px_pci_devices(); d && d->next; d = d->next) /* DPDK's port order */
		PX_TEST_ASSERT(
			d->addr.domain < d->next->addr.domain ||
				(d->addr.domain == d->next->addr.domain &&
				 (d->addr.bus << 16 | d->addr.devid << 8 | d->addr.function) <
					 (d->next->addr.bus << 16 | d->next->addr.devid << 8 |
					  d->next->addr.function)),
			"bus order: %s before %s", d->name, d->next->name);
	d = find_dev("00fe:00:03.0");
	PX_TEST_ASSERT(d != NULL, "00fe:00:03.0 found");
	PX_TEST_ASSERT(d->id.vendor_id == 0xfeed && d->id.device_id == 1, "IDs");
	PX_TEST_ASSERT(d->id.subsystem_vendor_id == 0x1af4 && d->id.subsystem_device_id == 0x1100,
		       "subsystem IDs");
	PX_TEST_ASSERT_EQ(d->class_id, 0x020000, "class");
	PX_TEST_ASSERT_EQ(d->numa_node, -1, "NUMA node");
	PX_TEST_ASSERT(strcmp(d->kdrv, "e1000e") == 0, "kernel driver: '%s'", d->kdrv);
	PX_TEST_ASSERT_EQ(d->iommu_group, 7, "IOMMU group");
	PX_TEST_ASSERT(d->driver == NULL && d->bar[0] == NULL, "not probed");
	d = find_dev("00fe:00:04.0");
	PX_TEST_ASSERT(d != NULL && d->iommu_group == -1, "no IOMMU group: -1");
	d = find_dev("0001:05:00.1");
	PX_TEST_ASSERT(d != NULL, "0001:05:00.1 found");
	PX_TEST_ASSERT(d->addr.domain == 1 && d->addr.bus == 5 && d->addr.devid == 0 &&
			       d->addr.function == 1,
		       "address");
	PX_TEST_ASSERT(d->kdrv[0] == '\0', "no driver: '%s'", d->kdrv);
	return PX_TEST_OK;
}

/* The scan reads every attribute the bus needs; a missing root is -ENOENT. */
static int test_pci_scan(void)
{
	char root[64];
	int ret = fake_sysfs(root, sizeof(root));

	PX_TEST_ASSERT_EQ(ret, 0, "fake sysfs");
	PX_TEST_ASSERT_EQ(px_pci_scan_dir("/nonexistent/px-test"), -ENOENT, "missing root");
	ret = scan_checks(root);
	if (drop_devices())
		ret = PX_TEST_FAILED;
	fake_sysfs_remove(root);
	PX_TEST_ASSERT(px_pci_devices() == NULL, "the EAL cleanup freed the list");
	return ret;
}
PX_TEST(pci_scan_autotest, PX_TEST_F_FAST, test_pci_scan)

/* ID tables: exact IDs, PX_PCI_ANY_ID and 0 as wildcards; address parsing. */
static int test_pci_match(void)
{
	struct px_pci_id a = {TEST_VENDOR, 0x0002, 0x1af4, 0x1100};
	struct px_pci_addr ad;

	PX_TEST_ASSERT(!px_pci_id_match(&test_ids[0], &a), "other device ID");
	PX_TEST_ASSERT(px_pci_id_match(&test_ids[1], &a), "device and subsystem vendor");
	a.subsystem_vendor_id = 0x8086;
	PX_TEST_ASSERT(!px_pci_id_match(&test_ids[1], &a), "other subsystem vendor");
	a.device_id = 0x0001;
	PX_TEST_ASSERT(px_pci_id_match(&test_ids[0], &a), "any subsystem");
	a.vendor_id = 0x8086;
	PX_TEST_ASSERT(!px_pci_id_match(&test_ids[0], &a), "other vendor");
	PX_TEST_ASSERT(px_pci_id_match(&(struct px_pci_id){0x8086, PX_PCI_ANY_ID, 0, 0}, &a),
		       "any device of a vendor");
	PX_TEST_ASSERT_EQ(px_pci_addr_parse("0001:05:1f.7", &ad), 0, "full address");
	PX_TEST_ASSERT(ad.domain == 1 && ad.bus == 5 && ad.devid == 0x1f && ad.function == 7,
		       "fields");
	PX_TEST_ASSERT_EQ(px_pci_addr_parse("05:00.1", &ad), 0, "short address");
	PX_TEST_ASSERT(ad.domain == 0 && ad.bus == 5 && ad.function == 1, "domain 0");
	PX_TEST_ASSERT_EQ(px_pci_addr_parse("00:20.0", &ad), -EINVAL, "device > 0x1f");
	PX_TEST_ASSERT_EQ(px_pci_addr_parse("00:02.8", &ad), -EINVAL, "function > 7");
	PX_TEST_ASSERT_EQ(px_pci_addr_parse("00:02.0x", &ad), -EINVAL, "trailing junk");
	PX_TEST_ASSERT_EQ(px_pci_addr_parse("0x0:0x2.0", &ad), -EINVAL, "0x prefixes");
	PX_TEST_ASSERT_EQ(px_pci_addr_parse("-1:02.0", &ad), -EINVAL, "sign");
	PX_TEST_ASSERT_EQ(px_pci_addr_parse("net_null0", &ad), -EINVAL, "not an address");
	return PX_TEST_OK;
}
PX_TEST(pci_match_autotest, PX_TEST_F_FAST, test_pci_match)

/* Probe with @args over the fake tree; @out gets a copy of the log. */
static int probe_log(const char *root, const char *args, char *out, size_t sz)
{
	const char *log;
	int ret = px_pci_scan_dir(root);

	if (ret)
		return ret;
	px_test_log_capture_start();
	ret = px_test_eal_init(args);
	log = px_test_log_capture_stop();
	snprintf(out, sz, "%s", log ? log : "");
	if (ret >= 0)
		px_eal_cleanup();
	return ret < 0 ? ret : 0;
}

static bool warned(const char *log, const char *addr, const char *drv)
{
	char want[160];

	snprintf(want, sizeof(want),
		 "%s (feed:%04x) matches net_pcitest but is bound to %s: "
		 "px-devbind --bind=vfio-pci %s",
		 addr, strcmp(addr, "00fe:00:03.0") ? 2 : 1, drv, addr);
	return strstr(log, want) != NULL;
}

static int probe_checks(const char *root)
{
	static char log[16384];

	probes = 0;
	/* kernel-driven devices nobody named: left alone, said only at debug level */
	PX_TEST_ASSERT_EQ(probe_log(root, "-l 0 --no-huge", log, sizeof(log)), 0, "EAL init");
	PX_TEST_ASSERT(!warned(log, "00fe:00:03.0", "e1000e"), "03.0 not warned about: %s", log);
	PX_TEST_ASSERT(!warned(log, "00fe:00:04.0", "ixgbe"), "04.0 not warned about: %s", log);
	PX_TEST_ASSERT(strstr(log, "0001:05:00.1 (8086:10d3) matches net_e1000e but is bound to no "
				   "driver: px-devbind --bind=vfio-pci 0001:05:00.1"),
		       "05:00.1, on no driver, named with the fix: %s", log);
	PX_TEST_ASSERT_EQ(probe_log(root, "-l 0 --no-huge --log-level=pci:debug", log, sizeof(log)),
			  0, "EAL init, debug");
	PX_TEST_ASSERT(warned(log, "00fe:00:03.0", "e1000e"), "03.0 and its fix named: %s", log);
	PX_TEST_ASSERT(warned(log, "00fe:00:04.0", "ixgbe"), "04.0 and its fix named: %s", log);
	PX_TEST_ASSERT_EQ(probes, 0, "nothing on vfio-pci: no probe");
	PX_TEST_ASSERT_EQ(probe_log(root, "-l 0 --no-huge --log-level=pci:debug -b 00fe:00:03.0",
				    log, sizeof(log)),
			  0, "EAL init -b");
	PX_TEST_ASSERT(!warned(log, "00fe:00:03.0", "e1000e"), "-b: 03.0 left alone: %s", log);
	PX_TEST_ASSERT(warned(log, "00fe:00:04.0", "ixgbe"), "-b: 04.0 still used: %s", log);
	PX_TEST_ASSERT_EQ(probe_log(root, "-l 0 --no-huge -a 00fe:00:04.0,foo=1", log, sizeof(log)),
			  0, "EAL init -a with devargs");
	PX_TEST_ASSERT(!warned(log, "00fe:00:03.0", "e1000e"), "-a: 03.0 not listed: %s", log);
	PX_TEST_ASSERT(warned(log, "00fe:00:04.0", "ixgbe"), "-a: 04.0 listed: %s", log);
	return PX_TEST_OK;
}

/* Matching devices on another driver are named with the px-devbind fix; -a/-b select. */
static int test_pci_probe(void)
{
	char root[64];
	int ret = fake_sysfs(root, sizeof(root));

	PX_TEST_ASSERT_EQ(ret, 0, "fake sysfs");
	px_pci_driver_register(&test_drv);
	ret = probe_checks(root);
	if (px_eal_initialized())
		px_eal_cleanup();
	if (px_pci_driver_unregister(&test_drv) || px_pci_driver_unregister(&test_drv) != -ENOENT) {
		fprintf(stderr, "unregister: once 0, then -ENOENT\n");
		ret = PX_TEST_FAILED;
	}
	fake_sysfs_remove(root);
	return ret;
}
PX_TEST(pci_probe_autotest, PX_TEST_F_FAST, test_pci_probe)
