/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Device names from the pci.ids database (https://pci-ids.ucw.cz/), when installed. Format:
 * "vvvv  Vendor name", then "\tdddd  Device name" lines under it, "\t\t" subsystem lines we
 * skip, and a class section ("C xx  Name") after all vendors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devbind.h"

static const char *const ids_paths[] = {
	"/usr/share/misc/pci.ids",
	"/usr/share/hwdata/pci.ids",
	"/usr/share/pci.ids",
};

static FILE *open_ids(const char *file)
{
	size_t i;
	FILE *f;

	if (file)
		return fopen(file, "re");
	for (i = 0; i < sizeof(ids_paths) / sizeof(ids_paths[0]); i++) {
		f = fopen(ids_paths[i], "re");
		if (f)
			return f;
	}
	return NULL;
}

/* "1234  Name\n" -> id 0x1234 and name "Name"; false for anything else. */
static bool parse_entry(const char *s, unsigned int *id, char *name, size_t len)
{
	char *end;
	size_t n;

	*id = strtoul(s, &end, 16);
	if (end != s + 4 || end[0] != ' ' || end[1] != ' ')
		return false;
	s = end + 2;
	n = strcspn(s, "\r\n");
	if (n >= len)
		n = len - 1;
	memcpy(name, s, n);
	name[n] = '\0';
	return true;
}

void pciids_lookup(const char *file, const struct pci_dev *d, char *vname, char *dname, size_t len)
{
	bool in_vendor = false;
	char line[512];
	unsigned int id;
	FILE *f;

	strcpy(vname, "");
	strcpy(dname, "");
	if (!d->ids_ok)
		return;
	f = open_ids(file);
	while (f && fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (line[0] == 'C' && line[1] == ' ')
			break;
		if (line[0] != '\t') {
			if (in_vendor)
				break;
			in_vendor = parse_entry(line, &id, vname, len) && id == d->vendor;
			if (!in_vendor)
				vname[0] = '\0';
		} else if (in_vendor && line[1] != '\t' && parse_entry(line + 1, &id, dname, len)) {
			if (id == d->device)
				break;
			dname[0] = '\0';
		}
	}
	if (f)
		fclose(f);
}
