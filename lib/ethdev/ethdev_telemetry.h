/* SPDX-License-Identifier: BSD-3-Clause */
/* What ethdev.c needs of ethdev_telemetry.c. Not installed. */
#ifndef ETHDEV_TELEMETRY_H
#define ETHDEV_TELEMETRY_H

/* Held by every /ethdev/ telemetry command while it reads a port, and by px_eth_dev_close()
 * while it frees one: a command never reads a port being freed. */
void ethdev_telemetry_lock(void);
void ethdev_telemetry_unlock(void);

struct px_eth_dev;
/* Publish the started port's burst functions in px_eth_fp_ops: the driver's, or a running
 * capture's in their place. */
void ethdev_capture_fp_set(struct px_eth_dev *dev);

#endif /* ETHDEV_TELEMETRY_H */
