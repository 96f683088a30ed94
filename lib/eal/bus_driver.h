/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Buses (pci, vdev) plug into the EAL here: the EAL side of a bus, for the components that
 * implement one. Not installed for applications.
 *
 * px_eal_init() scans then probes every registered bus after memory is up, in registration
 * order; px_eal_cleanup() removes them in reverse. Buses live inside libpollux and register from
 * a constructor (EAL_BUS_REGISTER), so static linking needs nothing special.
 */
#ifndef EAL_BUS_DRIVER_H
#define EAL_BUS_DRIVER_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

struct eal_bus {
	const char *name;
	/** Find devices (and parse the options that concern this bus). 0 or negative errno. */
	int (*scan)(void);
	/** Hand found devices to drivers. 0 or negative errno (init fails). */
	int (*probe)(void);
	/** Release every device; called by px_eal_cleanup(). */
	void (*cleanup)(void);
	struct eal_bus *next;
};

/** Register a bus (constructor time). */
void eal_bus_register(struct eal_bus *bus);

#define EAL_BUS_REGISTER(b)                                                 \
	__attribute__((constructor)) static void eal_bus_register_##b(void) \
	{                                                                   \
		eal_bus_register(&(b));                                     \
	}

/** The device lists of the command line, for the buses' scan. */
enum eal_bus_list {
	EAL_BUS_ALLOW, /**< -a: "PCI[,devargs]" */
	EAL_BUS_BLOCK, /**< -b: "PCI" */
	EAL_BUS_VDEV,  /**< --vdev: "net_name,key=value,..." */
};

/** @return the @p i-th entry of @p list as px_eal_init() parsed it, or NULL past its end. */
const char *eal_bus_arg(enum eal_bus_list list, unsigned int i);

/** @return true when --no-pci was given. */
bool eal_bus_no_pci(void);

#ifdef __cplusplus
}
#endif

#endif /* EAL_BUS_DRIVER_H */
