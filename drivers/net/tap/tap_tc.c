/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_tap remote=: the kernel's traffic control, through rtnetlink (rtnetlink(7); the messages
 * of linux/pkt_sched.h, linux/pkt_cls.h, linux/tc_act/tc_mirred.h), as `tc` would say it:
 *
 *   tc qdisc add dev REMOTE ingress
 *   tc filter add dev REMOTE parent ffff: prio P protocol all u32 match <dst MAC> \
 *       action mirred egress redirect|mirror dev TAP
 *   tc qdisc add dev TAP ingress
 *   tc filter add dev TAP parent ffff: prio P protocol all u32 match u32 0 0 \
 *       action mirred egress mirror dev REMOTE
 *
 * u32 rather than DPDK's flower: flower is a module many kernels lack (CONFIG_NET_CLS_FLOWER),
 * u32 is nearly always built in. On ingress u32's offsets count from the network header, so
 * the Ethernet destination is at -14.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/tc_act/tc_mirred.h>
#include <net/ethernet.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <px_byteorder.h>

#include "tap_tc.h"

#define TC_MSG_SIZE 1024
#define TC_INGRESS_HANDLE TC_H_MAKE(TC_H_INGRESS, 0) /* ffff: */

struct tc_msg {
	struct nlmsghdr nh;
	struct tcmsg t;
	uint8_t attrs[TC_MSG_SIZE];
};

static void tc_msg_init(struct tc_msg *m, uint16_t type, uint16_t flags, int ifindex)
{
	memset(m, 0, sizeof(*m));
	m->nh.nlmsg_len = NLMSG_LENGTH(sizeof(m->t));
	m->nh.nlmsg_type = type;
	m->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	m->t.tcm_family = AF_UNSPEC;
	m->t.tcm_ifindex = ifindex;
}

/* Append an attribute; @return it (for a nested one, closed by tc_nest_end) */
static struct rtattr *tc_attr(struct tc_msg *m, uint16_t type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((uint8_t *)m + NLMSG_ALIGN(m->nh.nlmsg_len));

	/* the messages here are fixed and far below TC_MSG_SIZE */
	a->rta_type = type;
	a->rta_len = (uint16_t)RTA_LENGTH(len);
	if (len > 0)
		memcpy(RTA_DATA(a), data, len);
	m->nh.nlmsg_len = NLMSG_ALIGN(m->nh.nlmsg_len) + RTA_ALIGN(a->rta_len);
	return a;
}

static void tc_nest_end(struct tc_msg *m, struct rtattr *nest)
{
	nest->rta_len = (uint16_t)((uint8_t *)m + m->nh.nlmsg_len - (uint8_t *)nest);
}

/* Send @m and read the kernel's answer. @return 0 or -errno (the kernel's) */
static int tc_talk(struct tc_msg *m)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	union {
		struct nlmsghdr nh;
		uint8_t buf[4096];
	} ans;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	ssize_t n;
	int ret;

	if (fd < 0)
		return -errno;
	if (sendto(fd, m, m->nh.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		goto out;
	}
	n = recv(fd, &ans, sizeof(ans), 0);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n < NLMSG_LENGTH(sizeof(struct nlmsgerr)) ||
		 ans.nh.nlmsg_type != NLMSG_ERROR)
		ret = -EPROTO;
	else
		ret = ((struct nlmsgerr *)NLMSG_DATA(&ans.nh))->error;
out:
	close(fd);
	return ret;
}

int tap_tc_ingress_add(int ifindex)
{
	struct tc_msg m;

	tc_msg_init(&m, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, ifindex);
	m.t.tcm_handle = TC_INGRESS_HANDLE;
	m.t.tcm_parent = TC_H_INGRESS;
	tc_attr(&m, TCA_KIND, "ingress", sizeof("ingress"));
	return tc_talk(&m);
}

int tap_tc_ingress_del(int ifindex)
{
	struct tc_msg m;

	tc_msg_init(&m, RTM_DELQDISC, 0, ifindex);
	m.t.tcm_handle = TC_INGRESS_HANDLE;
	m.t.tcm_parent = TC_H_INGRESS;
	return tc_talk(&m);
}

int tap_tc_mirred_add(int ifindex, uint16_t prio, const uint8_t *dst, const uint8_t *dst_mask,
		      bool redirect, int to_ifindex)
{
	/* the selector and its two keys (its flexible array member) in one buffer */
	union {
		struct tc_u32_sel sel;
		uint8_t raw[sizeof(struct tc_u32_sel) + 2 * sizeof(struct tc_u32_key)];
	} s = {.sel = {.flags = TC_U32_TERMINAL, .nkeys = 2}};
	struct tc_mirred mirred = {.action = redirect ? TC_ACT_STOLEN : TC_ACT_PIPE,
				   .eaction = redirect ? TCA_EGRESS_REDIR : TCA_EGRESS_MIRROR,
				   .ifindex = (uint32_t)to_ifindex};
	struct rtattr *opts, *acts, *act, *aopts;
	struct tc_msg m;

	/* the destination MAC, bytes 0-3 at -14 and 4-5 at -10 (NULL: every frame) */
	for (int k = 0; k < 2 && dst != NULL; k++) {
		const uint8_t *v = dst + 4 * k, *mk = dst_mask + 4 * k;
		uint32_t val = (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16;
		uint32_t msk = (uint32_t)mk[0] << 24 | (uint32_t)mk[1] << 16;

		if (k == 0) {
			val |= (uint32_t)v[2] << 8 | v[3];
			msk |= (uint32_t)mk[2] << 8 | mk[3];
		}
		s.sel.keys[k] = (struct tc_u32_key){.mask = px_cpu_to_be_32(msk),
						    .val = px_cpu_to_be_32(val & msk),
						    .off = -ETH_HLEN + 4 * k};
	}
	tc_msg_init(&m, RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_EXCL, ifindex);
	m.t.tcm_parent = TC_INGRESS_HANDLE;
	m.t.tcm_info = TC_H_MAKE((uint32_t)prio << 16, px_cpu_to_be_16(ETH_P_ALL));
	tc_attr(&m, TCA_KIND, "u32", sizeof("u32"));
	opts = tc_attr(&m, TCA_OPTIONS, NULL, 0);
	tc_attr(&m, TCA_U32_SEL, &s, sizeof(s)); /* keys of mask 0 match every frame */
	acts = tc_attr(&m, TCA_U32_ACT, NULL, 0);
	act = tc_attr(&m, 1, NULL, 0); /* the first action */
	tc_attr(&m, TCA_ACT_KIND, "mirred", sizeof("mirred"));
	aopts = tc_attr(&m, TCA_ACT_OPTIONS, NULL, 0);
	tc_attr(&m, TCA_MIRRED_PARMS, &mirred, sizeof(mirred));
	tc_nest_end(&m, aopts);
	tc_nest_end(&m, act);
	tc_nest_end(&m, acts);
	tc_nest_end(&m, opts);
	return tc_talk(&m);
}

int tap_tc_filter_del(int ifindex, uint16_t prio)
{
	struct tc_msg m;

	tc_msg_init(&m, RTM_DELTFILTER, 0, ifindex);
	m.t.tcm_parent = TC_INGRESS_HANDLE;
	m.t.tcm_info = TC_H_MAKE((uint32_t)prio << 16, px_cpu_to_be_16(ETH_P_ALL));
	return tc_talk(&m);
}
