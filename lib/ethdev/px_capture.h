/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_capture.h
 * Packet capture from outside the process: what a capture tool (px-dumpcap) and the process
 * say to each other.
 *
 * The tool sends the telemetry request "/ethdev/capture,PORT,DIR,SNAPLEN" (DIR rx, tx or
 * rxtx); the answer names a SOCK_SEQPACKET socket in the telemetry directory
 * ({"socket": PATH, ...}). Once the tool connects there, the process copies the packets of
 * that port and direction (the first SNAPLEN bytes of each, up to PX_CAPTURE_MAX_SNAPLEN) and
 * a thread of its own sends them, one message each: a struct px_capture_rec and cap_len bytes.
 * The lcores never wait: when the tool reads too slowly, packets are not copied and `drops`
 * counts them. The capture ends when the tool closes the socket (or does not connect within
 * PX_CAPTURE_CONNECT_MS). One capture at a time per process.
 */
#ifndef PX_CAPTURE_H
#define PX_CAPTURE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PX_CAPTURE_RX 1u /**< dir: received on the port */
#define PX_CAPTURE_TX 2u /**< dir: sent by the port */

/** Longest copy of one packet. */
#define PX_CAPTURE_MAX_SNAPLEN 16384u
/** How long the process waits for the tool to connect to the capture socket. */
#define PX_CAPTURE_CONNECT_MS 5000

/** The head of each message on the capture socket; the packet's bytes follow. */
struct px_capture_rec {
	uint64_t ts_ns;    /**< when the burst was seen: CLOCK_REALTIME, nanoseconds */
	uint64_t drops;    /**< packets not copied since the capture started (no room) */
	uint32_t orig_len; /**< the packet's length */
	uint32_t cap_len;  /**< bytes that follow: min(orig_len, snaplen) */
	uint16_t port;
	uint16_t queue;
	uint8_t dir; /**< PX_CAPTURE_RX or PX_CAPTURE_TX */
	uint8_t pad[3];
};

#ifdef __cplusplus
}
#endif

#endif /* PX_CAPTURE_H */
