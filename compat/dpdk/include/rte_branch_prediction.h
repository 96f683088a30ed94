/* SPDX-License-Identifier: BSD-3-Clause */
/** @file rte_branch_prediction.h DPDK compatibility: likely() and unlikely(). */
#ifndef POLLUX_RTE_BRANCH_PREDICTION_H
#define POLLUX_RTE_BRANCH_PREDICTION_H

#include <px_common.h>

#ifndef likely
#define likely(x) px_likely(x)
#endif
#ifndef unlikely
#define unlikely(x) px_unlikely(x)
#endif

#endif /* POLLUX_RTE_BRANCH_PREDICTION_H */
