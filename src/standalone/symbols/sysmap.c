// SPDX-License-Identifier: GPL-2.0-or-later
/* System.map as a symbol source (sysmap.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "leakext/text.h"
#include "standalone/symbols/sysmap.h"

#define MAX_LINE 1024		/* KSYM_NAME_LEN is 512 */
#define MAX_LINES (16U << 20)	/* a kernel has ~200 000 symbols */

/*
 * /proc/kallsyms's "\t[MODULE]" after a module symbol's name: the module's
 * name into module (escaped later by the reports); false if the tail is
 * not one.
 */
static bool module_tail(const char *tail, size_t len, char *module, size_t modlen)
{
	size_t n;

	if (len < 4 || tail[0] != '\t' || tail[1] != '[' || tail[len - 1] != ']')
		return false;
	n = len - 3;
	if (!n || n >= modlen)
		return false;
	memcpy(module, tail + 2, n);
	module[n] = '\0';
	return strspn(module, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

/*
 * "ADDRESS TYPE NAME", or /proc/kallsyms's "ADDRESS TYPE NAME\t[MODULE]":
 * the address, type letter, name and module ("" for the kernel's); false
 * if not.
 */
static bool parse_line(const char *line, size_t len, uint64_t *addr, char *type,
		       const char **name, size_t *name_len, char *module, size_t modlen)
{
	size_t i = 0, n, tab;

	*addr = 0;
	for (; i < len && lx_hex_digit(line[i]) >= 0; i++)
		*addr = *addr << 4 | lx_hex_digit(line[i]);
	if ((i != 8 && i != 16) || len < i + 4 || line[i] != ' ' || line[i + 2] != ' ')
		return false;
	*type = line[i + 1];
	*name = line + i + 3;
	n = len - i - 3;
	while (n && ((*name)[n - 1] == '\n' || (*name)[n - 1] == '\r'))
		n--;
	module[0] = '\0';
	tab = strcspn(*name, "\t");
	if (tab < n && !module_tail(*name + tab, n - tab, module, modlen))
		return false;
	n = tab < n ? tab : n;
	*name_len = n;
	for (i = 0; i < n; i++)
		if ((*name)[i] <= ' ' || (*name)[i] > '~')
			return false;
	return n > 0;
}

/*
 * The first line's shape only: Debian's kernel packages ship a System.map
 * of one line, "ffffffffffffffff B The real System.map is in the
 * linux-image-<version>-dbg package", which loading then quotes.
 */
bool sa_sysmap_looks_like(const char *text, size_t len)
{
	const char *end = memchr(text, '\n', len);
	size_t digits = 0;

	while (end && digits < (size_t)(end - text) && lx_hex_digit(text[digits]) >= 0)
		digits++;
	return end && (digits == 8 || digits == 16) && end - text > (long)digits + 3 &&
	       text[digits] == ' ' && text[digits + 2] == ' ' &&
	       ((text[digits + 1] >= 'a' && text[digits + 1] <= 'z') ||
		(text[digits + 1] >= 'A' && text[digits + 1] <= 'Z'));
}

/*
 * Symbols with an address: not absolute (A, a: constants such as
 * __crc_ and _kernel_size_le_), undefined (U) or weak undefined (w, v at
 * 0), nor arm64's mapping symbols ($x, $d), which name no object.
 */
static bool wanted(uint64_t addr, char type, const char *name)
{
	return addr && type != 'A' && type != 'a' && type != 'U' && name[0] != '$';
}

/*
 * A 64-bit kernel's symbol below 4 GiB is no kernel address but a
 * zero-based per-cpu offset (x86_64 SMP's .data..percpu), which KASLR
 * does not move.  A 32-bit map (8 digits) has no such symbols.
 */
static bool per_cpu_offset(const char *line, uint64_t addr)
{
	return lx_hex_digit(line[8]) >= 0 && addr < (1ULL << 32);
}

static int add_line(struct lx_symtab *st, const char *line, uint64_t offset,
		    struct sa_sysmap_stats *stats, char *first, size_t first_len)
{
	char name_copy[MAX_LINE], module[64];
	const char *name;
	size_t name_len;
	uint64_t addr;
	char type;

	if (!stats->lines++)
		lx_escape(first, first_len, line, strcspn(line, "\n"));
	if (!parse_line(line, strlen(line), &addr, &type, &name, &name_len, module,
			sizeof(module))) {
		stats->malformed++;
		return 0;
	}
	memcpy(name_copy, name, name_len);
	name_copy[name_len] = '\0';
	if (!wanted(addr, type, name_copy)) {
		stats->hidden += !addr;
		return 0;
	}
	if (!lx_symtab_add(st, addr + (per_cpu_offset(line, addr) ? 0 : offset), 0, name_copy,
			   module[0] ? module : NULL))
		return -1;
	stats->added++;
	stats->modules += module[0] != '\0';
	return 0;
}

int sa_sysmap_read(struct lx_symtab *st, FILE *f, const char *name, uint64_t offset,
		   struct sa_sysmap_stats *stats, char *err, size_t errlen)
{
	char line[MAX_LINE], first[160] = "";
	int ret = 0;

	memset(stats, 0, sizeof(*stats));
	while (!ret && stats->lines < MAX_LINES && fgets(line, sizeof(line), f)) {
		if (!strchr(line, '\n') && !feof(f)) {	/* longer than any symbol line */
			int c;

			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			stats->lines++;
			stats->malformed++;
			continue;
		}
		ret = add_line(st, line, offset, stats, first, sizeof(first));
	}
	if (ret)
		snprintf(err, errlen, "out of memory reading %s", name);
	else if (!stats->added && (ret = -1))
		snprintf(err, errlen, "%s: no kernel symbol in its %llu line(s); it starts \"%s\"",
			 name, (unsigned long long)stats->lines, first);
	return ret;
}

int sa_sysmap_load(struct lx_symtab *st, const char *path, uint64_t offset,
		   struct sa_sysmap_stats *stats, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	int ret;

	memset(stats, 0, sizeof(*stats));
	if (!f) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	ret = sa_sysmap_read(st, f, path, offset, stats, err, errlen);
	fclose(f);
	return ret;
}
