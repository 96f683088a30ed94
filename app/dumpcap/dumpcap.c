/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * px-dumpcap: capture the packets of a running Pollux process's port into a pcapng file, as
 * dpdk-dumpcap does for DPDK.
 *
 *   px-dumpcap [--file-prefix PREFIX] -i PORT [-w FILE] [-c COUNT] [-a duration:SEC]
 *              [-s SNAPLEN] [-f FILTER] [--direction rx|tx|rxtx] [-q]
 *   px-dumpcap [--file-prefix PREFIX] -D
 *
 * It asks the process over its telemetry socket ("/ethdev/capture", px_capture.h), then reads
 * the copied packets from the socket the answer names. The BPF filter is compiled by libpcap
 * and run here, on the copy: the process copies every packet of the port and direction. Built
 * with PX_DUMPCAP_NO_FILTER (fully static lab builds: no static libpcap), -f is refused.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#ifndef PX_DUMPCAP_NO_FILTER
#include <pcap/pcap.h>
#endif
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <px_capture.h>
#include <px_config.h>
#include <px_telemetry.h>

#include "pcapng.h"

#ifdef PX_DUMPCAP_NO_FILTER
#define FILTER_NOTE " (not in this build)"
#else
#define FILTER_NOTE ""
#endif
#define DEFAULT_SNAPLEN 262144 /* dumpcap's; the process copies at most PX_CAPTURE_MAX_SNAPLEN */

struct opts {
	const char *prefix;
	const char *iface;
	const char *file;
	const char *filter;
	const char *dir;
	uint64_t count;  /* 0: no limit */
	double duration; /* seconds, 0: no limit */
	uint32_t snaplen;
	bool list;
	bool quiet;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: px-dumpcap [options]\n"
		"  -i, --interface PORT      port id or name (net_null0) to capture\n"
		"  -w, --file FILE           pcapng file to write (default /tmp/px-dumpcap_PORT_TIME.pcapng)\n"
		"  -c, --packet-count N      stop after N packets\n"
		"  -a, --autostop duration:S stop after S seconds (also packets:N)\n"
		"  -s, --snapshot-length N   keep the first N bytes of each packet (default %d)\n"
		"  -f FILTER                 capture filter in libpcap syntax ('udp port 53')%s\n"
		"      --direction rx|tx|rxtx which packets of the port (default rxtx)\n"
		"      --file-prefix PREFIX  the process's --file-prefix (default rte)\n"
		"  -D, --list-interfaces     list the process's ports and exit\n"
		"  -q, --quiet               no packet count at the end\n",
		DEFAULT_SNAPLEN, FILTER_NOTE);
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || end == s || *end || s[0] == '-' ? -EINVAL : 0;
}

static int parse_autostop(const char *s, struct opts *o)
{
	uint64_t v;

	if (strncmp(s, "duration:", 9) == 0 && parse_u64(s + 9, &v) == 0 && v > 0) {
		o->duration = (double)v;
		return 0;
	}
	if (strncmp(s, "packets:", 8) == 0 && parse_u64(s + 8, &v) == 0 && v > 0) {
		o->count = v;
		return 0;
	}
	return -EINVAL;
}

enum { OPT_PREFIX = 256, OPT_DIRECTION };

/* The options that take a number or a word: -c, -a, -s, --direction. */
static int parse_value(int c, const char *arg, struct opts *o)
{
	uint64_t v;

	switch (c) {
	case 'c':
		if (parse_u64(arg, &o->count) == 0 && o->count > 0)
			return 0;
		fprintf(stderr, "px-dumpcap: -c wants a packet count > 0, not '%s'\n", arg);
		return -EINVAL;
	case 'a':
		if (parse_autostop(arg, o) == 0)
			return 0;
		fprintf(stderr, "px-dumpcap: -a wants duration:SECONDS or packets:N, not '%s'\n",
			arg);
		return -EINVAL;
	case 's':
		if (parse_u64(arg, &v) == 0 && v > 0 && v <= DEFAULT_SNAPLEN) {
			o->snaplen = (uint32_t)v;
			return 0;
		}
		fprintf(stderr, "px-dumpcap: -s wants 1..%d, not '%s'\n", DEFAULT_SNAPLEN, arg);
		return -EINVAL;
	default: /* OPT_DIRECTION */
		if (strcmp(arg, "rx") == 0 || strcmp(arg, "tx") == 0 || strcmp(arg, "rxtx") == 0) {
			o->dir = arg;
			return 0;
		}
		fprintf(stderr, "px-dumpcap: --direction is rx, tx or rxtx, not '%s'\n", arg);
		return -EINVAL;
	}
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{"interface", required_argument, NULL, 'i'},
		{"file", required_argument, NULL, 'w'},
		{"packet-count", required_argument, NULL, 'c'},
		{"autostop", required_argument, NULL, 'a'},
		{"snapshot-length", required_argument, NULL, 's'},
		{"list-interfaces", no_argument, NULL, 'D'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"file-prefix", required_argument, NULL, OPT_PREFIX},
		{"direction", required_argument, NULL, OPT_DIRECTION},
		{NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "i:w:c:a:s:f:Dqh", longopts, NULL)) != -1) {
		if (c == 'i')
			o->iface = optarg;
		else if (c == 'w')
			o->file = optarg;
		else if (c == 'f')
			o->filter = optarg;
		else if (c == 'D')
			o->list = true;
		else if (c == 'q')
			o->quiet = true;
		else if (c == OPT_PREFIX)
			o->prefix = optarg;
		else if (c == 'h')
			return usage(stdout), 1;
		else if (c == '?' || c == ':')
			return usage(stderr), -EINVAL;
		else if (parse_value(c, optarg, o) < 0)
			return -EINVAL;
	}
	if (optind < argc) {
		fprintf(stderr, "px-dumpcap: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	if (!o->list && o->iface == NULL) {
		fprintf(stderr,
			"px-dumpcap: say which port to capture with -i PORT (-D lists them)\n");
		return -EINVAL;
	}
	return 0;
}

/* ---- talking to the process ---------------------------------------------------------------- */

static int sock_connect(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return fd;
}

static char answer[PX_TELEMETRY_MAX_OUTPUT + 1];

/* Send @req, read the answer into `answer`. Returns its length or -errno. */
static int tel_request(int fd, const char *req)
{
	ssize_t n;

	if (send(fd, req, strlen(req), MSG_NOSIGNAL) < 0)
		return -errno;
	n = recv(fd, answer, sizeof(answer) - 1, 0);
	if (n <= 0)
		return n < 0 ? -errno : -ECONNRESET;
	answer[n] = '\0';
	return (int)n;
}

/* The string value of "key" in `answer` (our own process's JSON: no escapes in these values). */
static int json_str(const char *key, char *out, size_t len)
{
	char pat[64];
	const char *p, *e;

	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	p = strstr(answer, pat);
	if (p == NULL)
		return -ENOENT;
	p += strlen(pat);
	e = strchr(p, '"');
	if (e == NULL || (size_t)(e - p) >= len)
		return -EINVAL;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = '\0';
	return 0;
}

static int tel_connect(const char *prefix)
{
	char dir[256], path[300];
	int fd;

	if (px_telemetry_runtime_dir(prefix, dir, sizeof(dir)) < 0)
		return -ENAMETOOLONG;
	snprintf(path, sizeof(path), "%s/%s", dir, PX_TELEMETRY_SOCKET);
	fd = sock_connect(path);
	if (fd < 0) {
		fprintf(stderr,
			"px-dumpcap: cannot connect to %s: %s; is a Pollux process running with "
			"--file-prefix %s and telemetry on?\n",
			path, strerror(-fd), prefix);
		return fd;
	}
	if (recv(fd, answer, sizeof(answer) - 1, 0) <= 0) { /* the greeting */
		close(fd);
		return -ECONNRESET;
	}
	return fd;
}

/* The ports: ids from /ethdev/list, names from /ethdev/info. */
static int list_ports(int fd, int *ids, int max)
{
	int n = 0;
	char *p;

	if (tel_request(fd, "/ethdev/list") < 0 || (p = strchr(answer, '[')) == NULL)
		return -EIO;
	for (p++; *p && *p != ']' && n < max; p++)
		if (*p >= '0' && *p <= '9')
			ids[n++] = (int)strtol(p, &p, 10);
	return n;
}

static int port_name(int fd, int port, char *name, size_t len)
{
	char req[64];

	snprintf(req, sizeof(req), "/ethdev/info,%d", port);
	if (tel_request(fd, req) < 0)
		return -EIO;
	return json_str("name", name, len);
}

static int find_port(int fd, const char *iface, char *name, size_t len)
{
	int ids[64], n = list_ports(fd, ids, 64);

	for (int i = 0; i < n; i++) {
		char id[16];

		snprintf(id, sizeof(id), "%d", ids[i]);
		if (port_name(fd, ids[i], name, len) == 0 &&
		    (strcmp(iface, id) == 0 || strcmp(iface, name) == 0))
			return ids[i];
	}
	fprintf(stderr, "px-dumpcap: the process has no port '%s' (-D lists them)\n", iface);
	return -ENODEV;
}

static int list_interfaces(int fd)
{
	int ids[64], n = list_ports(fd, ids, 64);
	char name[128];

	if (n < 0)
		return n;
	for (int i = 0; i < n; i++)
		if (port_name(fd, ids[i], name, sizeof(name)) == 0)
			printf("%d. %s\n", ids[i], name);
	return 0;
}

/* ---- the capture --------------------------------------------------------------------------- */

struct capture {
	int fd;
	FILE *out;
#ifndef PX_DUMPCAP_NO_FILTER
	struct bpf_program prog;
#endif
	bool filtering;
	uint64_t received; /* packets the process sent us */
	uint64_t written;
	uint64_t drops; /* packets the process could not copy */
};

#ifdef PX_DUMPCAP_NO_FILTER
static int compile_filter(const struct opts *o, struct capture *c)
{
	(void)c;
	if (o->filter == NULL)
		return 0;
	fprintf(stderr,
		"px-dumpcap: this px-dumpcap has no capture filter (-f '%s'): it was linked fully "
		"static, without libpcap (docs/dumpcap.md); capture without -f and filter the file "
		"afterwards (tshark -r FILE -Y FILTER)\n",
		o->filter);
	return -ENOTSUP;
}

static bool filter_pass(const struct capture *c, const uint8_t *data,
			const struct px_capture_rec *r)
{
	(void)c, (void)data, (void)r;
	return true;
}

static void filter_free(struct capture *c)
{
	(void)c;
}
#else
static int compile_filter(const struct opts *o, struct capture *c)
{
	pcap_t *dead;
	int ret = 0;

	if (o->filter == NULL)
		return 0;
	dead = pcap_open_dead(DLT_EN10MB, (int)o->snaplen);
	if (dead == NULL)
		return -ENOMEM;
	if (pcap_compile(dead, &c->prog, o->filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		fprintf(stderr, "px-dumpcap: bad filter '%s': %s\n", o->filter, pcap_geterr(dead));
		ret = -EINVAL;
	} else {
		c->filtering = true;
	}
	pcap_close(dead);
	return ret;
}

static bool filter_pass(const struct capture *c, const uint8_t *data,
			const struct px_capture_rec *r)
{
	return !c->filtering || bpf_filter(c->prog.bf_insns, data, r->orig_len, r->cap_len) != 0;
}

static void filter_free(struct capture *c)
{
	if (c->filtering)
		pcap_freecode(&c->prog);
}
#endif

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Ask the process for a capture; returns the connected capture socket or -errno. */
static int start_capture(int tfd, int port, const struct opts *o)
{
	char req[96], path[256];
	int fd;

	snprintf(req, sizeof(req), "/ethdev/capture,%d,%s,%u", port, o->dir,
		 o->snaplen < PX_CAPTURE_MAX_SNAPLEN ? o->snaplen : PX_CAPTURE_MAX_SNAPLEN);
	if (tel_request(tfd, req) < 0 || json_str("socket", path, sizeof(path)) < 0) {
		fprintf(stderr,
			"px-dumpcap: the process refused the capture (answer %s); another capture "
			"may be running (one at a time)\n",
			answer);
		return -EBUSY;
	}
	fd = sock_connect(path);
	if (fd < 0)
		fprintf(stderr, "px-dumpcap: cannot connect to %s: %s\n", path, strerror(-fd));
	return fd;
}

static int write_packet(struct capture *c, const struct px_capture_rec *r)
{
	const uint8_t *data = (const uint8_t *)(r + 1);

	c->received++;
	c->drops = r->drops;
	if (!filter_pass(c, data, r))
		return 0;
	c->written++;
	return pcapng_write_epb(c->out, 0, r->ts_ns, data, r->cap_len, r->orig_len,
				r->dir == PX_CAPTURE_RX ? PCAPNG_INBOUND : PCAPNG_OUTBOUND,
				r->queue);
}

/* Read packets until the count, the duration, a signal or the process's end. */
static int capture_loop(struct capture *c, const struct opts *o)
{
	static uint8_t buf[sizeof(struct px_capture_rec) + PX_CAPTURE_MAX_SNAPLEN];
	struct pollfd pf = {.fd = c->fd, .events = POLLIN};
	uint64_t end = o->duration > 0 ? now_ns() + (uint64_t)(o->duration * 1e9) : 0;

	while (!stop && (o->count == 0 || c->written < o->count)) {
		ssize_t n;
		int ret = poll(&pf, 1, 100);

		if (end && now_ns() >= end)
			break;
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret <= 0)
			continue;
		n = recv(c->fd, buf, sizeof(buf), 0);
		if (n == 0) {
			fprintf(stderr, "px-dumpcap: the process ended the capture\n");
			break;
		}
		if (n < (ssize_t)sizeof(struct px_capture_rec)) {
			if (n < 0 && errno == EINTR)
				continue;
			fprintf(stderr, "px-dumpcap: bad message from the process (%zd bytes)\n",
				n);
			return -EIO;
		}
		if (write_packet(c, (const struct px_capture_rec *)buf) < 0) {
			fprintf(stderr, "px-dumpcap: cannot write the file: %s\n", strerror(errno));
			return -EIO;
		}
	}
	return 0;
}

static int open_output(struct opts *o, int port, const char *name, struct capture *c)
{
	static char def[128];
	char descr[256], appl[64];

	if (o->file == NULL) {
		snprintf(def, sizeof(def), "/tmp/px-dumpcap_%d_%ld.pcapng", port, (long)time(NULL));
		o->file = def;
	}
	c->out = strcmp(o->file, "-") == 0 ? stdout : fopen(o->file, "wb");
	if (c->out == NULL) {
		fprintf(stderr, "px-dumpcap: cannot create %s: %s\n", o->file, strerror(errno));
		return -errno;
	}
	snprintf(descr, sizeof(descr), "Pollux port %d (%s), %s", port, name, o->dir);
	snprintf(appl, sizeof(appl), "px-dumpcap (Pollux %s)", PX_VERSION_STR);
	if (pcapng_write_shb(c->out, appl) < 0 ||
	    pcapng_write_idb(c->out, name, descr, o->snaplen, o->filter) < 0)
		return -EIO;
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = {.prefix = "rte", .dir = "rxtx", .snaplen = DEFAULT_SNAPLEN};
	struct capture c = {.fd = -1};
	char name[128];
	int tfd, port, ret;

	ret = parse_args(argc, argv, &o);
	if (ret != 0)
		return ret < 0 ? 2 : 0; /* -h: 0 */
	if (compile_filter(&o, &c) < 0)
		return 2;
	tfd = tel_connect(o.prefix);
	if (tfd < 0)
		return 1;
	if (o.list) {
		ret = list_interfaces(tfd);
		close(tfd);
		return ret < 0 ? 1 : 0;
	}
	port = find_port(tfd, o.iface, name, sizeof(name));
	if (port < 0 || open_output(&o, port, name, &c) < 0)
		return 1;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	c.fd = start_capture(tfd, port, &o);
	if (c.fd < 0)
		return 1;
	if (!o.quiet)
		fprintf(stderr, "Capturing on '%s'\nFile: %s\n", name, o.file);
	ret = capture_loop(&c, &o);
	close(c.fd); /* the process stops copying */
	close(tfd);
	if (pcapng_write_isb(c.out, 0, now_ns(), c.received, c.drops) < 0 || fflush(c.out) ||
	    (c.out != stdout && fclose(c.out))) {
		fprintf(stderr, "px-dumpcap: cannot finish %s: %s\n", o.file, strerror(errno));
		ret = -EIO;
	}
	if (!o.quiet)
		fprintf(stderr,
			"Packets captured: %" PRIu64 "\nPackets received/dropped on interface "
			"'%s': %" PRIu64 "/%" PRIu64 "\n",
			c.written, name, c.received, c.drops);
	filter_free(&c);
	return ret < 0 ? 1 : 0;
}
