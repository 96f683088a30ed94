/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DPDK compatibility: the small helpers with no Pollux twin: random numbers (rte_random.h),
 * string splitting and copies (rte_string_fns.h), MAC parsing (rte_ether.h), the version.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_lcore.h>
#include <rte_random.h>
#include <rte_string_fns.h>
#include <rte_version.h>

/* xoshiro256** (Blackman and Vigna): one state per thread, seeded from rte_srand()'s value
 * and the thread's own address with splitmix64. Not cryptographic, as DPDK's. */
struct rand_state {
	uint64_t s[4];
	uint64_t seed; /* the rte_srand() generation this state was seeded from */
};

static uint64_t rand_seed = 0x9e3779b97f4a7c15ull;
static __thread struct rand_state rand_tls;

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void rte_srand(uint64_t seedval)
{
	__atomic_store_n(&rand_seed, seedval, __ATOMIC_RELAXED);
}

uint64_t rte_rand(void)
{
	struct rand_state *r = &rand_tls;
	uint64_t seed = __atomic_load_n(&rand_seed, __ATOMIC_RELAXED);
	uint64_t *s = r->s, out, t;

	if (px_unlikely(r->seed != seed || (s[0] | s[1] | s[2] | s[3]) == 0)) {
		uint64_t x = seed ^ (uint64_t)(uintptr_t)r ^ rte_lcore_id();

		for (int i = 0; i < 4; i++)
			s[i] = splitmix64(&x);
		r->seed = seed;
	}
	out = rotl(s[1] * 5, 7) * 9;
	t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

uint64_t rte_rand_max(uint64_t upper_bound)
{
	uint64_t mask, v;

	if (upper_bound < 2)
		return 0;
	/* Rejection on the smallest covering power of two: no modulo bias. */
	mask = UINT64_MAX >> __builtin_clzll(upper_bound - 1);
	do
		v = rte_rand() & mask;
	while (v >= upper_bound);
	return v;
}

double rte_drand(void)
{
	return (double)(rte_rand() >> 11) * 0x1.0p-53;
}

int rte_strsplit(char *string, int stringlen, char **tokens, int maxtokens, char delim)
{
	int i, tok = 0, start = 1;

	if (string == NULL || tokens == NULL) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < stringlen && string[i] != '\0' && tok < maxtokens; i++) {
		if (start) {
			tokens[tok++] = &string[i];
			start = 0;
		}
		if (string[i] == delim) {
			string[i] = '\0';
			start = 1;
		}
	}
	return tok;
}

ssize_t rte_strscpy(char *dst, const char *src, size_t dsize)
{
	size_t n = strnlen(src, dsize);

	if (dsize == 0)
		return -E2BIG;
	if (n == dsize) {
		memcpy(dst, src, dsize - 1);
		dst[dsize - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, n + 1);
	return (ssize_t)n;
}

int rte_ether_unformat_addr(const char *str, struct rte_ether_addr *eth_addr)
{
	if (str == NULL || eth_addr == NULL || px_ether_addr_parse(str, eth_addr) < 0) {
		rte_errno = EINVAL;
		return -1;
	}
	return 0;
}

const char *rte_version(void)
{
	return "Pollux " PX_STR(RTE_VER_YEAR) "." PX_STR(RTE_VER_MONTH) " (DPDK API layer)";
}
