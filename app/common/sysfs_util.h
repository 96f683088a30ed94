/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Small helpers shared by px-devbind and px-hugepages: every path either tool reads or writes
 * goes through a root (sysfs, procfs, devfs), so the tests can point both at a fake tree.
 * Not installed; no px_ prefix (STYLE.md: internal headers).
 */
#ifndef SYSFS_UTIL_H
#define SYSFS_UTIL_H

#include <stdbool.h>
#include <stddef.h>

struct fs_roots {
	const char *sys;  /* "/sys" unless --sysfs-root */
	const char *proc; /* "/proc" unless --procfs-root */
	const char *dev;  /* "/dev" unless --devfs-root */
	bool fake;        /* a root was overridden: the kernel is not behind these files */
	bool dry_run;     /* print writes instead of doing them */
};

extern struct fs_roots roots;

/*
 * getopt_long ids of the options that set roots: --dry-run, --sysfs-root=DIR,
 * --procfs-root=DIR, --devfs-root=DIR. Each tool lists those it offers in its option table;
 * the ids lie above its own.
 */
enum roots_opt_id {
	OPT_DRY_RUN = 512,
	OPT_SYSFS_ROOT,
	OPT_PROCFS_ROOT,
	OPT_DEVFS_ROOT,
};

/* Apply one of those options to roots. Returns 0, or -EINVAL for any other id. */
int roots_opt(int id, const char *arg);

/* Format "<root>/<fmt...>" into buf; -ENAMETOOLONG if it does not fit. */
int root_path(char *buf, size_t len, const char *root, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Read a whole small file, trailing newlines stripped. Returns length or -errno. */
int read_str(const char *path, char *buf, size_t len);
/* Read a decimal or 0x-prefixed number; -EINVAL on garbage. */
int read_ulong(const char *path, unsigned long *val);
int read_long(const char *path, long *val);
/* Write s to path (one write(2), as sysfs wants); with roots.dry_run only prints it. */
int write_str(const char *path, const char *s);
/* Write s to an ordinary file, creating or truncating it; with roots.dry_run only prints it. */
int write_file(const char *path, const char *s);
/* Last path component of a symlink's target ("../../bus/pci/drivers/e1000e" -> "e1000e"). */
int link_basename(const char *path, char *buf, size_t len);
bool path_exists(const char *path);
/* mkdir -p: create dir and its missing parents, mode 0755; 0 if it exists already. */
int mkdir_p(const char *dir);

#endif /* SYSFS_UTIL_H */
