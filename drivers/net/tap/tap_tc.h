/* SPDX-License-Identifier: BSD-3-Clause */
/* net_tap remote=: ingress qdiscs and u32 filters with a mirred action (tap_tc.c). Each
 * function returns 0 or the kernel's -errno. */
#ifndef TAP_TC_H
#define TAP_TC_H

#include <stdbool.h>
#include <stdint.h>

/* tc qdisc add dev IF ingress (-EEXIST: there is one) */
int tap_tc_ingress_add(int ifindex);
/* tc qdisc del dev IF ingress (with every filter on it) */
int tap_tc_ingress_del(int ifindex);
/* On IF's ingress at @prio: frames whose destination MAC matches @dst under @dst_mask (6 bytes
 * each; @dst NULL: every frame) are redirected (taken from IF) or mirrored (copied, IF's stack
 * gets them too) out of @to_ifindex. */
int tap_tc_mirred_add(int ifindex, uint16_t prio, const uint8_t *dst, const uint8_t *dst_mask,
		      bool redirect, int to_ifindex);
/* tc filter del dev IF parent ffff: prio P */
int tap_tc_filter_del(int ifindex, uint16_t prio);

#endif
