/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_intr.h
 * The interrupt thread: callbacks run when a file descriptor (a VFIO eventfd, usually) becomes
 * readable. Control-path events only (link change, device removal); RX queue interrupts are
 * waited for by the application's own threads (px_eth_dev_rx_intr_wait()).
 *
 * The thread ("px-intr") starts at the first registration and stops in px_eal_cleanup(). A
 * callback runs on that thread, one at a time; it must read (drain) its descriptor, or it is
 * called again at once.
 */
#ifndef PX_INTR_H
#define PX_INTR_H

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

/** Called on the interrupt thread when @p fd is readable. */
typedef void (*px_intr_cb_t)(int fd, void *arg);

/**
 * Call @p cb when @p fd becomes readable (level-triggered).
 * @return 0, -EINVAL (fd < 0 or NULL cb), -EEXIST (fd already registered), -ENOMEM, or the
 * error of creating the thread or of epoll_ctl()
 */
int px_intr_callback_register(int fd, px_intr_cb_t cb, void *arg);

/**
 * Stop watching @p fd. When its callback is running on the interrupt thread, wait for it to
 * return (unless called from that callback). After this returns the callback is not running
 * and will not run again, so @p arg may be freed.
 * @return 0, -EINVAL, -ENOENT (not registered with this cb and arg)
 */
int px_intr_callback_unregister(int fd, px_intr_cb_t cb, void *arg);

/** @return non-zero when called on the interrupt thread. */
int px_intr_is_intr_thread(void);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_INTR_H */
