/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The telemetry server: DPDK's v2 protocol on a SOCK_SEQPACKET socket.
 *
 * On connect the server sends {"version": ..., "pid": ..., "max_output_len": ...}; then each
 * message from the client is one request, "/cmd" or "/cmd,params", answered by one message
 * {"/cmd": value}. One thread polls the listening socket and every client; a handler runs on it
 * between polls, so the lcores never wait for a client. A client that sends something else, or
 * more than PX_TELEMETRY_MAX_REQUEST bytes, gets an error answer; one that does not read its
 * answers (the socket is full) or has gone is closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <px_config.h>

#include "telemetry_private.h"
#include "telemetry_server.h"

#define TEL_SOCKET_NAME PX_TELEMETRY_SOCKET
#define TEL_MAX_CMDS 64
#define TEL_MAX_CLIENTS 16
#define TEL_MAX_INSTANCES 32

struct tel_cmd {
	char name[PX_TELEMETRY_CMD_LEN];
	px_telemetry_cb fn;
	const char *help;
};

static struct tel_cmd tel_cmds[TEL_MAX_CMDS];
static unsigned int tel_ncmds;
static pthread_mutex_t tel_lock = PTHREAD_MUTEX_INITIALIZER;

static struct {
	bool up;
	int listen_fd;
	int wake_fd; /* eventfd: telemetry_stop() tells the thread to return */
	int clients[TEL_MAX_CLIENTS];
	pthread_t thread;
	telemetry_log_fn log;
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
} srv = {.listen_fd = -1, .wake_fd = -1};

static char tel_reply[PX_TELEMETRY_MAX_OUTPUT]; /* used by the server thread only */

static void tel_log(int is_error, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tel_log(int is_error, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (srv.log)
		srv.log(is_error, line);
	else if (is_error)
		fprintf(stderr, "%s\n", line);
}

/* ---- the command table ---------------------------------------------------------------- */

static bool tel_valid_name(const char *cmd)
{
	size_t n;

	if (cmd == NULL || cmd[0] != '/')
		return false;
	n = strlen(cmd);
	if (n >= PX_TELEMETRY_CMD_LEN)
		return false;
	return strspn(cmd, "/_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == n;
}

static struct tel_cmd *tel_find(const char *cmd)
{
	for (unsigned int i = 0; i < tel_ncmds; i++)
		if (strcmp(tel_cmds[i].name, cmd) == 0)
			return &tel_cmds[i];
	return NULL;
}

int px_telemetry_register_cmd(const char *cmd, px_telemetry_cb fn, const char *help)
{
	int ret = 0;

	if (!tel_valid_name(cmd) || fn == NULL)
		return -EINVAL;
	pthread_mutex_lock(&tel_lock);
	if (tel_find(cmd))
		ret = -EEXIST;
	else if (tel_ncmds == TEL_MAX_CMDS)
		ret = -ENOSPC;
	else {
		snprintf(tel_cmds[tel_ncmds].name, PX_TELEMETRY_CMD_LEN, "%s", cmd);
		tel_cmds[tel_ncmds].fn = fn;
		tel_cmds[tel_ncmds].help = help ? help : "";
		tel_ncmds++;
	}
	pthread_mutex_unlock(&tel_lock);
	return ret;
}

/* The commands of the protocol itself. */
static int tel_list(const char *cmd, const char *params, struct px_tel_data *d)
{
	(void)cmd;
	(void)params;
	px_tel_start_array(d, NULL);
	pthread_mutex_lock(&tel_lock);
	for (unsigned int i = 0; i < tel_ncmds; i++)
		px_tel_add_string(d, NULL, tel_cmds[i].name);
	pthread_mutex_unlock(&tel_lock);
	px_tel_end(d);
	return 0;
}

static int tel_help(const char *cmd, const char *params, struct px_tel_data *d)
{
	struct tel_cmd *c;
	int ret = 0;

	(void)cmd;
	pthread_mutex_lock(&tel_lock);
	c = tel_find(params);
	if (c) {
		px_tel_start_dict(d, NULL);
		px_tel_add_string(d, c->name, c->help);
		px_tel_end(d);
	} else {
		ret = -EINVAL;
	}
	pthread_mutex_unlock(&tel_lock);
	return ret;
}

static int tel_info(const char *cmd, const char *params, struct px_tel_data *d)
{
	(void)cmd;
	(void)params;
	px_tel_start_dict(d, NULL);
	px_tel_add_string(d, "version", "Pollux " PX_VERSION_STR);
	px_tel_add_int(d, "pid", getpid());
	px_tel_add_int(d, "max_output_len", PX_TELEMETRY_MAX_OUTPUT);
	px_tel_end(d);
	return 0;
}

__attribute__((constructor)) static void tel_register_builtin(void)
{
	px_telemetry_register_cmd("/", tel_list,
				  "Returns the list of commands. Takes no parameters");
	px_telemetry_register_cmd("/help", tel_help,
				  "Returns help text for a command. Parameters: string command");
	px_telemetry_register_cmd(
		"/info", tel_info,
		"Returns the version, pid and max_output_len. Takes no parameters");
}

/* ---- requests ------------------------------------------------------------------------- */

/* Answer @req (@n bytes and a NUL; @truncated when the client sent more than we read) into
 * tel_reply. Returns the answer's length. */
static size_t tel_answer(char *req, size_t n, bool truncated)
{
	char prefix[PX_TELEMETRY_CMD_LEN + 8];
	struct px_tel_data d;
	px_telemetry_cb fn = NULL;
	const char *params = "";
	char *comma;
	int ret;

	if (truncated)
		return (size_t)snprintf(tel_reply, sizeof(tel_reply),
					"{\"error\":\"request longer than %d bytes\"}",
					PX_TELEMETRY_MAX_REQUEST);
	comma = memchr(req, ',', n);
	if (comma) {
		*comma = '\0';
		params = comma + 1;
		n = (size_t)(comma - req);
	}
	if (strlen(req) != n || !tel_valid_name(req))
		return (size_t)snprintf(
			tel_reply, sizeof(tel_reply),
			"{\"error\":\"a request is /command or /command,parameters, "
			"the command at most %d characters of [A-Za-z0-9_/]\"}",
			PX_TELEMETRY_CMD_LEN - 1);
	pthread_mutex_lock(&tel_lock);
	if (tel_find(req))
		fn = tel_find(req)->fn;
	pthread_mutex_unlock(&tel_lock);
	snprintf(prefix, sizeof(prefix), "{\"%s\":", req);
	/* One byte of the buffer is kept for tel_data_finish()'s closing brace. */
	tel_data_init(&d, tel_reply, sizeof(tel_reply) - 1, prefix);
	ret = fn ? fn(req, params, &d) : 0; /* an unknown command is null, as in DPDK */
	if (ret < 0)
		d.bad = "the handler failed";
	tel_data_finish(&d, prefix);
	if (d.bad && ret >= 0)
		tel_log(1, "telemetry %s: %s; answered null", req, d.bad);
	return d.len;
}

static void tel_drop_client(int i)
{
	close(srv.clients[i]);
	srv.clients[i] = -1;
}

static bool tel_send(int fd, const char *msg, size_t len)
{
	/* Never wait on a client: one that does not read is dropped, not waited for. */
	return send(fd, msg, len, MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)len;
}

static void tel_serve_client(int i)
{
	char req[PX_TELEMETRY_MAX_REQUEST + 1];
	struct iovec iov = {.iov_base = req, .iov_len = PX_TELEMETRY_MAX_REQUEST};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	ssize_t n;
	size_t len;

	n = recvmsg(srv.clients[i], &mh, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		tel_drop_client(i);
		return;
	}
	req[n] = '\0';
	len = tel_answer(req, (size_t)n, (mh.msg_flags & MSG_TRUNC) != 0);
	if (!tel_send(srv.clients[i], tel_reply, len))
		tel_drop_client(i);
}

static void tel_accept(void)
{
	char hello[128];
	int fd, len, i;

	fd = accept4(srv.listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return;
	for (i = 0; i < TEL_MAX_CLIENTS && srv.clients[i] >= 0; i++)
		;
	if (i == TEL_MAX_CLIENTS) {
		tel_log(1, "telemetry: %d clients already connected; refusing one more",
			TEL_MAX_CLIENTS);
		close(fd);
		return;
	}
	len = snprintf(hello, sizeof(hello),
		       "{\"version\":\"Pollux %s\",\"pid\":%d,\"max_output_len\":%d}",
		       PX_VERSION_STR, (int)getpid(), PX_TELEMETRY_MAX_OUTPUT);
	if (!tel_send(fd, hello, (size_t)len)) {
		close(fd);
		return;
	}
	srv.clients[i] = fd;
}

static void *tel_thread(void *arg)
{
	struct pollfd pf[TEL_MAX_CLIENTS + 2];
	int map[TEL_MAX_CLIENTS + 2];

	(void)arg;
	for (;;) {
		nfds_t n = 2;

		pf[0] = (struct pollfd){.fd = srv.wake_fd, .events = POLLIN};
		pf[1] = (struct pollfd){.fd = srv.listen_fd, .events = POLLIN};
		for (int i = 0; i < TEL_MAX_CLIENTS; i++) {
			if (srv.clients[i] < 0)
				continue;
			map[n] = i;
			pf[n++] = (struct pollfd){.fd = srv.clients[i], .events = POLLIN};
		}
		if (poll(pf, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			tel_log(1, "telemetry: poll: %s; the server stops", strerror(errno));
			return NULL;
		}
		if (pf[0].revents)
			return NULL;
		for (nfds_t k = 2; k < n; k++)
			if (pf[k].revents)
				tel_serve_client(map[k]);
		if (pf[1].revents & POLLIN)
			tel_accept();
	}
}

/* ---- the socket ----------------------------------------------------------------------- */

int px_telemetry_runtime_dir(const char *prefix, char *buf, size_t len)
{
	const char *base = getenv("RUNTIME_DIRECTORY");
	int n;

	if (base == NULL || base[0] == '\0') {
		base = getuid() == 0 ? "/var/run" : getenv("XDG_RUNTIME_DIR");
		if (base == NULL || base[0] == '\0')
			base = "/tmp";
	}
	n = snprintf(buf, len, "%s/dpdk/%s", base, prefix);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int tel_mkdirs(const char *dir)
{
	char p[sizeof(srv.dir)];

	snprintf(p, sizeof(p), "%s", dir);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (mkdir(p, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* Bind @fd to @path unless a live process listens there: a socket file nobody answers on is
 * left over from a process that died, and is replaced. */
static int tel_bind(int fd, const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int probe, ret;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return 0;
	if (errno != EADDRINUSE)
		return -errno;
	probe = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (probe < 0)
		return -errno;
	ret = connect(probe, (struct sockaddr *)&sa, sizeof(sa));
	close(probe);
	if (ret == 0)
		return -EADDRINUSE;
	unlink(path);
	return bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 ? 0 : -errno;
}

static int tel_listen(const char *dir)
{
	int fd, dfd, ret = -EADDRINUSE;

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	/* Processes of one prefix starting together: between another's bind and its listen, its
	 * socket answers nobody and would pass for a stale one. The directory's lock orders them.
	 */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
		flock(dfd, LOCK_EX);
	for (int inst = 0; inst < TEL_MAX_INSTANCES && ret == -EADDRINUSE; inst++) {
		int n = inst ? snprintf(srv.path, sizeof(srv.path), "%s/%s:%d", dir,
					TEL_SOCKET_NAME, inst)
			     : snprintf(srv.path, sizeof(srv.path), "%s/%s", dir, TEL_SOCKET_NAME);

		if (n < 0 || (size_t)n >= sizeof(srv.path)) {
			ret = -ENAMETOOLONG;
			break;
		}
		ret = tel_bind(fd, srv.path);
	}
	if (ret == 0 && listen(fd, 4) < 0)
		ret = -errno;
	if (dfd >= 0)
		close(dfd); /* and the lock with it */
	if (ret < 0) {
		close(fd);
		return ret;
	}
	srv.listen_fd = fd;
	return 0;
}

/* The server's thread, started by the EAL's function (px_ctrl_thread_create(): every
 * asynchronous signal blocked, so the application's handlers run on its own threads), or by
 * pthread_create() when there is none (the unit tests). Returns 0 or -errno. */
static int tel_thread_start(telemetry_thread_fn start_thread)
{
	int ret;

	if (start_thread != NULL)
		return start_thread(&srv.thread, "px-telemetry", tel_thread, NULL);
	ret = -pthread_create(&srv.thread, NULL, tel_thread, NULL);
	if (ret == 0)
		pthread_setname_np(srv.thread, "px-telemetry");
	return ret;
}

int telemetry_start(const char *dir, telemetry_log_fn log, telemetry_thread_fn start_thread)
{
	int ret;

	srv.log = log;
	if (srv.up)
		return -EALREADY;
	if (strlen(dir) + sizeof(TEL_SOCKET_NAME) + 4 > sizeof(srv.dir)) {
		tel_log(1,
			"telemetry: the runtime directory %s is too long for a socket path; "
			"choose a shorter --file-prefix",
			dir);
		return -ENAMETOOLONG;
	}
	snprintf(srv.dir, sizeof(srv.dir), "%s", dir);
	ret = tel_mkdirs(dir);
	if (ret == 0)
		ret = tel_listen(dir);
	if (ret < 0) {
		tel_log(1,
			"telemetry: cannot listen in %s: %s; running without telemetry "
			"(--no-telemetry silences this)",
			dir, strerror(-ret));
		return ret;
	}
	srv.wake_fd = eventfd(0, EFD_CLOEXEC);
	for (int i = 0; i < TEL_MAX_CLIENTS; i++)
		srv.clients[i] = -1;
	if (srv.wake_fd < 0 || (ret = tel_thread_start(start_thread)) != 0) {
		ret = srv.wake_fd < 0 ? -errno : ret;
		tel_log(1, "telemetry: cannot start its thread: %s", strerror(-ret));
		if (srv.wake_fd >= 0)
			close(srv.wake_fd);
		close(srv.listen_fd);
		unlink(srv.path);
		srv.listen_fd = srv.wake_fd = -1;
		return ret;
	}
	srv.up = true;
	tel_log(0, "telemetry: listening on %s", srv.path);
	return 0;
}

void telemetry_stop(void)
{
	uint64_t one = 1;

	if (!srv.up)
		return;
	if (write(srv.wake_fd, &one, sizeof(one)) != sizeof(one))
		tel_log(1, "telemetry: cannot wake its thread: %s", strerror(errno));
	pthread_join(srv.thread, NULL);
	for (int i = 0; i < TEL_MAX_CLIENTS; i++)
		if (srv.clients[i] >= 0)
			tel_drop_client(i);
	close(srv.listen_fd);
	close(srv.wake_fd);
	unlink(srv.path);
	rmdir(srv.dir); /* only when empty: other processes of the prefix may have files there */
	srv.listen_fd = srv.wake_fd = -1;
	srv.up = false;
}

const char *telemetry_dir(void)
{
	return srv.up ? srv.dir : NULL;
}
