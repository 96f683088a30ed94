/* px-lab-udp - UDP datagrams to a reflector and back, byte for byte (the lab).
 *
 *   px-lab-udp ADDR PORT MIN MAX [STEP]
 *
 * Sends one datagram of each size MIN, MIN+STEP, ..., MAX (and MAX itself) to
 * ADDR:PORT from a connected socket, each filled with a pattern that depends on
 * its size and sequence number, and waits up to 2 s for it to come back (a
 * reflector such as px-fwd's 5tswap mode swaps the addresses and ports, so the
 * datagram returns to this socket). Every datagram must come back once, with
 * the same length and the same bytes. Plain libc, linked statically per arch
 * by tools/lab/run.sh, like hello-vfio.
 *
 * Exit status: 0 when every datagram came back intact, 1 otherwise, 2 on bad
 * arguments or when the socket cannot be made.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_DGRAM 65507

static void fill(unsigned char *buf, size_t len, unsigned seq)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (unsigned char)(i * 7 + seq * 13 + len);
}

/* Wait for the echo of datagram seq (len bytes, pattern in want); 0 when it
 * arrived intact, -1 when it did not (lost, short, or different). */
static int await_echo(int fd, const unsigned char *want, size_t len, unsigned seq,
		      unsigned char *got)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	for (;;) {
		int r = poll(&p, 1, 2000);
		if (r <= 0) {
			fprintf(stderr, "px-lab-udp: datagram %u (%zu bytes) did not come back in 2 s\n",
				seq, len);
			return -1;
		}
		ssize_t n = recv(fd, got, MAX_DGRAM + 1, 0);
		if (n < 0) {
			fprintf(stderr, "px-lab-udp: recv: %s\n", strerror(errno));
			return -1;
		}
		if ((size_t)n == len && memcmp(got, want, len) == 0)
			return 0;
		/* Short, long, late (an earlier datagram's) or changed: wrong. */
		size_t i = 0;
		while (i < (size_t)n && i < len && got[i] == want[i])
			i++;
		fprintf(stderr,
			"px-lab-udp: datagram %u: got %zd bytes, sent %zu; first difference at byte %zu\n",
			seq, n, len, i);
		return -1;
	}
}

int main(int argc, char **argv)
{
	if (argc < 5 || argc > 6) {
		fprintf(stderr, "usage: px-lab-udp ADDR PORT MIN MAX [STEP]\n");
		return 2;
	}
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2]))};
	if (inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
		fprintf(stderr, "px-lab-udp: '%s' is not an IPv4 address\n", argv[1]);
		return 2;
	}
	long min = atol(argv[3]), max = atol(argv[4]), step = argc > 5 ? atol(argv[5]) : 1;
	if (min < 1 || max < min || max > MAX_DGRAM || step < 1) {
		fprintf(stderr, "px-lab-udp: sizes must be 1 <= MIN <= MAX <= %d, STEP >= 1\n",
			MAX_DGRAM);
		return 2;
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0) {
		fprintf(stderr, "px-lab-udp: socket to %s:%s: %s\n", argv[1], argv[2],
			strerror(errno));
		return 2;
	}
	int big = 4 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	unsigned char *buf = malloc(MAX_DGRAM), *got = malloc(MAX_DGRAM + 1);
	if (!buf || !got)
		return 2;

	unsigned sent = 0, ok = 0;
	long bytes = 0;
	for (long len = min;; len += step) {
		if (len > max)
			len = max;
		fill(buf, (size_t)len, sent);
		if (send(fd, buf, (size_t)len, 0) != len) {
			fprintf(stderr, "px-lab-udp: send of %ld bytes: %s\n", len, strerror(errno));
		} else if (await_echo(fd, buf, (size_t)len, sent, got) == 0) {
			ok++;
			bytes += len;
		}
		sent++;
		if (len == max)
			break;
	}
	printf("px-lab-udp: %u of %u datagrams of %ld..%ld bytes came back intact (%ld bytes)\n",
	       ok, sent, min, max, bytes);
	free(buf);
	free(got);
	close(fd);
	return ok == sent ? 0 : 1;
}
