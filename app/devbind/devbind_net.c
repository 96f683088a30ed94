/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Is a kernel interface in use? "Active" means it has an address or a route: taking its device
 * away would cut a connection (an SSH session on the management NIC is the usual victim).
 *
 * Addresses: getifaddrs() on the real system. With --procfs-root the kernel is not behind the
 * tree, so addresses come from files in it instead: <procfs>/net/if_inet6 (the kernel's own
 * format) and <procfs>/net/if_inet4, a Pollux-only file with lines "IFNAME ADDRESS/PREFIX".
 * Routes: <procfs>/net/route and <procfs>/net/ipv6_route in both modes (the kernel's format).
 * IPv6 link-local addresses and routes do not count: every interface that is up has them.
 */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devbind.h"

static bool proc_is_fake(void)
{
	return strcmp(roots.proc, "/proc") != 0;
}

static bool v6_ignored(const struct in6_addr *a)
{
	return IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_MULTICAST(a) || IN6_IS_ADDR_LOOPBACK(a);
}

static bool addrs_getifaddrs(const char *ifname, char *reason, size_t len)
{
	struct ifaddrs *ifa, *i;
	char buf[INET6_ADDRSTRLEN];
	bool found = false;

	if (getifaddrs(&ifa))
		return false;
	for (i = ifa; i && !found; i = i->ifa_next) {
		if (!i->ifa_addr || strcmp(i->ifa_name, ifname) != 0)
			continue;
		if (i->ifa_addr->sa_family == AF_INET) {
			inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, buf,
				  sizeof(buf));
			found = true;
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			struct in6_addr *a = &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;

			found = !v6_ignored(a);
			inet_ntop(AF_INET6, a, buf, sizeof(buf));
		}
		if (found)
			snprintf(reason, len, "has address %s", buf);
	}
	freeifaddrs(ifa);
	return found;
}

static int hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* 32 hex digits, as /proc/net/if_inet6 and ipv6_route print an address. */
static bool hex_to_in6(const char *hex, struct in6_addr *a)
{
	int hi, lo;
	size_t i;

	if (strlen(hex) != 32)
		return false;
	for (i = 0; i < 16; i++) {
		hi = hex_nibble(hex[2 * i]);
		lo = hex_nibble(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		a->s6_addr[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

static bool parse_hex(const char *s, unsigned long *v)
{
	char *end;

	*v = strtoul(s, &end, 16);
	return end != s && !*end;
}

/* Splits a /proc line into whitespace-separated fields; returns how many (at most max). */
static int fields(char *line, char **f, int max)
{
	char *save = NULL, *tok;
	int n = 0;

	for (tok = strtok_r(line, " \t\n", &save); tok && n < max;
	     tok = strtok_r(NULL, " \t\n", &save))
		f[n++] = tok;
	return n;
}

/* Opens <procfs>/net/<name>; NULL (nothing to report) when it does not exist. */
static FILE *open_proc_net(const char *name)
{
	char path[PATH_MAX];

	if (root_path(path, sizeof(path), roots.proc, "net/%s", name))
		return NULL;
	return fopen(path, "re");
}

/* One line of a /proc/net file, split into fields @p f: true when it shows @p ifname in use,
 * with the reason written. */
typedef bool proc_net_match_t(char **f, const char *ifname, char *reason, size_t len);

#define PROC_NET_FIELDS 10 /* the most a match reads: ipv6_route's dev */

/* Reads <procfs>/net/<name> a line at a time: true at the first line of @p nf or more fields
 * that @p match takes (false when the file does not exist). */
static bool proc_net_find(const char *name, int nf, proc_net_match_t *match, const char *ifname,
			  char *reason, size_t len)
{
	char line[512], *f[PROC_NET_FIELDS];
	bool found = false;
	FILE *fp;

	fp = open_proc_net(name);
	while (fp && !found && fgets(line, sizeof(line), fp))
		found = fields(line, f, nf) == nf && match(f, ifname, reason, len);
	if (fp)
		fclose(fp);
	return found;
}

/* Pollux's fake if_inet4: "IFNAME ADDRESS/PREFIX" */
static bool addr_fake_v4(char **f, const char *ifname, char *reason, size_t len)
{
	if (strcmp(f[0], ifname) != 0)
		return false;
	snprintf(reason, len, "has address %s", f[1]);
	return true;
}

/* if_inet6: address ifindex prefixlen scope flags ifname */
static bool addr_fake_v6(char **f, const char *ifname, char *reason, size_t len)
{
	char buf[INET6_ADDRSTRLEN];
	unsigned long plen;
	struct in6_addr a;

	if (strcmp(f[5], ifname) != 0 || !hex_to_in6(f[0], &a) || !parse_hex(f[2], &plen) ||
	    v6_ignored(&a))
		return false;
	inet_ntop(AF_INET6, &a, buf, sizeof(buf));
	snprintf(reason, len, "has address %s/%lu", buf, plen);
	return true;
}

/* route: Iface Destination Gateway Flags RefCnt Use Metric Mask ...; addresses as stored */
static bool route_v4(char **f, const char *ifname, char *reason, size_t len)
{
	char buf[INET_ADDRSTRLEN];
	unsigned long dst, mask;
	struct in_addr a;

	if (strcmp(f[0], ifname) != 0 || !parse_hex(f[1], &dst) || !parse_hex(f[7], &mask))
		return false;
	a.s_addr = (uint32_t)dst;
	inet_ntop(AF_INET, &a, buf, sizeof(buf));
	snprintf(reason, len, "has route %s/%d", buf, __builtin_popcountl(mask));
	return true;
}

/* ipv6_route: dest plen src slen nexthop metric refcnt use flags dev */
static bool route_v6(char **f, const char *ifname, char *reason, size_t len)
{
	char buf[INET6_ADDRSTRLEN];
	unsigned long plen;
	struct in6_addr a;

	if (strcmp(f[9], ifname) != 0 || !hex_to_in6(f[0], &a) || !parse_hex(f[1], &plen) ||
	    v6_ignored(&a))
		return false;
	inet_ntop(AF_INET6, &a, buf, sizeof(buf));
	snprintf(reason, len, "has route %s/%lu", buf, plen);
	return true;
}

bool if_active(const char *ifname, char *reason, size_t len)
{
	bool addr;

	if (proc_is_fake())
		addr = proc_net_find("if_inet4", 2, addr_fake_v4, ifname, reason, len) ||
		       proc_net_find("if_inet6", 6, addr_fake_v6, ifname, reason, len);
	else
		addr = addrs_getifaddrs(ifname, reason, len);
	return addr || proc_net_find("route", 8, route_v4, ifname, reason, len) ||
	       proc_net_find("ipv6_route", 10, route_v6, ifname, reason, len);
}
