// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The /proc/kcore reader (src/standalone/readers/kcore.c) on a kcore-shaped
 * ELF file built from the fake kernel's memory: a PT_LOAD per region at
 * its virtual address (p_paddr for the direct map, -1 elsewhere, as
 * fs/proc/kcore.c writes them), fs/proc/kcore.c's three CORE notes and a
 * VMCOREINFO note.  The walker then reads the fake kernel through it, and
 * a live target's moving memory is walked again or reported as moving.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fixture.h"
#include "report/report.h"
#include "standalone/readers/kcore.h"
#include "unit.h"

#define DIRECT_MAP_SPAN (1ULL << 32)
#define VMCOREINFO_TEXT "OSRELEASE=6.1.0-fake\nPAGESIZE=4096\nKERNELOFFSET=0\n"

struct note_buf {
	uint8_t bytes[1024];
	size_t len;
};

static void add_note(struct note_buf *nb, const char *name, uint32_t type,
		     const void *desc, uint32_t desc_len)
{
	Elf64_Nhdr nh = { .n_namesz = strlen(name) + 1, .n_descsz = desc_len, .n_type = type };

	memcpy(nb->bytes + nb->len, &nh, sizeof(nh));
	nb->len += sizeof(nh);
	memcpy(nb->bytes + nb->len, name, nh.n_namesz);
	nb->len += (nh.n_namesz + 3) & ~3U;
	memcpy(nb->bytes + nb->len, desc, desc_len);
	nb->len += (desc_len + 3) & ~3U;
}

static uint64_t region_paddr(const struct fk_region *r)
{
	return r->addr >= FK_PAGE_OFFSET && r->addr - FK_PAGE_OFFSET < DIRECT_MAP_SPAN ?
	       r->addr - FK_PAGE_OFFSET : SA_KCORE_NO_PADDR;
}

/* The fake kernel's memory as /proc/kcore would show it, in a memfd. */
static int build_kcore(const struct fake_kernel *fk, bool taskstruct, bool vmcoreinfo)
{
	uint8_t zeros[64] = { 0 };
	struct note_buf nb = { .len = 0 };
	Elf64_Ehdr eh = { .e_type = ET_CORE, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
			  .e_phoff = sizeof(Elf64_Ehdr), .e_ehsize = sizeof(Elf64_Ehdr),
			  .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = fk->nregions + 1 };
	Elf64_Phdr ph = { .p_type = PT_NOTE };
	uint64_t data;
	int fd = memfd_create("kcore", 0), i;

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	add_note(&nb, "CORE", NT_PRSTATUS, zeros, sizeof(zeros));
	add_note(&nb, "CORE", NT_PRPSINFO, zeros, sizeof(zeros));
	if (taskstruct)
		add_note(&nb, "CORE", NT_TASKSTRUCT, zeros, sizeof(zeros));
	if (vmcoreinfo)
		add_note(&nb, "VMCOREINFO", 0, VMCOREINFO_TEXT, strlen(VMCOREINFO_TEXT));
	ph.p_offset = eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr);
	ph.p_filesz = nb.len;
	pwrite(fd, &eh, sizeof(eh), 0);
	pwrite(fd, &ph, sizeof(ph), eh.e_phoff);
	pwrite(fd, nb.bytes, nb.len, ph.p_offset);
	data = (ph.p_offset + nb.len + 4095) & ~4095ULL;
	for (i = 0; i < fk->nregions; i++) {
		const struct fk_region *r = &fk->regions[i];
		Elf64_Phdr load = { .p_type = PT_LOAD, .p_flags = PF_R | PF_W | PF_X,
				    .p_offset = data, .p_vaddr = r->addr,
				    .p_paddr = region_paddr(r), .p_filesz = r->size,
				    .p_memsz = r->size, .p_align = 4096 };

		pwrite(fd, &load, sizeof(load), eh.e_phoff + (uint64_t)(i + 1) * sizeof(load));
		pwrite(fd, r->bytes, r->size, data);
		data += (r->size + 4095) & ~4095ULL;
	}
	return fd;
}

/* A walkable kernel: the fixture's one partial slab and a full one. */
static void fake_kernel(struct fixture *f)
{
	static const unsigned long full[] = { 11, 0 };

	fx_setup(f, LX_FP_XOR_SWAB);
	fx_one_partial_slab(f);
	fk_add_slab(&f->fk, 11, FK_OBJS, false);
	fk_set_slab_freelist(&f->fk, 11, 0);
	fk_node_list(&f->fk, true, full);
	fk_set_node_nr_slabs(&f->fk, 2);
}

static bool test_segments_and_notes(void)
{
	struct fixture f;
	struct sa_kcore k;
	char err[200] = "";
	int fd, i;

	fake_kernel(&f);
	fd = build_kcore(&f.fk, true, true);
	CHECK(sa_kcore_probe(fd));
	CHECK(sa_kcore_open(&k, fd, err, sizeof(err)) == 0);
	CHECK(k.nsegs == (unsigned int)f.fk.nregions && k.taskstruct);
	CHECK(k.machine == EM_X86_64);
	CHECK(k.vmcoreinfo && !strcmp(sa_kcore_vmcoreinfo(&k, "OSRELEASE"), "6.1.0-fake"));
	CHECK(!strcmp(sa_kcore_vmcoreinfo(&k, "PAGESIZE"), "4096"));
	CHECK(!sa_kcore_vmcoreinfo(&k, "PAGE"));	/* a prefix is no key */
	CHECK(!sa_kcore_vmcoreinfo(&k, "SYMBOL(init_task)"));
	for (i = 0; i < f.fk.nregions; i++) {
		const struct fk_region *r = &f.fk.regions[i];
		uint8_t *buf = malloc(r->size);

		CHECK(buf && sa_kcore_read(&k, r->addr, buf, r->size));
		CHECK(buf && !memcmp(buf, r->bytes, r->size));
		free(buf);
	}
	sa_kcore_close(&k);
	close(fd);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* Physical reads go through the direct map's segments; holes are errors. */
static bool test_physical_and_holes(void)
{
	uint8_t phys[64], virt[64], byte;
	uint64_t slab = fk_slab_mem(10);
	struct fixture f;
	struct sa_kcore k;
	char err[200] = "";
	int fd;

	fake_kernel(&f);
	fd = build_kcore(&f.fk, true, true);
	CHECK(sa_kcore_open(&k, fd, err, sizeof(err)) == 0);
	CHECK(sa_kcore_read(&k, slab + 100, virt, sizeof(virt)));
	CHECK(sa_kcore_read_phys(&k, slab - FK_PAGE_OFFSET + 100, phys, sizeof(phys)));
	CHECK(!memcmp(phys, virt, sizeof(phys)));
	CHECK(k.phys_end > slab - FK_PAGE_OFFSET && k.phys_end < DIRECT_MAP_SPAN);
	/* vmemmap has no physical address in kcore */
	CHECK(!sa_kcore_read_phys(&k, fk_page(10) - FK_PAGE_OFFSET, &byte, 1));
	CHECK(sa_kcore_read(&k, fk_page(10), &byte, 1));
	/* across two adjacent segments (pfn 10, 11): piece by piece */
	CHECK(sa_kcore_read(&k, slab + FK_PAGE_SIZE - 8, virt, 16));
	CHECK(sa_kcore_read(&k, slab + FK_PAGE_SIZE, phys, 8) && !memcmp(virt + 8, phys, 8));
	/* off pfn 11 into nothing (no pfn 12), and a span that wraps */
	CHECK(!sa_kcore_read(&k, fk_slab_mem(11) + FK_PAGE_SIZE - 8, virt, 16));
	CHECK(!sa_kcore_read(&k, fk_slab_mem(12), &byte, 1));
	CHECK(!sa_kcore_read(&k, UINT64_MAX - 3, virt, 8));
	CHECK(!sa_kcore_read(&k, 0x1000, &byte, 1));
	/* a file cut inside a segment: its reads fail, they do not return zeros */
	CHECK(ftruncate(fd, k.segs[k.nsegs - 1].offset + 8) == 0);
	CHECK(!sa_kcore_read(&k, k.segs[k.nsegs - 1].vaddr, virt, 16));
	CHECK(sa_kcore_read(&k, k.segs[k.nsegs - 1].vaddr, virt, 8));
	sa_kcore_close(&k);
	close(fd);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* A kdump vmcore (no NT_TASKSTRUCT) is not kcore; junk is refused with a message. */
static bool test_probe_and_refusals(void)
{
	static const char junk[] = "\177ELF not really";
	struct fixture f;
	struct sa_kcore k;
	char err[200] = "";
	int fd, bad;

	fake_kernel(&f);
	fd = build_kcore(&f.fk, false, true);
	CHECK(!sa_kcore_probe(fd));
	close(fd);
	fd = build_kcore(&f.fk, true, false);
	CHECK(sa_kcore_probe(fd));
	CHECK(sa_kcore_open(&k, fd, err, sizeof(err)) == 0 && !k.vmcoreinfo);
	CHECK(!sa_kcore_vmcoreinfo(&k, "OSRELEASE"));
	sa_kcore_close(&k);
	close(fd);
	bad = memfd_create("junk", 0);
	CHECK(write(bad, junk, sizeof(junk)) == sizeof(junk));
	CHECK(sa_kcore_open(&k, bad, err, sizeof(err)) == -1 && strstr(err, "ELF core"));
	CHECK(!sa_kcore_probe(bad));
	close(bad);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* The fake kernel's target, with memory read through kcore instead. */
static struct sa_kcore *reader;
static bool (*fake_read)(void *priv, uint64_t addr, void *buf, size_t len);
static uint64_t moving_addr;		/* a u64 that reads wrong moving_reads times */
static unsigned int moving_reads;
static bool target_live;

static bool kcore_read(void *priv, uint64_t addr, void *buf, size_t len)
{
	(void)priv;
	if (!sa_kcore_read(reader, addr, buf, len))
		return false;
	if (moving_reads && moving_addr >= addr && moving_addr + 8 <= addr + len) {
		moving_reads--;
		*(uint64_t *)((uint8_t *)buf + (moving_addr - addr)) += 1;
	}
	return true;
}

static bool live(void *priv)
{
	(void)priv;
	return target_live;
}

/* Read f's kernel through a kcore file of its memory, with ops of its own. */
static int through_kcore(struct fixture *f, struct sa_kcore *k, struct lx_dump_ops *ops)
{
	char err[200];
	int fd = build_kcore(&f->fk, true, true);

	if (sa_kcore_open(k, fd, err, sizeof(err)))
		return fd;
	reader = k;
	*ops = *f->fk.target.dump;
	fake_read = ops->read;
	ops->read = kcore_read;
	ops->live = live;
	f->fk.target.dump = ops;
	return fd;
}

static bool test_walk_through_kcore(void)
{
	struct fixture direct, f;
	struct lx_dump_ops ops;
	struct sa_kcore k;
	int fd;

	fake_kernel(&direct);
	CHECK(fx_run_scan(&direct) == LX_OK);
	fake_kernel(&f);
	target_live = false;
	moving_reads = 0;
	fd = through_kcore(&f, &k, &ops);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(f.scan.live == direct.scan.live && f.scan.live == 5 + FK_OBJS);
	CHECK(f.scan.total == direct.scan.total && f.scan.nslabs == direct.scan.nslabs);
	CHECK(f.scan.freebits_len == direct.scan.freebits_len &&
	      !memcmp(f.scan.freebits, direct.scan.freebits, f.scan.freebits_len));
	CHECK(lx_integrity_ok(&f.scan.integrity) && f.scan.integrity.walks == 1);
	CHECK(fake_read != NULL);
	sa_kcore_close(&k);
	close(fd);
	CHECK(fx_teardown(&f));
	CHECK(fx_teardown(&direct));
	return unit_ok();
}

/* The node's nr_slabs, which each walk reads once and checks. */
static uint64_t nr_slabs_addr(struct fixture *f)
{
	long off = f->fk.target.dump->member_offset(&f->fk, "kmem_cache_node", "nr_slabs");

	return FK_NODE + off;
}

static enum lx_status live_scan(struct fixture *f, struct sa_kcore *k, struct lx_dump_ops *ops,
				int *fd, unsigned int wrong_reads, bool is_live)
{
	*fd = through_kcore(f, k, ops);
	target_live = is_live;
	moving_addr = nr_slabs_addr(f);
	moving_reads = wrong_reads;
	return fx_run_scan(f);
}

/* Live: a counter that moved once is read again, and the answer is exact. */
static bool test_live_walked_again(void)
{
	struct lx_dump_ops ops;
	struct sa_kcore k;
	struct fixture f;
	int fd;

	fake_kernel(&f);
	CHECK(live_scan(&f, &k, &ops, &fd, 1, true) == LX_OK);
	CHECK(lx_integrity_ok(&f.scan.integrity) && f.scan.integrity.walks == 2);
	CHECK(f.scan.live == 5 + FK_OBJS && !f.s.flagged);
	CHECK(!strstr(f.fk.messages, "nr_slabs"));	/* the first walk's problem unsaid */
	sa_kcore_close(&k);
	close(fd);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* Live: inconsistent in every walk is moving, not flagged; a dump is flagged. */
static bool test_live_moving_not_flagged(void)
{
	struct lx_dump_ops ops;
	struct sa_kcore k;
	struct fixture f;
	int fd;

	fake_kernel(&f);
	CHECK(live_scan(&f, &k, &ops, &fd, 100, true) == LX_OK);
	CHECK(!lx_integrity_ok(&f.scan.integrity) && f.scan.integrity.moving);
	CHECK(!lx_integrity_flagged(&f.scan.integrity));
	CHECK(f.scan.integrity.walks == LX_LIVE_WALKS);
	CHECK(f.scan.integrity.count[LX_PROB_NODE] >= 1 && !f.s.flagged);
	CHECK(strstr(f.fk.messages, "still inconsistent after 3 walks"));
	CHECK(moving_reads == 100 - LX_LIVE_WALKS);	/* three walks, no more */
	sa_kcore_close(&k);
	close(fd);
	CHECK(fx_teardown(&f));

	fake_kernel(&f);
	CHECK(live_scan(&f, &k, &ops, &fd, 100, false) == LX_OK);
	CHECK(lx_integrity_flagged(&f.scan.integrity) && !f.scan.integrity.moving);
	CHECK(f.scan.integrity.walks == 1 && f.s.flagged && moving_reads == 99);
	sa_kcore_close(&k);
	close(fd);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool starts(const char *text, const char *prefix)
{
	return !strncmp(text, prefix, strlen(prefix));
}

static void count_visits(void *arg, const struct lx_scan *scan, const struct lx_slab *slab,
			 const uint8_t *mem)
{
	(void)scan;
	(void)slab;
	(void)mem;
	(*(unsigned int *)arg)++;
}

/* With a visitor, only the answer's walk visits: three walks in all. */
static bool test_live_visitor(void)
{
	unsigned int visits = 0;
	struct lx_visitor visitor = { .slab = count_visits, .arg = &visits };
	struct lx_dump_ops ops;
	struct lx_scan scan;
	struct sa_kcore k;
	struct fixture f;
	int fd;

	fake_kernel(&f);
	CHECK(live_scan(&f, &k, &ops, &fd, 1, true) == LX_OK);	/* walk 1 wrong */
	moving_reads = 1;
	CHECK(lx_scan_cache_visit(&f.s, &f.cache, &scan, &visitor) == LX_OK);
	CHECK(lx_integrity_ok(&scan.integrity) && scan.integrity.walks == 3);
	CHECK(visits == scan.nslabs && visits == 2);
	lx_scan_free(&f.s, &scan);
	visits = 0;
	moving_reads = 100;
	CHECK(lx_scan_cache_visit(&f.s, &f.cache, &scan, &visitor) == LX_OK);
	CHECK(scan.integrity.moving && scan.integrity.walks == LX_LIVE_WALKS);
	CHECK(visits == 2 && moving_reads == 100 - LX_LIVE_WALKS && !f.s.flagged);
	lx_scan_free(&f.s, &scan);
	sa_kcore_close(&k);
	close(fd);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* Text says MOVING, not INTEGRITY: FLAGGED; JSON "moving":true. */
static bool test_moving_rendered(void)
{
	struct lx_integrity in = { .moving = true, .walks = 3 };
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	in.count[LX_PROB_NODE] = 1;
	snprintf(in.first[LX_PROB_NODE], LX_PROBLEM_TEXT, "nr_slabs 3, found 2");
	out = open_memstream(&text, &len);
	lx_print_integrity(out, &in);
	fclose(out);
	CHECK(text && strstr(text, "MOVING: the running kernel changed this cache") &&
	      strstr(text, "after 3 walks") && !strstr(text, "FLAGGED") &&
	      strstr(text, "nr_slabs 3, found 2"));
	free(text);
	text = NULL;
	out = open_memstream(&text, &len);
	lx_json_integrity(out, &in);
	fclose(out);
	CHECK(text && starts(text, "\"integrity\":{\"ok\":false,\"moving\":true,\"walks\":3,\"problems\":[{"));
	free(text);
	text = NULL;
	in.moving = false;
	out = open_memstream(&text, &len);
	lx_json_integrity(out, &in);
	fclose(out);
	CHECK(text && starts(text, "\"integrity\":{\"ok\":false,\"problems\":[{"));
	free(text);
	return unit_ok();
}

const struct unit_test kcore_tests[] = {
	{ "kcore: segments by virtual address, VMCOREINFO from its note",
	  test_segments_and_notes },
	{ "kcore: physical reads through the direct map; holes and cut files fail",
	  test_physical_and_holes },
	{ "kcore: NT_TASKSTRUCT tells it from a vmcore; junk is refused",
	  test_probe_and_refusals },
	{ "kcore: the walker's answer through kcore equals the direct one",
	  test_walk_through_kcore },
	{ "live: a cache that moved once is walked again, exact and unflagged",
	  test_live_walked_again },
	{ "live: moving in every walk is moving, not flagged; a dump is flagged",
	  test_live_moving_not_flagged },
	{ "live: with a visitor, only the answer's walk visits", test_live_visitor },
	{ "live: MOVING in text, \"moving\":true in JSON", test_moving_rendered },
	{ NULL, NULL },
};
