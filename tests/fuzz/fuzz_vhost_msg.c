/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target for the vhost-user message parser (vhost_user_recv) and net_vhost's request
 * handlers (vhost_dev_handle). Input: the bytes a frontend writes on the socket, read back as
 * messages until the stream ends or breaks; each message the parser accepts goes to a backend
 * device, whose replies are read and dropped. No fds travel (what needs one is refused at the
 * parser). Neither may crash, leak an fd or read past a buffer.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <px_log.h>

#include "vhost.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void drain(int fd)
{
	char buf[4096];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int in[2], out[2];
	struct vhost_dev d;

	px_log_set_global_level(PX_LOG_EMERG); /* refusals are expected; keep the output quiet */
	if (size > 65536)
		return 0;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, in) < 0)
		return 0;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, out) < 0) {
		close(in[0]);
		close(in[1]);
		return 0;
	}
	/* the whole input in the socket (its buffer holds 64 KiB), then end of stream */
	for (size_t off = 0; off < size;) {
		ssize_t n = send(in[0], data + off, size - off, MSG_DONTWAIT);

		if (n <= 0)
			break;
		off += (size_t)n;
	}
	shutdown(in[0], SHUT_WR);
	vhost_dev_init(&d, "fuzz", 2);
	d.conn = out[0];
	for (int i = 0; i < 256; i++) {
		struct vhost_user_msg m;
		int ret = vhost_user_recv(in[1], &m, VHOST_USER_NONE, 0);

		if (ret == -ENOTSUP)
			continue;
		if (ret < 0)
			break;
		vhost_dev_handle(&d, &m);
		drain(out[1]);
	}
	vhost_dev_reset(&d);
	close(in[0]);
	close(in[1]);
	close(out[0]);
	close(out[1]);
	return 0;
}
