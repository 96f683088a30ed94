/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL memory on hugepages: segments of 2 MiB pages, NUMA placement page by page, IOVA = PA in
 * pa mode, --huge-dir, real exhaustion (a hugetlbfs mount with a size limit), and the release of
 * every page at cleanup. Skipped (77) where the host has no free 2 MiB hugepages.
 */
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <px_config.h>
#include <px_eal.h>
#include <px_malloc.h>
#include <px_memory.h>
#include <px_memzone.h>
#if PX_HAVE_NUMA
#include <numa.h>
#include <numaif.h>
#endif

#include "px_test.h"
#include "memory_cases.h"

#define HP2M "/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages"

static long free_2m(void)
{
	long v = -1;
	FILE *f = fopen(HP2M, "r");

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* Skip unless @pages free 2 MiB hugepages exist. */
#define NEED_HUGE(pages)                                                                       \
	do {                                                                                   \
		long _f = free_2m();                                                           \
		if (_f < (pages))                                                              \
			PX_TEST_SKIP("needs %d free 2 MiB hugepages, %ld free (as root: echo " \
				     "256 > /proc/sys/vm/nr_hugepages)",                       \
				     (int)(pages), _f);                                        \
	} while (0)

/* This process's hugetlb pages, in kB (/proc/self/status HugetlbPages), or -1. */
static long my_hugetlb_kb(void)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "HugetlbPages: %ld kB", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

static int seg_2m(const struct px_memseg *ms, void *arg)
{
	(void)arg;
	if (ms->hugepage_sz != (2u << 20) || ms->len % (2u << 20) ||
	    ms->iova != (uintptr_t)ms->addr)
		return -1;
	return 0;
}

static int huge_segments_body(void)
{
	void *p = px_malloc("t", 5u << 20, 0);
	const struct px_memzone *mz;

	PX_TEST_ASSERT(p != NULL, "5 MiB block: %s", strerror(errno));
	PX_TEST_ASSERT_EQ(px_memseg_walk(seg_2m, NULL), 0, "segments of 2 MiB pages, IOVA = VA");
	PX_TEST_ASSERT(my_hugetlb_kb() >= 32 * 1024, "hugetlb pages held: %ld kB", my_hugetlb_kb());
	PX_TEST_ASSERT(px_mem_virt2iova(p) == (uintptr_t)p, "IOVA = VA in va mode");
	mz = px_memzone_reserve("ring", 16384, -1, PX_MEMZONE_F_DMA, 4096, 65536);
	PX_TEST_ASSERT(mz && mz->iova == (uintptr_t)mz->addr && mz->hugepage_sz == (2u << 20),
		       "DMA zone on hugepages");
	px_free(p);
	return PX_TEST_OK;
}

/* Segments of 2 MiB pages; every page released at cleanup, no file left. */
static int mem_huge_segments(void)
{
	long before;
	int ret;

	NEED_HUGE(40);
	before = free_2m();
	ret = test_mem_run("-l 0 -m 32", huge_segments_body);
	PX_TEST_ASSERT_EQ(my_hugetlb_kb(), 0, "no hugetlb page held after cleanup");
	/* HugePages_Free is global: other tests may hold pages for a moment; wait for them */
	for (int i = 0; i < 50 && free_2m() < before; i++)
		usleep(100000);
	PX_TEST_ASSERT(free_2m() >= before, "HugePages_Free back: %ld, was %ld", free_2m(), before);
	return ret;
}
PX_TEST(mem_huge_segments_autotest, PX_TEST_F_HUGE, mem_huge_segments)

static int mem_huge_random(void)
{
	NEED_HUGE(64);
	return test_mem_run("-l 0", test_mem_random);
}
PX_TEST(mem_huge_random_autotest, PX_TEST_F_HUGE, mem_huge_random)

static int mem_huge_bad_free(void)
{
	NEED_HUGE(4);
	return test_mem_run("-l 0", test_mem_bad_free);
}
PX_TEST(mem_huge_bad_free_autotest, PX_TEST_F_HUGE, mem_huge_bad_free)

static int mem_huge_memzone(void)
{
	NEED_HUGE(16);
	return test_mem_run("-l 0", test_mz_rules);
}
PX_TEST(mem_huge_memzone_autotest, PX_TEST_F_HUGE, mem_huge_memzone)

static int mem_huge_events(void)
{
	NEED_HUGE(24);
	return test_mem_run("-l 0 -m 2", test_mem_events);
}
PX_TEST(mem_huge_events_autotest, PX_TEST_F_HUGE, mem_huge_events)

static int mem_huge_exhaust_cap(void)
{
	NEED_HUGE(16);
	return test_mem_run("-l 0", test_mem_exhaust);
}
PX_TEST(mem_huge_exhaust_cap_autotest, PX_TEST_F_HUGE, mem_huge_exhaust_cap)

#if PX_HAVE_NUMA
static int seg_on_node(const struct px_memseg *ms, void *arg)
{
	(*(unsigned int *)arg)++;
	for (size_t off = 0; off < ms->len; off += ms->hugepage_sz) {
		int node = -1;

		if (get_mempolicy(&node, NULL, 0, (char *)ms->addr + off,
				  MPOL_F_NODE | MPOL_F_ADDR) < 0 ||
		    node != ms->socket_id) {
			fprintf(stderr, "page %p: node %d, segment socket %d\n",
				(char *)ms->addr + off, node, ms->socket_id);
			return -1;
		}
	}
	return 0;
}

static int numa_body(void)
{
	unsigned int n = 0;

	PX_TEST_ASSERT_EQ(px_memseg_walk(seg_on_node, &n), 0, "every page on its socket");
	PX_TEST_ASSERT(n >= 1, "segments: %u", n);
	for (int s = 0; s <= numa_max_node() && s < PX_MAX_NUMA_NODES; s++) {
		void *p = px_malloc_socket("numa", 4096, 0, s);
		int node = -1;

		if (p == NULL)
			continue; /* a node without hugepages */
		get_mempolicy(&node, NULL, 0, p, MPOL_F_NODE | MPOL_F_ADDR);
		PX_TEST_ASSERT_EQ(node, s, "px_malloc_socket(%d)", s);
		px_free(p);
	}
	return PX_TEST_OK;
}

static int mem_huge_numa(void)
{
	char args[128] = "-l 0 --socket-mem 8";

	NEED_HUGE(8);
	if (numa_available() < 0)
		PX_TEST_SKIP("libnuma reports no NUMA support on this host");
	return test_mem_run(args, numa_body);
}
#else
static int mem_huge_numa(void)
{
	PX_TEST_SKIP("built without libnuma (PX_NUMA=OFF or libnuma-dev missing)");
}
#endif
PX_TEST(mem_huge_numa_autotest, PX_TEST_F_HUGE, mem_huge_numa)

static uint64_t pagemap_pa(const void *va)
{
	uint64_t ent = 0;
	long psz = sysconf(_SC_PAGESIZE);
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &ent, 8, (off_t)((uintptr_t)va / (size_t)psz * 8)) != 8)
		ent = 0;
	close(fd);
	return (ent & ((1ULL << 55) - 1)) * (uint64_t)psz;
}

static int pa_seg(const struct px_memseg *ms, void *arg)
{
	(*(unsigned int *)arg)++;
	for (size_t off = 0; off < ms->len; off += 4096 * 64) {
		uint64_t pa = pagemap_pa((char *)ms->addr + off);

		if (pa == 0 || pa != ms->iova + off) {
			fprintf(stderr, "%p: pagemap %#lx, iova %#lx\n", (char *)ms->addr + off,
				(unsigned long)pa, (unsigned long)(ms->iova + off));
			return -1;
		}
	}
	return 0;
}

static int pa_body(void)
{
	unsigned int n = 0;
	void *p = px_malloc("pa", 100000, 0);

	PX_TEST_ASSERT(p && px_mem_virt2iova(p) == pagemap_pa(p) + ((uintptr_t)p & 4095),
		       "virt2iova = pagemap");
	PX_TEST_ASSERT_EQ(px_memseg_walk(pa_seg, &n), 0, "IOVA = PA for each segment");
	PX_TEST_ASSERT(n >= 4, "4 MiB in pa mode: a segment per page (%u)", n);
	px_free(p);
	return PX_TEST_OK;
}

static int mem_huge_pa(void)
{
	NEED_HUGE(8);
	if (geteuid() != 0)
		PX_TEST_SKIP("pa mode reads /proc/self/pagemap: needs root");
	return test_mem_run("-l 0 -m 8 --iova-mode=pa", pa_body);
}
PX_TEST(mem_huge_pa_autotest, PX_TEST_F_HUGE, mem_huge_pa)

/* Without privilege, pa mode fails at init with a message that says why. */
static int pa_unpriv_child(void)
{
	const char *out;
	int ret;

	if (setgid(65534) < 0 || setuid(65534) < 0)
		return 3;
	px_test_log_capture_start();
	ret = px_test_eal_init("-l 0 -m 2 --iova-mode=pa");
	out = px_test_log_capture_stop();
	if (ret >= 0)
		return 4;
	return strstr(out, "CAP_SYS_ADMIN") && strstr(out, "--iova-mode=va") ? 0 : 5;
}

static int mem_huge_pa_unpriv(void)
{
	pid_t pid;
	int st;

	NEED_HUGE(2);
	if (geteuid() != 0)
		PX_TEST_SKIP("needs root to drop to an unprivileged user");
	pid = fork();
	if (pid == 0)
		_exit(pa_unpriv_child());
	PX_TEST_ASSERT(pid > 0 && waitpid(pid, &st, 0) == pid, "fork");
	PX_TEST_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", st);
	return PX_TEST_OK;
}
PX_TEST(mem_huge_pa_unpriv_autotest, PX_TEST_F_HUGE, mem_huge_pa_unpriv)

/* Real exhaustion: a private hugetlbfs mount limited to 8 MiB, used with --huge-dir. */
static int dir_exhaust_body(void)
{
	void *p[16];
	int n = 0;

	px_test_log_capture_start();
	while (n < 16 && (p[n] = px_malloc("ex", 1u << 20, 0)) != NULL)
		n++;
	if (strstr(px_test_log_capture_stop(), "size= of the --huge-dir mount") == NULL)
		return 10;
	if (n < 2 || n >= 16 || errno != ENOMEM)
		return 11;
	while (n > 0)
		px_free(p[--n]);
	return px_malloc_validate() == 0 ? 0 : 12;
}

static int dir_count(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n - 2;
}

static int dir_exhaust_child(void)
{
	char dir[] = "/tmp/px-hugedir-XXXXXX", args[128];
	int ret;

	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mkdtemp(dir) == NULL)
		return 2;
	if (mount("nodev", dir, "hugetlbfs", 0, "pagesize=2M,size=8M") < 0)
		return 3;
	snprintf(args, sizeof(args), "-l 0 --huge-dir %s", dir);
	if (px_test_eal_init(args) < 0)
		return 4;
	ret = dir_count(dir) == 0 ? dir_exhaust_body() : 6;
	px_eal_cleanup();
	if (ret == 0 && dir_count(dir) != 0)
		ret = 7;
	umount(dir);
	rmdir(dir);
	return ret;
}

static int mem_huge_dir_exhaust(void)
{
	pid_t pid;
	int st;

	NEED_HUGE(8);
	if (geteuid() != 0)
		PX_TEST_SKIP("mounting a size-limited hugetlbfs needs root");
	pid = fork();
	if (pid == 0)
		_exit(dir_exhaust_child());
	PX_TEST_ASSERT(pid > 0 && waitpid(pid, &st, 0) == pid, "fork");
	PX_TEST_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d (exit %d)", st,
		       WEXITSTATUS(st));
	return PX_TEST_OK;
}
PX_TEST(mem_huge_dir_exhaust_autotest, PX_TEST_F_HUGE, mem_huge_dir_exhaust)

/* Discovery agrees with sysfs; a --huge-dir too small for -m fails init with the remedy. */
static int mem_huge_discovery(void)
{
	struct px_hugepage_info info[32];
	int n = px_hugepage_info_get(info, 32), found = 0;
	char path[256];

	NEED_HUGE(1);
	PX_TEST_ASSERT(n > 0, "hugepage sizes: %d", n);
	for (int i = 0; i < n && i < 32; i++) {
		if (info[i].page_sz != (2u << 20))
			continue;
		found = 1;
		PX_TEST_ASSERT(info[i].total >= info[i].free && info[i].total > 0,
			       "2 MiB node %d: %lu total %lu free", info[i].node, info[i].total,
			       info[i].free);
	}
	PX_TEST_ASSERT(found, "2 MiB pages listed");
	n = px_hugetlbfs_mount(2u << 20, path, sizeof(path));
	PX_TEST_ASSERT(n == 0 || n == -ENOENT, "mount lookup: %d", n);
	return PX_TEST_OK;
}
PX_TEST(mem_huge_discovery_autotest, PX_TEST_F_HUGE, mem_huge_discovery)

static int dir_init_fail_child(void)
{
	char dir[] = "/tmp/px-hugedir-XXXXXX", args[128];
	const char *out;
	int ret;

	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mkdtemp(dir) == NULL)
		return 2;
	if (mount("nodev", dir, "hugetlbfs", 0, "pagesize=2M,size=4M") < 0)
		return 3;
	snprintf(args, sizeof(args), "-l 0 -m 16 --huge-dir %s", dir);
	px_test_log_capture_start();
	ret = px_test_eal_init(args);
	out = px_test_log_capture_stop();
	if (ret >= 0)
		px_eal_cleanup();
	umount(dir);
	rmdir(dir);
	if (ret >= 0)
		return 4;
	if (!strstr(out, "2048 kB hugepages") || !strstr(out, "size= of the --huge-dir mount"))
		return 5;
	return 0;
}

static int mem_huge_init_fail(void)
{
	const char *out;
	pid_t pid;
	int st, ret;

	NEED_HUGE(8);
	px_test_log_capture_start();
	ret = px_test_eal_init("-l 0 --huge-dir /tmp");
	out = px_test_log_capture_stop();
	PX_TEST_ASSERT(ret < 0 && strstr(out, "not a hugetlbfs mount"), "--huge-dir /tmp refused");
	if (geteuid() != 0)
		PX_TEST_SKIP("mounting a size-limited hugetlbfs needs root");
	pid = fork();
	if (pid == 0)
		_exit(dir_init_fail_child());
	PX_TEST_ASSERT(pid > 0 && waitpid(pid, &st, 0) == pid, "fork");
	PX_TEST_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child exit %d", WEXITSTATUS(st));
	return PX_TEST_OK;
}
PX_TEST(mem_huge_init_fail_autotest, PX_TEST_F_HUGE, mem_huge_init_fail)

/* An unprivileged user with a small RLIMIT_MEMLOCK is told how to raise it. */
static int memlock_child(void)
{
	struct rlimit rl = {64 << 10, 64 << 10};
	const char *out;
	int ret;

	if (setgid(65534) < 0 || setuid(65534) < 0 || setrlimit(RLIMIT_MEMLOCK, &rl) < 0)
		return 2;
	px_test_log_capture_start();
	ret = px_test_eal_init("-l 0 -m 4");
	out = px_test_log_capture_stop();
	if (ret < 0)
		return 3;
	px_eal_cleanup();
	return strstr(out, "RLIMIT_MEMLOCK") && strstr(out, "ulimit -l unlimited") ? 0 : 4;
}

static int mem_huge_memlock(void)
{
	pid_t pid;
	int st;

	NEED_HUGE(4);
	if (geteuid() != 0)
		PX_TEST_SKIP("needs root to become an unprivileged user");
	pid = fork();
	if (pid == 0)
		_exit(memlock_child());
	PX_TEST_ASSERT(pid > 0 && waitpid(pid, &st, 0) == pid, "fork");
	PX_TEST_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child exit %d", WEXITSTATUS(st));
	return PX_TEST_OK;
}
PX_TEST(mem_huge_memlock_autotest, PX_TEST_F_HUGE, mem_huge_memlock)

/* More than the free pages at init: a hugetlb mmap reserves all or nothing, so this fails at once
 * without taking pages from tests running alongside. The message names the size, the node and
 * the command that fixes it. */
static int mem_huge_no_pages(void)
{
	char args[128];
	const char *out;
	long f = free_2m(), over = -1;
	FILE *fp = fopen("/proc/sys/vm/nr_overcommit_hugepages", "r");
	int ret;

	NEED_HUGE(1);
	if (fp) {
		if (fscanf(fp, "%ld", &over) != 1)
			over = -1;
		fclose(fp);
	}
	if (over != 0)
		PX_TEST_SKIP("nr_overcommit_hugepages is %ld: the kernel would add pages", over);
	snprintf(args, sizeof(args), "-l 0 -m %ld", (f + 64) * 2);
	px_test_log_capture_start();
	ret = px_test_eal_init(args);
	out = px_test_log_capture_stop();
	if (ret >= 0)
		px_eal_cleanup();
	PX_TEST_ASSERT(ret < 0, "init with more than the free hugepages");
	PX_TEST_ASSERT(strstr(out, "2 MiB hugepages on socket 0") &&
			       strstr(out, "hugepages-2048kB/nr_hugepages") &&
			       strstr(out, "px-hugepages --setup 1G"),
		       "remedy in the message");
	PX_TEST_ASSERT_EQ(my_hugetlb_kb(), 0, "nothing held");
	return PX_TEST_OK;
}
PX_TEST(mem_huge_no_pages_autotest, PX_TEST_F_HUGE, mem_huge_no_pages)

/* 1 GiB pages through a private pagesize=1G hugetlbfs mount: a 1 GiB-aligned segment when a page
 * is free, else the error names 1 GiB pages and the sysfs file that reserves them. */
static int seg_1g(const struct px_memseg *ms, void *arg)
{
	(void)arg;
	return ms->hugepage_sz == (1u << 30) && ((uintptr_t)ms->addr & ((1u << 30) - 1)) == 0 ? 0
											      : -1;
}

static int huge_1g_child(long free1g)
{
	char dir[] = "/tmp/px-hugedir-XXXXXX", args[128];
	const char *out;
	int ret;

	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mkdtemp(dir) == NULL)
		return 2;
	if (mount("nodev", dir, "hugetlbfs", 0, "pagesize=1G") < 0)
		return 3;
	snprintf(args, sizeof(args), "-l 0 -m 1024 --huge-dir %s", dir);
	px_test_log_capture_start();
	ret = px_test_eal_init(args);
	out = px_test_log_capture_stop();
	if (ret >= 0) {
		ret = px_memseg_walk(seg_1g, NULL) == 0 && px_malloc("g", 1 << 20, 0) ? 0 : 4;
		px_eal_cleanup();
	} else {
		ret = free1g < 1 && strstr(out, "1 GiB hugepages") &&
				      strstr(out, "hugepages-1048576kB/nr_hugepages")
			      ? 0
			      : 5;
	}
	umount(dir);
	rmdir(dir);
	return ret;
}

static int mem_huge_1g(void)
{
	FILE *f = fopen("/sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages", "r");
	long free1g = -1;
	pid_t pid;
	int st;

	if (f) {
		if (fscanf(f, "%ld", &free1g) != 1)
			free1g = -1;
		fclose(f);
	}
	if (free1g < 0)
		PX_TEST_SKIP("this kernel or CPU has no 1 GiB hugepages");
	if (geteuid() != 0)
		PX_TEST_SKIP("mounting a pagesize=1G hugetlbfs needs root");
	pid = fork();
	if (pid == 0)
		_exit(huge_1g_child(free1g));
	PX_TEST_ASSERT(pid > 0 && waitpid(pid, &st, 0) == pid, "fork");
	PX_TEST_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		       "child exit %d (1 GiB pages free: %ld)", WEXITSTATUS(st), free1g);
	return PX_TEST_OK;
}
PX_TEST(mem_huge_1g_autotest, PX_TEST_F_HUGE, mem_huge_1g)
