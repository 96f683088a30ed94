/* SPDX-License-Identifier: BSD-3-Clause */
/* The list of buses, and their scan/probe/cleanup at start-up and shut-down. */
#include <errno.h>
#include <string.h>

#include "eal_private.h"
#include "bus_driver.h"

static struct eal_bus *buses;

const char *eal_bus_arg(enum eal_bus_list list, unsigned int i)
{
	const struct eal_strlist *l = list == EAL_BUS_ALLOW  ? &eal_config.allow
				      : list == EAL_BUS_BLOCK ? &eal_config.block
							      : &eal_config.vdevs;

	return i < l->n ? l->v[i] : NULL;
}

bool eal_bus_no_pci(void)
{
	return eal_config.no_pci;
}

void eal_bus_register(struct eal_bus *bus)
{
	struct eal_bus **pp = &buses;

	while (*pp)
		pp = &(*pp)->next;
	bus->next = NULL;
	*pp = bus;
}

void eal_bus_cleanup(void)
{
	/* reverse order: walk to each last bus not yet cleaned */
	struct eal_bus *order[32];
	int n = 0;

	for (struct eal_bus *b = buses; b && n < 32; b = b->next)
		order[n++] = b;
	while (n-- > 0)
		if (order[n]->cleanup)
			order[n]->cleanup();
}

/* Register the built-in drivers once: each init adds its driver to its bus's registry. */
static void drivers_init(void)
{
	static bool done;

	if (done)
		return;
	for (const struct eal_driver_entry *d = eal_drivers; d->name; d++)
		d->init();
	done = true;
}

int eal_bus_init(void)
{
	int ret;

	drivers_init();

	for (struct eal_bus *b = buses; b; b = b->next) {
		ret = b->scan ? b->scan() : 0;
		if (ret < 0) {
			EAL_LOG(ERR, "%s bus: scan failed: %s", b->name, strerror(-ret));
			goto fail;
		}
	}
	for (struct eal_bus *b = buses; b; b = b->next) {
		ret = b->probe ? b->probe() : 0;
		if (ret < 0) {
			EAL_LOG(ERR, "%s bus: probe failed: %s", b->name, strerror(-ret));
			goto fail;
		}
	}
	return 0;
fail:
	eal_bus_cleanup();
	return ret;
}
