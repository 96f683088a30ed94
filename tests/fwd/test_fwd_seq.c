/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * px-fwd rxonly --check's sequence accounting (fwd_seq_account): every number once, in any
 * order within FWD_SEQ_WINDOW; duplicates, numbers already passed and numbers too far ahead
 * are refused. Built from px-fwd's own sources.
 */
#include <stdio.h>
#include <string.h>

#include "fwd.h"
#include "fwd_test.h"

FWD_TEST_GLOBALS(.burst = 32);

static int failures;

static void expect(struct fwd_stream *s, uint64_t seq, bool good, bool early, const char *what)
{
	bool r = !early, ok = fwd_seq_account(s, seq, &r);

	if (ok != good || (ok && r != early)) {
		fprintf(stderr, "FAIL: %s: seq %llu: %s%s\n", what, (unsigned long long)seq,
			ok ? "accepted" : "refused", ok && r ? " as early" : "");
		failures++;
	}
}

int main(void)
{
	static struct fwd_stream s;
	static const uint64_t qemu_hub[] = {0, 1, 2, 64, 3, 4}; /* as seen in the lab */
	static uint64_t bits[FWD_SEQ_WINDOW / 64];

	s.seen = bits;
	for (uint64_t i = 0; i < 3000; i++)
		expect(&s, i, true, false, "in order");
	memset(&s, 0, sizeof(s));
	memset(bits, 0, sizeof(bits));
	s.seen = bits;
	for (unsigned int i = 0; i < PX_DIM(qemu_hub); i++)
		expect(&s, qemu_hub[i], true, qemu_hub[i] == 64, "one frame overtakes");
	for (uint64_t i = 5; i < 64; i++)
		expect(&s, i, true, false, "the rest in order");
	expect(&s, 64, false, false, "64 again (duplicate)");
	expect(&s, 3, false, false, "3 again (already passed)");
	expect(&s, 65, true, false, "65 after the window closed up");
	if (s.rx_seq != 66 || s.rx_pending != 0) {
		fprintf(stderr, "FAIL: rx_seq %llu pending %u, want 66 and 0\n",
			(unsigned long long)s.rx_seq, s.rx_pending);
		failures++;
	}
	expect(&s, 66 + FWD_SEQ_WINDOW, false, false, "beyond the window");
	expect(&s, 66 + FWD_SEQ_WINDOW - 1, true, true, "the window's last slot");
	expect(&s, 67, true, true, "early, with a gap at 66");
	expect(&s, 67, false, false, "67 twice while 66 is missing");
	expect(&s, 66, true, false, "the gap filled");
	if (s.rx_seq != 68 || s.rx_pending != 1) {
		fprintf(stderr, "FAIL: rx_seq %llu pending %u, want 68 and 1\n",
			(unsigned long long)s.rx_seq, s.rx_pending);
		failures++;
	}
	if (failures == 0)
		printf("fwd_seq_account: all cases passed\n");
	return failures != 0;
}
