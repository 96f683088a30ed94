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
#include <stdio.h>
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

static bool hex_to_in6(const char *hex, struct in6_addr *a)
{
	unsigned int b;
	int i;

	if (strlen(hex) != 32)
		return false;
	for (i = 0; i < 16; i++) {
		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return false;
		a->s6_addr[i] = b;
	}
	return true;
}

/* Opens <procfs>/net/<name>; NULL (nothing to report) when it does not exist. */
static FILE *open_proc_net(const char *name)
{
	char path[PATH_MAX];

	if (root_path(path, sizeof(path), roots.proc, "net/%s", name))
		return NULL;
	return fopen(path, "re");
}

static bool addrs_fake(const char *ifname, char *reason, size_t len)
{
	char line[256], hex[64], dev[64], buf[INET6_ADDRSTRLEN];
	unsigned int idx, plen, scope, flags;
	struct in6_addr a;
	bool found = false;
	FILE *f;

	f = open_proc_net("if_inet4");
	while (f && !found && fgets(line, sizeof(line), f)) {
		found = sscanf(line, "%63s %63s", dev, hex) == 2 && !strcmp(dev, ifname);
		if (found)
			snprintf(reason, len, "has address %s", hex);
	}
	if (f)
		fclose(f);
	f = found ? NULL : open_proc_net("if_inet6");
	while (f && !found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %x %x %x %x %63s", hex, &idx, &plen, &scope, &flags, dev) !=
			    6 ||
		    strcmp(dev, ifname) != 0 || !hex_to_in6(hex, &a) || v6_ignored(&a))
			continue;
		inet_ntop(AF_INET6, &a, buf, sizeof(buf));
		snprintf(reason, len, "has address %s/%u", buf, plen);
		found = true;
	}
	if (f)
		fclose(f);
	return found;
}

static bool routes_v4(const char *ifname, char *reason, size_t len)
{
	char line[256], dev[64], buf[INET_ADDRSTRLEN];
	unsigned int dst, gw, fl, mask;
	bool found = false;
	struct in_addr a;
	FILE *f;

	f = open_proc_net("route");
	while (f && !found && fgets(line, sizeof(line), f)) {
		/* Iface Destination Gateway Flags RefCnt Use Metric Mask ...; addresses in host
		 * order */
		if (sscanf(line, "%63s %x %x %x %*d %*d %*d %x", dev, &dst, &gw, &fl, &mask) != 5 ||
		    strcmp(dev, ifname) != 0)
			continue;
		a.s_addr = dst;
		inet_ntop(AF_INET, &a, buf, sizeof(buf));
		snprintf(reason, len, "has route %s/%d", buf, __builtin_popcount(mask));
		found = true;
	}
	if (f)
		fclose(f);
	return found;
}

static bool routes_v6(const char *ifname, char *reason, size_t len)
{
	char line[512], hex[64], dev[64], buf[INET6_ADDRSTRLEN];
	unsigned int plen;
	struct in6_addr a;
	bool found = false;
	FILE *f;

	f = open_proc_net("ipv6_route");
	while (f && !found && fgets(line, sizeof(line), f)) {
		/* dest plen src slen nexthop metric refcnt use flags dev */
		if (sscanf(line, "%63s %x %*s %*s %*s %*s %*s %*s %*s %63s", hex, &plen, dev) !=
			    3 ||
		    strcmp(dev, ifname) != 0 || !hex_to_in6(hex, &a) || v6_ignored(&a))
			continue;
		inet_ntop(AF_INET6, &a, buf, sizeof(buf));
		snprintf(reason, len, "has route %s/%u", buf, plen);
		found = true;
	}
	if (f)
		fclose(f);
	return found;
}

bool if_active(const char *ifname, char *reason, size_t len)
{
	if (proc_is_fake() ? addrs_fake(ifname, reason, len)
			   : addrs_getifaddrs(ifname, reason, len))
		return true;
	return routes_v4(ifname, reason, len) || routes_v6(ifname, reason, len);
}
