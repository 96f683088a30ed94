/* SPDX-License-Identifier: BSD-3-Clause */
/* px-devbind --status: network devices in three groups, as text or JSON. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "devbind.h"
#include "text_util.h"

enum binding { BIND_VFIO, BIND_KERNEL, BIND_NONE, BIND_COUNT };

static const char *const bind_title[BIND_COUNT] = {
	"Network devices using vfio-pci",
	"Network devices using a kernel driver",
	"Network devices with no driver",
};

static const char *const bind_key[BIND_COUNT] = {"vfio_pci", "kernel_driver", "no_driver"};

static enum binding binding_of(const struct pci_dev *d)
{
	if (!d->driver[0])
		return BIND_NONE;
	return strcmp(d->driver, VFIO_DRIVER) ? BIND_KERNEL : BIND_VFIO;
}

/* What --status says about a device besides what dev_read() found. */
struct dev_info {
	char vname[128], dname[128];
	struct dev_list group; /* every member of its IOMMU group, itself included */
	bool viable;
};

static int info_get(const struct devbind_opts *o, const struct pci_dev *d, struct dev_info *in)
{
	int i, ret;

	memset(in, 0, sizeof(*in));
	pciids_lookup(o->pci_ids, d, in->vname, in->dname, sizeof(in->vname));
	in->viable = true;
	if (d->group < 0)
		return 0;
	ret = group_members(d->group, &in->group);
	for (i = 0; !ret && i < in->group.n; i++)
		in->viable &= member_viable(&in->group.devs[i]);
	/* A group directory that cannot be read is shown as a group with no other members. */
	return ret == -ENOMEM ? ret : 0;
}

static void print_text(const struct pci_dev *d, const struct dev_info *in)
{
	int i, others = 0;

	printf("%s '%s%s%s' ", d->addr, in->vname[0] ? in->vname : "unknown vendor",
	       in->dname[0] ? " " : "", in->dname[0] ? in->dname : " unknown device");
	if (d->ids_ok)
		printf("%04x:%04x", d->vendor, d->device);
	else
		printf("????:????");
	if (d->numa >= 0)
		printf(" numa=%ld", d->numa);
	for (i = 0; i < d->nifs; i++)
		printf("%s%s", i ? "," : " if=", d->ifs[i]);
	if (d->driver[0])
		printf(" drv=%s", d->driver);
	if (d->override[0])
		printf(" override=%s", d->override);
	if (d->group < 0) {
		printf(" iommu_group=none");
	} else {
		printf(" iommu_group=%ld", d->group);
		for (i = 0; i < in->group.n; i++) {
			if (strcmp(in->group.devs[i].addr, d->addr) != 0)
				printf("%s%s", others++ ? "," : " with=", in->group.devs[i].addr);
		}
		printf(" viable=%s", in->viable ? "yes" : "no");
	}
	if (d->active)
		printf(" *Active* (%s)", d->reason);
	printf("\n");
}

static void json_opt_str(const char *key, const char *val, bool last)
{
	printf("\"%s\": ", key);
	if (val && val[0])
		json_str(stdout, val);
	else
		printf("null");
	printf(last ? "" : ", ");
}

static void print_json_ids(const struct pci_dev *d, const struct dev_info *in)
{
	if (d->ids_ok)
		printf("\"vendor\": \"%04x\", \"device\": \"%04x\", ", d->vendor, d->device);
	else
		printf("\"vendor\": null, \"device\": null, ");
	json_opt_str("vendor_name", in->vname, false);
	json_opt_str("device_name", in->dname, false);
}

static void print_json(const struct pci_dev *d, const struct dev_info *in)
{
	int i, others = 0;

	printf("{\"pci\": \"%s\", ", d->addr);
	print_json_ids(d, in);
	if (d->numa >= 0)
		printf("\"numa_node\": %ld, \"interfaces\": [", d->numa);
	else
		printf("\"numa_node\": null, \"interfaces\": [");
	for (i = 0; i < d->nifs; i++) {
		printf(i ? ", " : "");
		json_str(stdout, d->ifs[i]);
	}
	printf("], ");
	json_opt_str("driver", d->driver, false);
	json_opt_str("driver_override", d->override, false);
	if (d->group >= 0)
		printf("\"iommu_group\": %ld, \"group_viable\": %s, \"group_others\": [", d->group,
		       in->viable ? "true" : "false");
	else
		printf("\"iommu_group\": null, \"group_viable\": null, \"group_others\": [");
	for (i = 0; i < in->group.n; i++) {
		if (strcmp(in->group.devs[i].addr, d->addr) != 0)
			printf("%s\"%s\"", others++ ? ", " : "", in->group.devs[i].addr);
	}
	printf("], \"active\": %s, ", d->active ? "true" : "false");
	json_opt_str("active_reason", d->active ? d->reason : NULL, true);
	printf("}");
}

static int print_section(const struct devbind_opts *o, struct dev_list *l, enum binding b)
{
	struct dev_info in;
	int i, n = 0, ret = 0;

	if (o->json)
		printf("%s\"%s\": [", b ? ",\n  " : "{\n  ", bind_key[b]);
	else
		printf("%s%s\n%.*s\n", b ? "\n" : "", bind_title[b], (int)strlen(bind_title[b]),
		       "==================================================");
	for (i = 0; !ret && i < l->n; i++) {
		if (binding_of(&l->devs[i]) != b)
			continue;
		ret = info_get(o, &l->devs[i], &in);
		if (o->json) {
			printf(n ? ",\n    " : "\n    ");
			print_json(&l->devs[i], &in);
		} else {
			print_text(&l->devs[i], &in);
		}
		dev_list_free(&in.group);
		n++;
	}
	if (o->json)
		printf(n ? "\n  ]" : "]");
	else if (!n)
		printf("<none>\n");
	return ret;
}

static bool noiommu_enabled(void)
{
	char path[PATH_MAX], buf[8];

	return !root_path(path, sizeof(path), roots.sys,
			  "module/vfio/parameters/enable_unsafe_noiommu_mode") &&
	       read_str(path, buf, sizeof(buf)) > 0 && (buf[0] == 'Y' || buf[0] == '1');
}

int cmd_status(const struct devbind_opts *o)
{
	struct dev_list l = {0};
	int b, ret;

	ret = dev_scan(&l, true);
	if (ret) {
		fprintf(stderr,
			"px-devbind: cannot list %s/bus/pci/devices: %s; is sysfs mounted? "
			"(`mount -t sysfs sysfs /sys`)\n",
			roots.sys, strerror(-ret));
		return ret == -ENOMEM ? DB_EINTERNAL : DB_ESYSFS;
	}
	for (b = 0; !ret && b < BIND_COUNT; b++)
		ret = print_section(o, &l, b);
	if (o->json)
		printf(",\n  \"noiommu_mode\": %s\n}\n", noiommu_enabled() ? "true" : "false");
	else if (noiommu_enabled())
		printf("\nWARNING: vfio no-IOMMU mode is enabled: devices bound to vfio-pci can DMA "
		       "anywhere in memory.\n");
	dev_list_free(&l);
	return ret ? DB_EINTERNAL : DB_OK;
}
