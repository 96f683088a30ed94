// SPDX-License-Identifier: BSD-3-Clause
/*
 * px-lab-drmgr - PCI hot plug and unplug in a pseries guest: the part of rtas_errd and
 * `drmgr -c pci` (powerpc-utils) that the lab's busybox guest needs.
 *
 * On pseries QEMU does not unplug a PCI device by itself: device_del only queues a hotplug
 * event (RTAS event type 229, section "HP") and waits until the guest isolates the slot's
 * dynamic-reconfiguration connector (DRC) through RTAS set-indicator. Linux passes PCI hotplug
 * events on to userspace through /proc/powerpc/rtas/error_log (arch/powerpc/platforms/pseries/
 * ras.c: "PCI hotplug is not currently supported on pseries ... handled by rtas_errd"). This
 * daemon reads that log and does for a PCI DRC what drmgr does:
 *   remove: the PCI device of the DRC leaves the kernel (sysfs remove: vfio-pci asks its user
 *           to let go first), set-indicator(isolation-state, DRC, isolate) - QEMU then deletes
 *           the device - and the device's node leaves the device tree (/proc/ppc64/ofdt);
 *   add:    set-indicator(isolation-state, DRC, unisolate), ibm,configure-connector until the
 *           DRC is configured, the node it describes goes into the device tree (/proc/ppc64/ofdt,
 *           which gives the kernel the slot's pci_dn again), then a PCI bus rescan.
 * Only DRCs of a PHB's own slots (no bridges). RTAS from userspace: the rtas syscall with
 * buffers in the kernel's RMO buffer (/proc/powerpc/rtas/rmo_buffer, mapped through /dev/mem),
 * as librtas does.
 *
 * usage: px-lab-drmgr       (the daemon; the lab's init starts it on ppc64le)
 * Every action is one line on stdout: "px-lab-drmgr: ...".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#if defined(__powerpc64__) && defined(__NR_rtas)

#define RTAS_ISOLATION_STATE 9001
#define RTAS_ISOLATE 0
#define RTAS_UNISOLATE 1
#define RTAS_TYPE_HOTPLUG 229
#define HP_SECTION_ID 0x4850 /* "HP" */
#define HP_RESOURCE_PCI 5
#define HP_ACTION_ADD 1
#define HP_ACTION_REMOVE 2
#define HP_ID_DRC_INDEX 2
#define CC_COMPLETE 0
#define CC_NEXT_SIBLING 1
#define CC_NEXT_CHILD 2
#define CC_NEXT_PROPERTY 3
#define CC_PREV_PARENT 4
#define CC_WORK_AREA 4096
#define OFDT_MAX (64 * 1024)
#define DT "/proc/device-tree"

/* The rtas syscall's argument block: every word big-endian (arch/powerpc/kernel/rtas.c). */
struct rtas_args {
	uint32_t token, nargs, nret;
	uint32_t args[16];
	uint64_t rets; /* the kernel's own pointer, unused here */
};

static uint32_t rmo_phys;
static uint8_t *rmo;

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("px-lab-drmgr: ");
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The first 4 bytes of a file (a device-tree cell) into @v; -1 when it has fewer. */
static int read_cell(const char *path, uint32_t *v)
{
	uint8_t b[4];
	int fd = open(path, O_RDONLY), n;

	if (fd < 0)
		return -1;
	n = read(fd, b, 4);
	close(fd);
	if (n != 4)
		return -1;
	*v = be32(b);
	return 0;
}

static uint32_t token(const char *name)
{
	char path[128];
	uint32_t t = 0;

	snprintf(path, sizeof(path), DT "/rtas/%s", name);
	if (read_cell(path, &t) < 0)
		say("no RTAS token for %s", name);
	return t;
}

/* One RTAS call; its status, after retrying while RTAS is busy (-2, 990x). */
static int rtas(uint32_t tok, int nargs, ...)
{
	struct rtas_args a;
	va_list ap;
	int32_t st;

	for (;;) {
		memset(&a, 0, sizeof(a));
		a.token = __builtin_bswap32(tok);
		a.nargs = __builtin_bswap32((uint32_t)nargs);
		a.nret = __builtin_bswap32(1);
		va_start(ap, nargs);
		for (int i = 0; i < nargs; i++)
			a.args[i] = __builtin_bswap32(va_arg(ap, uint32_t));
		va_end(ap);
		if (syscall(__NR_rtas, &a) < 0) {
			say("rtas syscall (token %u): %s", tok, strerror(errno));
			return -1;
		}
		st = (int32_t)__builtin_bswap32(a.args[nargs]);
		if (st == -2) {
			usleep(1000);
		} else if (st >= 9900 && st <= 9905) {
			long ms = 1;

			for (int i = 9900; i < st; i++)
				ms *= 10;
			usleep(ms * 1000);
		} else {
			return st;
		}
	}
}

/* Map the kernel's RTAS user buffer, where ibm,configure-connector's work area must lie. */
static int map_rmo(void)
{
	unsigned long addr;
	unsigned int size;
	FILE *f = fopen("/proc/powerpc/rtas/rmo_buffer", "r");
	int fd, n;

	if (f == NULL)
		return -1;
	n = fscanf(f, "%lx %x", &addr, &size);
	fclose(f);
	if (n != 2 || size < CC_WORK_AREA)
		return -1;
	fd = open("/dev/mem", O_RDWR | O_SYNC);
	if (fd < 0)
		return -1;
	rmo = mmap(NULL, CC_WORK_AREA, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)addr);
	close(fd);
	if (rmo == MAP_FAILED) {
		rmo = NULL;
		return -1;
	}
	rmo_phys = (uint32_t)addr;
	return 0;
}

static int ofdt(const char *cmd, size_t len)
{
	int fd = open("/proc/ppc64/ofdt", O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, cmd, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

static int put(const char *path, const char *v)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, v, strlen(v));
	close(fd);
	return n == (ssize_t)strlen(v) ? 0 : -1;
}

/* The PCI device whose device-tree node carries DRC @drc: its address into @addr and its
 * node's path (below /proc/device-tree) into @node. */
static int find_pci_dev(uint32_t drc, char *addr, size_t alen, char *node, size_t nlen)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *e;
	int found = -1;

	if (d == NULL)
		return -1;
	while (found < 0 && (e = readdir(d)) != NULL) {
		char p[512], link[512];
		uint32_t v;
		ssize_t n;
		const char *base;

		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "/sys/bus/pci/devices/%s/of_node/ibm,my-drc-index",
			 e->d_name);
		if (read_cell(p, &v) < 0 || v != drc)
			continue;
		snprintf(p, sizeof(p), "/sys/bus/pci/devices/%s/of_node", e->d_name);
		n = readlink(p, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		base = strstr(link, "devicetree/base/");
		if (base == NULL)
			continue;
		if (snprintf(addr, alen, "%s", e->d_name) < (int)alen &&
		    snprintf(node, nlen, "/%s", base + strlen("devicetree/base/")) < (int)nlen)
			found = 0;
	}
	closedir(d);
	return found;
}

/* The PHB node (a path below /proc/device-tree) whose ibm,drc-indexes lists @drc. */
static int find_phb(uint32_t drc, char *phb, size_t len)
{
	DIR *d = opendir(DT);
	struct dirent *e;
	int found = -1;

	if (d == NULL)
		return -1;
	while (found < 0 && (e = readdir(d)) != NULL) {
		char p[512];
		uint8_t *buf;
		long n;
		FILE *f;

		if (strncmp(e->d_name, "pci@", 4) != 0)
			continue;
		snprintf(p, sizeof(p), DT "/%s/ibm,drc-indexes", e->d_name);
		f = fopen(p, "r");
		if (f == NULL)
			continue;
		buf = malloc(65536);
		n = buf ? (long)fread(buf, 1, 65536, f) : 0;
		fclose(f);
		for (long i = 1; n >= 4 && i < n / 4 && i <= (long)be32(buf); i++)
			if (be32(buf + 4 * i) == drc) {
				if (snprintf(phb, len, "/%s", e->d_name) < (int)len)
					found = 0;
				break;
			}
		free(buf);
	}
	closedir(d);
	return found;
}

/* The device-tree node (a path below /proc/device-tree) that carries DRC @drc, below its PHB:
 * for a device the kernel has no PCI device for (removed through sysfs before). */
static int find_dt_node(uint32_t drc, char *node, size_t len)
{
	char phb[256], p[600];
	struct dirent *e;
	int found = -1;
	DIR *d;

	if (find_phb(drc, phb, sizeof(phb)) < 0)
		return -1;
	snprintf(p, sizeof(p), DT "%s", phb);
	d = opendir(p);
	if (d == NULL)
		return -1;
	while (found < 0 && (e = readdir(d)) != NULL) {
		uint32_t v;

		snprintf(p, sizeof(p), DT "%s/%s/ibm,my-drc-index", phb, e->d_name);
		if (e->d_name[0] != '.' && read_cell(p, &v) == 0 && v == drc &&
		    snprintf(node, len, "%s/%s", phb, e->d_name) < (int)len)
			found = 0;
	}
	closedir(d);
	return found;
}

static void hp_remove(uint32_t drc)
{
	char addr[64], node[400], p[600];

	if (find_pci_dev(drc, addr, sizeof(addr), node, sizeof(node)) == 0) {
		say("remove: DRC 0x%08x is %s (%s)", drc, addr, node);
		snprintf(p, sizeof(p), "/sys/bus/pci/devices/%s/remove", addr);
		if (put(p, "1") < 0) {
			say("remove: %s: %s", p, strerror(errno));
			return;
		}
	} else if (find_dt_node(drc, node, sizeof(node)) == 0) {
		snprintf(addr, sizeof(addr), "the device");
		say("remove: DRC 0x%08x is %s, no PCI device in the kernel", drc, node);
	} else {
		say("remove: no device on DRC 0x%08x", drc);
		return;
	}
	if (rtas(token("set-indicator"), 3, RTAS_ISOLATION_STATE, drc, RTAS_ISOLATE) != 0) {
		say("remove: set-indicator(isolate) on DRC 0x%08x failed", drc);
		return;
	}
	snprintf(p, sizeof(p), "remove_node %s", node);
	if (ofdt(p, strlen(p)) < 0)
		say("remove: ofdt %s: %s", p, strerror(errno));
	say("remove: DRC 0x%08x isolated, %s gone", drc, addr);
}

/* Append a node's add_node command so far to the device tree; the node becomes @cmd's path. */
static int flush_node(char *cmd, size_t *len)
{
	int ret = 0;

	if (*len > 0) {
		ret = ofdt(cmd, *len);
		if (ret < 0)
			say("add: ofdt add_node %s: %s", cmd + strlen("add_node "),
			    strerror(errno));
	}
	*len = 0;
	return ret;
}

static void hp_add(uint32_t drc)
{
	char phb[256], path[8][300];
	static char cmd[OFDT_MAX];
	uint32_t cc = token("ibm,configure-connector");
	size_t len = 0;
	int depth = 0, st;

	if (find_phb(drc, phb, sizeof(phb)) < 0) {
		say("add: DRC 0x%08x is no PHB slot", drc);
		return;
	}
	if (rmo == NULL && map_rmo() < 0) {
		say("add: cannot map the RTAS buffer: %s", strerror(errno));
		return;
	}
	if (rtas(token("set-indicator"), 3, RTAS_ISOLATION_STATE, drc, RTAS_UNISOLATE) != 0) {
		say("add: set-indicator(unisolate) on DRC 0x%08x failed", drc);
		return;
	}
	snprintf(path[0], sizeof(path[0]), "%s", phb);
	memset(rmo, 0, CC_WORK_AREA);
	rmo[0] = drc >> 24, rmo[1] = drc >> 16, rmo[2] = drc >> 8, rmo[3] = drc;
	do {
		st = rtas(cc, 2, rmo_phys, 0);
		switch (st) {
		case CC_NEXT_CHILD:
		case CC_NEXT_SIBLING: {
			const char *name = (const char *)rmo + be32(rmo + 8);

			if (flush_node(cmd, &len) < 0)
				return;
			if (st == CC_NEXT_SIBLING && depth > 0)
				depth--;
			if (depth + 1 >= 8) {
				say("add: device tree too deep");
				return;
			}
			if (snprintf(path[depth + 1], sizeof(path[0]), "%s/%s", path[depth],
				     name) >= (int)sizeof(path[0])) {
				say("add: node path too long");
				return;
			}
			depth++;
			len = (size_t)snprintf(cmd, sizeof(cmd), "add_node %s", path[depth]);
			break;
		}
		case CC_NEXT_PROPERTY: {
			const char *name = (const char *)rmo + be32(rmo + 8);
			uint32_t plen = be32(rmo + 12);
			const uint8_t *val = rmo + be32(rmo + 16);
			int n;

			if (len == 0 || len + strlen(name) + plen + 16 > sizeof(cmd)) {
				say("add: property %s out of place or too long", name);
				return;
			}
			n = snprintf(cmd + len, sizeof(cmd) - len, " %s %u ", name, plen);
			len += (size_t)n;
			memcpy(cmd + len, val, plen);
			len += plen;
			break;
		}
		case CC_PREV_PARENT:
			if (flush_node(cmd, &len) < 0)
				return;
			if (depth > 0)
				depth--;
			break;
		case CC_COMPLETE:
			if (flush_node(cmd, &len) < 0)
				return;
			break;
		default:
			say("add: ibm,configure-connector on DRC 0x%08x: status %d", drc, st);
			return;
		}
	} while (st != CC_COMPLETE);
	if (put("/sys/bus/pci/rescan", "1") < 0)
		say("add: rescan: %s", strerror(errno));
	say("add: DRC 0x%08x configured under %s, bus rescanned", drc, phb);
}

/* One RTAS event from the error log: act on a PCI hotplug section. */
static void event(const uint8_t *b, size_t n)
{
	const uint8_t *log = b + 4; /* after rtasd's sequence number */
	size_t ext, off;

	if (n < 4 + 8)
		return;
	ext = be32(log + 4);
	say("RTAS event type %u, %zu bytes of extended log", log[3], ext);
	if (log[3] != RTAS_TYPE_HOTPLUG)
		return;
	/* the extended log: a 16-byte header, then sections {id, length, ...} */
	for (off = 8 + 16; off + 12 <= 8 + ext && 4 + off + 12 <= n;) {
		const uint8_t *s = log + off;
		unsigned int id = (unsigned int)s[0] << 8 | s[1],
			     slen = (unsigned int)s[2] << 8 | s[3];

		if (slen < 8)
			break;
		if (id == HP_SECTION_ID && slen >= 16) {
			const uint8_t *hp = s + 8;
			uint32_t drc = be32(hp + 4);

			say("hotplug section: resource %u action %u id type %u DRC 0x%08x", hp[0],
			    hp[1], hp[2], drc);
			if (hp[0] != HP_RESOURCE_PCI)
				return;
			if (hp[2] != HP_ID_DRC_INDEX) {
				say("PCI hotplug event with id type %u: only DRC indexes are handled",
				    hp[2]);
				return;
			}
			if (hp[1] == HP_ACTION_REMOVE)
				hp_remove(drc);
			else if (hp[1] == HP_ACTION_ADD)
				hp_add(drc);
			return;
		}
		off += slen;
	}
}

int main(void)
{
	static uint8_t buf[65536];
	int fd = open("/proc/powerpc/rtas/error_log", O_RDONLY);

	if (fd < 0) {
		say("/proc/powerpc/rtas/error_log: %s", strerror(errno));
		return 1;
	}
	say("waiting for PCI hotplug events");
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			say("read error_log: %s", strerror(errno));
			return 1;
		}
		event(buf, (size_t)n);
	}
}

#else

int main(void)
{
	fprintf(stderr, "px-lab-drmgr: for pseries (ppc64le) guests only\n");
	return 2;
}

#endif
