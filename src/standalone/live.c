// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The running kernel as a dump: /proc/kcore's source row (target.h).
 * Memory through the kcore reader (readers/kcore.c), read-only and with no
 * module loaded; types from /sys/kernel/btf/vmlinux; symbols from
 * /proc/kallsyms, else the kallsyms tables in memory.  libkdumpfile 0.5.1
 * opens /proc/kcore too (tried in the L1 guest), but is not used: its page
 * cache keeps what it read, and a re-walk of moving memory must read the
 * memory again.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "leakext/arch.h"
#include "leakext/text.h"
#include "standalone/symbols/sysmap.h"
#include "standalone/target.h"

#define PROC_KALLSYMS "/proc/kallsyms"
#define SYS_BTF "/sys/kernel/btf"

static bool kcore_probe(int fd)
{
	return sa_kcore_probe(fd);
}

/* Reading the running kernel yields the CPU: nice live_niceness, unless already lower. */
static void lower_priority(const struct sa_dump *d)
{
	int now;

	if (d->live_niceness < 0)
		return;
	errno = 0;
	now = getpriority(PRIO_PROCESS, 0);
	if (!errno && now < d->live_niceness)
		setpriority(PRIO_PROCESS, 0, d->live_niceness);
}

static int kcore_open(struct sa_dump *d, char *err, size_t errlen)
{
	lower_priority(d);
	if (sa_kcore_open(&d->kcore, d->fd, err, errlen))
		return -1;
	d->arch = lx_arch_find_elf(d->kcore.machine);
	if (!d->arch) {
		snprintf(err, errlen, "kcore of a machine leakscan does not read (ELF machine %u)",
			 d->kcore.machine);
		return -1;
	}
	if (!d->kcore.vmcoreinfo) {
		snprintf(err, errlen, "kcore has no VMCOREINFO note (Linux 4.19 added it, 23c85094fe18)");
		return -1;
	}
	snprintf(d->reader.why, sizeof(d->reader.why), "kcore");
	return 0;
}

static bool kcore_read(struct sa_dump *d, uint64_t kvaddr, void *buf, size_t len)
{
	d->reader.reads++;
	return sa_kcore_read(&d->kcore, kvaddr, buf, len);
}

static const char *kcore_vmcoreinfo(struct sa_dump *d, const char *key)
{
	return sa_kcore_vmcoreinfo(&d->kcore, key);
}

/* The direct map's segments' extent, else VMCOREINFO's max_pfn (none: 0). */
static uint64_t kcore_phys_end(struct sa_dump *d)
{
	const char *text = sa_kcore_vmcoreinfo(&d->kcore, "NUMBER(MAX_PHYSMEM_BITS)");

	if (d->kcore.phys_end)
		return d->kcore.phys_end;
	if (text && strtoull(text, NULL, 10) < 64)
		return 1ULL << strtoull(text, NULL, 10);
	return 0;
}

/* /proc/kallsyms; kptr_restrict shows its addresses as 0 to the unprivileged. */
static int proc_symbols(struct sa_dump *d, char *err, size_t errlen)
{
	const char *path = PROC_KALLSYMS;
	struct sa_sysmap_stats stats;

	if (!sa_sysmap_load(&d->symbols, path, 0, &stats, err, errlen)) {
		d->symbols_kind = SA_SYMBOLS_PROC;
		d->symbols_have_modules = stats.modules > 0;
		return 0;
	}
	if (stats.hidden)
		snprintf(err, errlen, "%s: its addresses read as 0: the kernel hides them (kptr_restrict; run as root)",
			 path);
	return -1;
}

/*
 * /proc/kallsyms and /sys/kernel/btf describe the kernel this program runs
 * on: a kcore-shaped file of another kernel (VMCOREINFO's OSRELEASE is not
 * uname's) is read like a dump, its symbols and types from its memory.
 */
static bool running_kernel(struct sa_dump *d, char *err, size_t errlen)
{
	const char *release = sa_kcore_vmcoreinfo(&d->kcore, "OSRELEASE");
	struct utsname u;
	char safe[80];

	if (release && !uname(&u) && !strcmp(release, u.release))
		return true;
	lx_escape(safe, sizeof(safe), release ? release : "?", release ? strlen(release) : 1);
	snprintf(err, errlen, "kcore of kernel %s, not the running one: /proc/kallsyms and /sys/kernel/btf are not its",
		 safe);
	return false;
}

/* Symbols: /proc/kallsyms (target.c falls back to the tables in memory). */
static int kcore_symbols(struct sa_dump *d, char *err, size_t errlen)
{
	if (!running_kernel(d, err, errlen) || proc_symbols(d, err, errlen))
		return -1;
	lx_symtab_finish(&d->symbols);
	return 0;
}

/* A whole small file (sysfs BTF is a few MiB) into a new buffer. */
static void *read_file(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;

	*len = 0;
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(max + 1);
	if (buf)
		*len = fread(buf, 1, max + 1, f);
	fclose(f);
	if (!buf || *len == 0 || *len > max) {
		snprintf(err, errlen, "%s: %s", path,
			 !buf ? "out of memory" : *len ? "too large" : "empty");
		free(buf);
		return NULL;
	}
	return buf;
}

/* The kernel's BTF as sysfs serves it (CONFIG_DEBUG_INFO_BTF). */
static int kcore_btf(struct sa_dump *d, char *err, size_t errlen)
{
	const char *dir = SYS_BTF;
	char path[512], why[256];
	size_t len;
	void *data;
	int ret;

	if (!running_kernel(d, err, errlen))
		return -1;
	snprintf(path, sizeof(path), "%s/vmlinux", dir);
	data = read_file(path, SA_BTF_MAX_SIZE, &len, why, sizeof(why));
	if (!data) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	ret = sa_types_open_btf_raw(&d->own_types, data, len, why, sizeof(why));
	free(data);
	if (ret)
		snprintf(err, errlen, "%s: %s", path, why);
	return ret;
}

/* One module's BTF file in dir, split on the kernel's, as the next module_btf. */
static void load_one_module(struct sa_dump *d, const char *dir, const char *name)
{
	struct sa_module_btf *m = &d->module_btf[d->nmodule_btf];
	char path[512], why[256];
	size_t len;
	void *data;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return;
	data = read_file(path, SA_BTF_MODULE_MAX_SIZE, &len, why, sizeof(why));
	if (!data)
		return;
	lx_escape(m->name, sizeof(m->name), name, strlen(name));
	if (!sa_types_open_btf_split(&m->types, d->types, data, len, why, sizeof(why)))
		d->nmodule_btf++;
	free(data);
}

/* Every loaded module's BTF file in sysfs, at most max. */
static int kcore_module_btf(struct sa_dump *d, unsigned int max)
{
	const char *dir = SYS_BTF;
	char why[160];
	struct dirent *e;
	DIR *dp;

	if (!running_kernel(d, why, sizeof(why)))
		return -1;
	dp = opendir(dir);
	if (!dp)
		return -1;
	while (d->nmodule_btf < max && (e = readdir(dp)))
		if (e->d_name[0] != '.' && strcmp(e->d_name, "vmlinux"))
			load_one_module(d, dir, e->d_name);
	closedir(dp);
	return 0;
}

static void kcore_close(struct sa_dump *d)
{
	sa_kcore_close(&d->kcore);
}

const struct sa_source sa_kcore_source = {
	.name = "kcore",
	.live = true,
	.probe = kcore_probe,
	.open = kcore_open,
	.read = kcore_read,
	.vmcoreinfo = kcore_vmcoreinfo,
	.phys_end = kcore_phys_end,
	.symbols = kcore_symbols,
	.btf = kcore_btf,
	.module_btf = kcore_module_btf,
	.close = kcore_close,
};
