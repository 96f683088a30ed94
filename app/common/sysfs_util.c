/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared sysfs/procfs helpers for px-devbind and px-hugepages; see sysfs_util.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysfs_util.h"

struct fs_roots roots = {
	.sys = "/sys",
	.proc = "/proc",
	.dev = "/dev",
};

int roots_opt(int id, const char *arg)
{
	switch (id) {
	case OPT_DRY_RUN:
		roots.dry_run = true;
		return 0;
	case OPT_SYSFS_ROOT:
		roots.sys = arg;
		break;
	case OPT_PROCFS_ROOT:
		roots.proc = arg;
		break;
	case OPT_DEVFS_ROOT:
		roots.dev = arg;
		break;
	default:
		return -EINVAL;
	}
	roots.fake = true;
	return 0;
}

int root_path(char *buf, size_t len, const char *root, const char *fmt, ...)
{
	va_list ap;
	int n, m;

	n = snprintf(buf, len, "%s/", root);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	va_start(ap, fmt);
	m = vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
	if (m < 0 || (size_t)m >= len - n)
		return -ENAMETOOLONG;
	return 0;
}

int read_str(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	ret = n < 0 ? -errno : 0;
	close(fd);
	if (ret)
		return ret;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return (int)n;
}

static int parse_num(const char *s, bool is_signed, unsigned long *uval, long *sval)
{
	char *end;

	if (!*s)
		return -EINVAL;
	errno = 0;
	if (is_signed)
		*sval = strtol(s, &end, 0);
	else if (*s == '-')
		return -EINVAL;
	else
		*uval = strtoul(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

int read_ulong(const char *path, unsigned long *val)
{
	char buf[64];
	int ret = read_str(path, buf, sizeof(buf));

	return ret < 0 ? ret : parse_num(buf, false, val, NULL);
}

int read_long(const char *path, long *val)
{
	char buf[64];
	int ret = read_str(path, buf, sizeof(buf));

	return ret < 0 ? ret : parse_num(buf, true, NULL, val);
}

static int write_flags(const char *path, const char *s, int flags)
{
	size_t len = strlen(s);
	ssize_t n;
	int fd, ret = 0;

	if (roots.dry_run) {
		printf("dry-run: write '%s' to %s\n", s, path);
		return 0;
	}
	fd = open(path, O_WRONLY | O_CLOEXEC | flags, 0644);
	if (fd < 0)
		return -errno;
	n = write(fd, s, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

int write_str(const char *path, const char *s)
{
	/* A fake tree has plain files, created on first write; sysfs files always exist. */
	return write_flags(path, s, roots.fake ? O_CREAT | O_TRUNC : 0);
}

int write_file(const char *path, const char *s)
{
	return write_flags(path, s, O_CREAT | O_TRUNC);
}

int link_basename(const char *path, char *buf, size_t len)
{
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	while (n > 1 && target[n - 1] == '/')
		target[--n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= len)
		return -ENAMETOOLONG;
	strcpy(buf, base);
	return 0;
}

bool path_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int mkdir_p(const char *dir)
{
	char buf[PATH_MAX], *s;

	if (strlen(dir) >= sizeof(buf))
		return -ENAMETOOLONG;
	strcpy(buf, dir);
	for (s = buf + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	return mkdir(buf, 0755) && errno != EEXIST ? -errno : 0;
}
