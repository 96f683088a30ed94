/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * px-hugepages: show, reserve, release and mount huge pages for Pollux, per NUMA node and page
 * size. The kernel interface (Documentation/admin-guide/mm/hugetlbpage.rst): per size,
 * /sys/kernel/mm/hugepages/hugepages-<kB>kB/{nr,free,surplus,resv}_hugepages, and per node
 * /sys/devices/system/node/node<N>/hugepages/hugepages-<kB>kB/...; hugetlbfs mounts are in
 * /proc/mounts. See docs/hugepages.md.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "sysfs_util.h"
#include "text_util.h"

/* Exit codes, listed by --help and docs/hugepages.md. */
enum hp_exit {
	HP_OK = 0,
	HP_EINTERNAL = 1, /* out of memory, a bug */
	HP_EUSAGE = 2,    /* bad command line */
	HP_ENOSIZE = 3,   /* page size not supported by this CPU/kernel */
	HP_ENONODE = 4,   /* no such NUMA node */
	HP_EPARTIAL = 5,  /* the kernel gave fewer pages than asked */
	HP_EWRITE = 6,    /* a sysfs write failed (not root?) */
	HP_EBUSY = 7,     /* --clear: pages still in use */
	HP_EMOUNT = 8,    /* --mount failed, or something else is mounted there */
	HP_ENOHUGE = 9,   /* no huge page support at all */
};

#define MAX_SIZES 8
#define MAX_NODES 64

struct hp_opts {
	bool json;
	long node;                   /* -1: all nodes */
	unsigned long long pagesize; /* 0: the kernel's default */
};

struct counts {
	unsigned long total, free, surplus;
};

static const char usage[] =
	"Usage: px-hugepages --show [--json]\n"
	"       px-hugepages --setup SIZE [--node N] [--pagesize 2M|1G]\n"
	"       px-hugepages --clear [--node N] [--pagesize 2M|1G]\n"
	"       px-hugepages --mount DIR [--pagesize 2M|1G]\n"
	"\n"
	"  -s, --show          pages per NUMA node and page size (total, free, surplus) and\n"
	"                      the hugetlbfs mounts\n"
	"      --json          --show as JSON\n"
	"      --setup SIZE    reserve SIZE of huge pages in all (512M, 2G; rounded up to whole\n"
	"                      pages), on node N with --node; reports what the kernel gave\n"
	"      --clear         release the reserved pages (all sizes unless --pagesize)\n"
	"      --mount DIR     mount hugetlbfs on DIR for pages of --pagesize\n"
	"  -n, --node N        one NUMA node only\n"
	"  -p, --pagesize SZ   page size (default: the kernel's, usually 2M)\n"
	"      --dry-run       print the writes and mounts instead of doing them\n"
	"      --sysfs-root=DIR, --procfs-root=DIR  read and write another tree (tests)\n"
	"  -h, --help          this text\n"
	"\n"
	"Exit codes:\n"
	"  0 success                    1 internal error\n"
	"  2 bad command line           3 page size not supported here\n"
	"  4 no such NUMA node          5 the kernel gave fewer pages than asked\n"
	"  6 a sysfs write failed (not root?)\n"
	"  7 --clear: pages still in use by a running application\n"
	"  8 --mount failed             9 no huge page support in this kernel\n";

/* "<number><unit>" exactly, e.g. "2048kB"; -EINVAL otherwise. */
static int parse_ull_unit(const char *s, const char *unit, unsigned long long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || strcmp(end, unit) != 0 ? -EINVAL : 0;
}

static bool is_odigit(char c)
{
	return c >= '0' && c <= '7';
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

/* Page sizes the kernel offers, ascending, in bytes. */
static int list_sizes(unsigned long long *sizes, int max)
{
	char path[PATH_MAX];
	unsigned long long kb;
	struct dirent *e;
	int n = 0;
	DIR *dir;

	if (root_path(path, sizeof(path), roots.sys, "kernel/mm/hugepages"))
		return -ENAMETOOLONG;
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((e = readdir(dir)) && n < max) {
		if (!strncmp(e->d_name, "hugepages-", 10) &&
		    !parse_ull_unit(e->d_name + 10, "kB", &kb) && kb)
			sizes[n++] = kb << 10;
	}
	closedir(dir);
	qsort(sizes, n, sizeof(*sizes), cmp_ull);
	return n;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

/* NUMA nodes with huge page counters, ascending; none on a kernel without NUMA. */
static int list_nodes(long *nodes, int max)
{
	char path[PATH_MAX], sub[PATH_MAX];
	struct dirent *e;
	int n = 0;
	DIR *dir;

	if (root_path(path, sizeof(path), roots.sys, "devices/system/node"))
		return -ENAMETOOLONG;
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((e = readdir(dir)) && n < max) {
		char *end;

		if (strncmp(e->d_name, "node", 4) != 0 || !e->d_name[4])
			continue;
		nodes[n] = strtol(e->d_name + 4, &end, 10);
		if (!*end && !root_path(sub, sizeof(sub), path, "%s/hugepages", e->d_name) &&
		    path_exists(sub))
			n++;
	}
	closedir(dir);
	qsort(nodes, n, sizeof(*nodes), cmp_long);
	return n;
}

/* The counters' directory for one size, on one node or (node < 0) in all. */
static int size_path(char *buf, size_t len, long node, unsigned long long size, const char *file)
{
	if (node < 0)
		return root_path(buf, len, roots.sys, "kernel/mm/hugepages/hugepages-%llukB/%s",
				 size >> 10, file);
	return root_path(buf, len, roots.sys,
			 "devices/system/node/node%ld/hugepages/hugepages-%llukB/%s", node,
			 size >> 10, file);
}

static int read_count(long node, unsigned long long size, const char *file, unsigned long *v)
{
	char path[PATH_MAX];
	int ret = size_path(path, sizeof(path), node, size, file);

	return ret ? ret : read_ulong(path, v);
}

static void read_counts(long node, unsigned long long size, struct counts *c)
{
	memset(c, 0, sizeof(*c));
	read_count(node, size, "nr_hugepages", &c->total);
	read_count(node, size, "free_hugepages", &c->free);
	read_count(node, size, "surplus_hugepages", &c->surplus);
}

/* The kernel's default huge page size (Hugepagesize in /proc/meminfo); 0 when unknown. */
static unsigned long long default_pagesize(void)
{
	unsigned long long kb = 0;
	char path[PATH_MAX], line[256];
	FILE *f;

	if (root_path(path, sizeof(path), roots.proc, "meminfo"))
		return 0;
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Hugepagesize:", 13) &&
		    !parse_ull_unit(line + 13 + strspn(line + 13, " \t"), " kB\n", &kb))
			break;
		kb = 0;
	}
	if (f)
		fclose(f);
	return kb << 10;
}

struct hmount {
	char path[PATH_MAX];
	char opts[256];
	unsigned long long pagesize;
};

/* /proc/mounts escapes blanks in paths as octal (\040). */
static void unescape(char *s)
{
	char *d = s;
	unsigned int c;

	for (; *s; s++) {
		if (s[0] == '\\' && is_odigit(s[1]) && is_odigit(s[2]) && is_odigit(s[3])) {
			c = (s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0');
			*d++ = (char)c;
			s += 3;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

/* hugetlbfs mounts and their page size (the pagesize= option, or the default). */
static int read_mounts(struct hmount *m, int max)
{
	char path[PATH_MAX], line[PATH_MAX + 512], fstype[64], *ps;
	int n = 0;
	FILE *f;

	if (root_path(path, sizeof(path), roots.proc, "mounts"))
		return 0;
	f = fopen(path, "re");
	while (f && n < max && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %4095s %63s %255s", m[n].path, fstype, m[n].opts) != 3 ||
		    strcmp(fstype, "hugetlbfs") != 0)
			continue;
		unescape(m[n].path);
		m[n].pagesize = default_pagesize();
		ps = strstr(m[n].opts, "pagesize=");
		if (ps) {
			char val[32];

			snprintf(val, sizeof(val), "%.*s", (int)strcspn(ps + 9, ","), ps + 9);
			if (parse_size(val, &m[n].pagesize))
				m[n].pagesize = 0;
		}
		n++;
	}
	if (f)
		fclose(f);
	return n;
}

#define MAX_MOUNTS 16

struct hp_state {
	unsigned long long sizes[MAX_SIZES];
	long nodes[MAX_NODES];
	struct hmount mounts[MAX_MOUNTS];
	int nsizes, nnodes, nmounts;
	unsigned long long defsize;
};

static int state_read(struct hp_state *s)
{
	s->nsizes = list_sizes(s->sizes, MAX_SIZES);
	if (s->nsizes <= 0) {
		fprintf(stderr,
			"px-hugepages: no huge page support: %s/kernel/mm/hugepages is "
			"missing or empty; use a kernel with CONFIG_HUGETLBFS\n",
			roots.sys);
		return HP_ENOHUGE;
	}
	s->nnodes = list_nodes(s->nodes, MAX_NODES);
	s->nmounts = read_mounts(s->mounts, MAX_MOUNTS);
	s->defsize = default_pagesize();
	if (!s->defsize)
		s->defsize = s->sizes[0];
	return HP_OK;
}

static void show_text(const struct hp_state *s)
{
	char sz[16], buf[16];
	struct counts c;
	unsigned long reserved;
	int i, j;

	printf("%-6s %-6s %10s %10s %10s %12s\n", "node", "size", "total", "free", "surplus",
	       "total bytes");
	for (i = 0; i < s->nsizes; i++) {
		fmt_size(s->sizes[i], sz, sizeof(sz));
		for (j = 0; j < s->nnodes; j++) {
			read_counts(s->nodes[j], s->sizes[i], &c);
			printf("%-6ld %-6s %10lu %10lu %10lu %12s\n", s->nodes[j], sz, c.total,
			       c.free, c.surplus,
			       fmt_size(c.total * s->sizes[i], buf, sizeof(buf)));
		}
		read_counts(-1, s->sizes[i], &c);
		printf("%-6s %-6s %10lu %10lu %10lu %12s", "all", sz, c.total, c.free, c.surplus,
		       fmt_size(c.total * s->sizes[i], buf, sizeof(buf)));
		if (!read_count(-1, s->sizes[i], "resv_hugepages", &reserved) && reserved)
			printf("  (%lu reserved by mappings)", reserved);
		printf("%s\n", s->sizes[i] == s->defsize ? "  default size" : "");
	}
	printf("\nhugetlbfs mounts:\n");
	for (i = 0; i < s->nmounts; i++)
		printf("  %s pagesize=%s (%s)\n", s->mounts[i].path,
		       fmt_size(s->mounts[i].pagesize, sz, sizeof(sz)), s->mounts[i].opts);
	if (!s->nmounts)
		printf("  none (Pollux needs none by default; `px-hugepages --mount "
		       "/dev/hugepages` for --huge-dir)\n");
}

static void json_counts(long node, unsigned long long size)
{
	struct counts c;

	read_counts(node, size, &c);
	printf("\"total\": %lu, \"free\": %lu, \"surplus\": %lu", c.total, c.free, c.surplus);
}

static void show_json(const struct hp_state *s)
{
	int i, j;

	printf("{\"default_pagesize\": %llu, \"pagesizes\": [", s->defsize);
	for (i = 0; i < s->nsizes; i++) {
		printf("%s\n  {\"pagesize\": %llu, ", i ? "," : "", s->sizes[i]);
		json_counts(-1, s->sizes[i]);
		printf(", \"nodes\": [");
		for (j = 0; j < s->nnodes; j++) {
			printf("%s{\"node\": %ld, ", j ? ", " : "", s->nodes[j]);
			json_counts(s->nodes[j], s->sizes[i]);
			printf("}");
		}
		printf("]}");
	}
	printf("],\n \"mounts\": [");
	for (i = 0; i < s->nmounts; i++) {
		printf("%s{\"path\": ", i ? ", " : "");
		json_str(stdout, s->mounts[i].path);
		printf(", \"pagesize\": %llu, \"options\": ", s->mounts[i].pagesize);
		json_str(stdout, s->mounts[i].opts);
		printf("}");
	}
	printf("]}\n");
}

static int cmd_show(const struct hp_opts *o)
{
	struct hp_state *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return HP_EINTERNAL;
	ret = state_read(s);
	if (!ret && o->json)
		show_json(s);
	else if (!ret)
		show_text(s);
	free(s);
	return ret;
}

/* The page size and node a command works on; both must exist on this machine. */
static int pick_target(const struct hp_state *s, const struct hp_opts *o, unsigned long long *size)
{
	char sz[16], def[16];
	int i;

	*size = o->pagesize ? o->pagesize : s->defsize;
	for (i = 0; i < s->nsizes && s->sizes[i] != *size; i++)
		;
	if (i == s->nsizes) {
		fprintf(stderr,
			"px-hugepages: %s pages are not supported here (no %s/kernel/mm/"
			"hugepages/hugepages-%llukB); for 1G pages the CPU needs pdpe1gb; "
			"try `--pagesize %s` (`px-hugepages --show` lists the sizes)\n",
			fmt_size(*size, sz, sizeof(sz)), roots.sys, *size >> 10,
			fmt_size(s->defsize, def, sizeof(def)));
		return HP_ENOSIZE;
	}
	for (i = 0; o->node >= 0 && i < s->nnodes && s->nodes[i] != o->node; i++)
		;
	if (o->node >= 0 && i == s->nnodes) {
		fprintf(stderr,
			"px-hugepages: no NUMA node %ld here (%d node%s with huge pages); "
			"`px-hugepages --show` lists them\n",
			o->node, s->nnodes, s->nnodes == 1 ? "" : "s");
		return HP_ENONODE;
	}
	return HP_OK;
}

static int write_pages(long node, unsigned long long size, unsigned long pages)
{
	char path[PATH_MAX], val[32];
	int ret;

	snprintf(val, sizeof(val), "%lu", pages);
	ret = size_path(path, sizeof(path), node, size, "nr_hugepages");
	if (!ret)
		ret = write_str(path, val);
	if (ret)
		fprintf(stderr, "px-hugepages: writing %s to %s failed: %s%s\n", val, path,
			strerror(-ret),
			ret == -EACCES || ret == -EPERM ? "; run as root (sudo)" : "");
	return ret ? HP_EWRITE : HP_OK;
}

static const char *where(long node, char *buf, size_t len)
{
	if (node < 0)
		snprintf(buf, len, "all nodes");
	else
		snprintf(buf, len, "node %ld", node);
	return buf;
}

/* Sets one size's pool to the pages that cover `bytes`, and tells what the kernel gave. */
static int setup_size(const struct hp_opts *o, unsigned long long size, unsigned long long bytes)
{
	unsigned long pages = (bytes + size - 1) / size, got = 0;
	char sz[16], b1[16], b2[16], node[32];
	int ret;

	ret = write_pages(o->node, size, pages);
	if (ret || roots.dry_run)
		return ret;
	if (read_count(o->node, size, "nr_hugepages", &got))
		return HP_EWRITE;
	fmt_size(size, sz, sizeof(sz));
	where(o->node, node, sizeof(node));
	printf("%s pages on %s: asked for %lu (%s), the kernel gave %lu (%s)\n", sz, node, pages,
	       fmt_size(pages * size, b1, sizeof(b1)), got, fmt_size(got * size, b2, sizeof(b2)));
	if (got >= pages)
		return HP_OK;
	fprintf(stderr,
		"px-hugepages: only %lu of %lu %s pages on %s: memory is fragmented or "
		"short; compact it and retry (`echo 3 > /proc/sys/vm/drop_caches; echo 1 > "
		"/proc/sys/vm/compact_memory; px-hugepages --setup %s`), or reserve at boot "
		"(kernel command line `hugepagesz=%s hugepages=%lu`)\n",
		got, pages, sz, node, fmt_size(bytes, b1, sizeof(b1)), sz, pages);
	return HP_EPARTIAL;
}

static int cmd_setup(const struct hp_opts *o, unsigned long long bytes)
{
	struct hp_state *s = calloc(1, sizeof(*s));
	unsigned long long size;
	int ret;

	if (!s)
		return HP_EINTERNAL;
	ret = state_read(s);
	if (!ret)
		ret = pick_target(s, o, &size);
	if (!ret)
		ret = setup_size(o, size, bytes);
	free(s);
	return ret;
}

/* Releases every size (or --pagesize); pages a running application holds stay. */
static int cmd_clear(const struct hp_opts *o)
{
	struct hp_state *s = calloc(1, sizeof(*s));
	unsigned long long size;
	unsigned long left;
	char sz[16], node[32];
	int i, ret;

	if (!s)
		return HP_EINTERNAL;
	ret = state_read(s);
	if (!ret)
		ret = pick_target(s, o, &size);
	for (i = 0; !ret && i < s->nsizes; i++) {
		if (o->pagesize && s->sizes[i] != o->pagesize)
			continue;
		ret = write_pages(o->node, s->sizes[i], 0);
		if (ret || roots.dry_run || read_count(o->node, s->sizes[i], "nr_hugepages", &left))
			continue;
		fmt_size(s->sizes[i], sz, sizeof(sz));
		printf("%s pages on %s: %lu left\n", sz, where(o->node, node, sizeof(node)), left);
		if (!left)
			continue;
		fprintf(stderr,
			"px-hugepages: %lu %s pages are still in use; stop the application "
			"holding them (`grep -l huge /proc/*/maps`) and run --clear again\n",
			left, sz);
		ret = HP_EBUSY;
	}
	free(s);
	return ret;
}

/* Is DIR already a mount point (for hugetlbfs of this size, or something else)? */
static int check_mounted(const struct hp_state *s, const char *dir, unsigned long long size)
{
	char sz[16], want[16];
	int i;

	for (i = 0; i < s->nmounts; i++) {
		if (strcmp(s->mounts[i].path, dir) != 0)
			continue;
		if (s->mounts[i].pagesize == size) {
			printf("%s: hugetlbfs for %s pages is already mounted there\n", dir,
			       fmt_size(size, sz, sizeof(sz)));
			return 1;
		}
		fprintf(stderr,
			"px-hugepages: %s already has hugetlbfs for %s pages, not %s; "
			"unmount it first (`umount %s`) or pick another directory\n",
			dir, fmt_size(s->mounts[i].pagesize, sz, sizeof(sz)),
			fmt_size(size, want, sizeof(want)), dir);
		return -1;
	}
	return 0;
}

static int cmd_mount(const struct hp_opts *o, const char *dir)
{
	struct hp_state *s = calloc(1, sizeof(*s));
	char sz[16], opts[32];
	unsigned long long size;
	int ret, err = 0;

	if (!s)
		return HP_EINTERNAL;
	ret = state_read(s);
	if (!ret)
		ret = pick_target(s, o, &size);
	if (!ret && (err = check_mounted(s, dir, size)))
		ret = err > 0 ? HP_OK : HP_EMOUNT;
	if (ret || err)
		goto out;
	snprintf(opts, sizeof(opts), "pagesize=%s", fmt_size(size, sz, sizeof(sz)));
	/* A fake tree has no kernel behind it: mounting there would touch the real host. */
	if (roots.dry_run || roots.fake) {
		printf("%s: mkdir -p %s && mount -t hugetlbfs -o %s nodev %s\n",
		       roots.dry_run ? "dry-run" : "fake procfs/sysfs: would run", dir, opts, dir);
		goto out;
	}
	err = mkdir_p(dir);
	if (!err && mount("nodev", dir, "hugetlbfs", 0, opts))
		err = -errno;
	if (err) {
		fprintf(stderr, "px-hugepages: mounting hugetlbfs (%s) on %s failed: %s%s\n", opts,
			dir, strerror(-err), err == -EPERM ? "; run as root (sudo)" : "");
		ret = HP_EMOUNT;
	} else {
		printf("%s: hugetlbfs mounted for %s pages; use it with --huge-dir=%s\n", dir, sz,
		       dir);
	}
out:
	free(s);
	return ret;
}

enum cmd { CMD_NONE, CMD_SHOW, CMD_SETUP, CMD_CLEAR, CMD_MOUNT };

enum opt_id { OPT_JSON = 256, OPT_SETUP, OPT_CLEAR, OPT_MOUNT };

static const struct option long_opts[] = {
	{"show", no_argument, NULL, 's'},
	{"node", required_argument, NULL, 'n'},
	{"pagesize", required_argument, NULL, 'p'},
	{"help", no_argument, NULL, 'h'},
	{"json", no_argument, NULL, OPT_JSON},
	{"setup", required_argument, NULL, OPT_SETUP},
	{"clear", no_argument, NULL, OPT_CLEAR},
	{"mount", required_argument, NULL, OPT_MOUNT},
	{"dry-run", no_argument, NULL, OPT_DRY_RUN},
	{"sysfs-root", required_argument, NULL, OPT_SYSFS_ROOT},
	{"procfs-root", required_argument, NULL, OPT_PROCFS_ROOT},
	{NULL, 0, NULL, 0},
};

struct cmdline {
	enum cmd cmd;
	const char *arg; /* --setup SIZE, --mount DIR */
	struct hp_opts o;
};

static int set_cmd(struct cmdline *c, enum cmd cmd, const char *arg)
{
	if (c->cmd != CMD_NONE) {
		fprintf(stderr, "px-hugepages: give one of --show, --setup, --clear, --mount\n");
		return -1;
	}
	c->cmd = cmd;
	c->arg = arg;
	return 0;
}

static int parse_opt(int opt, const char *arg, struct cmdline *c)
{
	char *end;

	switch (opt) {
	case 's':
		return set_cmd(c, CMD_SHOW, NULL);
	case OPT_SETUP:
		return set_cmd(c, CMD_SETUP, arg);
	case OPT_CLEAR:
		return set_cmd(c, CMD_CLEAR, NULL);
	case OPT_MOUNT:
		return set_cmd(c, CMD_MOUNT, arg);
	case OPT_JSON:
		c->o.json = true;
		return 0;
	case 'n':
		c->o.node = strtol(arg, &end, 10);
		if (*arg && !*end && c->o.node >= 0)
			return 0;
		fprintf(stderr, "px-hugepages: --node takes a node number, e.g. --node 0\n");
		return -1;
	case 'p':
		if (!parse_size(arg, &c->o.pagesize) && c->o.pagesize >= 4096)
			return 0;
		fprintf(stderr, "px-hugepages: --pagesize takes a size such as 2M or 1G\n");
		return -1;
	default:
		return roots_opt(opt, arg) ? -1 : 0;
	}
}

static int check_cmdline(const struct cmdline *c, unsigned long long *bytes)
{
	if (c->cmd == CMD_NONE) {
		fprintf(stderr,
			"px-hugepages: nothing to do; try `px-hugepages --show` or --help\n");
		return -1;
	}
	if (c->cmd == CMD_SETUP && (parse_size(c->arg, bytes) || !*bytes)) {
		fprintf(stderr, "px-hugepages: --setup takes a size such as 512M or 2G, not '%s'\n",
			c->arg);
		return -1;
	}
	if (c->cmd == CMD_MOUNT && c->arg[0] != '/') {
		fprintf(stderr, "px-hugepages: --mount takes an absolute directory, e.g. "
				"/dev/hugepages\n");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cmdline c = {.o.node = -1};
	unsigned long long bytes = 0;
	int opt;

	while ((opt = getopt_long(argc, argv, "sn:p:h", long_opts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return HP_OK;
		}
		if (parse_opt(opt, optarg, &c))
			return HP_EUSAGE;
	}
	if (optind < argc) {
		fprintf(stderr, "px-hugepages: unexpected argument '%s'\n", argv[optind]);
		return HP_EUSAGE;
	}
	if (check_cmdline(&c, &bytes))
		return HP_EUSAGE;
	switch (c.cmd) {
	case CMD_SHOW:
		return cmd_show(&c.o);
	case CMD_SETUP:
		return cmd_setup(&c.o, bytes);
	case CMD_CLEAR:
		return cmd_clear(&c.o);
	case CMD_MOUNT:
		return cmd_mount(&c.o, c.arg);
	default:
		return HP_EUSAGE;
	}
}
