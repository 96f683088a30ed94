/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL internals shared by the components of libpollux. Not installed.
 */
#ifndef EAL_PRIVATE_H
#define EAL_PRIVATE_H

#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <px_eal.h>

struct eal_strlist {
	char **v;
	unsigned int n;
};

struct eal_lcore_cfg {
	bool enabled;
	int cpu;        /* the first CPU of @cpus: px_lcore_to_cpu_id() */
	cpu_set_t cpus; /* CPUs the lcore's thread may run on (--lcores '(0,1)@(2,3)') */
};

/* Everything the command line says; filled by eal_args_parse() without side effects. */
struct eal_cfg {
	struct eal_lcore_cfg lcore[PX_MAX_LCORE];
	unsigned int lcore_count;
	unsigned int main_lcore;
	bool lcores_set;
	bool main_set;
	struct eal_strlist allow;               /* -a: "PCI[,devargs]" */
	struct eal_strlist block;               /* -b: "PCI" */
	struct eal_strlist vdevs;               /* --vdev: "net_name,key=value,..." */
	struct eal_strlist log_levels;          /* --log-level: "level" or "pattern:level" */
	uint64_t mem_bytes;                     /* -m */
	uint64_t socket_mem[PX_MAX_NUMA_NODES]; /* --socket-mem, bytes per socket */
	unsigned int socket_mem_n;
	char *huge_dir;
	char *file_prefix;
	bool no_huge;
	bool no_pci;
	bool help;
	enum px_iova_mode iova_mode;
	cpu_set_t service;                        /* -s/-S: lcores DPDK would give its services */
	uint64_t socket_limit[PX_MAX_NUMA_NODES]; /* --socket-limit, bytes per socket (0: none) */
	unsigned int socket_limit_n;
	uint64_t base_virtaddr;   /* --base-virtaddr: the memory arena's hint (0: default) */
	bool no_telemetry;        /* --no-telemetry (--telemetry clears it) */
	bool log_help;            /* --log-level=help: list the log components and stop */
	bool version;             /* -v: log the version at start-up */
	int syslog_facility;      /* --syslog: LOG_USER etc.; -1 when not given */
	struct eal_strlist notes; /* one line each: why an accepted DPDK option does nothing here */
};

/* The configuration in force after px_eal_init(). */
extern struct eal_cfg eal_config;
extern int eal_logtype;
extern int eal_mem_logtype;

#define EAL_LOG(lvl, ...) PX_LOG(lvl, eal_logtype, __VA_ARGS__)

/* ---- eal_args.c ---- */
/* Parse argv into @cfg (zeroed first). @online is the set of usable CPUs. Returns the index of
 * the first argument not consumed (>= 1), or -EINVAL after logging one line. */
int eal_args_parse(struct eal_cfg *cfg, int argc, char **argv, const cpu_set_t *online);
void eal_cfg_free(struct eal_cfg *cfg);
/* Parse a core list "0-3,5" into @set. Returns 0 or -EINVAL, logging the bad token. */
int eal_parse_corelist(const char *s, cpu_set_t *set);
/* Parse a size: a number of MiB, or a number with a K/M/G suffix. Returns 0 or -EINVAL/-ERANGE. */
int eal_parse_size_mb(const char *s, uint64_t *bytes);
/* Validate a PCI address [DDDD:]BB:DD.F. Returns 0 or -EINVAL. */
int eal_parse_pci_addr(const char *s, uint32_t *domain, uint8_t *bus, uint8_t *dev, uint8_t *fn);
/* The CPUs that are online (sysfs) and in our affinity mask. */
int eal_cpus_usable(cpu_set_t *set);

/* ---- eal_lcore.c ---- */
int eal_lcore_init(const struct eal_cfg *cfg);
int eal_lcore_cleanup(void);
int eal_lcore_busy(void);
int eal_cpu_socket(int cpu);

/* ---- eal_cycles.c ---- */
void eal_cycles_init(void);

/* ---- drivers (generated px_drivers.c: the drivers chosen by PX_DRIVERS) ---- */
struct eal_driver_entry {
	const char *name;
	void (*init)(void); /* registers the driver with its bus */
};
extern const struct eal_driver_entry eal_drivers[];

/* ---- eal_bus.c ---- */
int eal_bus_init(void);
void eal_bus_cleanup(void);

/* ---- eal_intr.c ---- */
void eal_intr_cleanup(void);

/* ---- eal_log.c ---- */
int eal_log_apply(const struct eal_strlist *levels);
/* Also send every message to syslog(3) with @facility (-1: stop); @ident names the program. */
void eal_log_syslog(int facility, const char *ident);
/* px_eal_init(): apply the command line's log levels and --syslog, write -v's version and the
 * notes of the options that do nothing here. eal_log_stop() undoes --syslog. */
int eal_log_start(const struct eal_cfg *cfg, const char *prog);
void eal_log_stop(void);
/* --log-level=help: the forms, then every component and its level. */
void eal_log_usage(FILE *f);

/* ---- eal_memory.c ---- */
int eal_mem_init(const struct eal_cfg *cfg);
void eal_mem_cleanup(void);

#endif /* EAL_PRIVATE_H */
