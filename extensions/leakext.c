// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leakext.so: crash extension glue.  Implements the leakext target
 * interface with crash's own readers and registers the commands; all logic
 * lives in the core (src/).
 */
#include "defs.h"

#include <ctype.h>
#include <fcntl.h>
#include <sys/ioctl.h>

#include "leakext/leakext.h"
#include "ptype.h"
#include "standalone/readers/reader.h"
#include "standalone/types/types.h"

/*
 * Bulk reads of a kdump-compressed dump go through the program's own page
 * reader (src/standalone/readers/diskdump.c: libdeflate, descriptors read
 * in blocks, a decoded-page cache) rather than readmem(), which costs
 * crash two system calls, a zlib inflate and its adler32 per page: on a
 * 2 GiB dump whose 200 000 live 4 KiB objects a report reads, 3 s of
 * crash's 6.  Each page's physical address is crash's own (kvtop(), the
 * translation readmem() uses: linear for the direct map, the page tables
 * for vmalloc'd stacks and areas, whose pages the holders scan reads); a
 * page kvtop() does not map, and any page the reader does not answer
 * (excluded, damaged, another compression), goes through readmem() as
 * before.  Opened at a command's
 * first read and kept for the session: pages read both ways must agree
 * first, else it is not used.  crash's ^C can longjmp out of a read in
 * the middle: own_busy then says its caches may be half-written, and the
 * next command reopens it.
 */
static struct {
	bool tried;
	void *priv;
	int fd;
} own = { .fd = -1 };
static volatile bool own_busy;

static void own_close(void)
{
	if (own.priv)
		sa_diskdump_ops.close(own.priv);
	if (own.fd >= 0)
		close(own.fd);
	own.priv = NULL;
	own.fd = -1;
}

/* The page at kvaddr read both ways (when crash has it): equal, or not read. */
static bool own_agrees(void *priv, uint64_t kvaddr)
{
	char *mine = GETBUF(PAGESIZE()), *crash = GETBUF(PAGESIZE());
	physaddr_t paddr;
	bool ok = true;

	kvaddr &= ~((uint64_t)PAGESIZE() - 1);
	if (kvtop(NULL, kvaddr, &paddr, 0) &&
	    readmem(paddr, PHYSADDR, crash, PAGESIZE(), "leakext", RETURN_ON_ERROR | QUIET))
		ok = sa_diskdump_ops.read(priv, paddr, mine, PAGESIZE()) &&
		     !memcmp(mine, crash, PAGESIZE());
	FREEBUF(mine);
	FREEBUF(crash);
	return ok;
}

/* Pages of the kernel's text, data and first task, read both ways. */
static bool own_checked(void *priv)
{
	static const char *const at[] = { "_text", "_sdata", "init_task", "jiffies",
					  "__bss_start", "init_mm", "_etext", "linux_banner" };
	unsigned int i, compared = 0;
	struct syment *sp;

	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		sp = symbol_search((char *)at[i]);
		if (!sp)
			continue;
		if (!own_agrees(priv, sp->value))
			return false;
		compared++;
	}
	return compared > 0;
}

/* own.priv only once the reader agrees with crash; own_busy until then. */
static void own_open(void)
{
	char err[160];
	void *priv;

	own.tried = true;
	if (!DISKDUMP_DUMPFILE() || ACTIVE() || !pc->dumpfile || dumpfile_is_split())
		return;
	own_busy = true;
	own.fd = open(pc->dumpfile, O_RDONLY | O_CLOEXEC);
	priv = own.fd < 0 ? NULL : sa_diskdump_ops.open(own.fd, err, sizeof(err));
	if (priv && own_checked(priv))
		own.priv = priv;
	else if (priv)
		sa_diskdump_ops.close(priv);
	if (!own.priv)
		own_close();
	own_busy = false;
}

/* Each page of [addr, addr + len) through the own reader; false: none was. */
static bool own_read(uint64_t addr, void *buf, size_t len)
{
	uint8_t *out = buf;
	physaddr_t paddr;
	size_t n;

	if (!own.tried)
		own_open();
	if (!own.priv)
		return false;
	own_busy = true;
	while (len) {
		n = PAGESIZE() - (addr & (PAGESIZE() - 1));
		n = n < len ? n : len;
		if (!kvtop(NULL, addr, &paddr, 0) ||
		    !sa_diskdump_ops.read(own.priv, paddr, out, n))
			break;
		addr += n;
		out += n;
		len -= n;
	}
	own_busy = false;
	return !len;
}

static bool crash_read(void *priv, uint64_t addr, void *buf, size_t len)
{
	(void)priv;
	return own_read(addr, buf, len) ||
	       readmem(addr, KVADDR, buf, len, "leakext", RETURN_ON_ERROR | QUIET);
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
			      uint64_t *offset, char *module, size_t modlen)
{
	struct load_module *lm = NULL;
	ulong off = 0;
	struct syment *sp = value_search(addr, &off);

	(void)priv;
	if (!sp)
		return false;
	snprintf(name, len, "%s", sp->name);
	*offset = off;
	if (module_symbol(addr, NULL, &lm, NULL, 0) && lm)
		snprintf(module, modlen, "%s", lm->mod_name);
	else if (modlen)
		module[0] = '\0';
	return true;
}

/* crash's own struct printer, the one "struct TYPE ADDR" uses. */
static bool crash_print_type(struct lx_target *t, const char *type,
			     uint64_t addr)
{
	(void)t;
	if (STRUCT_SIZE((char *)type) <= 0)
		return false;
	dump_struct((char *)type, addr, 16);
	return true;
}

/*
 * Type answers, kept for one command.  crash asks gdb, and gdb searches
 * every symbol table for a type the kernel lacks: about 90 ms each on a
 * distribution vmlinux, while the layout probes ask after a dozen such
 * types (newer or older kernels' structs) and their members.  A member of
 * a struct gdb does not know is not asked for at all (crash answers both
 * through datatype_info(), so the type's absence is the member's).  Not
 * kept across commands: "mod -S" between two adds types.  A full table
 * answers the rest uncached.
 */
#define TYPE_MEMO_SLOTS 1024

enum type_query { TYPE_SIZE, MEMBER_OFFSET_Q, MEMBER_SIZE_Q };

static struct type_memo {
	char type[LX_NAME_MAX], member[LX_NAME_MAX];
	enum type_query query;
	long value;
	bool used;
} type_memo[TYPE_MEMO_SLOTS];

static void type_memo_reset(void)
{
	memset(type_memo, 0, sizeof(type_memo));
}

static unsigned long memo_hash(const char *type, const char *member, enum type_query q)
{
	unsigned long h = 5381 + q;

	while (*type)
		h = h * 33 + (unsigned char)*type++;
	h = h * 33 + '.';
	while (*member)
		h = h * 33 + (unsigned char)*member++;
	return h;
}

/* The slot holding (type, member, q), or the free slot for it; NULL if full or too long. */
static struct type_memo *memo_slot(const char *type, const char *member, enum type_query q)
{
	unsigned long h = memo_hash(type, member, q);
	struct type_memo *m;
	unsigned int i;

	if (strlen(type) >= LX_NAME_MAX || strlen(member) >= LX_NAME_MAX)
		return NULL;
	for (i = 0; i < 16; i++) {
		m = &type_memo[(h + i) % TYPE_MEMO_SLOTS];
		if (!m->used || (m->query == q && !strcmp(m->type, type) &&
				 !strcmp(m->member, member)))
			return m;
	}
	return NULL;
}

static long ask_gdb(const char *type, const char *member, enum type_query q)
{
	switch (q) {
	case TYPE_SIZE:
		return STRUCT_SIZE((char *)type);
	case MEMBER_OFFSET_Q:
		return MEMBER_OFFSET((char *)type, (char *)member);
	default:
		return MEMBER_SIZE((char *)type, (char *)member);
	}
}

static long type_query(const char *type, const char *member, enum type_query q)
{
	struct type_memo *m = memo_slot(type, member, q);

	if (!m)
		return ask_gdb(type, member, q);
	if (!m->used) {
		m->value = ask_gdb(type, member, q);
		snprintf(m->type, sizeof(m->type), "%s", type);
		snprintf(m->member, sizeof(m->member), "%s", member);
		m->query = q;
		m->used = true;	/* after gdb: a ^C inside it leaves the slot free */
	}
	return m->value;
}

/*
 * Types from the kernel's own BTF (__start_BTF..__stop_BTF, read from the
 * dump once per session; the program's "btf-dump" provider), where the
 * kernel has it: the layout probes' questions then cost no gdb search.
 * BTF holds every type of the vmlinux gdb reads, so a type it lacks is
 * absent unless some module's debuginfo is loaded ("mod -S"): only then
 * is gdb asked (module types, and anything else gdb adds).  No BTF, or
 * BTF that does not parse, or LEAKEXT_CRASH_TYPES=gdb in crash's
 * environment (the tests compare the two): gdb answers everything.
 */
static struct {
	bool tried;
	struct sa_types types;
} btf = { .tried = false };

static void btf_open(void)
{
	struct syment *start, *stop;
	char err[256];
	void *bytes;
	size_t size;

	btf.tried = true;
	if (getenv("LEAKEXT_CRASH_TYPES") && !strcmp(getenv("LEAKEXT_CRASH_TYPES"), "gdb"))
		return;
	start = symbol_search("__start_BTF");
	stop = symbol_search("__stop_BTF");
	if (!start || !stop || stop->value <= start->value ||
	    stop->value - start->value > SA_BTF_MAX_SIZE)
		return;
	size = stop->value - start->value;
	bytes = GETBUF(size);	/* crash frees it if ^C ends the command */
	if (crash_read(NULL, start->value, bytes, size) &&
	    sa_types_open_btf_raw(&btf.types, bytes, size, err, sizeof(err)))
		memset(&btf.types, 0, sizeof(btf.types));
	FREEBUF(bytes);
}

/* BTF's types when open; NULL: gdb answers. */
static const struct sa_types *btf_types(void)
{
	if (!btf.tried)
		btf_open();
	return btf.types.ops ? &btf.types : NULL;
}

/* A module's debuginfo is loaded: gdb knows types BTF does not. */
static bool module_types_loaded(void)
{
	int i;

	for (i = 0; i < st->mods_installed; i++)
		if (st->load_modules[i].mod_flags & MOD_LOAD_SYMS)
			return true;
	return false;
}

/* The type is BTF's to answer: BTF knows it, or nothing else could. */
static const struct sa_types *btf_answers(const char *type)
{
	const struct sa_types *ty = btf_types();

	if (!ty || (sa_types_size(ty, type) < 0 && module_types_loaded()))
		return NULL;
	return ty;
}

static long crash_type_size(void *priv, const char *type)
{
	const struct sa_types *ty = btf_answers(type);

	(void)priv;
	return ty ? sa_types_size(ty, type) : type_query(type, "", TYPE_SIZE);
}

static long crash_member_offset(void *priv, const char *type, const char *member)
{
	const struct sa_types *ty = btf_answers(type);

	(void)priv;
	if (ty)
		return sa_types_member_offset(ty, type, member);
	if (type_query(type, "", TYPE_SIZE) < 0)
		return -1;
	return type_query(type, member, MEMBER_OFFSET_Q);
}

static long crash_member_size(void *priv, const char *type, const char *member)
{
	const struct sa_types *ty = btf_answers(type);

	(void)priv;
	if (ty)
		return sa_types_member_size(ty, type, member);
	if (type_query(type, "", TYPE_SIZE) < 0)
		return -1;
	return type_query(type, member, MEMBER_SIZE_Q);
}

/*
 * crash has no "member at offset": gdb's "ptype /o struct TYPE" is read
 * back (ptype.c), once per type and session.  Tables, and types that gave
 * none, stay in a few slots taken in turn; they are malloc'd, since GETBUF
 * memory ends with the command.  A lookup walks the table, so each slot
 * remembers its last answers by offset: a million referrers share a few.
 */
#define PTYPE_SLOTS 16
#define PTYPE_MEMO 64

struct ptype_memo {
	uint64_t offset;
	bool valid, found;
	char path[LX_LABEL_MAX];
};

static struct ptype_slot {
	char type[LX_NAME_MAX];
	struct lx_ptype *table;		/* NULL: gdb gave nothing usable */
	struct ptype_memo memo[PTYPE_MEMO];
} ptype_slots[PTYPE_SLOTS];
static unsigned int ptype_next;
static FILE *ptype_scratch;		/* reused: a ^C in gdb leaks nothing */

static bool plain_identifier(const char *s)
{
	size_t n = 0;

	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	for (; s[n]; n++)
		if (n >= LX_NAME_MAX - 1 || (!isalnum((unsigned char)s[n]) && s[n] != '_'))
			return false;
	return true;
}

/* "ptype /o KIND TYPE" read back; KIND is "struct" or "union". */
static struct lx_ptype *ptype_kind(const char *kind, const char *type, long size)
{
	char cmd[LX_NAME_MAX + 32];

	if (!ptype_scratch)
		ptype_scratch = tmpfile();
	if (!ptype_scratch || ftruncate(fileno(ptype_scratch), 0))
		return NULL;
	rewind(ptype_scratch);
	snprintf(cmd, sizeof(cmd), "ptype /o %s %s", kind, type);
	if (!gdb_pass_through(cmd, ptype_scratch, GNU_RETURN_ON_ERROR))
		return NULL;
	fflush(ptype_scratch);
	rewind(ptype_scratch);
	return lx_ptype_parse(ptype_scratch, (uint64_t)size);
}

/* A struct's table, else a union's (union handle_parts). */
static struct lx_ptype *ptype_table(const char *type, long size)
{
	struct lx_ptype *t = ptype_kind("struct", type, size);

	return t ? t : ptype_kind("union", type, size);
}

static struct ptype_slot *ptype_slot(const char *type)
{
	struct ptype_slot *slot;
	unsigned int i;
	long size;

	for (i = 0; i < PTYPE_SLOTS; i++)
		if (!strcmp(ptype_slots[i].type, type))
			return &ptype_slots[i];
	size = STRUCT_SIZE((char *)type);
	slot = &ptype_slots[ptype_next++ % PTYPE_SLOTS];
	lx_ptype_free(slot->table);
	slot->table = NULL;		/* a ^C in gdb must leave no stale table */
	slot->type[0] = '\0';
	memset(slot->memo, 0, sizeof(slot->memo));
	slot->table = size > 0 ? ptype_table(type, size) : NULL;
	snprintf(slot->type, sizeof(slot->type), "%s", type);
	return slot;
}

static bool crash_member_at(void *priv, const char *type, uint64_t offset,
			    char *path, size_t len)
{
	const struct sa_types *ty;
	struct ptype_slot *slot;
	struct ptype_memo *m;

	(void)priv;
	if (!plain_identifier(type) || !len)
		return false;
	ty = btf_answers(type);
	if (ty)
		return sa_types_member_at(ty, type, offset, path, len);
	slot = ptype_slot(type);
	m = &slot->memo[(offset / 8) % PTYPE_MEMO];
	if (!m->valid || m->offset != offset) {
		m->found = lx_ptype_member_at(slot->table, offset, m->path, sizeof(m->path));
		m->offset = offset;
		m->valid = true;
	}
	if (!m->found || strlen(m->path) >= len)
		return false;
	memcpy(path, m->path, strlen(m->path) + 1);
	return true;
}

/* Bitfields too: gdb's ptype /o gives each one's byte, bit and width. */
static bool crash_member_bits(void *priv, const char *type, const char *member,
			      uint64_t *bit_offset, unsigned int *bits)
{
	const struct sa_types *ty = btf_answers(type);

	(void)priv;
	if (ty)
		return sa_types_member_bits(ty, type, member, bit_offset, bits);
	return plain_identifier(type) &&
	       lx_ptype_member_bits(ptype_slot(type)->table, member, bit_offset, bits);
}

static bool crash_enum_value(void *priv, const char *name, long *value)
{
	const struct sa_types *ty = btf_types();

	(void)priv;
	if (ty && sa_types_enum_value(ty, name, value))
		return true;
	if (ty && !module_types_loaded())
		return false;
	return enumerator_value((char *)name, value);
}

/* GETBUF memory is reclaimed by crash if ^C aborts the command. */
static void *crash_alloc(struct lx_target *t, size_t size)
{
	(void)t;
	return GETBUF(size);
}

static void crash_release(struct lx_target *t, void *ptr)
{
	(void)t;
	FREEBUF(ptr);
}

/*
 * crash's error() copies a message into the command's output when that is
 * redirected ("> file") or piped, which would break a JSON document; so a
 * command whose output is one (t->document) writes its messages to crash's
 * error stream alone, in error()'s own format.
 */
static void crash_message(struct lx_target *t, enum lx_msg_level level,
			  const char *text)
{
	if (!t->document || fp == pc->error_fp) {
		error(level == LX_MSG_INFO ? NOTE : INFO, "%s\n", text);
		return;
	}
	if (level == LX_MSG_INFO)
		fprintf(pc->error_fp, "NOTE: %s\n", text);
	else
		fprintf(pc->error_fp, "%s: %s\n", pc->curcmd, text);
	fflush(pc->error_fp);
}

/*
 * Long walks say how far they are, on a terminal only: one line fitted to
 * its width, erased when done.  Redirected output ("> file") goes to fp
 * and never sees it.
 */
static void crash_progress(struct lx_target *t, const char *label,
			   uint64_t done, uint64_t total)
{
	struct winsize ws;
	unsigned int cols = 80;
	char line[512];

	(void)t;
	if (!isatty(fileno(stderr)))
		return;
	if (total && done >= total) {
		fputs("\r\033[K", stderr);
		return;
	}
	if (ioctl(fileno(stderr), TIOCGWINSZ, &ws) == 0 && ws.ws_col)
		cols = ws.ws_col;
	lx_progress_line(line, sizeof(line), cols, "crash", label, done, total);
	fprintf(stderr, "\r\033[K%s", line);
}

/*
 * crash keeps the dump file's own extent (diskdump's max_mapnr, the ELF
 * load segments) private to its readers, so this is the highest end of
 * its node table: each node's start_paddr plus its spanned pages, which
 * crash read from the kernel's pglist_data at startup.
 */
static uint64_t crash_phys_end(void *priv)
{
	uint64_t end = 0, node_end;
	int i;

	(void)priv;
	for (i = 0; vt->node_table && i < vt->numnodes; i++) {
		node_end = vt->node_table[i].start_paddr +
			   (uint64_t)vt->node_table[i].size * PAGESIZE();
		if (node_end > end)
			end = node_end;
	}
	return end;
}

static const struct lx_dump_ops crash_dump_ops = {
	.read = crash_read,
	.symbol = crash_symbol,
	.addr_symbol = crash_addr_symbol,
	.type_size = crash_type_size,
	.member_offset = crash_member_offset,
	.member_size = crash_member_size,
	.member_at = crash_member_at,
	.member_bits = crash_member_bits,
	.enum_value = crash_enum_value,
	.phys_end = crash_phys_end,
};

/* No interrupted op: crash itself stops a command on ^C. */
static const struct lx_host_ops crash_host_ops = {
	.alloc = crash_alloc,
	.release = crash_release,
	.message = crash_message,
	.progress = crash_progress,
	.print_type = crash_print_type,
};

/* One of the options both front ends share; a bad value ends the command. */
static void set_option(struct lx_options *opt, enum lx_option which, int letter,
		       const char *arg)
{
	char name[3] = { '-', (char)letter, '\0' };
	char why[256];

	if (lx_option_set(opt, which, name, arg, why, sizeof(why)))
		error(FATAL, "%s\n", why);
}

/* The rules between options, then the command; messages go to the host. */
static void run(struct lx_options *opt)
{
	struct lx_target target = { .dump = &crash_dump_ops, .host = &crash_host_ops,
				    .out = fp, .document = opt->json };
	struct lx_result res;
	char why[256];

	if (lx_options_check(opt, why, sizeof(why)))
		error(FATAL, "%s\n", why);
	type_memo_reset();
	if (own_busy) {		/* a ^C left a read half done */
		own_busy = false;
		own_close();
		own.tried = false;
	}
	lx_run(&target, opt, &res);
}

static const struct crash_option {
	int letter;
	enum lx_option which;
} leakscan_options[] = {
	{ 'R', LX_OPT_REDACT }, { 's', LX_OPT_SORT }, { 'l', LX_OPT_LIST },
	{ 'u', LX_OPT_UNREFERENCED }, { 'r', LX_OPT_REFERRERS },
	{ 'H', LX_OPT_NO_HOLDERS },
	{ 'T', LX_OPT_CACHE_TYPE }, { 'j', LX_OPT_JSON }, { 'a', LX_OPT_ALL },
	{ 'n', LX_OPT_TOP }, { 'k', LX_OPT_CLUSTER }, { 'A', LX_OPT_ALLOCINFO },
	{ 'L', LX_OPT_LARGE }, { 0 },
}, leakdump_options[] = {
	{ 'k', LX_OPT_CLUSTER }, { 'c', LX_OPT_COUNT }, { 'b', LX_OPT_BYTES },
	{ 's', LX_OPT_TYPE }, { 0 },
}, leakrefs_options[] = {
	{ 'T', LX_OPT_CACHE_TYPE }, { 0 },
};

/* crash's getopt over a command's letters; unknown letters count as errors. */
static void parse_options(struct lx_options *opt, const char *letters,
			  const struct crash_option *table)
{
	const struct crash_option *o;
	int c;

	while ((c = getopt(argcnt, args, (char *)letters)) != EOF) {
		for (o = table; o->letter && o->letter != c; o++)
			;
		if (o->letter)
			set_option(opt, o->which, c, optarg);
		else
			argerrs++;
	}
}

#define CRASH_OPTIONS { .source = "crash", .types = "crash", .symbols = "crash" }

static void cmd_leakscan(void)
{
	struct lx_options opt = CRASH_OPTIONS;

	parse_options(&opt, "lujan:k:s:RrHT:AL", leakscan_options);
	if (argerrs || argcnt - optind > 1)
		cmd_usage(pc->curcmd, SYNOPSIS);
	if (optind < argcnt)
		opt.cache = args[optind];
	run(&opt);
}

static void cmd_leakrefs(void)
{
	struct lx_options opt = CRASH_OPTIONS;

	parse_options(&opt, "T:", leakrefs_options);
	if (argerrs || argcnt - optind != 1)
		cmd_usage(pc->curcmd, SYNOPSIS);
	opt.refs = true;
	opt.address = htol(args[optind], FAULT_ON_ERROR, NULL);
	run(&opt);
}

static void cmd_leakdump(void)
{
	struct lx_options opt = CRASH_OPTIONS;

	parse_options(&opt, "k:c:b:s:", leakdump_options);
	if (argerrs || argcnt - optind != 1)
		cmd_usage(pc->curcmd, SYNOPSIS);
	opt.dump = true;
	opt.cache = args[optind];
	run(&opt);
}

static char *help_leakscan[] = {
	"leakscan",
	"find leaked slab objects: live objects, clustered by content (leakext " LEAKEXT_VERSION ")",
	"[-l | -u] [-j] [-a] [-H] [-R] [-T cache=type] [-n count] [-k cluster] [-s field] [cache] | -A [-j] [-n count] | -L [-j] [-a] [-n count]",
	"  Walks every slab of a SLUB cache: the per-cpu active and partial slabs,",
	"  the per-node partial and full lists, and full slabs that no list tracks",
	"  (found by scanning the memory map).  An object is live unless it is on",
	"  its slab's freelist or on the lockless freelist of the cpu that owns the",
	"  slab; hardened freelist pointers are decoded and verified.  On a SLAB",
	"  kernel: each node's partial, full and free lists; an object is free when",
	"  its slab's freelist names it or a per-cpu, shared or alien array cache",
	"  holds it.",
	"",
	"  With no argument, every cache is ranked by live bytes: the place to start",
	"  when /proc/meminfo said Slab kept growing.",
	"",
	"  Every answer is cross-checked against the memory map, the node counters",
	"  and each slab's inuse count.  A cache where the dump contradicts itself",
	"  is marked (!) in the ranking and its report ends with INTEGRITY: FLAGGED",
	"  and the problems found; its counts may be wrong.",
	"",
	"  With a cache, the live objects are grouped by content: objects that differ",
	"  only in numbers, in pointer values or in stale bytes after a text buffer's",
	"  NUL fall into one cluster.  Clusters are listed largest first, each with",
	"  members, a preview (escaped; no control byte reaches the terminal), common",
	"  strings, a byte-class map, what its pointers point at, the SLUB owner",
	"  tracks if the cache keeps them (slub_debug=U), and an owner guess that",
	"  names the signals that agreed and the ones that were absent.  Each",
	"  cluster's header ends with its content signature (16 hex digits): the",
	"  same kind of content has the same one in another dump, boot or kernel",
	"  build (numbers, addresses and KASLR left out), so clusters of two dumps",
	"  can be matched (the program's leakscan --diff, --watch and --merge).",
	"",
	"    cache  a cache name.  kmalloc caches answer to their aliases:",
	"           kmalloc-4096, kmalloc-4k and size-4096 are the same cache;",
	"           a bare size (4k) lists every kmalloc variant of that size.",
	"       -n  show this many clusters (default 5); without a cache, this",
	"           many caches.",
	"       -a  show every cluster; without a cache, every cache (by default",
	"           caches with no live objects are left out of the ranking).",
	"       -s  order the ranking by bytes (live bytes, the default), live,",
	"           total, slabs, size (object size) or name.",
	"       -k  show only this cluster (its number in the report).",
	"       -j  write the report (without a cache: the ranking) as one JSON",
	"           document, schema leakext/1 (see the README), for \"> file\";",
	"           notes and warnings go to the console, never into it.",
	"       -l  print the live object addresses of the cache (with -k: of that",
	"           cluster), one per line.",
	"       -H  leave holders out of the cluster report (faster: no scan of",
	"           all memory).  By default each cluster says who holds its",
	"           members: the places (globals as symbol [module], other objects",
	"           as cache +offset, stacks) that point at them, ranked by members",
	"           held, and how many members no root reaches (an owner-guess",
	"           signal), scanning all memory as -u does.  -r, which asked for",
	"           them before they were the default, is still accepted.",
	"       -T  cache=type: the objects of that cache are struct type, so",
	"           referrers and pointers in them are named by member (built in",
	"           for skbuff_head_cache, filp, dentry and other typed caches).",
	"       -u  print the live objects of the cache (with -k: of that cluster)",
	"           that nothing reachable points at, one per line: kmemleak's rule",
	"           on the dump.  Roots are kernel and module data and bss, per-cpu",
	"           areas, live task stacks and vmalloc'd memory; every live slab",
	"           object they reach is scanned in turn (see leakrefs).  Pointers",
	"           kept only in page-allocator memory or stored encoded are not",
	"           seen, so such objects are listed although they are held.  On a",
	"           kernel with kmemleak each line adds kmemleak's verdict at its",
	"           last scan (reported, young, new, white, referenced, grey,",
	"           black, untracked) and the allocation site from its record, and",
	"           the cluster report gives kmemleak's verdicts and allocation",
	"           stack per cluster; kmemleak's own records (SLAB_NOLEAKTRACE",
	"           caches, mem_pool[]) are neither roots nor holders.",
	"       -R  redact: previews, strings and hex of object content become",
	"           lengths and byte-class maps, for reports shared outside the",
	"           customer; symbols, caches, counts and owner guesses stay.",
	"       -A  no cache: /proc/allocinfo from the dump.  On a kernel with",
	"           memory allocation profiling (CONFIG_MEM_ALLOC_PROFILING), every",
	"           allocation site's bytes and calls, summed from its alloc tag's",
	"           per-cpu counters, largest first (-n: the largest few).  On such",
	"           a kernel a cluster report also gives the site of every member",
	"           (\"alloc tag\", an alloc-tag owner signal) and, after the",
	"           clusters, the cache's sites by live objects and bytes.",
	"       -L  no cache: large kmalloc allocations, those above the largest",
	"           kmalloc cache that come straight from the page allocator (no",
	"           slab), grouped by owner and alloc tag site, largest first: each",
	"           one's address, order, bytes, page_owner's pid, comm, time and",
	"           allocation stack (the first frame outside the allocators is",
	"           the owner) and a preview.  They are told from other compound",
	"           pages by the page type PGTY_large_kmalloc where the kernel has",
	"           it, else by a kmalloc-large function in the page_owner stack",
	"           (page_owner=on); without either they cannot be told.  When any",
	"           are found, the ranking ends with a line counting them.",
	"",
	"EXAMPLES",
	"  Rank all caches:",
	"",
	"    crash> leakscan",
	"    CACHE             OBJSIZE       LIVE      TOTAL   SLABS  LIVE MiB   SHARE  NAME",
	"    ffff8dfc81042d00     4096       3920       4824     603     15.31   41.0%  kmalloc-4k",
	"    ...",
	"",
	"  Columns: CACHE is the kmem_cache address, OBJSIZE the object size, LIVE",
	"  the allocated objects, TOTAL all objects in the cache's slabs, SLABS the",
	"  slabs found, LIVE MiB the live objects at their slot size, SHARE the",
	"  cache's slab memory as a share of all slab memory; (!) after NAME: the",
	"  cache failed its integrity checks.",
	"",
	"  The ten caches with most live objects:",
	"",
	"    crash> leakscan -n 10 -s live",
	"",
	"  What the live objects of kmalloc-4096 hold, and who probably owns them:",
	"",
	"    crash> leakscan kmalloc-4096",
	"    ...",
	"    CLUSTER 1: 3000 objects, 76.5% of 3920 live, 11.72 MiB",
	"      preview   \"version 15\\ntimestamp 4294892700\\ncpu0 0 0 0 0 ...\"",
	"      OWNER     a reader of /proc/schedstat (show_schedstat() ...)",
	"",
	"  Save the addresses of cluster 1:",
	"",
	"    crash> leakscan -l -k 1 kmalloc-4k > leaked.txt",
	NULL
};

static char *help_leakdump[] = {
	"leakdump",
	"show live slab objects of a cache or of one cluster (leakext " LEAKEXT_VERSION ")",
	"[-k cluster] [-c count] [-b bytes] [-s type] cache",
	"  Prints live objects of the cache as hex and ASCII (non-printable bytes",
	"  as dots), in the order the walker found them.",
	"",
	"    cache  a cache name or alias, as for leakscan.",
	"       -k  only the members of this cluster of \"leakscan cache\".",
	"       -c  this many objects (default 8; 0 means all).",
	"       -b  this many bytes of each (default 256, at most the object size).",
	"       -s  print each object as this struct type, as \"struct type addr\"",
	"           would.",
	"",
	"EXAMPLES",
	"  The first two members of the largest cluster of kmalloc-4k:",
	"",
	"    crash> leakdump -k 1 -c 2 -b 64 kmalloc-4k",
	"    ffff8902c4211000  (live object 1 of 3000)",
	"    ffff8902c4211000:  76 65 72 73 69 6f 6e 20  31 35 0a 74 69 6d 65 73  version 15.times",
	"    ...",
	"",
	"  The first member of cluster 1 as a struct (a module's own types need",
	"  its debuginfo first: mod -s MODULE):",
	"",
	"    crash> leakdump -k 1 -c 1 -s list_head kmalloc-192",
	NULL
};

static char *help_leakrefs[] = {
	"leakrefs",
	"the slab object holding an address, and who points at it (leakext " LEAKEXT_VERSION ")",
	"[-T cache=type] address",
	"  Indexes every slab cache, then scans memory as kmemleak does: kernel and",
	"  module data and bss, per-cpu areas, the stacks of live tasks and",
	"  vmalloc'd memory, then every live slab object they reach, then the live",
	"  objects nothing reaches.  Prints the object that contains the address",
	"  (cache, start, offset, live or free, reachable or not) and every",
	"  aligned word in that memory pointing at or into it, with where the word",
	"  sits: symbol [module] for globals, cache +offset for slab objects,",
	"  \"stack of pid N (comm)\" for stacks.  This is kmem ADDR and search -k",
	"  ADDR in one step, restricted to memory that can hold a live pointer.",
	"",
	"    address  a kernel virtual address (hexadecimal).",
	"",
	"EXAMPLES",
	"  Who holds one of the leaked schedstat buffers:",
	"",
	"    crash> leakrefs ffff8dc801a6d000",
	"    ffff8dc801a6d000: kmalloc-4k object ffff8dc801a6d000+0 (4096 bytes), live, reachable from roots",
	"    REFERRERS: 1 word",
	"      WHERE             HELD BY",
	"      ffffffffc03de3c0  leaked [leak_schedstat]",
	NULL
};

static struct command_table_entry command_table[] = {
	{ "leakscan", cmd_leakscan, help_leakscan, 0 },
	{ "leakdump", cmd_leakdump, help_leakdump, 0 },
	{ "leakrefs", cmd_leakrefs, help_leakrefs, 0 },
	{ NULL }
};

void __attribute__((constructor)) leakext_init(void)
{
	register_extension(command_table);
}

void __attribute__((destructor)) leakext_fini(void)
{
	unsigned int i;

	for (i = 0; i < PTYPE_SLOTS; i++)
		lx_ptype_free(ptype_slots[i].table);
	if (ptype_scratch)
		fclose(ptype_scratch);
	own_close();
	if (btf.types.ops)
		sa_types_close(&btf.types);
}
