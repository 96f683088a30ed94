/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Dynamic mbuf fields and flags (px_mbuf_dyn.h): a registry of names over struct px_mbuf's
 * dynfield[] bytes and the free ol_flags bits. One process-wide table behind a mutex; the
 * registrations live as long as the process (as in DPDK, nothing unregisters).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <px_log.h>

#include "px_mbuf.h"
#include "px_mbuf_dyn.h"

#define DYN_AREA_OFF offsetof(struct px_mbuf, dynfield)
#define DYN_AREA_SIZE sizeof(((struct px_mbuf *)0)->dynfield)
#define DYN_MAX_FIELDS DYN_AREA_SIZE
#define DYN_MAX_FLAGS (PX_MBUF_DYNFLAG_LAST_BIT - PX_MBUF_DYNFLAG_FIRST_BIT)

PX_LOG_REGISTER(mbuf_dyn_logtype, "mbuf", INFO) /* the one "mbuf" component */
#define DYN_LOG(lvl, ...) PX_LOG(lvl, mbuf_dyn_logtype, __VA_ARGS__)

static pthread_mutex_t dyn_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	struct px_mbuf_dynfield params;
	int offset;
} fields[DYN_MAX_FIELDS];
static struct px_mbuf_dynflag flags[DYN_MAX_FLAGS]; /* index: bit - FIRST_BIT; "" free */
static unsigned int nb_fields;
static uint8_t area_used[DYN_AREA_SIZE];

static int name_ok(const char *name)
{
	size_t n = strnlen(name, PX_MBUF_DYN_NAMESIZE);

	return n > 0 && n < PX_MBUF_DYN_NAMESIZE;
}

static int field_find(const char *name)
{
	for (unsigned int i = 0; i < nb_fields; i++)
		if (strcmp(fields[i].params.name, name) == 0)
			return (int)i;
	return -1;
}

/* The first offset in the area, aligned as asked, with @size free bytes; -1 if none. */
static int area_fit(size_t size, size_t align)
{
	for (size_t off = 0; off + size <= DYN_AREA_SIZE; off++) {
		size_t i;

		if ((DYN_AREA_OFF + off) % align != 0)
			continue;
		for (i = 0; i < size && !area_used[off + i]; i++)
			;
		if (i == size)
			return (int)off;
	}
	return -1;
}

int px_mbuf_dynfield_register(const struct px_mbuf_dynfield *p)
{
	int i, off, ret;

	if (p == NULL || !name_ok(p->name) || p->size == 0 || !px_is_power_of_2(p->align) ||
	    p->flags != 0) {
		DYN_LOG(ERR,
			"dynfield: a name of 1-%d characters, a size > 0, a power-of-two align "
			"and flags 0 are needed",
			PX_MBUF_DYN_NAMESIZE - 1);
		return -EINVAL;
	}
	pthread_mutex_lock(&dyn_lock);
	i = field_find(p->name);
	if (i >= 0) {
		const struct px_mbuf_dynfield *q = &fields[i].params;

		ret = q->size == p->size && q->align == p->align && q->flags == p->flags
			      ? fields[i].offset
			      : -EEXIST;
		goto unlock;
	}
	off = area_fit(p->size, p->align);
	if (off < 0 || nb_fields == DYN_MAX_FIELDS) {
		DYN_LOG(ERR, "dynfield %s: no %zu free bytes aligned to %zu left in the mbuf's %zu",
			p->name, p->size, p->align, DYN_AREA_SIZE);
		ret = -ENOSPC;
		goto unlock;
	}
	memset(&area_used[off], 1, p->size);
	fields[nb_fields].params = *p;
	fields[nb_fields].offset = (int)(DYN_AREA_OFF + (size_t)off);
	ret = fields[nb_fields++].offset;
unlock:
	pthread_mutex_unlock(&dyn_lock);
	return ret;
}

int px_mbuf_dynfield_lookup(const char *name, struct px_mbuf_dynfield *params)
{
	int i, ret = -ENOENT;

	if (name == NULL)
		return -EINVAL;
	pthread_mutex_lock(&dyn_lock);
	i = field_find(name);
	if (i >= 0) {
		if (params != NULL)
			*params = fields[i].params;
		ret = fields[i].offset;
	}
	pthread_mutex_unlock(&dyn_lock);
	return ret;
}

static int flag_find(const char *name)
{
	for (int i = 0; i < DYN_MAX_FLAGS; i++)
		if (strcmp(flags[i].name, name) == 0)
			return i;
	return -1;
}

int px_mbuf_dynflag_register(const struct px_mbuf_dynflag *p)
{
	int i, ret;

	if (p == NULL || !name_ok(p->name) || p->flags != 0)
		return -EINVAL;
	pthread_mutex_lock(&dyn_lock);
	i = flag_find(p->name);
	if (i >= 0) {
		ret = flags[i].flags == p->flags ? PX_MBUF_DYNFLAG_FIRST_BIT + i : -EEXIST;
		goto unlock;
	}
	i = flag_find("");
	if (i < 0) {
		DYN_LOG(ERR, "dynflag %s: all %d free ol_flags bits are taken", p->name,
			DYN_MAX_FLAGS);
		ret = -ENOSPC;
		goto unlock;
	}
	flags[i] = *p;
	ret = PX_MBUF_DYNFLAG_FIRST_BIT + i;
unlock:
	pthread_mutex_unlock(&dyn_lock);
	return ret;
}

int px_mbuf_dynflag_lookup(const char *name, struct px_mbuf_dynflag *params)
{
	int i, ret = -ENOENT;

	if (name == NULL || name[0] == '\0')
		return -EINVAL;
	pthread_mutex_lock(&dyn_lock);
	i = flag_find(name);
	if (i >= 0) {
		if (params != NULL)
			*params = flags[i];
		ret = PX_MBUF_DYNFLAG_FIRST_BIT + i;
	}
	pthread_mutex_unlock(&dyn_lock);
	return ret;
}

void px_mbuf_dyn_dump(FILE *f)
{
	pthread_mutex_lock(&dyn_lock);
	for (unsigned int i = 0; i < nb_fields; i++)
		fprintf(f, "dynfield %s: offset %d, size %zu, align %zu\n", fields[i].params.name,
			fields[i].offset, fields[i].params.size, fields[i].params.align);
	for (int i = 0; i < DYN_MAX_FLAGS; i++)
		if (flags[i].name[0] != '\0')
			fprintf(f, "dynflag %s: bit %d\n", flags[i].name,
				PX_MBUF_DYNFLAG_FIRST_BIT + i);
	pthread_mutex_unlock(&dyn_lock);
}
