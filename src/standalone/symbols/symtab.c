// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Symbols for the standalone backend: vmlinux's ELF .symtab (shifted by
 * the dump's KERNELOFFSET) and, added by the caller, module symbols read
 * from the dump.  Address lookups answer like crash: the nearest symbol
 * at or below the address.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "standalone/bigalloc.h"
#include "standalone/symbols/symtab.h"
#include "leakext/arch.h"

#define MAX_BANNER 512

/*
 * The name pool and the symbol array start small and double: a table of a
 * few module symbols costs kilobytes, a vmlinux's 100 k symbols a 4 MiB
 * array and two 2 MiB blocks of names.  Blocks and arrays of 2 MiB and more
 * are huge pages (bigalloc.h): filled at one page fault per 2 MiB, not one
 * per 4 KiB (S1's kallsyms: 1 700 faults, a third of the program's).
 */
#define POOL_FIRST_BLOCK (16 << 10)
#define POOL_BLOCK SA_BIG_MIN
#define FIRST_SYMBOL_CAP 256

/*
 * A copy of s in the pool.  Blocks are chained through their first
 * pointer-sized bytes, so lx_symtab_free() can release them all.
 */
static const char *keep_string(struct lx_string_pool *pool, const char *s)
{
	size_t len = strlen(s) + 1, size;
	char *block;

	if (len > POOL_BLOCK / 2)
		return NULL;
	if (!pool->block || pool->size - pool->used < len) {
		size = pool->size ? pool->size : POOL_FIRST_BLOCK / 2;
		do
			size = size < POOL_BLOCK ? size * 2 : POOL_BLOCK;
		while (size - sizeof(char *) < len);
		block = sa_big_calloc(1, size);
		if (!block)
			return NULL;
		memcpy(block, &pool->block, sizeof(char *));
		pool->block = block;
		pool->used = sizeof(char *);
		pool->size = size;
	}
	memcpy(pool->block + pool->used, s, len);
	pool->used += len;
	return pool->block + pool->used - len;
}

static void pool_free(struct lx_string_pool *pool)
{
	char *block = pool->block, *prev;

	while (block) {
		memcpy(&prev, block, sizeof(prev));
		sa_big_free(block);
		block = prev;
	}
	memset(pool, 0, sizeof(*pool));
}

bool lx_symtab_reserve(struct lx_symtab *st, size_t count)
{
	struct lx_symbol *syms;

	if (count <= st->cap)
		return true;
	/* names average about 25 bytes: a big table's start in whole blocks */
	if (!st->pool.size && count >= POOL_BLOCK / 32)
		st->pool.size = POOL_BLOCK;
	if (count > SIZE_MAX / sizeof(*syms))
		return false;
	syms = sa_big_grow(st->syms, st->cap * sizeof(*syms), count * sizeof(*syms));
	if (!syms)
		return false;
	st->syms = syms;
	st->cap = count;
	return true;
}

bool lx_symtab_add(struct lx_symtab *st, uint64_t addr, uint64_t size,
		   const char *name, const char *module)
{
	struct lx_symbol *sym;

	if (st->count == st->cap &&
	    !lx_symtab_reserve(st, st->cap ? st->cap * 2 : FIRST_SYMBOL_CAP))
		return false;
	sym = &st->syms[st->count];
	sym->addr = addr;
	sym->size = size;
	sym->name = keep_string(&st->pool, name);
	sym->module = module ? keep_string(&st->pool, module) : NULL;
	if (!sym->name || (module && !sym->module))
		return false;
	st->count++;
	return true;
}

void lx_symtab_shift(struct lx_symtab *st, size_t first, uint64_t delta)
{
	size_t i;

	for (i = first; i < st->count; i++)
		st->syms[i].addr += delta;
}

bool lx_symtab_find_unindexed(const struct lx_symtab *st, size_t first, const char *name,
			      uint64_t *addr)
{
	size_t i;

	for (i = first; i < st->count; i++)
		if (!strcmp(st->syms[i].name, name)) {
			*addr = st->syms[i].addr;
			return true;
		}
	return false;
}

/*
 * Forget the symbols added after the first count (not yet indexed): a
 * loader that fails leaves the table as it was.  Their names stay in the
 * pool until lx_symtab_free().
 */
void lx_symtab_truncate(struct lx_symtab *st, size_t count)
{
	if (count >= st->sorted && count < st->count)
		st->count = count;
}

static int symbol_cmp(const void *a, const void *b)
{
	const struct lx_symbol *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* syms[from, to), all at one address, by name (insertion: such runs are short). */
static void sort_aliases(struct lx_symbol *syms, size_t from, size_t to)
{
	struct lx_symbol key;
	size_t i, j;

	for (i = from + 1; i < to; i++) {
		key = syms[i];
		for (j = i; j > from && strcmp(syms[j - 1].name, key.name) > 0; j--)
			syms[j] = syms[j - 1];
		syms[j] = key;
	}
}

/* Whether syms[0, n) is in address order, whatever the order of aliases. */
static bool by_address(const struct lx_symbol *syms, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (syms[i - 1].addr > syms[i].addr)
			return false;
	return true;
}

/*
 * kallsyms and most ELF tables come in address order, aliases in their own
 * order: only the runs of aliases are sorted then (by name); else all.
 */
static void sort_symbols(struct lx_symbol *syms, size_t n)
{
	size_t from = 0, i;

	if (!by_address(syms, n)) {
		qsort(syms, n, sizeof(*syms), symbol_cmp);
		return;
	}
	for (i = 1; i <= n; i++) {
		if (i < n && syms[i].addr == syms[from].addr)
			continue;
		if (i - from > 1 && i - from <= 64)
			sort_aliases(syms, from, i);
		else if (i - from > 64)
			qsort(syms + from, i - from, sizeof(*syms), symbol_cmp);
		from = i;
	}
}

/*
 * syms[0, mid) and syms[mid, n), each sorted, into one sorted run (the
 * modules' symbols after the kernel's); false without memory for it.
 */
static bool merge_sorted(struct lx_symbol *syms, size_t mid, size_t n)
{
	struct lx_symbol *out;
	size_t i = 0, j = mid, k = 0;

	if (mid == n || symbol_cmp(&syms[mid - 1], &syms[mid]) <= 0)
		return true;	/* already in order */
	out = sa_big_calloc(n, sizeof(*out));
	if (!out)
		return false;
	while (i < mid && j < n)
		out[k++] = symbol_cmp(&syms[j], &syms[i]) < 0 ? syms[j++] : syms[i++];
	while (i < mid)
		out[k++] = syms[i++];
	while (j < n)
		out[k++] = syms[j++];
	memcpy(syms, out, n * sizeof(*out));
	sa_big_free(out);
	return true;
}

/*
 * The symbols added since the last call are sorted and indexed by name in
 * address order, so a name that several symbols share finds the lowest
 * address; then everything is sorted by address again.
 */
void lx_symtab_finish(struct lx_symtab *st)
{
	size_t i;

	if (st->count == st->sorted)	/* syms is NULL before the first add */
		return;
	st->by_name.borrowed = true;	/* names live in st->pool */
	sort_symbols(st->syms + st->sorted, st->count - st->sorted);
	lx_strmap_reserve(&st->by_name, st->by_name.count + (st->count - st->sorted));
	for (i = st->sorted; i < st->count; i++)
		lx_strmap_put(&st->by_name, st->syms[i].name, st->syms[i].addr);
	if (st->sorted && !merge_sorted(st->syms, st->sorted, st->count))
		sort_symbols(st->syms, st->count);
	st->sorted = st->count;
}

bool lx_symtab_lookup(const struct lx_symtab *st, const char *name, uint64_t *addr)
{
	return lx_strmap_get(&st->by_name, name, addr);
}

/* The nearest symbol at or below addr; the first name of an alias group. */
const struct lx_symbol *lx_symtab_containing(const struct lx_symtab *st, uint64_t addr)
{
	size_t lo = 0, hi = st->count;

	if (!st->count || addr < st->syms[0].addr)
		return NULL;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (st->syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	while (lo > 0 && st->syms[lo - 1].addr == st->syms[lo].addr)
		lo--;
	return &st->syms[lo];
}

void lx_symtab_free(struct lx_symtab *st)
{
	sa_big_free(st->syms);
	free(st->banner);
	lx_strmap_free(&st->by_name);
	pool_free(&st->pool);
	memset(st, 0, sizeof(*st));
}

/* A section header of either ELF class. */
struct elf_section {
	uint32_t type, link;
	uint64_t addr, offset, size;
};

/* A mapped vmlinux, 32- or 64-bit, with its section headers read out. */
struct elf_file {
	const uint8_t *map;
	size_t size;
	bool is64;
	struct elf_section *secs;
	unsigned int nsections;
};

/* A symbol of either ELF class. */
struct elf_symbol {
	uint32_t name;
	uint8_t info;
	uint16_t shndx;
	uint64_t value, size;
};

static bool section_ok(const struct elf_file *f, const struct elf_section *sh)
{
	return sh->offset <= f->size && sh->size <= f->size - sh->offset;
}

/* linux_banner's text, from the section that holds it in the file. */
static char *file_banner(const struct elf_file *f, uint64_t addr)
{
	unsigned int i;

	for (i = 0; i < f->nsections; i++) {
		const struct elf_section *sh = &f->secs[i];
		size_t off;

		if (sh->type != SHT_PROGBITS || addr < sh->addr ||
		    addr >= sh->addr + sh->size || !section_ok(f, sh))
			continue;
		off = sh->offset + (addr - sh->addr);
		return strndup((const char *)f->map + off,
			       f->size - off < MAX_BANNER ? f->size - off : MAX_BANNER);
	}
	return NULL;
}

static void read_symbol(const struct elf_file *f, const uint8_t *at, struct elf_symbol *sym)
{
	if (f->is64) {
		const Elf64_Sym *s = (const void *)at;

		*sym = (struct elf_symbol){ s->st_name, s->st_info, s->st_shndx,
					    s->st_value, s->st_size };
	} else {
		const Elf32_Sym *s = (const void *)at;

		*sym = (struct elf_symbol){ s->st_name, s->st_info, s->st_shndx,
					    s->st_value, s->st_size };
	}
}

static bool useful_symbol(const struct elf_symbol *sym)
{
	unsigned int type = ELF64_ST_TYPE(sym->info);	/* the same in both classes */

	return sym->name && sym->shndx != SHN_UNDEF && sym->value &&
	       (type == STT_FUNC || type == STT_OBJECT || type == STT_NOTYPE);
}

/*
 * A symbol of a section linked at address 0 (x86_64 SMP's .data..percpu)
 * is an offset, which KASLR does not move: cached_stacks plus a cpu's
 * __per_cpu_offset is that cpu's copy.
 */
static bool zero_based(const struct elf_file *f, const struct elf_symbol *sym)
{
	return sym->shndx < f->nsections && f->secs[sym->shndx].addr == 0 &&
	       f->secs[sym->shndx].type != SHT_NULL;
}

static int load_symbols(struct lx_symtab *st, const struct elf_file *f,
			const struct elf_section *symtab, uint64_t offset)
{
	const struct elf_section *strs = &f->secs[symtab->link];
	size_t entsize = f->is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
	size_t n = symtab->size / entsize, i;
	const char *names = (const char *)f->map + strs->offset;
	struct elf_symbol sym;

	if (!lx_symtab_reserve(st, st->count + n))	/* n entries lie in the file */
		return -1;
	for (i = 0; i < n; i++) {
		read_symbol(f, f->map + symtab->offset + i * entsize, &sym);
		if (!useful_symbol(&sym) || sym.name >= strs->size ||
		    !memchr(names + sym.name, '\0', strs->size - sym.name))
			continue;
		if (!strcmp(names + sym.name, "linux_banner") && !st->banner)
			st->banner = file_banner(f, sym.value);
		if (!lx_symtab_add(st, sym.value + (zero_based(f, &sym) ? 0 : offset), sym.size,
				   names + sym.name, NULL))
			return -1;
	}
	return 0;
}

static const struct elf_section *find_symtab(const struct elf_file *f)
{
	unsigned int i;

	for (i = 0; i < f->nsections; i++)
		if (f->secs[i].type == SHT_SYMTAB && section_ok(f, &f->secs[i]) &&
		    f->secs[i].link < f->nsections &&
		    section_ok(f, &f->secs[f->secs[i].link]))
			return &f->secs[i];
	return NULL;
}

static void unmap_elf(struct elf_file *f)
{
	munmap((void *)f->map, f->size);
	free(f->secs);
	f->secs = NULL;
}

/* The section headers of either class, bounded by the file. */
static bool read_sections(struct elf_file *f, uint64_t shoff, unsigned int shnum,
			  unsigned int shentsize)
{
	unsigned int i;

	if (shentsize != (f->is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr)) ||
	    shoff > f->size || (uint64_t)shnum * shentsize > f->size - shoff)
		return false;
	f->secs = calloc(shnum ? shnum : 1, sizeof(*f->secs));
	if (!f->secs)
		return false;
	for (i = 0; i < shnum; i++) {
		const uint8_t *at = f->map + shoff + (uint64_t)i * shentsize;

		if (f->is64) {
			const Elf64_Shdr *sh = (const void *)at;

			f->secs[i] = (struct elf_section){ sh->sh_type, sh->sh_link,
							   sh->sh_addr, sh->sh_offset, sh->sh_size };
		} else {
			const Elf32_Shdr *sh = (const void *)at;

			f->secs[i] = (struct elf_section){ sh->sh_type, sh->sh_link,
							   sh->sh_addr, sh->sh_offset, sh->sh_size };
		}
	}
	f->nsections = shnum;
	return true;
}

static bool check_header(struct elf_file *f)
{
	const Elf64_Ehdr *e64 = (const void *)f->map;
	const Elf32_Ehdr *e32 = (const void *)f->map;

	if (memcmp(e64->e_ident, ELFMAG, SELFMAG) || e64->e_ident[EI_DATA] != ELFDATA2LSB)
		return false;
	f->is64 = e64->e_ident[EI_CLASS] == ELFCLASS64;
	if (f->is64)
		return lx_arch_find_elf(e64->e_machine) &&
		       read_sections(f, e64->e_shoff, e64->e_shnum, e64->e_shentsize);
	return e64->e_ident[EI_CLASS] == ELFCLASS32 && f->size >= sizeof(*e32) &&
	       lx_arch_find_elf(e32->e_machine) &&
	       read_sections(f, e32->e_shoff, e32->e_shnum, e32->e_shentsize);
}

static bool map_elf(struct elf_file *f, const char *path, char *err, size_t errlen)
{
	struct stat sb;
	int fd = open(path, O_RDONLY);

	memset(f, 0, sizeof(*f));
	if (fd < 0 || fstat(fd, &sb)) {
		snprintf(err, errlen, "%s: cannot open", path);
		if (fd >= 0)
			close(fd);
		return false;
	}
	f->size = sb.st_size;
	f->map = f->size >= sizeof(Elf64_Ehdr) ?
		 mmap(NULL, f->size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
	close(fd);
	if (f->map == MAP_FAILED) {
		snprintf(err, errlen, "%s: cannot map", path);
		return false;
	}
	if (!check_header(f)) {
		snprintf(err, errlen, "%s: not an ELF vmlinux of an architecture leakext reads",
			 path);
		unmap_elf(f);
		return false;
	}
	return true;
}

int lx_symtab_load_elf(struct lx_symtab *st, const char *vmlinux, uint64_t offset,
		       char *err, size_t errlen)
{
	struct elf_file f;
	const struct elf_section *symtab;
	int ret;

	if (!map_elf(&f, vmlinux, err, errlen))
		return -1;
	symtab = find_symtab(&f);
	if (!symtab) {
		snprintf(err, errlen, "%s: no symbol table", vmlinux);
		unmap_elf(&f);
		return -1;
	}
	ret = load_symbols(st, &f, symtab, offset);
	if (ret)
		snprintf(err, errlen, "out of memory reading symbols");
	unmap_elf(&f);
	return ret;
}

/* The GNU build-id note in one SHT_NOTE section, as hex; false if none. */
static bool note_build_id(const struct elf_file *f, const struct elf_section *sh,
			  char *hex, size_t len)
{
	size_t off = sh->offset, end = sh->offset + sh->size, i;
	const Elf64_Nhdr *nh;	/* Elf32_Nhdr is the same three words */
	size_t name_size, desc_size;

	while (end - off >= sizeof(*nh)) {
		nh = (const void *)(f->map + off);
		name_size = (nh->n_namesz + 3) & ~3UL;
		desc_size = (nh->n_descsz + 3) & ~3UL;
		if (name_size > end - off - sizeof(*nh) ||
		    desc_size > end - off - sizeof(*nh) - name_size)
			return false;
		if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
		    !memcmp(f->map + off + sizeof(*nh), "GNU", 4) &&
		    nh->n_descsz && 2 * (size_t)nh->n_descsz < len) {
			const uint8_t *desc = f->map + off + sizeof(*nh) + name_size;

			for (i = 0; i < nh->n_descsz; i++)
				snprintf(hex + 2 * i, 3, "%02x", desc[i]);
			return true;
		}
		off += sizeof(*nh) + name_size + desc_size;
	}
	return false;
}

int lx_elf_build_id(const char *vmlinux, char *hex, size_t len, char *err,
		    size_t errlen)
{
	struct elf_file f;
	unsigned int i;

	hex[0] = '\0';
	if (!map_elf(&f, vmlinux, err, errlen))
		return -1;
	for (i = 0; i < f.nsections; i++)
		if (f.secs[i].type == SHT_NOTE && section_ok(&f, &f.secs[i]) &&
		    note_build_id(&f, &f.secs[i], hex, len))
			break;
	unmap_elf(&f);
	return 0;
}
