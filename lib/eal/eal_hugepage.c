/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hugepages: discovery (sysfs, /proc/mounts) and the mapping of one segment.
 *
 * A segment is one memfd_create(MFD_HUGETLB) — the kernel frees its pages when the last reference
 * goes, so a crash leaves no stale hugetlbfs file — or, with --huge-dir, one file in that mount,
 * unlinked as soon as it is mapped for the same reason. The mapping is bound to its NUMA node with
 * mbind() before anything touches it, populated in one call, and each page's node is checked.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <px_config.h>
#if PX_HAVE_NUMA
#include <numa.h>
#include <numaif.h>
#endif

#include "eal_mem.h"

#ifndef MFD_HUGETLB
#define MFD_HUGETLB 0x0004U
#endif
#ifndef MFD_HUGE_SHIFT
#define MFD_HUGE_SHIFT 26
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#define HUGETLBFS_MAGIC_ 0x958458f6

#define SYS_HP "/sys/kernel/mm/hugepages"
#define SYS_NODE "/sys/devices/system/node"

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static long hp_count(size_t page_sz, int node, const char *what)
{
	char path[256];

	if (node < 0)
		snprintf(path, sizeof(path), SYS_HP "/hugepages-%zukB/%s", page_sz >> 10, what);
	else
		snprintf(path, sizeof(path), SYS_NODE "/node%d/hugepages/hugepages-%zukB/%s", node,
			 page_sz >> 10, what);
	return read_long(path);
}

long hp_free_pages(size_t page_sz, int node)
{
	return hp_count(page_sz, node, "free_hugepages");
}

bool hp_numa_on(void)
{
#if PX_HAVE_NUMA
	return numa_available() >= 0;
#else
	return false;
#endif
}

static unsigned int numa_nodes(void)
{
#if PX_HAVE_NUMA
	if (hp_numa_on())
		return PX_MIN((unsigned int)numa_max_node() + 1, PX_MAX_NUMA_NODES);
#endif
	return 1;
}

int px_hugepage_info_get(struct px_hugepage_info *info, unsigned int n)
{
	DIR *d = opendir(SYS_HP);
	unsigned int count = 0, nodes = numa_nodes();
	struct dirent *e;

	if (d == NULL)
		return -errno;
	while ((e = readdir(d)) != NULL) {
		unsigned long kb;

		if (sscanf(e->d_name, "hugepages-%lukB", &kb) != 1)
			continue;
		for (int node = nodes > 1 ? 0 : -1; node < (int)nodes; node++) {
			long total = hp_count(kb << 10, node, "nr_hugepages");

			if (total < 0 && node >= 0)
				continue;
			if (count < n)
				info[count] = (struct px_hugepage_info){
					kb << 10, node, (unsigned long)PX_MAX(total, 0),
					(unsigned long)PX_MAX(hp_free_pages(kb << 10, node), 0)};
			count++;
			if (node < 0)
				break;
		}
	}
	closedir(d);
	return (int)count;
}

static size_t default_page_sz(void)
{
	char line[128];
	unsigned long kb = 2048;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Hugepagesize: %lu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb << 10;
}

static size_t parse_pagesize_opt(const char *opts)
{
	const char *p = strstr(opts, "pagesize=");
	char *end;
	unsigned long v;

	if (p == NULL)
		return default_page_sz();
	v = strtoul(p + 9, &end, 10);
	switch (*end) {
	case 'G':
		return (size_t)v << 30;
	case 'M':
		return (size_t)v << 20;
	case 'K':
		return (size_t)v << 10;
	}
	return v;
}

int px_hugetlbfs_mount(size_t page_sz, char *path, size_t pathsz)
{
	char dev[256], dir[512], type[64], opts[512];
	FILE *f = fopen("/proc/mounts", "r");
	int ret = -ENOENT;

	if (f == NULL)
		return -errno;
	while (ret == -ENOENT &&
	       fscanf(f, "%255s %511s %63s %511s %*d %*d", dev, dir, type, opts) == 4) {
		if (strcmp(type, "hugetlbfs") != 0)
			continue;
		if (page_sz && parse_pagesize_opt(opts) != page_sz)
			continue;
		ret = snprintf(path, pathsz, "%s", dir) >= (int)pathsz ? -ENAMETOOLONG : 0;
	}
	fclose(f);
	return ret;
}

/* The command that reserves @pages more pages of @page_sz on @node. */
static void remedy(char *buf, size_t n, size_t page_sz, int node, long pages)
{
	long nr = hp_count(page_sz, node, "nr_hugepages");

	if (numa_nodes() > 1)
		snprintf(buf, n,
			 "echo %ld > " SYS_NODE "/node%d/hugepages/hugepages-%zukB/nr_hugepages",
			 PX_MAX(nr, 0) + pages, node, page_sz >> 10);
	else
		snprintf(buf, n, "echo %ld > " SYS_HP "/hugepages-%zukB/nr_hugepages",
			 PX_MAX(hp_count(page_sz, -1, "nr_hugepages"), 0) + pages, page_sz >> 10);
}

static void log_no_pages(size_t page_sz, int node, size_t need)
{
	char fix[256];
	long pages = (long)((need + page_sz - 1) / page_sz);
	long nfree = PX_MAX(hp_free_pages(page_sz, numa_nodes() > 1 ? node : -1), 0L);

	if (nfree >= pages) { /* the pages exist: something narrower refused them */
		MEM_LOG(WARNING,
			"%ld free %zu kB hugepages but %ld refused: check the size= of the --huge-dir mount and the hugetlb cgroup limit",
			nfree, page_sz >> 10, pages);
		return;
	}
	remedy(fix, sizeof(fix), page_sz, node, PX_MAX(pages, 512L * (2 << 20) / (long)page_sz));
	MEM_LOG(WARNING,
		"not enough free %zu %s hugepages on socket %d (need %ld, %ld free): run `%s` as root, or `px-hugepages --setup 1G`",
		page_sz >= (1UL << 30) ? page_sz >> 30 : page_sz >> 20,
		page_sz >= (1UL << 30) ? "GiB" : "MiB", node, pages, nfree, fix);
}

static int discover_dir(struct eal_mem *m, const char *dir)
{
	struct statfs st;

	if (statfs(dir, &st) < 0 || (unsigned long)st.f_type != HUGETLBFS_MAGIC_) {
		MEM_LOG(ERR, "--huge-dir %s is not a hugetlbfs mount: mount -t hugetlbfs nodev %s",
			dir, dir);
		return -EINVAL;
	}
	for (unsigned int s = 0; s < m->nsockets; s++)
		m->page_sz[s] = (size_t)st.f_bsize;
	return 0;
}

/* Pick, per socket, the default hugepage size if the node has any, else another size. */
static void discover_sizes(struct eal_mem *m)
{
	struct px_hugepage_info info[64];
	int n = px_hugepage_info_get(info, PX_DIM(info));
	size_t def = default_page_sz();

	for (unsigned int s = 0; s < m->nsockets; s++) {
		m->page_sz[s] = 0;
		for (int i = 0; i < PX_MIN(n, (int)PX_DIM(info)); i++) {
			if (info[i].total == 0 || (info[i].node >= 0 && info[i].node != (int)s))
				continue;
			if (m->page_sz[s] == 0 || info[i].page_sz == def)
				m->page_sz[s] = info[i].page_sz;
		}
	}
}

int hp_discover(struct eal_mem *m, const struct eal_cfg *cfg)
{
	char fix[256];

	memset(m->page_sz, 0, sizeof(m->page_sz));
	if (cfg->no_huge) {
		m->nsockets = 1;
		m->page_sz[0] = (size_t)sysconf(_SC_PAGESIZE);
		return 0;
	}
	m->nsockets = numa_nodes();
	if (cfg->huge_dir)
		return discover_dir(m, cfg->huge_dir);
	discover_sizes(m);
	for (unsigned int s = 0; s < m->nsockets; s++)
		if (m->page_sz[s])
			return 0;
	remedy(fix, sizeof(fix), default_page_sz(), 0, 512L * (2 << 20) / (long)default_page_sz());
	MEM_LOG(ERR,
		"no hugepages reserved (%zu kB pages, node 0): run `%s` as root, or `px-hugepages --setup 1G`; --no-huge runs without (tests only, no DMA)",
		default_page_sz() >> 10, fix);
	return -ENOMEM;
}

static int seg_open(struct eal_mem *m, struct eal_seg *seg)
{
	static unsigned int seq;
	char path[600];
	int fd;

	if (m->huge_dir == NULL) {
		fd = memfd_create("pollux", MFD_CLOEXEC | MFD_HUGETLB |
						    ((unsigned int)__builtin_ctzl(seg->page_sz)
						     << MFD_HUGE_SHIFT));
		return fd < 0 ? -errno : fd;
	}
	snprintf(path, sizeof(path), "%s/%smap_%d_%u", m->huge_dir, px_eal_file_prefix(),
		 (int)getpid(), seq++);
	fd = open(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	/* the open fd and the mapping keep the pages; the name is not needed */
	unlink(path);
	return fd;
}

#if PX_HAVE_NUMA
static int seg_bind(struct eal_seg *seg)
{
	unsigned long mask[PX_MAX_NUMA_NODES / (8 * sizeof(long)) + 1] = {0};

	if (!hp_numa_on())
		return 0;
	mask[seg->socket / (8 * sizeof(long))] |= 1UL << (seg->socket % (8 * sizeof(long)));
	if (mbind((void *)seg->va, seg->len, MPOL_BIND, mask, PX_MAX_NUMA_NODES + 1, 0) < 0) {
		MEM_LOG(ERR, "mbind of segment to socket %d: %s", seg->socket, strerror(errno));
		return -errno;
	}
	return 0;
}

/* Every page must be on the segment's node: a page elsewhere would make DMA cross sockets. */
static int seg_verify_node(struct eal_seg *seg)
{
	if (!hp_numa_on())
		return 0;
	for (size_t off = 0; off < seg->len; off += seg->page_sz) {
		int node = -1;

		if (get_mempolicy(&node, NULL, 0, (void *)(seg->va + off),
				  MPOL_F_NODE | MPOL_F_ADDR) < 0)
			return -errno;
		if (node != seg->socket) {
			MEM_LOG(ERR, "page %#lx is on node %d, not on socket %d as bound",
				(unsigned long)(seg->va + off), node, seg->socket);
			return -EFAULT;
		}
	}
	return 0;
}
#else
static int seg_bind(struct eal_seg *seg)
{
	(void)seg;
	return 0;
}

static int seg_verify_node(struct eal_seg *seg)
{
	(void)seg;
	return 0;
}
#endif

/* Fault in [off, off+len) of @seg: MADV_POPULATE_WRITE (5.14+), else through the file (the pages
 * then follow the task's policy, so bind the task too). */
static int populate_range(struct eal_seg *seg, size_t off, size_t len)
{
	int ret;

	if (madvise((void *)(seg->va + off), len, MADV_POPULATE_WRITE) == 0)
		return 0;
	if (errno != EINVAL)
		return -errno;
#if PX_HAVE_NUMA
	if (hp_numa_on()) {
		struct bitmask *bm = numa_allocate_nodemask();

		numa_bitmask_setbit(bm, (unsigned int)seg->socket);
		numa_set_membind(bm);
		ret = fallocate(seg->fd, 0, (off_t)off, (off_t)len) < 0 ? -errno : 0;
		numa_set_localalloc();
		numa_free_nodemask(bm);
		return ret;
	}
#endif
	ret = fallocate(seg->fd, 0, (off_t)off, (off_t)len) < 0 ? -errno : 0;
	return ret;
}

#define POP_MAX_THREADS 16
#define POP_MIN_CHUNK (64UL << 20)

struct pop_job {
	pthread_t tid;
	struct eal_seg *seg;
	size_t off, len;
	int ret;
};

static void *pop_thread(void *arg)
{
	struct pop_job *j = arg;

	j->ret = populate_range(j->seg, j->off, j->len);
	return NULL;
}

static unsigned int pop_threads(size_t len)
{
	cpu_set_t set;
	unsigned int n = 1;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = (unsigned int)CPU_COUNT(&set);
	return PX_MAX(1u, PX_MIN(PX_MIN(n, POP_MAX_THREADS), (unsigned int)(len / POP_MIN_CHUNK)));
}

/*
 * Fault every page in now, so running out shows as an error here and not as SIGBUS later. The
 * kernel zeroes each page as it faults it in, which is most of the cost of a large reservation:
 * split it over the CPUs we may run on (the lcores are not started yet, so they are idle).
 */
static int seg_populate(struct eal_seg *seg)
{
	struct pop_job job[POP_MAX_THREADS];
	unsigned int n = pop_threads(seg->len), started = 1;
	size_t chunk = PX_ALIGN_CEIL(seg->len / n, seg->page_sz);
	int ret = 0;

	for (unsigned int i = 0; i < n; i++) {
		size_t off = PX_MIN(i * chunk, seg->len);

		job[i] = (struct pop_job){
			.seg = seg, .off = off, .len = PX_MIN(chunk, seg->len - off)};
	}
	for (unsigned int i = 1; i < n && job[i].len; i++, started++)
		if (pthread_create(&job[i].tid, NULL, pop_thread, &job[i]) != 0)
			break;
	pop_thread(&job[0]);
	for (unsigned int i = started; i < n; i++) /* threads that did not start: do it here */
		pop_thread(&job[i]);
	for (unsigned int i = 0; i < n; i++) {
		if (i > 0 && i < started)
			pthread_join(job[i].tid, NULL);
		if (ret == 0 && job[i].len)
			ret = job[i].ret;
	}
	return ret;
}

#define LOG_PA_PRIV()                                                                         \
	MEM_LOG(ERR, "--iova-mode=pa: /proc/self/pagemap gives physical addresses only with " \
		     "CAP_SYS_ADMIN: run as root, or use --iova-mode=va with an IOMMU (vfio-pci)")

/* pa mode: the physical address of the segment, which must be physically contiguous. */
static int seg_pa(struct eal_seg *seg)
{
	long psz = sysconf(_SC_PAGESIZE);
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0) {
		ret = -errno;
		MEM_LOG(ERR, "--iova-mode=pa: cannot open /proc/self/pagemap: %s", strerror(-ret));
		LOG_PA_PRIV();
		return ret;
	}
	for (size_t off = 0; off < seg->len && ret == 0; off += seg->page_sz) {
		uint64_t ent = 0, pa;

		if (pread(fd, &ent, 8, (off_t)((seg->va + off) / (size_t)psz * 8)) != 8)
			ret = -EIO;
		pa = (ent & ((1ULL << 55) - 1)) * (uint64_t)psz;
		if (ret == 0 && (!(ent >> 63) || pa == 0)) {
			LOG_PA_PRIV();
			ret = -EPERM;
		} else if (ret == 0 && off == 0) {
			seg->iova = pa;
		} else if (ret == 0 && pa != seg->iova + off) {
			ret = -ENOMEM; /* not contiguous: cannot be one segment */
		}
	}
	close(fd);
	return ret;
}

static int map_anon(struct eal_seg *seg, int prot)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE;

	if (mmap((void *)seg->va, seg->len, prot, flags, -1, 0) == MAP_FAILED)
		return -errno;
	return 0;
}

static int map_huge(struct eal_mem *m, struct eal_seg *seg)
{
	int ret;

	if (ftruncate(seg->fd, (off_t)seg->len) < 0)
		return -errno;
	if (mmap((void *)seg->va, seg->len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, seg->fd,
		 0) == MAP_FAILED) {
		ret = -errno;
		if (ret == -ENOMEM)
			log_no_pages(seg->page_sz, seg->socket, seg->len);
		return ret;
	}
	ret = seg_bind(seg);
	if (ret == 0)
		ret = seg_populate(seg);
	if (ret == -ENOMEM || ret == -EFAULT || ret == -ENOSPC) {
		log_no_pages(seg->page_sz, seg->socket, seg->len);
		ret = -ENOMEM;
	}
	if (ret == 0)
		ret = seg_verify_node(seg);
	if (ret == 0 && m->iova_mode == PX_IOVA_PA)
		ret = seg_pa(seg);
	return ret;
}

int hp_map(struct eal_mem *m, struct eal_seg *seg)
{
	int ret;

	if (m->no_huge)
		return map_anon(seg, PROT_READ | PROT_WRITE);
	ret = seg_open(m, seg);
	if (ret < 0) {
		MEM_LOG(ERR, "cannot create a %zu kB hugepage file: %s", seg->page_sz >> 10,
			strerror(-ret));
		return ret;
	}
	seg->fd = ret;
	ret = map_huge(m, seg);
	if (ret < 0)
		hp_unmap(m, seg);
	return ret;
}

void hp_unmap(struct eal_mem *m, struct eal_seg *seg)
{
	(void)m;
	/* put the arena's PROT_NONE reservation back over the range; this drops the pages */
	if (map_anon(seg, PROT_NONE) < 0)
		munmap((void *)seg->va, seg->len);
	if (seg->fd >= 0)
		close(seg->fd);
	seg->fd = -1;
}

static bool cap_ipc_lock(void)
{
	char line[256];
	unsigned long long eff = 0;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	if (f)
		fclose(f);
	return eff & (1ULL << 14); /* CAP_IPC_LOCK */
}

int hp_check_memlock(uint64_t bytes)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= bytes || cap_ipc_lock())
		return 0;
	MEM_LOG(WARNING,
		"RLIMIT_MEMLOCK is %lu KiB, below the %lu MiB that VFIO must pin for DMA: raise it with `ulimit -l unlimited` (or LimitMEMLOCK=infinity in a systemd unit, memlock in /etc/security/limits.conf)",
		(unsigned long)(rl.rlim_cur >> 10), (unsigned long)(bytes >> 20));
	return -ENOMEM;
}
