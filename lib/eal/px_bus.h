/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_bus.h
 * Buses (pci, vdev) plug into the EAL here. px_eal_init() scans then probes every registered
 * bus after memory is up, in registration order; px_eal_cleanup() removes them in reverse.
 * Buses live inside libpollux and register from a constructor (PX_BUS_REGISTER), so static
 * linking needs nothing special.
 */
#ifndef PX_BUS_H
#define PX_BUS_H

#ifdef __cplusplus
extern "C" {
#endif

struct px_bus {
	const char *name;
	/** Find devices (and parse the options that concern this bus). 0 or negative errno. */
	int (*scan)(void);
	/** Hand found devices to drivers. 0 or negative errno (init fails). */
	int (*probe)(void);
	/** Release every device; called by px_eal_cleanup(). */
	void (*cleanup)(void);
	struct px_bus *next;
};

/** Register a bus (constructor time). */
void px_bus_register(struct px_bus *bus);

#define PX_BUS_REGISTER(b)                                                 \
	__attribute__((constructor)) static void px_bus_register_##b(void) \
	{                                                                  \
		px_bus_register(&(b));                                     \
	}

#ifdef __cplusplus
}
#endif

#endif /* PX_BUS_H */
