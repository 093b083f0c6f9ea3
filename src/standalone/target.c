// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The standalone target: memory through libkdumpfile; types from the
 * vmlinux (BTF or DWARF) or from the dump's own BTF; symbols from the
 * vmlinux (KASLR-shifted) or from the dump's kallsyms, and from the
 * modules loaded in the dump.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>

#include "leakext/arch.h"
#include "standalone/symbols/sysmap.h"
#include "leakext/core.h"
#include "standalone/symbols/symtab.h"
#include "leakext/target.h"
#include "standalone/bigalloc.h"
#include "standalone/files.h"
#include "standalone/symbols/kallsyms.h"
#include "standalone/target.h"

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Columns of the terminal on stderr; 80 when it does not say. */
static unsigned int terminal_columns(void)
{
	struct winsize ws;

	if (ioctl(fileno(stderr), TIOCGWINSZ, &ws) == 0 && ws.ws_col)
		return ws.ws_col;
	return 80;
}

void sa_progress_show(const char *what, const char *phase, uint64_t done,
		      uint64_t total)
{
	char line[512];

	if (total && done >= total) {	/* finished: erase the line */
		fputs("\r\033[K", stderr);
		return;
	}
	lx_progress_line(line, sizeof(line), terminal_columns(), what, phase, done, total);
	fprintf(stderr, "\r\033[K%s", line);
}

static bool kdump_source_read(struct sa_dump *d, uint64_t addr, void *buf, size_t len)
{
	if (d->reader.ops && sa_reader_read(&d->reader, addr, buf, len))
		return true;
	if (sa_reader_absent(&d->reader, addr, len)) {	/* libkdumpfile would refuse it */
		d->reader.absent++;
		return false;
	}
	d->reader.passed++;
	return sa_kdump_reads_read(&d->reads, KDUMP_KVADDR, addr, buf, len);
}

static void trace_pages(FILE *trace, uint64_t addr, size_t len)
{
	uint64_t page;

	for (page = addr & ~4095ULL; len && page <= addr + len - 1 && page >= (addr & ~4095ULL);
	     page += 4096)
		fprintf(trace, "%llx\n", (unsigned long long)page);
}

static bool sa_read(void *priv, uint64_t addr, void *buf, size_t len)
{
	struct sa_dump *d = priv;

	if (d->page_trace)
		trace_pages(d->page_trace, addr, len);
	return d->source->read(d, addr, buf, len);
}

static void sa_prefetch(void *priv, uint64_t addr, size_t len)
{
	struct sa_dump *d = priv;

	if (d->source->prefetch)
		d->source->prefetch(d, addr, len);
}

static bool sa_present(void *priv, uint64_t addr, size_t len)
{
	struct sa_dump *d = priv;

	return d->source->present && d->source->present(d, addr, len);
}

static bool sa_symbol(void *priv, const char *name, uint64_t *addr)
{
	return lx_symtab_lookup(&((struct sa_dump *)priv)->symbols, name, addr);
}

static bool sa_addr_symbol(void *priv, uint64_t addr, char *name, size_t len,
			   uint64_t *offset, char *module, size_t modlen)
{
	const struct lx_symbol *sym =
		lx_symtab_containing(&((struct sa_dump *)priv)->symbols, addr);

	/*
	 * A module symbol covers only its own size: an address past it is in
	 * freed __init memory or another module, and crash names none there.
	 */
	if (!sym || (sym->module && sym->size && addr - sym->addr >= sym->size))
		return false;
	snprintf(name, len, "%s", sym->name);
	snprintf(module, modlen, "%s", sym->module ? sym->module : "");
	*offset = addr - sym->addr;
	return true;
}

static long sa_type_size(void *priv, const char *type)
{
	return sa_types_size(((struct sa_dump *)priv)->types, type);
}

static long sa_member_offset(void *priv, const char *type, const char *member)
{
	return sa_types_member_offset(((struct sa_dump *)priv)->types, type, member);
}

static long sa_member_size(void *priv, const char *type, const char *member)
{
	return sa_types_member_size(((struct sa_dump *)priv)->types, type, member);
}

static bool sa_member_bits(void *priv, const char *type, const char *member,
			   uint64_t *bit_offset, unsigned int *bits)
{
	return sa_types_member_bits(((struct sa_dump *)priv)->types, type, member,
				    bit_offset, bits);
}

static bool sa_enum_value(void *priv, const char *name, long *value)
{
	return sa_types_enum_value(((struct sa_dump *)priv)->types, name, value);
}

static void *sa_alloc(struct lx_target *t, size_t size)
{
	(void)t;
	return sa_big_calloc(1, size ? size : 1);
}

static void sa_release(struct lx_target *t, void *ptr)
{
	(void)t;
	sa_big_free(ptr);
}

static void *sa_grow(struct lx_target *t, void *ptr, size_t old_size, size_t new_size)
{
	(void)t;
	return sa_big_grow(ptr, old_size, new_size);
}

struct sa_thread {
	pthread_t id;
	void (*fn)(void *arg);
	void *arg;
};

static void *sa_thread_main(void *arg)
{
	struct sa_thread *thread = arg;

	thread->fn(thread->arg);
	return NULL;
}

/*
 * The core's threads count in -J N, after the decoding workers: where the
 * dump's pages are compressed, decoding them is most of the work (S4's
 * makedumpfile dump: a core's time inflating), and a third thread on two
 * cores only slows them.
 */
static void *sa_thread_start(struct lx_target *t, void (*fn)(void *arg), void *arg)
{
	struct sa_dump *d = t->host_priv;
	struct sa_ahead_stats ahead;
	struct sa_thread *thread;

	if (!sa_reader_ahead_stats(&d->reader, &ahead))
		ahead.workers = 0;
	if (d->workers <= ahead.workers)
		return NULL;
	thread = calloc(1, sizeof(*thread));
	if (!thread)
		return NULL;
	thread->fn = fn;
	thread->arg = arg;
	if (pthread_create(&thread->id, NULL, sa_thread_main, thread)) {
		free(thread);
		return NULL;
	}
	return thread;
}

static void sa_thread_join(struct lx_target *t, void *arg)
{
	struct sa_thread *thread = arg;

	(void)t;
	pthread_join(thread->id, NULL);
	free(thread);
}

static bool sa_interrupted(struct lx_target *t)
{
	(void)t;
	return interrupted;
}

static void sa_message(struct lx_target *t, enum lx_msg_level level,
		       const char *text)
{
	struct sa_dump *d = t->host_priv;

	fprintf(stderr, "leakscan: %s: %s%s\n", d->path,
		level == LX_MSG_ERROR ? "error: " : level == LX_MSG_WARN ? "warning: " : "",
		text);
}

static void sa_progress(struct lx_target *t, const char *label, uint64_t done,
			uint64_t total)
{
	struct sa_dump *d = t->host_priv;

	if (d->progress)
		sa_progress_show(d->path, label, done, total);
}

#define MAX_BTF_MODULES 4096	/* entries of btf_modules walked */
#define MAX_PRINT_SIZE (1U << 20)	/* bytes of one -t object */

struct btf_module_layout {
	long list, module, btf;		/* struct btf_module */
	long data, data_size;		/* struct btf */
	long name;			/* struct module */
};

static bool btf_module_layout(const struct sa_types *ty, struct btf_module_layout *l)
{
	l->list = sa_types_member_offset(ty, "btf_module", "list");
	l->module = sa_types_member_offset(ty, "btf_module", "module");
	l->btf = sa_types_member_offset(ty, "btf_module", "btf");
	l->data = sa_types_member_offset(ty, "btf", "data");
	l->data_size = sa_types_member_offset(ty, "btf", "data_size");
	l->name = sa_types_member_offset(ty, "module", "name");
	return l->list >= 0 && l->module >= 0 && l->btf >= 0 && l->data >= 0 &&
	       l->data_size >= 0 && l->name >= 0 &&
	       sa_types_member_size(ty, "btf", "data_size") == 4 &&
	       sa_types_member_size(ty, "btf", "data") == 8;
}

static bool read_u64(struct sa_dump *d, uint64_t addr, uint64_t *val)
{
	return sa_read(d, addr, val, sizeof(*val));
}

/* One btf_module entry at entry (its list member's address minus list). */
static void load_one_module_btf(struct sa_dump *d, const struct btf_module_layout *l,
				uint64_t entry)
{
	struct sa_module_btf *m = &d->module_btf[d->nmodule_btf];
	uint64_t module, btf, data;
	char name[56] = "", err[256] = "";
	uint32_t size;
	void *bytes;

	if (!read_u64(d, entry + l->btf, &btf) || !read_u64(d, btf + l->data, &data) ||
	    !sa_read(d, btf + l->data_size, &size, sizeof(size)))
		return;
	if (read_u64(d, entry + l->module, &module) && module &&
	    sa_read(d, module + l->name, name, sizeof(name) - 1))
		name[sizeof(name) - 1] = '\0';
	lx_escape(m->name, sizeof(m->name), name, strnlen(name, sizeof(name)));
	if (!size || size > SA_BTF_MODULE_MAX_SIZE)
		return;
	bytes = malloc(size);
	if (!bytes)
		return;
	if (sa_read(d, data, bytes, size) &&
	    !sa_types_open_btf_split(&m->types, d->types, bytes, size, err, sizeof(err)))
		d->nmodule_btf++;
	else if (d->progress)
		fprintf(stderr, "leakscan: %s: warning: module %s's BTF skipped: %s\n",
			d->path, m->name, *err ? err : "not in the dump");
	free(bytes);
}

/*
 * The kernel's btf_modules list (kernel/bpf/btf.c): every loaded module's
 * BTF, which vmlinux's BTF does not have.  Walked once per dump, bounded.
 */
static void load_module_btf(struct sa_dump *d)
{
	struct btf_module_layout l;
	uint64_t head, pos;
	unsigned int n;

	d->module_btf_tried = true;
	if (d->source->module_btf) {
		d->module_btf = calloc(MAX_BTF_MODULES, sizeof(*d->module_btf));
		if (!d->module_btf || !d->source->module_btf(d, MAX_BTF_MODULES))
			return;
	}
	if (!lx_symtab_lookup(&d->symbols, "btf_modules", &head) ||
	    !btf_module_layout(d->types, &l))
		return;
	if (!d->module_btf)
		d->module_btf = calloc(MAX_BTF_MODULES, sizeof(*d->module_btf));
	if (!d->module_btf)
		return;
	if (!read_u64(d, head, &pos))
		return;
	for (n = 0; pos != head && n < MAX_BTF_MODULES; n++) {
		if ((uint64_t)l.list > pos)
			break;
		load_one_module_btf(d, &l, pos - l.list);
		if (!read_u64(d, pos, &pos))
			break;
	}
}

/* The types that know type: the kernel's, else a module's (named in *module). */
static const struct sa_types *types_for(struct sa_dump *d, const char *type,
					const char **module)
{
	unsigned int i;

	*module = NULL;
	if (sa_types_size(d->types, type) >= 0)
		return d->types;
	if (!d->module_btf_tried)
		load_module_btf(d);
	for (i = 0; i < d->nmodule_btf; i++) {
		if (sa_types_size(&d->module_btf[i].types, type) >= 0) {
			*module = d->module_btf[i].name;
			return &d->module_btf[i].types;
		}
	}
	return NULL;
}

/* Module types too, as -t prints them; DWARF has no reverse lookup. */
static bool sa_member_at(void *priv, const char *type, uint64_t offset, char *path,
			 size_t len)
{
	const struct sa_types *ty;
	const char *module;

	ty = types_for(priv, type, &module);
	return ty && sa_types_member_at(ty, type, offset, path, len);
}

static bool sa_print_type(struct lx_target *t, const char *type, uint64_t addr)
{
	struct sa_dump *d = t->host_priv;
	const struct sa_types *ty;
	const char *module;
	bool ok = false;
	uint8_t *buf;
	long size;

	if (d->types->kind == SA_TYPES_DWARF) {
		fprintf(stderr, "leakscan: %s: -t prints through BTF, not with --dwarf\n", d->path);
		return false;
	}
	ty = types_for(d, type, &module);
	size = ty ? sa_types_size(ty, type) : -1;
	if (size > MAX_PRINT_SIZE)
		fprintf(stderr, "leakscan: %s: struct %s is %ld bytes, more than -t prints\n",
			d->path, type, size);
	if (size <= 0 || size > MAX_PRINT_SIZE)
		return false;
	buf = malloc(size);
	if (!buf)
		return false;
	if (module)
		printf("  (struct %s from module %s's BTF)\n", type, module);
	if (!sa_read(d, addr, buf, size)) {
		printf("  (unreadable: %ld bytes of struct)\n", size);
		ok = true;
	} else {
		ok = sa_types_print(ty, type, buf, size, stdout);
	}
	free(buf);
	return ok;
}

/* max_pfn: the dump file's own extent (kdump max_mapnr, ELF segments). */
static uint64_t kdump_source_phys_end(struct sa_dump *d)
{
	kdump_num_t max_pfn, page_size;

	if (kdump_get_number_attr(d->ctx, "max_pfn", &max_pfn) != KDUMP_OK ||
	    kdump_get_number_attr(d->ctx, KDUMP_ATTR_PAGE_SIZE, &page_size) != KDUMP_OK ||
	    !page_size || max_pfn > UINT64_MAX / page_size)
		return 0;
	return max_pfn * page_size;
}

static uint64_t sa_phys_end(void *priv)
{
	struct sa_dump *d = priv;

	return d->source->phys_end(d);
}

static const char *vmcoreinfo(struct sa_dump *d, const char *key)
{
	return d->source->vmcoreinfo(d, key);
}

static bool sa_vmcoreinfo(void *priv, const char *key, char *buf, size_t len)
{
	const char *value = vmcoreinfo(priv, key);

	return value && snprintf(buf, len, "%s", value) < (int)len;
}

static bool sa_live(void *priv)
{
	return ((struct sa_dump *)priv)->source->live;
}

const struct lx_dump_ops sa_dump_ops = {
	.read = sa_read,
	.symbol = sa_symbol,
	.addr_symbol = sa_addr_symbol,
	.type_size = sa_type_size,
	.member_offset = sa_member_offset,
	.member_size = sa_member_size,
	.member_at = sa_member_at,
	.member_bits = sa_member_bits,
	.enum_value = sa_enum_value,
	.phys_end = sa_phys_end,
	.vmcoreinfo = sa_vmcoreinfo,
	.live = sa_live,
	.prefetch = sa_prefetch,
	.present = sa_present,
};

const struct lx_host_ops sa_host_ops = {
	.alloc = sa_alloc,
	.release = sa_release,
	.grow = sa_grow,
	.interrupted = sa_interrupted,
	.message = sa_message,
	.progress = sa_progress,
	.print_type = sa_print_type,
	.thread_start = sa_thread_start,
	.thread_join = sa_thread_join,
};

void sa_catch_interrupts(void)
{
	signal(SIGINT, on_sigint);
}

static const char *kdump_source_vmcoreinfo(struct sa_dump *d, const char *key)
{
	char attr[128];
	const char *value = NULL;

	snprintf(attr, sizeof(attr), "linux.vmcoreinfo.lines.%s", key);
	if (kdump_get_string_attr(d->ctx, attr, &value) != KDUMP_OK)
		return NULL;
	return value;
}

/*
 * The dump's architecture, by the name libkdumpfile gives it (the ELF
 * machine, the kdump header's utsname): the row the KASLR checks use
 * before a session probes its own.
 */
static int dump_arch(struct sa_dump *d, char *err, size_t errlen)
{
	const char *name = NULL;
	char safe[64];

	if (kdump_get_string_attr(d->ctx, KDUMP_ATTR_ARCH_NAME, &name) != KDUMP_OK || !name)
		name = "x86_64";
	d->arch = lx_arch_find(name);
	if (d->arch)
		return 0;
	lx_escape(safe, sizeof(safe), name, strlen(name));
	snprintf(err, errlen, "a dump of a %s machine; leakscan reads x86_64 and aarch64 dumps",
		 safe);
	return -1;
}

static int kdump_source_open(struct sa_dump *d, char *err, size_t errlen)
{
	if (sa_check_dump(d->fd, d->path, err, errlen))
		return -1;
	d->ctx = sa_kdump_open(d->fd, err, errlen);
	if (!d->ctx || dump_arch(d, err, errlen))
		return -1;
	d->reads = (struct sa_kdump_reads){ .path = d->path, .fd = -1 };
	if (d->libkdumpfile_only) {
		snprintf(d->reader.why, sizeof(d->reader.why), "--reader=libkdumpfile");
		sa_reader_open(&d->index, d->fd, d->ctx);
	} else {
		sa_reader_open(&d->reader, d->fd, d->ctx);
	}
	sa_reader_start_workers(&d->reader, d->workers);
	return 0;
}

static void kdump_source_prefetch(struct sa_dump *d, uint64_t kvaddr, size_t len)
{
	sa_reader_prefetch(&d->reader, kvaddr, len);
}

static bool kdump_source_present(struct sa_dump *d, uint64_t kvaddr, size_t len)
{
	return sa_reader_present(d->libkdumpfile_only ? &d->index : &d->reader, kvaddr, len);
}

static void kdump_source_close(struct sa_dump *d)
{
	sa_reader_close(&d->reader);
	sa_reader_close(&d->index);
	sa_kdump_reads_close(&d->reads);
	if (d->ctx)
		kdump_free(d->ctx);
	d->ctx = NULL;
}

static bool any_file(int fd)
{
	(void)fd;
	return true;
}

/* Every dump file libkdumpfile reads, with the own readers beside it. */
static const struct sa_source kdump_source = {
	.name = "libkdumpfile",
	.probe = any_file,
	.open = kdump_source_open,
	.read = kdump_source_read,
	.vmcoreinfo = kdump_source_vmcoreinfo,
	.phys_end = kdump_source_phys_end,
	.close = kdump_source_close,
	.prefetch = kdump_source_prefetch,
	.present = kdump_source_present,
};

/* The first row whose probe accepts the file; the last takes any. */
static const struct sa_source *const sources[] = {
	&sa_kcore_source,
	&kdump_source,
};

static int open_dump(struct sa_dump *d, char *err, size_t errlen)
{
	size_t i;

	d->fd = open(d->path, O_RDONLY);
	if (d->fd < 0) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
		if (sources[i]->probe(d->fd)) {
			d->source = sources[i];
			return d->source->open(d, err, errlen);
		}
	}
	snprintf(err, errlen, "not a dump");	/* kdump_source takes any */
	return -1;
}

static void load_module_symbols(struct sa_dump *d)
{
	struct lx_target t = { .dump = &sa_dump_ops, .dump_priv = d,
			       .host = &sa_host_ops, .host_priv = d,
			       .word_size = d->arch->word_size };
	struct sa_module_layout ml = {
		.list = sa_types_member_offset(d->types, "module", "list"),
		.name = sa_types_member_offset(d->types, "module", "name"),
		.kallsyms = sa_types_member_offset(d->types, "module", "kallsyms"),
		.symtab = sa_types_member_offset(d->types, "mod_kallsyms", "symtab"),
		.num_symtab = sa_types_member_offset(d->types, "mod_kallsyms", "num_symtab"),
		.strtab = sa_types_member_offset(d->types, "mod_kallsyms", "strtab"),
	};

	sa_module_symbols_load(&t, &ml, &d->symbols);
}

/* The dump's linux_banner must be the vmlinux's. */
static int check_match(struct sa_dump *d, uint64_t offset, char *err, size_t errlen)
{
	const char *release = vmcoreinfo(d, "OSRELEASE");
	char banner[512] = "", safe[256] = "another kernel";
	uint64_t addr;
	size_t n;

	if (!d->symbols.banner || !lx_symtab_lookup(&d->symbols, "linux_banner", &addr))
		return 0;	/* nothing to compare with */
	n = strcspn(d->symbols.banner, "\n");
	if (n >= sizeof(banner))
		n = sizeof(banner) - 1;
	if (!sa_read(d, addr, banner, n)) {
		fprintf(stderr, "leakscan: %s: warning: linux_banner is not in the dump (truncated or filtered, or KERNELOFFSET %llx wrong?); vmlinux not checked against it\n",
			d->path, (unsigned long long)offset);
		return 0;
	}
	if (!strncmp(banner, d->symbols.banner, n))
		return 0;
	if (release)
		lx_escape(safe, sizeof(safe), release, strlen(release));
	if (release && strstr(d->symbols.banner, release))
		snprintf(err, errlen, "vmlinux is the dump's release %s, but linux_banner is not where KERNELOFFSET %llx puts it: the dump's KERNELOFFSET is wrong",
			 safe, (unsigned long long)offset);
	else
		snprintf(err, errlen, "vmlinux does not match the vmcore: the dump runs %s%s, vmlinux is \"%.*s\"",
			 safe, release ? "" : " (or its KERNELOFFSET is wrong)", (int)n,
			 d->symbols.banner);
	return -1;
}

/*
 * The KASLR shift: VMCOREINFO's KERNELOFFSET (hex, as the kernel prints
 * it), a multiple of the architecture's KASLR step inside its window.
 * None means no KASLR.
 */
static int kernel_offset(struct sa_dump *d, uint64_t *offset, char *err, size_t errlen)
{
	const struct lx_arch *arch = d->arch;
	const char *text = vmcoreinfo(d, "KERNELOFFSET");
	char safe[64], why[64] = "";
	size_t len;

	*offset = 0;
	if (!text)
		return 0;
	len = strlen(text);
	if (!len || len > 16 || strspn(text, "0123456789abcdefABCDEF") != len)
		snprintf(why, sizeof(why), "is not a hex number");
	else if ((*offset = strtoull(text, NULL, 16)) % arch->kaslr_align)
		snprintf(why, sizeof(why), "is not a multiple of %llu MiB",
			 (unsigned long long)(arch->kaslr_align >> 20));
	else if (*offset >= arch->kaslr_max)
		snprintf(why, sizeof(why), "is beyond the %llu GiB KASLR window",
			 (unsigned long long)(arch->kaslr_max >> 30));
	if (!why[0])
		return 0;
	lx_escape(safe, sizeof(safe), text, len);
	snprintf(err, errlen, "corrupt VMCOREINFO: KERNELOFFSET \"%s\" %s", safe, why);
	return -1;
}

/*
 * A vmlinux for another build than the dump's is refused before anything
 * is read with its symbols: VMCOREINFO's BUILD-ID (kernel commit
 * 0935288c6e00, "kdump: append kernel build-id string to VMCOREINFO",
 * 5.9) against the vmlinux's .note.gnu.build-id.
 */
static int check_build_id(struct sa_dump *d, char *err, size_t errlen)
{
	const char *dump_id = vmcoreinfo(d, "BUILD-ID");
	char safe[140];

	if (!dump_id || !d->vmlinux->build_id[0])
		return 0;	/* linux_banner is compared later */
	if (!strcasecmp(dump_id, d->vmlinux->build_id))
		return 0;
	lx_escape(safe, sizeof(safe), dump_id, strlen(dump_id));
	snprintf(err, errlen, "vmlinux does not match the vmcore: the dump's BUILD-ID is %s, %s's is %s",
		 safe, d->vmlinux->path, d->vmlinux->build_id);
	return -1;
}

/*
 * Without KERNELOFFSET (an i386 kernel has no such line, KASLR or not) the
 * shift is where VMCOREINFO puts _stext against where the file does; the
 * symbols loaded from index first on move by it.  Like KERNELOFFSET it
 * must be a multiple of the KASLR step inside the window.
 */
static int shift_by_stext(struct sa_dump *d, size_t first, uint64_t *offset,
			  char *err, size_t errlen)
{
	const char *text = vmcoreinfo(d, "SYMBOL(_stext)");
	uint64_t running, linked, delta;

	if (vmcoreinfo(d, "KERNELOFFSET") || !text ||
	    !lx_symtab_find_unindexed(&d->symbols, first, "_stext", &linked))
		return 0;
	running = strtoull(text, NULL, 16);
	delta = running - linked;
	if (!delta)
		return 0;
	if (running < linked || delta % d->arch->kaslr_align || delta >= d->arch->kaslr_max) {
		snprintf(err, errlen, "VMCOREINFO puts _stext at %#llx, the symbols at %#llx: no KASLR shift of %s explains it",
			 (unsigned long long)running, (unsigned long long)linked, d->arch->name);
		return -1;
	}
	lx_symtab_shift(&d->symbols, first, delta);
	*offset = delta;
	return 0;
}

static int vmlinux_symbols(struct sa_dump *d, char *err, size_t errlen)
{
	size_t first = d->symbols.count;
	uint64_t offset;

	if (kernel_offset(d, &offset, err, errlen) || check_build_id(d, err, errlen) ||
	    lx_symtab_load_elf(&d->symbols, d->vmlinux->path, offset, err, errlen) ||
	    shift_by_stext(d, first, &offset, err, errlen))
		return -1;
	lx_symtab_finish(&d->symbols);
	d->symbols_kind = SA_SYMBOLS_VMLINUX;
	return check_match(d, offset, err, errlen);
}

/*
 * Read [start, end) of kernel memory into a new buffer, a chunk at a time,
 * the dump advised ahead (its decoding threads inflate the pages ahead).
 */
static void *read_range(struct sa_dump *d, uint64_t start, uint64_t end)
{
	const struct lx_target t = { .dump = &sa_dump_ops, .dump_priv = d };
	const size_t chunk = 1 << 20;
	uint8_t *buf = sa_big_calloc(1, end - start);
	uint64_t at, advised = 0;
	size_t n;

	for (at = start; buf && at < end; at += n) {
		n = end - at < chunk ? end - at : chunk;
		lx_prefetch_run(&t, &advised, at, n, end);
		if (!sa_read(d, at, buf + (at - start), n)) {
			sa_big_free(buf);
			return NULL;
		}
	}
	return buf;
}

/*
 * A symbol's address, in a table indexed or not yet (kallsyms' names are
 * indexed beside the BTF read: name_index_start()).  Only before that
 * starts or after it is joined.
 */
static bool early_symbol(const struct sa_dump *d, const char *name, uint64_t *addr)
{
	return lx_symtab_lookup(&d->symbols, name, addr) ||
	       lx_symtab_find_unindexed(&d->symbols, d->symbols.sorted, name, addr);
}

/* Where the kernel's BTF is, looked up before the names are indexed. */
struct btf_bounds {
	uint64_t start, stop;
	bool found;
};

static void find_btf_bounds(const struct sa_dump *d, struct btf_bounds *b)
{
	b->found = early_symbol(d, "__start_BTF", &b->start) &&
		   early_symbol(d, "__stop_BTF", &b->stop);
}

/*
 * The kernel's own BTF, which CONFIG_DEBUG_INFO_BTF keeps in memory
 * between __start_BTF and __stop_BTF (kernel/bpf/sysfs_btf.c serves it
 * as /sys/kernel/btf/vmlinux).
 */
static int dump_btf(struct sa_dump *d, const struct btf_bounds *b, char *err, size_t errlen)
{
	uint64_t start = b->start, stop = b->stop;
	char why[256];
	void *data;
	int ret;

	if (!b->found) {
		snprintf(err, errlen, "the kernel has no BTF (no __start_BTF symbol: CONFIG_DEBUG_INFO_BTF is off); pass its debug vmlinux");
		return -1;
	}
	if (stop <= start || stop - start > SA_BTF_MAX_SIZE) {
		snprintf(err, errlen, "corrupt BTF bounds: __start_BTF %#llx, __stop_BTF %#llx",
			 (unsigned long long)start, (unsigned long long)stop);
		return -1;
	}
	data = read_range(d, start, stop);
	if (!data) {
		snprintf(err, errlen, "the kernel's BTF (%llu bytes at %#llx) is not in the dump; pass the debug vmlinux",
			 (unsigned long long)(stop - start), (unsigned long long)start);
		return -1;
	}
	ret = sa_types_open_btf_raw(&d->own_types, data, stop - start, why, sizeof(why));
	sa_big_free(data);
	if (ret)
		snprintf(err, errlen, "the kernel's BTF in the dump: %s; pass the debug vmlinux", why);
	return ret;
}

static const char *vmcoreinfo_line(void *priv, const char *key)
{
	return vmcoreinfo(priv, key);
}

/*
 * Without CONFIG_KALLSYMS_ALL kallsyms keeps only text (scripts/kallsyms.c
 * drops symbols outside the text ranges): no slab_caches, no __start_BTF,
 * nothing a walk starts from.
 */
static int check_data_symbols(struct sa_dump *d, char *err, size_t errlen)
{
	uint64_t addr;

	if (early_symbol(d, "slab_caches", &addr) || early_symbol(d, "init_task", &addr))
		return 0;
	snprintf(err, errlen, "the dump's kallsyms names code only (the kernel was built without CONFIG_KALLSYMS_ALL): pass its System.map (Debian: in the -dbg package) or its debug vmlinux");
	return -1;
}

/* The kernel's kallsyms, where VMCOREINFO says its tables are (6.0+). */
static int memory_symbols(struct sa_dump *d, char *err, size_t errlen)
{
	struct lx_target t = { .dump = &sa_dump_ops, .dump_priv = d,
			       .host = &sa_host_ops, .host_priv = d,
			       .word_size = d->arch->word_size };
	struct sa_kallsyms_addrs addrs;

	if (sa_kallsyms_addrs_from_vmcoreinfo(&addrs, vmcoreinfo_line, d, err, errlen) ||
	    sa_kallsyms_load_stats(&t, &addrs, &d->symbols, &d->kallsyms, err, errlen))
		return -1;
	d->symbols_kind = SA_SYMBOLS_KALLSYMS;
	return check_data_symbols(d, err, errlen);
}

/*
 * A System.map is the dump's when every symbol VMCOREINFO places is where
 * the map, shifted by KERNELOFFSET, puts it.
 */
static int check_map_anchors(struct sa_dump *d, uint64_t offset, char *err, size_t errlen)
{
	struct sa_kallsyms_anchor anchors[SA_KALLSYMS_ANCHORS];
	unsigned int n, i, compared = 0;
	uint64_t addr;

	if (sa_vmcoreinfo_anchors(anchors, &n, vmcoreinfo_line, d, err, errlen))
		return -1;
	for (i = 0; i < n; i++) {
		if (!lx_symtab_lookup(&d->symbols, anchors[i].name, &addr))
			continue;
		if (addr != anchors[i].addr) {
			snprintf(err, errlen, "%s does not match the vmcore: it puts %s at %#llx (KERNELOFFSET %llx applied), VMCOREINFO at %#llx",
				 d->system_map, anchors[i].name, (unsigned long long)addr,
				 (unsigned long long)offset, (unsigned long long)anchors[i].addr);
			return -1;
		}
		compared++;
	}
	if (compared)
		return 0;
	snprintf(err, errlen, "%s cannot be checked against the vmcore: none of the symbols VMCOREINFO places is in it",
		 d->system_map);
	return -1;
}

static int map_symbols(struct sa_dump *d, char *err, size_t errlen)
{
	struct sa_sysmap_stats stats;
	uint64_t offset;

	size_t first = d->symbols.count;

	if (kernel_offset(d, &offset, err, errlen) ||
	    sa_sysmap_load(&d->symbols, d->system_map, offset, &stats, err, errlen) ||
	    shift_by_stext(d, first, &offset, err, errlen))
		return -1;
	lx_symtab_finish(&d->symbols);
	d->symbols_kind = SA_SYMBOLS_SYSTEM_MAP;
	return check_map_anchors(d, offset, err, errlen);
}

/* The source's symbols (/proc/kallsyms), else the tables in memory. */
static int source_symbols(struct sa_dump *d, char *err, size_t errlen)
{
	char why[256], mem[256];

	if (!d->source->symbols(d, why, sizeof(why)))
		return 0;
	lx_symtab_free(&d->symbols);
	memset(&d->symbols, 0, sizeof(d->symbols));
	d->symbols_have_modules = false;
	if (!memory_symbols(d, mem, sizeof(mem))) {
		if (!d->quiet)
			fprintf(stderr, "leakscan: %s: warning: %s; kallsyms read from memory\n",
				d->path, why);
		return 0;
	}
	snprintf(err, errlen, "no kernel symbols: %s; and in memory: %s", why, mem);
	return -1;
}

static int kernel_symbols(struct sa_dump *d, char *err, size_t errlen)
{
	if (d->vmlinux)
		return vmlinux_symbols(d, err, errlen);
	if (d->system_map)
		return map_symbols(d, err, errlen);
	if (d->source->symbols)
		return source_symbols(d, err, errlen);
	return memory_symbols(d, err, errlen);
}

/* The kernel's own BTF: from the source (sysfs, live), else from its memory. */
static int own_btf(struct sa_dump *d, const struct btf_bounds *b, char *err, size_t errlen)
{
	char why[256], mem[256];

	if (!d->source->btf)
		return dump_btf(d, b, err, errlen);
	if (!d->source->btf(d, why, sizeof(why)))
		return 0;
	sa_types_close(&d->own_types);
	if (!dump_btf(d, b, mem, sizeof(mem))) {
		if (!d->quiet)
			fprintf(stderr, "leakscan: %s: warning: %s; BTF read from memory\n",
				d->path, why);
		return 0;
	}
	snprintf(err, errlen, "no kernel types: %s; and in memory: %s", why, mem);
	return -1;
}

/*
 * kallsyms' names (87 000 on a 6.1 kernel) indexed by lx_symtab_finish()
 * on a thread of its own while the kernel's BTF is read from the dump and
 * indexed (S1: 5 ms beside 15): only where the BTF comes from memory, by
 * bounds looked up before, so that nothing reads the symbols meanwhile.
 */
struct name_index {
	pthread_t thread;
	bool started;
};

static void *finish_symbols(void *arg)
{
	lx_symtab_finish(arg);
	return NULL;
}

static void name_index_start(struct sa_dump *d, bool beside_btf, struct name_index *ix)
{
	ix->started = beside_btf && d->workers && !d->source->btf &&
		      d->symbols.sorted != d->symbols.count &&
		      !pthread_create(&ix->thread, NULL, finish_symbols, &d->symbols);
	if (!ix->started)
		lx_symtab_finish(&d->symbols);
}

static void name_index_join(struct sa_dump *d, struct name_index *ix)
{
	if (ix->started)
		pthread_join(ix->thread, NULL);
	ix->started = false;
	lx_symtab_finish(&d->symbols);	/* nothing left to do, or no thread */
}

/* Types from the vmlinux given, else the kernel's own BTF. */
static int kernel_types(struct sa_dump *d, char *err, size_t errlen)
{
	bool own = !d->vmlinux || d->vmlinux->types.kind == SA_TYPES_NONE;
	struct name_index ix;
	struct btf_bounds b;
	int ret = 0;

	find_btf_bounds(d, &b);
	name_index_start(d, own, &ix);
	if (own)
		ret = own_btf(d, &b, err, errlen);
	name_index_join(d, &ix);
	d->types = own ? &d->own_types : &d->vmlinux->types;
	return ret;
}

int sa_dump_open(struct sa_dump *d, char *err, size_t errlen)
{
	const char *trace = getenv("LEAKEXT_PAGE_TRACE");

	d->page_trace = trace && *trace ? fopen(trace, "a") : NULL;
	if (open_dump(d, err, errlen))
		return -1;
	if (kernel_symbols(d, err, errlen) || kernel_types(d, err, errlen))
		return -1;
	if (!d->symbols_have_modules)
		load_module_symbols(d);
	lx_symtab_finish(&d->symbols);
	return 0;
}

const char *sa_symbols_name(enum sa_symbols_kind kind)
{
	return kind == SA_SYMBOLS_KALLSYMS ? "kallsyms" :
	       kind == SA_SYMBOLS_PROC ? "proc-kallsyms" :
	       kind == SA_SYMBOLS_SYSTEM_MAP ? "system-map" : "vmlinux";
}

void sa_dump_close(struct sa_dump *d)
{
	if (d->source)
		d->source->close(d);
	d->source = NULL;
	if (d->page_trace)
		fclose(d->page_trace);
	d->page_trace = NULL;
	if (d->fd >= 0)
		close(d->fd);
	lx_symtab_free(&d->symbols);
	while (d->nmodule_btf)	/* before the base they split */
		sa_types_close(&d->module_btf[--d->nmodule_btf].types);
	free(d->module_btf);
	d->module_btf = NULL;
	d->module_btf_tried = false;
	sa_types_close(&d->own_types);
	d->types = NULL;
	d->ctx = NULL;
	d->fd = -1;
}
