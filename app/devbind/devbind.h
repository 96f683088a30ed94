/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * px-devbind internals: the device model read from sysfs, and the commands over it.
 * Not installed. Commands return a devbind_exit code (documented in --help); helpers below
 * them return 0 or a negative errno like the rest of Pollux.
 */
#ifndef DEVBIND_H
#define DEVBIND_H

#include <stdbool.h>
#include <sys/types.h>

#include "sysfs_util.h"

/* Exit codes: one per failure, listed by --help and docs/devbind.md. */
enum devbind_exit {
	DB_OK = 0,
	DB_EINTERNAL = 1, /* out of memory, a bug */
	DB_EUSAGE = 2,    /* bad command line */
	DB_ENODEV = 3,    /* no such PCI device or interface, or not a network device */
	DB_EACTIVE = 4,   /* interface has addresses or routes; --force overrides */
	DB_EGROUP = 5,    /* would leave an IOMMU group half-bound */
	DB_ENOIOMMU = 6,  /* device has no IOMMU group; --noiommu overrides */
	DB_EMODULE = 7,   /* vfio-pci (or the kernel driver) cannot be loaded */
	DB_EWRITE = 8,    /* a sysfs write failed (not root?) */
	DB_EBIND = 9,     /* the kernel did not bind the device as asked */
	DB_ERESTORE = 10, /* no idea which kernel driver to restore */
	DB_EOWNER = 11,   /* --uid/--gid: cannot hand /dev/vfio/N over */
	DB_ESYSFS = 12,   /* sysfs unreadable: no /sys/bus/pci */
};

#define DB_ADDR_LEN 32
#define DB_NAME_LEN 64
#define DB_MAX_IFS 4
#define DB_REASON_LEN 128

#define VFIO_DRIVER "vfio-pci"

struct pci_dev {
	char addr[DB_ADDR_LEN];
	unsigned int vendor, device; /* valid when ids_ok */
	bool ids_ok;
	unsigned long class; /* valid when class_ok */
	bool class_ok;
	bool bridge; /* header type 1: the kernel lets a bridge keep its driver in a group */
	char driver[DB_NAME_LEN];   /* "" when no driver */
	char override[DB_NAME_LEN]; /* driver_override, "" when none */
	long numa;                  /* -1 when unknown */
	long group;                 /* -1 when no IOMMU group */
	char ifs[DB_MAX_IFS][DB_NAME_LEN];
	int nifs;
	bool active;
	char reason[DB_REASON_LEN]; /* why active */
};

struct dev_list {
	struct pci_dev *devs;
	int n, cap;
};

struct devbind_opts {
	const char *pci_ids; /* NULL: search the usual places */
	bool json, force, noiommu;
	uid_t uid;
	gid_t gid;
	bool set_uid, set_gid;
	const char *state_dir;
};

/* devbind_scan.c */
bool is_pci_addr(const char *s);
int dev_read(const char *addr, struct pci_dev *d);
int dev_scan(struct dev_list *l, bool net_only);
void dev_list_free(struct dev_list *l);
struct pci_dev *dev_find(struct dev_list *l, const char *addr);
int group_members(long group, struct dev_list *out);
bool member_viable(const struct pci_dev *d);
bool is_net_class(const struct pci_dev *d);

/* devbind_net.c: is an interface in use (addresses or routes)? */
bool if_active(const char *ifname, char *reason, size_t len);

/* pciids.c */
void pciids_lookup(const char *file, const struct pci_dev *d, char *vname, char *dname, size_t len);

/* devbind_status.c */
int cmd_status(const struct devbind_opts *o);

/* devbind_bind.c */
int cmd_bind(const struct devbind_opts *o, const char *driver, char **args, int nargs);
int cmd_unbind(const struct devbind_opts *o, char **args, int nargs);
int cmd_restore(const struct devbind_opts *o, char **args, int nargs);

#endif /* DEVBIND_H */
