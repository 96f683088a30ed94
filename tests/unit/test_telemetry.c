/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Telemetry: the JSON answer builder (escapes, nesting, misuse and overflow answered null) and
 * the server in this process (greeting, answers, bad requests), and px_eal_init() serving on
 * DPDK's path for its --file-prefix, removed by px_eal_cleanup().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <px_eal.h>
#include <px_telemetry.h>

#include "px_test.h"
#include "telemetry_private.h"
#include "telemetry_server.h"

static char out[PX_TELEMETRY_MAX_OUTPUT];

/* Run @fn as the handler of "/t" would, into `out`. */
static const char *build(int (*fn)(struct px_tel_data *d))
{
	struct px_tel_data d;

	tel_data_init(&d, out, sizeof(out) - 1, "{\"/t\":");
	if (fn(&d) < 0)
		d.bad = "failed";
	tel_data_finish(&d, "{\"/t\":");
	return out;
}

static int b_nested(struct px_tel_data *d)
{
	px_tel_start_dict(d, NULL);
	px_tel_add_int(d, "neg", -5);
	px_tel_add_uint(d, "big", UINT64_MAX);
	px_tel_add_string(d, "esc", "a\"b\\c\n\x01");
	px_tel_add_string(d, "null", NULL);
	px_tel_start_array(d, "list");
	px_tel_add_int(d, NULL, 1);
	px_tel_start_dict(d, NULL);
	px_tel_end(d);
	px_tel_end(d);
	return 0; /* the outer dict is left open: closed for the handler */
}

static int b_key_in_array(struct px_tel_data *d)
{
	px_tel_start_array(d, NULL);
	px_tel_add_int(d, "k", 1);
	return 0;
}

static int b_two_values(struct px_tel_data *d)
{
	px_tel_add_int(d, NULL, 1);
	px_tel_add_int(d, NULL, 2);
	return 0;
}

static int b_too_deep(struct px_tel_data *d)
{
	for (int i = 0; i <= PX_TELEMETRY_MAX_DEPTH; i++)
		px_tel_start_array(d, NULL);
	return 0;
}

static int b_too_long(struct px_tel_data *d)
{
	px_tel_start_array(d, NULL);
	for (int i = 0; i < PX_TELEMETRY_MAX_OUTPUT; i++)
		px_tel_add_string(d, NULL, "xxxxxxxx");
	return 0;
}

static int b_nothing(struct px_tel_data *d)
{
	(void)d;
	return 0;
}

static int b_error(struct px_tel_data *d)
{
	px_tel_add_int(d, NULL, 1);
	return -EINVAL;
}

static int test_telemetry_json(void)
{
	PX_TEST_ASSERT(strcmp(build(b_nested),
			      "{\"/t\":{\"neg\":-5,\"big\":18446744073709551615,"
			      "\"esc\":\"a\\\"b\\\\c\\u000a\\u0001\",\"null\":null,"
			      "\"list\":[1,{}]}}") == 0,
		       "nested answer: %s", out);
	PX_TEST_ASSERT(strcmp(build(b_key_in_array), "{\"/t\":null}") == 0, "key in array: %s",
		       out);
	PX_TEST_ASSERT(strcmp(build(b_two_values), "{\"/t\":null}") == 0, "two values: %s", out);
	PX_TEST_ASSERT(strcmp(build(b_too_deep), "{\"/t\":null}") == 0, "too deep: %s", out);
	PX_TEST_ASSERT(strcmp(build(b_too_long), "{\"/t\":null}") == 0, "too long: %.40s", out);
	PX_TEST_ASSERT(strcmp(build(b_nothing), "{\"/t\":null}") == 0, "nothing: %s", out);
	PX_TEST_ASSERT(strcmp(build(b_error), "{\"/t\":null}") == 0, "error: %s", out);
	return PX_TEST_OK;
}
PX_TEST(telemetry_json_autotest, PX_TEST_F_FAST, test_telemetry_json)

static int echo_cmd(const char *cmd, const char *params, struct px_tel_data *d)
{
	px_tel_start_dict(d, NULL);
	px_tel_add_string(d, "cmd", cmd);
	px_tel_add_string(d, "params", params);
	px_tel_end(d);
	return 0;
}

static int tel_connect(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);

	if (strlen(path) >= sizeof(sa.sun_path)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Send @req (@len bytes) and read the answer into `out`. */
static const char *ask(int fd, const char *req, size_t len)
{
	ssize_t n;

	out[0] = '\0';
	if (send(fd, req, len, 0) != (ssize_t)len)
		return "(send failed)";
	n = recv(fd, out, sizeof(out) - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	return out;
}

#define ASK(fd, s) ask(fd, s, sizeof(s) - 1)

static int test_telemetry_server(void)
{
	char dir[] = "/tmp/px_tel_XXXXXX", path[128], big[PX_TELEMETRY_MAX_REQUEST + 10];
	int fd, fd2, ret = PX_TEST_FAILED;

	PX_TEST_ASSERT(mkdtemp(dir) != NULL, "mkdtemp");
	PX_TEST_ASSERT_EQ(px_telemetry_register_cmd("/test/echo", echo_cmd, "echo"), 0, "register");
	PX_TEST_ASSERT_EQ(px_telemetry_register_cmd("/test/echo", echo_cmd, "x"), -EEXIST, "again");
	PX_TEST_ASSERT_EQ(px_telemetry_register_cmd("test", echo_cmd, "x"), -EINVAL, "no slash");
	PX_TEST_ASSERT_EQ(px_telemetry_register_cmd("/a b", echo_cmd, "x"), -EINVAL, "space");
	PX_TEST_ASSERT_EQ(telemetry_start(dir, NULL, NULL), 0, "start in %s", dir);
	PX_TEST_ASSERT_EQ(telemetry_start(dir, NULL, NULL), -EALREADY, "start twice");
	snprintf(path, sizeof(path), "%s/" PX_TELEMETRY_SOCKET, dir);
	fd = tel_connect(path);
	if (fd < 0) {
		fprintf(stderr, "cannot connect to %s\n", path);
		goto stop;
	}
	if (recv(fd, out, sizeof(out) - 1, 0) <= 0 ||
	    strstr(out, "\"max_output_len\":16384") == NULL) {
		fprintf(stderr, "greeting: %s\n", out);
		goto close;
	}
	memset(big, 'a', sizeof(big));
	big[0] = '/';
#define EXPECT(got, want)                                                                   \
	do {                                                                                \
		const char *g_ = (got);                                                     \
		if (strstr(g_, (want)) == NULL) {                                           \
			fprintf(stderr, "%s:%d: got %s, want %s\n", __FILE__, __LINE__, g_, \
				(want));                                                    \
			goto close;                                                         \
		}                                                                           \
	} while (0)
	EXPECT(ASK(fd, "/test/echo,1,2"),
	       "{\"/test/echo\":{\"cmd\":\"/test/echo\",\"params\":\"1,2\"}}");
	EXPECT(ASK(fd, "/test/echo"), "\"params\":\"\"");
	EXPECT(ASK(fd, "/"), "\"/test/echo\"");
	EXPECT(ASK(fd, "/help,/test/echo"), "{\"/help\":{\"/test/echo\":\"echo\"}}");
	EXPECT(ASK(fd, "/nope"), "{\"/nope\":null}");
	EXPECT(ASK(fd, "nope"), "{\"error\":");
	EXPECT(ask(fd, big, sizeof(big)), "{\"error\":\"request longer than 1024 bytes\"}");
	EXPECT(ASK(fd, "/test/echo"), "\"cmd\""); /* the oversized request left nothing behind */
	fd2 = tel_connect(path);                  /* a second client, gone before it reads */
	if (fd2 >= 0)
		close(fd2);
	EXPECT(ASK(fd, "/info"), "\"pid\":");
	ret = PX_TEST_OK;
close:
	close(fd);
stop:
	telemetry_stop();
	PX_TEST_ASSERT(access(path, F_OK) != 0, "the socket is removed at stop");
	rmdir(dir);
	return ret;
}
PX_TEST(telemetry_server_autotest, PX_TEST_F_FAST, test_telemetry_server)

static int test_telemetry_eal(void)
{
	char dir[] = "/tmp/px_tel_XXXXXX", path[160], *old = getenv("RUNTIME_DIRECTORY");
	int fd, ret;

	PX_TEST_ASSERT(mkdtemp(dir) != NULL, "mkdtemp");
	setenv("RUNTIME_DIRECTORY", dir, 1);
	snprintf(path, sizeof(path), "%s/dpdk/pxteltest/" PX_TELEMETRY_SOCKET, dir);
	ret = px_test_eal_init("-l 0 --no-huge -m 64 --file-prefix pxteltest");
	if (old)
		setenv("RUNTIME_DIRECTORY", old, 1);
	else
		unsetenv("RUNTIME_DIRECTORY");
	PX_TEST_ASSERT(ret >= 0, "px_eal_init: %d", ret);
	fd = tel_connect(path);
	ret = fd >= 0 && recv(fd, out, sizeof(out) - 1, 0) > 0 &&
	      strstr(ASK(fd, "/eal/params"), "\"pxteltest\"") != NULL;
	if (fd >= 0)
		close(fd);
	px_eal_cleanup();
	PX_TEST_ASSERT(ret, "px_eal_init serves on %s; /eal/params: %s", path, out);
	PX_TEST_ASSERT(access(path, F_OK) != 0, "px_eal_cleanup removes %s", path);
	snprintf(path, sizeof(path), "%s/dpdk/pxteltest", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/dpdk", dir);
	rmdir(path);
	rmdir(dir);
	return PX_TEST_OK;
}
PX_TEST(telemetry_eal_autotest, PX_TEST_F_FAST, test_telemetry_eal)
