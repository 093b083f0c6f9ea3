// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leakext.so: crash extension glue.  Implements the leakext target
 * interface with crash's own readers and registers the commands; all logic
 * lives in the core (src/).
 */
#include "defs.h"

#include "leakext/report.h"

#define LEAKEXT_VERSION "0.1"

static bool crash_read(void *priv, uint64_t addr, void *buf, size_t len)
{
	(void)priv;
	return readmem(addr, KVADDR, buf, len, "leakext", RETURN_ON_ERROR | QUIET);
}

static bool crash_symbol(void *priv, const char *name, uint64_t *addr)
{
	struct syment *sp = symbol_search((char *)name);

	(void)priv;
	if (!sp)
		return false;
	*addr = sp->value;
	return true;
}

static bool crash_addr_symbol(void *priv, uint64_t addr, char *name, size_t len,
			      uint64_t *offset)
{
	ulong off = 0;
	struct syment *sp = value_search(addr, &off);

	(void)priv;
	if (!sp)
		return false;
	snprintf(name, len, "%s", sp->name);
	*offset = off;
	return true;
}

static long crash_type_size(void *priv, const char *type)
{
	(void)priv;
	return STRUCT_SIZE((char *)type);
}

static long crash_member_offset(void *priv, const char *type, const char *member)
{
	(void)priv;
	return MEMBER_OFFSET((char *)type, (char *)member);
}

static long crash_member_size(void *priv, const char *type, const char *member)
{
	(void)priv;
	return MEMBER_SIZE((char *)type, (char *)member);
}

static bool crash_enum_value(void *priv, const char *name, long *value)
{
	(void)priv;
	return enumerator_value((char *)name, value);
}

/* GETBUF memory is reclaimed by crash if ^C aborts the command. */
static void *crash_alloc(void *priv, size_t size)
{
	(void)priv;
	return GETBUF(size);
}

static void crash_release(void *priv, void *ptr)
{
	(void)priv;
	FREEBUF(ptr);
}

static void crash_message(void *priv, enum lx_msg_level level, const char *text)
{
	(void)priv;
	error(level == LX_MSG_INFO ? NOTE : INFO, "%s\n", text);
}

/* Long walks say how far they are, on a terminal only. */
static void crash_progress(void *priv, const char *label, uint64_t done,
			   uint64_t total)
{
	(void)priv;
	if (!isatty(fileno(stderr)))
		return;
	if (total && done >= total)
		fprintf(stderr, "\r%-60s\r", "");
	else if (total)
		fprintf(stderr, "\rleakscan: %s %llu%%", label,
			(unsigned long long)(done * 100 / total));
	else
		fprintf(stderr, "\rleakscan: %s %llu", label, (unsigned long long)done);
}

static const struct lx_target_ops crash_ops = {
	.read = crash_read,
	.symbol = crash_symbol,
	.addr_symbol = crash_addr_symbol,
	.type_size = crash_type_size,
	.member_offset = crash_member_offset,
	.member_size = crash_member_size,
	.enum_value = crash_enum_value,
	.alloc = crash_alloc,
	.release = crash_release,
	.message = crash_message,
	.progress = crash_progress,
};

static void cmd_leakscan(void)
{
	struct lx_target target = { .ops = &crash_ops, .out = fp };
	struct lx_session session = { .t = &target };
	struct lx_options opt = { 0 };
	int c;

	while ((c = getopt(argcnt, args, "l")) != EOF) {
		switch (c) {
		case 'l':
			opt.list_live = true;
			break;
		default:
			argerrs++;
			break;
		}
	}
	if (argerrs || argcnt - optind > 1)
		cmd_usage(pc->curcmd, SYNOPSIS);
	if (optind < argcnt)
		opt.cache = args[optind];
	else if (opt.list_live)
		error(FATAL, "-l needs a cache name\n");
	lx_leakscan(&session, &opt);
}

static char *help_leakscan[] = {
	"leakscan",
	"find the live objects of slab caches (leakext " LEAKEXT_VERSION ")",
	"[-l] [cache]",
	"  Walks every slab of a SLUB cache: the per-cpu active and partial slabs,",
	"  the per-node partial and full lists, and full slabs that no list tracks",
	"  (found by scanning the memory map).  An object is live unless it is on",
	"  its slab's freelist or on the lockless freelist of the cpu that owns the",
	"  slab; hardened freelist pointers are decoded and verified.",
	"",
	"  With no argument, every cache is ranked by live bytes: the place to start",
	"  when /proc/meminfo said Slab kept growing.",
	"",
	"    cache  a cache name.  kmalloc caches answer to their aliases:",
	"           kmalloc-4096, kmalloc-4k and size-4096 are the same cache;",
	"           a bare size (4k) lists every kmalloc variant of that size.",
	"       -l  print the live object addresses of the cache, one per line,",
	"           for pipes and \"> file\".",
	"",
	"EXAMPLES",
	"  Rank all caches:",
	"",
	"    crash> leakscan",
	"    CACHE             OBJSIZE       LIVE      TOTAL    SLABS   LIVE MiB   SHARE  NAME",
	"    ffff8dfc81042d00     4096       3920       4824      603      15.31   41.0%  kmalloc-4k",
	"    ...",
	"",
	"  Where the objects of kmalloc-4096 were found, and how many are live:",
	"",
	"    crash> leakscan kmalloc-4096",
	"",
	"  Save the live objects of a cache:",
	"",
	"    crash> leakscan -l kmalloc-4k > live.txt",
	NULL
};

static struct command_table_entry command_table[] = {
	{ "leakscan", cmd_leakscan, help_leakscan, 0 },
	{ NULL }
};

void __attribute__((constructor)) leakext_init(void)
{
	register_extension(command_table);
}

void __attribute__((destructor)) leakext_fini(void)
{
}
