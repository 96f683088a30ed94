/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The vdev bus: drivers registered by name, devices created from --vdev at px_eal_init() or by
 * px_vdev_init(), removed in reverse order. All state is control path and lives in libc memory.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus_driver.h"
#include "px_vdev.h"
#include "vdev_private.h"

PX_LOG_REGISTER(vdev_logtype, "vdev", DEFAULT);

/* Longest params string a driver may declare. */
#define VDEV_PARAMS_MAX 512

struct vdev_device {
	char name[PX_VDEV_NAME_MAX];
	struct px_vdev_driver *drv;
	struct px_kvargs *kvargs;
	bool probed;
	struct vdev_device *next;
};

/* The keys of a driver's params string, NULL-terminated, pointing into buf. */
struct vdev_keys {
	char buf[VDEV_PARAMS_MAX];
	const char *v[PX_KVARGS_MAX + 1];
};

static struct px_vdev_driver *drivers;
static struct vdev_device *devices; /* in creation order */
/* Recursive: a driver's probe may create devices of its own (as DPDK's bonding does). */
static pthread_mutex_t vdev_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

/* Split "size=<int> copy=<0|1>" into its keys. Returns 0 or -EINVAL if a word is not KEY=... */
static int params_keys(const char *params, struct vdev_keys *k)
{
	unsigned int n = 0;
	char *save = NULL, *w;

	memset(k->v, 0, sizeof(k->v));
	if (params == NULL)
		return 0;
	if (strlen(params) >= sizeof(k->buf))
		return -EINVAL;
	strcpy(k->buf, params);
	for (w = strtok_r(k->buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		char *eq = strchr(w, '=');

		if (eq == NULL || eq == w || n == PX_KVARGS_MAX)
			return -EINVAL;
		*eq = '\0';
		k->v[n++] = w;
	}
	return 0;
}

static struct px_vdev_driver *driver_by_name(const char *name)
{
	for (struct px_vdev_driver *d = drivers; d; d = d->next)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

int px_vdev_driver_register(struct px_vdev_driver *drv)
{
	struct vdev_keys keys;
	int ret = 0;

	if (drv == NULL || drv->name == NULL || drv->probe == NULL ||
	    params_keys(drv->params, &keys) < 0) {
		VDEV_LOG(ERR, "driver %s: needs a name, a probe function and params of KEY=<...>",
			 drv && drv->name ? drv->name : "(no name)");
		return -EINVAL;
	}
	pthread_mutex_lock(&vdev_lock);
	if (driver_by_name(drv->name)) {
		VDEV_LOG(ERR, "driver %s registered twice", drv->name);
		ret = -EEXIST;
	} else {
		drv->next = drivers;
		drivers = drv;
	}
	pthread_mutex_unlock(&vdev_lock);
	return ret;
}

int px_vdev_driver_unregister(struct px_vdev_driver *drv)
{
	struct px_vdev_driver **pp;
	int ret = -ENOENT;

	pthread_mutex_lock(&vdev_lock);
	for (struct vdev_device *d = devices; d; d = d->next)
		if (d->drv == drv) {
			ret = -EBUSY;
			goto out;
		}
	for (pp = &drivers; *pp; pp = &(*pp)->next)
		if (*pp == drv) {
			*pp = drv->next;
			ret = 0;
			break;
		}
out:
	pthread_mutex_unlock(&vdev_lock);
	return ret;
}

/* The driver whose name is the longest prefix of device @name. */
static struct px_vdev_driver *driver_for(const char *name)
{
	struct px_vdev_driver *best = NULL;
	size_t best_len = 0;

	for (struct px_vdev_driver *d = drivers; d; d = d->next) {
		size_t len = strlen(d->name);

		if (len > best_len && strncmp(name, d->name, len) == 0) {
			best = d;
			best_len = len;
		}
	}
	return best;
}

static void log_no_driver(const char *name)
{
	char list[512] = "";
	size_t len = 0;

	for (struct px_vdev_driver *d = drivers; d && len < sizeof(list); d = d->next)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "",
					d->name);
	VDEV_LOG(ERR, "%s: no vdev driver for this name; registered drivers: %s", name,
		 drivers ? list : "none (build with -DPX_DRIVERS=...)");
}

static struct vdev_device *device_find(const char *name)
{
	for (struct vdev_device *d = devices; d; d = d->next)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

static int name_check(const char *name)
{
	size_t len = strnlen(name, PX_VDEV_NAME_MAX);

	if (len == 0 || len == PX_VDEV_NAME_MAX) {
		VDEV_LOG(ERR, "vdev name '%.*s' must have 1 to %d characters", PX_VDEV_NAME_MAX,
			 name, PX_VDEV_NAME_MAX - 1);
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_') {
			VDEV_LOG(ERR, "vdev name '%s': only letters, digits and '_' are allowed",
				 name);
			return -EINVAL;
		}
	return 0;
}

/* Parse @args against the keys @drv declares; logs the driver's usage when they are bad. */
static struct px_kvargs *args_parse(const char *name, struct px_vdev_driver *drv, const char *args)
{
	struct vdev_keys keys;
	struct px_kvargs *kv;
	int err;

	if (params_keys(drv->params, &keys) < 0) { /* checked at registration */
		errno = EINVAL;
		return NULL;
	}
	kv = px_kvargs_parse(args, keys.v);
	if (kv == NULL) {
		err = errno;
		VDEV_LOG(ERR, "%s: bad arguments '%s'; %s takes: %s", name, args ? args : "",
			 drv->name, drv->params && *drv->params ? drv->params : "no arguments");
		errno = err;
	}
	return kv;
}

/* Check and record a device (not probed yet). Called with the lock held. */
static int device_create(const char *name, const char *args, struct vdev_device **out)
{
	struct px_vdev_driver *drv;
	struct vdev_device *dev, **pp;
	int ret = name_check(name);

	if (ret < 0)
		return ret;
	if (device_find(name)) {
		VDEV_LOG(ERR, "%s: a vdev with this name exists already; give each its own number",
			 name);
		return -EEXIST;
	}
	drv = driver_for(name);
	if (drv == NULL) {
		log_no_driver(name);
		return -ENODEV;
	}
	dev = calloc(1, sizeof(*dev));
	if (dev == NULL)
		return -ENOMEM;
	dev->kvargs = args_parse(name, drv, args);
	if (dev->kvargs == NULL) {
		ret = -errno;
		free(dev);
		return ret;
	}
	strcpy(dev->name, name);
	dev->drv = drv;
	for (pp = &devices; *pp; pp = &(*pp)->next)
		;
	*pp = dev;
	*out = dev;
	return 0;
}

static int device_probe(struct vdev_device *dev)
{
	int ret = dev->drv->probe(dev->name, dev->kvargs);

	if (ret < 0) {
		VDEV_LOG(ERR, "%s: driver %s failed to probe: %s", dev->name, dev->drv->name,
			 strerror(-ret));
		return ret;
	}
	dev->probed = true;
	VDEV_LOG(INFO, "%s: probed by %s", dev->name, dev->drv->name);
	return 0;
}

/* Remove (if probed), unlink and free a device. Returns what the driver's remove returned. */
static int device_destroy(struct vdev_device *dev)
{
	struct vdev_device **pp;
	int ret = 0;

	if (dev->probed && dev->drv->remove) {
		ret = dev->drv->remove(dev->name);
		if (ret < 0)
			VDEV_LOG(ERR, "%s: driver %s failed to remove it: %s", dev->name,
				 dev->drv->name, strerror(-ret));
	}
	for (pp = &devices; *pp != dev; pp = &(*pp)->next)
		;
	*pp = dev->next;
	px_kvargs_free(dev->kvargs);
	free(dev);
	return ret;
}

int px_vdev_init(const char *name, const char *args)
{
	struct vdev_device *dev;
	int ret;

	if (name == NULL)
		return -EINVAL;
	pthread_mutex_lock(&vdev_lock);
	ret = device_create(name, args, &dev);
	if (ret == 0) {
		ret = device_probe(dev);
		if (ret < 0)
			device_destroy(dev);
	}
	pthread_mutex_unlock(&vdev_lock);
	return ret;
}

int px_vdev_uninit(const char *name)
{
	struct vdev_device *dev;
	int ret = -ENOENT;

	if (name == NULL)
		return -EINVAL;
	pthread_mutex_lock(&vdev_lock);
	dev = device_find(name);
	if (dev)
		ret = device_destroy(dev);
	pthread_mutex_unlock(&vdev_lock);
	return ret;
}

int px_vdev_exists(const char *name)
{
	struct vdev_device *dev;
	int ret;

	if (name == NULL)
		return 0;
	pthread_mutex_lock(&vdev_lock);
	dev = device_find(name);
	ret = dev != NULL && dev->probed; /* read under the lock: uninit may free it */
	pthread_mutex_unlock(&vdev_lock);
	return ret;
}

/* ---- the bus ---- */

/* Record one --vdev "name[,args]". */
static int vdev_scan_one(const char *devstr)
{
	const char *comma = strchr(devstr, ',');
	size_t len = comma ? (size_t)(comma - devstr) : strlen(devstr);
	char name[PX_VDEV_NAME_MAX];
	struct vdev_device *dev;

	if (len >= sizeof(name)) {
		VDEV_LOG(ERR, "--vdev %.*s: the name is longer than %d characters", (int)len,
			 devstr, PX_VDEV_NAME_MAX - 1);
		return -EINVAL;
	}
	memcpy(name, devstr, len);
	name[len] = '\0';
	return device_create(name, comma ? comma + 1 : NULL, &dev);
}

static int vdev_bus_scan(void)
{
	const char *s;
	int ret = 0;

	pthread_mutex_lock(&vdev_lock);
	for (unsigned int i = 0; ret == 0 && (s = eal_bus_arg(EAL_BUS_VDEV, i)) != NULL; i++)
		ret = vdev_scan_one(s);
	pthread_mutex_unlock(&vdev_lock);
	return ret;
}

static int vdev_bus_probe(void)
{
	int ret = 0;

	pthread_mutex_lock(&vdev_lock);
	for (struct vdev_device *d = devices; d && ret == 0; d = d->next)
		if (!d->probed)
			ret = device_probe(d);
	pthread_mutex_unlock(&vdev_lock);
	return ret;
}

static void vdev_bus_cleanup(void)
{
	pthread_mutex_lock(&vdev_lock);
	while (devices) {
		struct vdev_device *last = devices;

		while (last->next)
			last = last->next;
		device_destroy(last);
	}
	pthread_mutex_unlock(&vdev_lock);
}

static struct eal_bus vdev_bus = {
	.name = "vdev",
	.scan = vdev_bus_scan,
	.probe = vdev_bus_probe,
	.cleanup = vdev_bus_cleanup,
};

EAL_BUS_REGISTER(vdev_bus);
