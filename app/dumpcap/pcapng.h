/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A pcapng writer for px-dumpcap: one section, interfaces with nanosecond timestamps, enhanced
 * packet blocks with their direction and queue, interface statistics at the end
 * (draft-ietf-opsawg-pcapng: §4.1 SHB, §4.2 IDB, §4.3 EPB, §4.6 ISB).
 */
#ifndef PCAPNG_H
#define PCAPNG_H

#include <stdint.h>
#include <stdio.h>

/* epb_flags direction (§4.3.1, bits 0-1) */
#define PCAPNG_INBOUND 1u
#define PCAPNG_OUTBOUND 2u

/* The largest block: a packet of 16 KiB, its options and headers. */
#define PCAPNG_MAX_BLOCK (16384 + 1024)

/* The section header: @appl names the writer (shb_userappl). Returns 0 or -errno. */
int pcapng_write_shb(FILE *f, const char *appl);
/* An Ethernet interface, id = how many were written before it. @filter may be NULL. */
int pcapng_write_idb(FILE *f, const char *name, const char *descr, uint32_t snaplen,
		     const char *filter);
/* A packet of interface @ifid: @cap_len bytes of an @orig_len-byte frame seen at @ts_ns. */
int pcapng_write_epb(FILE *f, uint32_t ifid, uint64_t ts_ns, const void *data, uint32_t cap_len,
		     uint32_t orig_len, uint32_t direction, uint32_t queue);
/* The counters of interface @ifid at @ts_ns: packets received and dropped by the capture. */
int pcapng_write_isb(FILE *f, uint32_t ifid, uint64_t ts_ns, uint64_t recv, uint64_t drop);

#endif /* PCAPNG_H */
