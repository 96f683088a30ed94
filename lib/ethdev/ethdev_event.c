/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port events: callbacks registered by the application, called by drivers from the EAL
 * interrupt thread (px_intr.h), and link up/down.
 *
 * One fixed table under one mutex. A call runs unlocked with its entry marked running;
 * unregistration waits until it is not (unless it is that very call), so the callback's
 * argument may be freed when px_eth_dev_callback_unregister() returns.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>

#include "ethdev_driver.h"
#include "px_intr.h"

#define ETH_MAX_CALLBACKS 64

struct eth_callback {
	bool used;
	uint16_t port;
	enum px_eth_event_type event;
	px_eth_dev_cb_fn fn;
	void *arg;
	unsigned int running;
};

static struct eth_callback eth_cbs[ETH_MAX_CALLBACKS];
static pthread_mutex_t eth_cb_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t eth_cb_idle = PTHREAD_COND_INITIALIZER;

static int event_check(enum px_eth_event_type event, px_eth_dev_cb_fn cb)
{
	if (event <= PX_ETH_EVENT_UNKNOWN || event >= PX_ETH_EVENT_MAX || cb == NULL) {
		ETHDEV_LOG(ERR, "callback: event %d %s", (int)event,
			   cb == NULL ? "with a NULL function" : "does not exist");
		return -EINVAL;
	}
	return 0;
}

int px_eth_dev_callback_register(uint16_t port, enum px_eth_event_type event, px_eth_dev_cb_fn cb,
				 void *cb_arg)
{
	struct eth_callback *slot = NULL;
	struct px_eth_dev *dev;
	int ret;

	GET_DEV_OR_RET(dev, port);
	ret = event_check(event, cb);
	if (ret < 0)
		return ret;
	pthread_mutex_lock(&eth_cb_lock);
	for (unsigned int i = 0; i < ETH_MAX_CALLBACKS; i++) {
		struct eth_callback *c = &eth_cbs[i];

		if (c->used && c->port == port && c->event == event && c->fn == cb &&
		    c->arg == cb_arg)
			ret = -EEXIST;
		if (!c->used && c->running == 0 && slot == NULL)
			slot = c;
	}
	if (ret == 0 && slot == NULL) {
		ETHDEV_LOG(ERR, "%s: all %d event callbacks in use", dev->name, ETH_MAX_CALLBACKS);
		ret = -ENOMEM;
	}
	if (ret == 0)
		*slot = (struct eth_callback){
			.used = true, .port = port, .event = event, .fn = cb, .arg = cb_arg};
	pthread_mutex_unlock(&eth_cb_lock);
	return ret;
}

/* Remove the matching entries (all of the port's with @all); wait for running calls. */
static int callbacks_remove(uint16_t port, bool all, enum px_eth_event_type event,
			    px_eth_dev_cb_fn cb, void *cb_arg)
{
	bool self = px_intr_is_intr_thread();
	int ret = -ENOENT;

	pthread_mutex_lock(&eth_cb_lock);
	for (unsigned int i = 0; i < ETH_MAX_CALLBACKS; i++) {
		struct eth_callback *c = &eth_cbs[i];

		if (!c->used || c->port != port ||
		    (!all && (c->event != event || c->fn != cb || c->arg != cb_arg)))
			continue;
		c->used = false;
		ret = 0;
		while (!self && c->running)
			pthread_cond_wait(&eth_cb_idle, &eth_cb_lock);
	}
	pthread_mutex_unlock(&eth_cb_lock);
	return ret;
}

int px_eth_dev_callback_unregister(uint16_t port, enum px_eth_event_type event, px_eth_dev_cb_fn cb,
				   void *cb_arg)
{
	struct px_eth_dev *dev;
	int ret;

	GET_DEV_OR_RET(dev, port);
	(void)dev;
	ret = event_check(event, cb);
	return ret < 0 ? ret : callbacks_remove(port, false, event, cb, cb_arg);
}

void ethdev_callbacks_release(uint16_t port)
{
	callbacks_remove(port, true, PX_ETH_EVENT_UNKNOWN, NULL, NULL);
}

int eth_dev_callback_process(struct px_eth_dev *dev, enum px_eth_event_type event, void *ret_param)
{
	int called = 0;

	pthread_mutex_lock(&eth_cb_lock);
	for (unsigned int i = 0; i < ETH_MAX_CALLBACKS; i++) {
		struct eth_callback *c = &eth_cbs[i];
		px_eth_dev_cb_fn fn;
		void *arg;

		if (!c->used || c->port != dev->port_id || c->event != event)
			continue;
		fn = c->fn;
		arg = c->arg;
		c->running++;
		pthread_mutex_unlock(&eth_cb_lock);
		fn(dev->port_id, event, arg, ret_param);
		called++;
		pthread_mutex_lock(&eth_cb_lock);
		c->running--;
		pthread_cond_broadcast(&eth_cb_idle);
	}
	pthread_mutex_unlock(&eth_cb_lock);
	return called;
}

int px_eth_dev_set_link_up(uint16_t port)
{
	struct px_eth_dev *dev;

	GET_DEV_OR_RET(dev, port);
	return dev->ops->dev_set_link_up ? dev->ops->dev_set_link_up(dev) : -ENOTSUP;
}

int px_eth_dev_set_link_down(uint16_t port)
{
	struct px_eth_dev *dev;

	GET_DEV_OR_RET(dev, port);
	return dev->ops->dev_set_link_down ? dev->ops->dev_set_link_down(dev) : -ENOTSUP;
}
