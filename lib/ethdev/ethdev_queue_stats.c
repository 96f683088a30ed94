/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-queue counters of software PMDs (struct eth_queue_stats): what their stats_get and
 * stats_reset would each write out, and the per-queue xstats ethdev builds from any port's
 * q_* statistics (PX_ETH_DEV_F_QUEUE_XSTATS).
 */
#include <stdio.h>

#include "ethdev_driver.h"

void eth_queue_stats_add(struct px_eth_stats *st, unsigned int q, const struct eth_queue_stats *rx,
			 const struct eth_queue_stats *tx)
{
	bool per_queue = q < PX_ETH_QUEUE_STAT_CNTRS;

	if (rx != NULL) {
		uint64_t pkts = px_counter64_fetch(&rx->pkts),
			 bytes = px_counter64_fetch(&rx->bytes);
		uint64_t errs = px_counter64_fetch(&rx->errs);

		st->ipackets += pkts;
		st->ibytes += bytes;
		st->ierrors += errs;
		st->rx_nombuf += px_counter64_fetch(&rx->nombuf);
		if (per_queue) {
			st->q_ipackets[q] = pkts;
			st->q_ibytes[q] = bytes;
			st->q_errors[q] = errs;
		}
	}
	if (tx != NULL) {
		uint64_t pkts = px_counter64_fetch(&tx->pkts),
			 bytes = px_counter64_fetch(&tx->bytes);
		uint64_t errs = px_counter64_fetch(&tx->errs);

		st->opackets += pkts;
		st->obytes += bytes;
		st->oerrors += errs;
		if (per_queue) {
			st->q_opackets[q] = pkts;
			st->q_obytes[q] = bytes;
			st->q_oerrors[q] = errs;
		}
	}
}

void eth_queue_stats_reset(struct eth_queue_stats *qs)
{
	px_counter64_reset(&qs->pkts);
	px_counter64_reset(&qs->bytes);
	px_counter64_reset(&qs->errs);
	px_counter64_reset(&qs->nombuf);
}

/* The per-queue xstats: one table per direction, each entry a q_* array of px_eth_stats. */
struct queue_xstat {
	const char *name; /* after "rx_q<N>_" / "tx_q<N>_" */
	size_t off;
};

static const struct queue_xstat rxq_xstats[] = {
	{"packets", offsetof(struct px_eth_stats, q_ipackets)},
	{"bytes", offsetof(struct px_eth_stats, q_ibytes)},
	{"errors", offsetof(struct px_eth_stats, q_errors)},
};

static const struct queue_xstat txq_xstats[] = {
	{"packets", offsetof(struct px_eth_stats, q_opackets)},
	{"bytes", offsetof(struct px_eth_stats, q_obytes)},
	{"errors", offsetof(struct px_eth_stats, q_oerrors)},
};

static unsigned int stat_queues(uint16_t nb)
{
	return nb < PX_ETH_QUEUE_STAT_CNTRS ? nb : PX_ETH_QUEUE_STAT_CNTRS;
}

unsigned int eth_queue_xstats_count(const struct px_eth_dev *dev)
{
	if (!(dev->dev_flags & PX_ETH_DEV_F_QUEUE_XSTATS))
		return 0;
	return stat_queues(dev->nb_rx_queues) * (unsigned int)PX_DIM(rxq_xstats) +
	       stat_queues(dev->nb_tx_queues) * (unsigned int)PX_DIM(txq_xstats);
}

/* The per-queue xstats in order: their names into @names and their values from @st into @vals
 * (either NULL). @return how many. */
static unsigned int queue_xstats_walk(const struct px_eth_dev *dev, const struct px_eth_stats *st,
				      struct px_eth_xstat_name *names, struct px_eth_xstat *vals)
{
	const struct {
		const char *dir;
		unsigned int nb;
		const struct queue_xstat *tab;
		size_t n;
	} dirs[] = {
		{"rx", stat_queues(dev->nb_rx_queues), rxq_xstats, PX_DIM(rxq_xstats)},
		{"tx", stat_queues(dev->nb_tx_queues), txq_xstats, PX_DIM(txq_xstats)},
	};
	unsigned int i = 0;

	if (!(dev->dev_flags & PX_ETH_DEV_F_QUEUE_XSTATS))
		return 0;
	for (size_t d = 0; d < PX_DIM(dirs); d++) {
		for (unsigned int q = 0; q < dirs[d].nb; q++) {
			for (size_t k = 0; k < dirs[d].n; k++, i++) {
				if (names != NULL)
					snprintf(names[i].name, sizeof(names[i].name), "%s_q%u_%s",
						 dirs[d].dir, q, dirs[d].tab[k].name);
				if (vals != NULL)
					vals[i].value = ((const uint64_t *)((const char *)st +
									    dirs[d].tab[k].off))[q];
			}
		}
	}
	return i;
}

unsigned int eth_queue_xstats_names(const struct px_eth_dev *dev, struct px_eth_xstat_name *names)
{
	return queue_xstats_walk(dev, NULL, names, NULL);
}

unsigned int eth_queue_xstats_values(const struct px_eth_dev *dev, const struct px_eth_stats *st,
				     struct px_eth_xstat *vals)
{
	return queue_xstats_walk(dev, st, NULL, vals);
}
