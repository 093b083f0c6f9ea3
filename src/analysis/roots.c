// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Root areas for the reachability scan (roots.h): the memory kmemleak
 * scans besides the slab heap.  Every list is bounded, every size checked
 * against a ceiling before it is believed, and a kind this dump lacks is
 * recorded in a->missing rather than failing the command.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/roots.h"
#include "slab/memmap.h"
#include "slab/kmemleak.h"

const char *const lx_area_kind_names[LX_AREA_KINDS] = {
	"kernel", "module", "percpu", "stack", "vmalloc",
};

#define MAX_AREA_BYTES (1ULL << 30)	/* one area larger is not believed */
#define MAX_MODULES 65536
#define MAX_TASKS (4u << 20)		/* PID_MAX_LIMIT */
#define MAX_VMAP_AREAS (1u << 22)
#define VMALLOC_BUDGET (8ULL << 30)	/* bytes of vmalloc'd memory scanned */
#define VM_ALLOC_FLAG 0x2		/* include/linux/vmalloc.h VM_ALLOC */

/* Areas being collected: the scanned ones, and module text to keep out. */
struct roots_build {
	struct lx_session *s;
	struct lx_areas *a;
	struct lx_areas vmalloc;	/* clipped against a and excluded */
	struct lx_areas excluded;	/* module text, read-only data, cached stacks */
};

/* Inside the kernel's part of the address space, which ends with its word. */
static bool area_believable(const struct lx_session *s, uint64_t start, uint64_t len)
{
	return len && len <= MAX_AREA_BYTES && start + len > start &&
	       start >= s->arch.kernel_space_base &&
	       start + len - 1 <= lx_word_max(s->t);
}

static enum lx_status push_area(struct lx_session *s, struct lx_areas *a,
				uint64_t start, uint64_t len, enum lx_area_kind kind,
				int pid, const char *label)
{
	struct lx_area *v;

	if (!area_believable(s, start, len))
		return LX_OK;
	if (lx_reserve(s->t, &a->v, &a->cap, a->n + 1, sizeof(*a->v)))
		return LX_ENOMEM;
	v = &a->v[a->n++];
	v->start = start;
	v->len = len;
	v->kind = kind;
	v->pid = pid;
	snprintf(v->label, sizeof(v->label), "%s", label);
	a->bytes += len;
	return LX_OK;
}

/*
 * vmlinux's writable data, by the linker's section symbols.  The unused
 * tail of .bss..decrypted (inside .bss) is handed to the page allocator at
 * boot (mem_encrypt_free_decrypted_mem()); its pages become slabs and page
 * tables, seen here through the kernel image's alias, so it is no root.
 */
static enum lx_status collect_kernel(struct roots_build *b)
{
	uint64_t hole = lx_symbol_addr(b->s->t, "__start_bss_decrypted_unused");
	uint64_t hole_end = lx_symbol_addr(b->s->t, "__end_bss_decrypted");
	static const char *const bounds[][3] = {
		{ "_sdata", "_edata", "vmlinux .data" },
		{ "__bss_start", "__bss_stop", "vmlinux .bss" },
		{ "__start_ro_after_init", "__end_ro_after_init",
		  "vmlinux ro_after_init" },
	};
	enum lx_status ret = LX_OK;
	unsigned int i, found = 0;

	for (i = 0; i < sizeof(bounds) / sizeof(bounds[0]) && !ret; i++) {
		uint64_t start = lx_symbol_addr(b->s->t, bounds[i][0]);
		uint64_t end = lx_symbol_addr(b->s->t, bounds[i][1]);

		if (!start || end <= start)
			continue;
		found++;
		if (hole_end > hole && hole >= start && hole_end <= end) {
			ret = push_area(b->s, b->a, start, hole - start, LX_AREA_KERNEL,
					-1, bounds[i][2]);
			start = hole_end;
			if (ret || end == start)
				continue;
		}
		ret = push_area(b->s, b->a, start, end - start, LX_AREA_KERNEL, -1,
				bounds[i][2]);
	}
	if (!found)
		b->a->missing |= 1u << LX_AREA_KERNEL;
	return ret;
}

/*
 * Where a module's writable memory is.  Since 6.4 (ac3b43283923 "module:
 * replace module_layout with module_memory") struct module has mem[], one
 * struct module_memory per MOD_* type; before, core_layout with text, ro
 * and ro_after_init sizes in front of the data.
 */
struct module_shape {
	long size_of, list, name, name_size;
	long mem, mm_size_of, mm_base, mm_size;	/* 6.4+ */
	long mem_types[8];			/* MOD_* values, -1 absent */
	long core, ml_base, ml_size, ml_ro_size;	/* before 6.4 */
};

static const char *const mod_mem_names[8] = {
	"MOD_TEXT", "MOD_DATA", "MOD_RODATA", "MOD_RO_AFTER_INIT",
	"MOD_INIT_TEXT", "MOD_INIT_DATA", "MOD_INIT_RODATA", NULL,
};

static bool module_shape_init(struct lx_session *s, struct module_shape *m)
{
	const struct lx_member_req req[] = {
		{ "module", "list", &m->list, true },
		{ "module", "name", &m->name, true },
		{ "module", "mem", &m->mem, false },			/* 6.4+ */
		{ "module_memory", "base", &m->mm_base, false },
		{ "module_memory", "size", &m->mm_size, false },
		{ "module", "core_layout", &m->core, false },		/* before 6.4 */
		{ "module_layout", "base", &m->ml_base, false },
		{ "module_layout", "size", &m->ml_size, false },
		{ "module_layout", "ro_size", &m->ml_ro_size, false },
	};
	struct lx_target *t = s->t;
	unsigned int i;

	m->size_of = lx_type_size(t, "module");
	m->name_size = lx_member_size(t, "module", "name");
	m->mm_size_of = lx_type_size(t, "module_memory");
	for (i = 0; i < 8; i++) {	/* asked only where they exist: a debugger's */
		m->mem_types[i] = -1;	/* search for an absent name is slow */
		if (mod_mem_names[i] && m->mm_size_of > 0)
			lx_enum_value(t, mod_mem_names[i], &m->mem_types[i]);
	}
	if (!lx_resolve_members(t, LX_MEMBERS(req), NULL) ||
	    m->size_of <= 0 || m->size_of > 65536)
		return false;
	if (m->mem >= 0)
		return m->mm_size_of > 0 && m->mm_base >= 0 && m->mm_size >= 0 &&
		       m->mem_types[1] >= 0;
	return m->core >= 0 && m->ml_base >= 0 && m->ml_size >= 0 &&
	       m->ml_ro_size >= 0;
}

static void module_name(const struct module_shape *m, const uint8_t *mod,
			char *name, size_t len)
{
	size_t n = m->name_size > 0 && (size_t)m->name_size < len ?
		   (size_t)m->name_size : len - 1;

	if (!lx_field_fits(m->size_of, m->name, n)) {
		snprintf(name, len, "?");
		return;
	}
	memcpy(name, mod + m->name, n);
	name[n] = '\0';
}

static enum lx_status module_memory_areas(struct roots_build *b,
					  const struct module_shape *m,
					  const uint8_t *mod, const char *name)
{
	enum lx_status ret = LX_OK;
	unsigned int i;

	for (i = 0; i < 8 && !ret; i++) {
		long type = m->mem_types[i], off;
		uint64_t base;
		uint32_t size;
		bool writable = i == 1 || i == 3;	/* DATA, RO_AFTER_INIT */

		if (type < 0 || type > 64)
			continue;
		off = m->mem + type * m->mm_size_of;
		if (!lx_field_word(b->s->t, mod, m->size_of, off + m->mm_base, &base) ||
		    !lx_field_u32(mod, m->size_of, off + m->mm_size, &size))
			continue;
		ret = push_area(b->s, writable ? b->a : &b->excluded, base, size,
				LX_AREA_MODULE, -1, name);
	}
	return ret;
}

static enum lx_status module_layout_areas(struct roots_build *b,
					  const struct module_shape *m,
					  const uint8_t *mod, const char *name)
{
	uint64_t base;
	uint32_t size, ro_size;
	enum lx_status ret;

	if (!lx_field_word(b->s->t, mod, m->size_of, m->core + m->ml_base, &base) ||
	    !lx_field_u32(mod, m->size_of, m->core + m->ml_size, &size) ||
	    !lx_field_u32(mod, m->size_of, m->core + m->ml_ro_size, &ro_size) ||
	    ro_size > size)
		return LX_OK;
	ret = push_area(b->s, &b->excluded, base, ro_size, LX_AREA_MODULE, -1, name);
	if (!ret)
		ret = push_area(b->s, b->a, base + ro_size, size - ro_size,
				LX_AREA_MODULE, -1, name);
	return ret;
}

static enum lx_status collect_modules(struct roots_build *b)
{
	struct lx_session *s = b->s;
	uint64_t head = lx_symbol_addr(s->t, "modules"), next;
	struct module_shape m;
	enum lx_status ret = LX_OK;
	unsigned int n = 0;
	uint8_t *mod;

	if (!head || !module_shape_init(s, &m)) {
		b->a->missing |= 1u << LX_AREA_MODULE;
		return LX_OK;
	}
	mod = lx_alloc(s->t, m.size_of);
	if (!mod)
		return LX_ENOMEM;
	if (!lx_read_word(s->t, head, &next))
		next = head;
	while (next != head && !ret) {
		char name[LX_NAME_MAX];

		if (++n > MAX_MODULES ||
		    !lx_read(s->t, next - m.list, mod, m.size_of)) {
			b->a->cut = true;
			break;
		}
		module_name(&m, mod, name, sizeof(name));
		ret = m.mem >= 0 ? module_memory_areas(b, &m, mod, name) :
				   module_layout_areas(b, &m, mod, name);
		if (!lx_field_word(s->t, mod, m.size_of, m.list, &next))
			break;
	}
	lx_free(s->t, mod);
	return ret;
}

/* Each possible cpu's unit of the first chunk: static and early dynamic data. */
static enum lx_status collect_percpu(struct roots_build *b)
{
	const struct lx_kernel *K = &b->s->K;
	uint64_t start = lx_symbol_addr(b->s->t, "__per_cpu_start");
	uint32_t unit = lx_symbol_u32_or(b->s->t, "pcpu_unit_size", 0);
	enum lx_status ret = LX_OK;
	unsigned int cpu;

	if (!K->cpu_offsets || !unit) {
		b->a->missing |= 1u << LX_AREA_PERCPU;
		return LX_OK;
	}
	for (cpu = 0; cpu < K->nr_cpus && !ret; cpu++) {
		char label[LX_NAME_MAX];

		if (!lx_mask_test(K->cpu_possible, cpu))
			continue;
		snprintf(label, sizeof(label), "per-cpu data of cpu %u", cpu);
		ret = push_area(b->s, b->a, K->cpu_offsets[cpu] + start, unit,
				LX_AREA_PERCPU, -1, label);
	}
	return ret;
}

struct task_shape {
	long tasks, thread_node, signal, stack, pid, comm, thread_head;
	uint64_t thread_size;
};

static bool task_shape_init(struct lx_session *s, struct task_shape *k)
{
	const struct lx_member_req req[] = {
		{ "task_struct", "tasks", &k->tasks, true },
		{ "task_struct", "thread_node", &k->thread_node, true },
		{ "task_struct", "signal", &k->signal, true },
		{ "task_struct", "stack", &k->stack, true },
		{ "task_struct", "pid", &k->pid, true },
		{ "task_struct", "comm", &k->comm, true },
		{ "signal_struct", "thread_head", &k->thread_head, true },
	};
	long size = lx_type_size(s->t, "thread_union");

	/* THREAD_SIZE is sizeof(union thread_union) */
	k->thread_size = size >= 4096 && size <= (1 << 20) ? (uint64_t)size :
			 s->arch.thread_size;
	return lx_resolve_members(s->t, LX_MEMBERS(req), NULL);
}

static enum lx_status add_task_stack(struct roots_build *b,
				     const struct task_shape *k, uint64_t task)
{
	struct lx_target *t = b->s->t;
	char comm[17] = "", label[LX_NAME_MAX];
	uint64_t stack;
	uint32_t pid;

	if (!lx_read_word(t, task + k->stack, &stack) ||
	    !lx_read_u32(t, task + k->pid, &pid))
		return LX_OK;
	lx_read(t, task + k->comm, comm, 16);
	snprintf(label, sizeof(label), "stack of pid %d (%s)", (int)pid, comm);
	return push_area(b->s, b->a, stack, k->thread_size, LX_AREA_STACK,
			 (int)pid, label);
}

/* The threads of one process, through signal->thread_head. */
static enum lx_status add_threads(struct roots_build *b, const struct task_shape *k,
				  uint64_t leader, unsigned int *budget)
{
	uint64_t signal, head, next;
	enum lx_status ret = LX_OK;

	if (!lx_read_word(b->s->t, leader + k->signal, &signal) || !signal)
		return add_task_stack(b, k, leader);
	head = signal + k->thread_head;
	if (!lx_read_word(b->s->t, head, &next))
		return add_task_stack(b, k, leader);
	while (next != head && !ret) {
		if (!*budget) {
			b->a->cut = true;
			break;
		}
		(*budget)--;
		ret = add_task_stack(b, k, next - k->thread_node);
		if (!lx_read_word(b->s->t, next, &next))
			break;
	}
	return ret;
}

static enum lx_status collect_stacks(struct roots_build *b)
{
	uint64_t init = lx_symbol_addr(b->s->t, "init_task"), head, next;
	unsigned int budget = MAX_TASKS;
	struct task_shape k;
	enum lx_status ret;

	if (!init || !task_shape_init(b->s, &k)) {
		b->a->missing |= 1u << LX_AREA_STACK;
		return LX_OK;
	}
	ret = add_task_stack(b, &k, init);	/* the boot cpu's idle task */
	head = init + k.tasks;
	if (ret || !lx_read_word(b->s->t, head, &next))
		return ret;
	while (next != head && !ret) {
		if (!budget) {
			b->a->cut = true;
			break;
		}
		budget--;
		ret = add_threads(b, &k, next - k.tasks, &budget);
		if (!lx_read_word(b->s->t, next, &next))
			break;
	}
	return ret;
}

/* A vm_struct's size counts its guard page (get_vm_area_size()). */
static uint64_t guard_page(const struct roots_build *b)
{
	return b->s->arch.page_size;
}

/* What a busy vmap_area tells: its vm_struct's VM_ALLOC area, if any. */
struct vmap_shape {
	long list, va_vm, vm_flags, vm_addr, vm_size;
	long vm_caller;		/* -1: the kernel keeps no caller */
};

static bool vmap_shape_init(struct lx_target *t, struct vmap_shape *v)
{
	v->list = lx_member_offset(t, "vmap_area", "list");
	v->va_vm = lx_member_offset(t, "vmap_area", "vm");
	v->vm_flags = lx_member_offset(t, "vm_struct", "flags");
	v->vm_addr = lx_member_offset(t, "vm_struct", "addr");
	v->vm_size = lx_member_offset(t, "vm_struct", "size");
	v->vm_caller = lx_member_offset(t, "vm_struct", "caller");
	return v->list >= 0 && v->va_vm >= 0 && v->vm_flags >= 0 && v->vm_addr >= 0 &&
	       v->vm_size >= 0;
}

/*
 * An area's label: "vmalloc (caller [module])", the function that asked
 * for it (vm_struct.caller, the return address __vmalloc_node_range()
 * records), so that holders in vmalloc'd memory name their owner; plain
 * "vmalloc" when the caller is not kept or no symbol names it.
 */
static void vmalloc_label(struct roots_build *b, const struct vmap_shape *v, uint64_t vm,
			  char *out, size_t len)
{
	char name[LX_NAME_MAX], module[LX_NAME_MAX];
	uint64_t caller, offset;

	snprintf(out, len, "vmalloc");
	if (v->vm_caller < 0 || !lx_read_word(b->s->t, vm + v->vm_caller, &caller) ||
	    !caller || !lx_addr_symbol(b->s->t, caller, name, sizeof(name), &offset,
				       module, sizeof(module)))
		return;
	/* a name too long for the label is cut, as every label is */
	if ((module[0] ? snprintf(out, len, "vmalloc (%s [%s])", name, module) :
			 snprintf(out, len, "vmalloc (%s)", name)) >= (int)len)
		out[len - 1] = '\0';
}

/* The VM_ALLOC areas of the busy vmap_areas on the list at head; *n counts them all. */
static enum lx_status walk_busy_list(struct roots_build *b, const struct vmap_shape *v,
				     uint64_t head, unsigned int *n)
{
	struct lx_target *t = b->s->t;
	uint64_t next, vm, addr, size, flags;
	enum lx_status ret = LX_OK;
	char label[LX_NAME_MAX];

	if (!lx_read_word(t, head, &next))
		return LX_OK;
	while (next != head && !ret) {
		uint64_t va = next - v->list;

		if (++*n > MAX_VMAP_AREAS || b->vmalloc.bytes > VMALLOC_BUDGET) {
			b->a->cut = true;
			break;
		}
		/* vm_struct's addr, size and flags: a pointer, unsigned longs */
		if (lx_read_word(t, va + v->va_vm, &vm) && vm &&
		    lx_read_word(t, vm + v->vm_flags, &flags) && (flags & VM_ALLOC_FLAG) &&
		    lx_read_word(t, vm + v->vm_addr, &addr) &&
		    lx_read_word(t, vm + v->vm_size, &size) && size > guard_page(b)) {
			vmalloc_label(b, v, vm, label, sizeof(label));
			ret = push_area(b->s, &b->vmalloc, addr, size - guard_page(b),
					LX_AREA_VMALLOC, -1, label);
		}
		if (!lx_read_word(t, next, &next))
			break;
	}
	return ret;
}

/* Before 6.9: every busy vmap_area on vmap_area_list.  false: no such list. */
static bool busy_from_global_list(struct roots_build *b, const struct vmap_shape *v,
				  enum lx_status *ret)
{
	uint64_t head = lx_symbol_addr(b->s->t, "vmap_area_list");
	unsigned int n = 0;

	if (!head)
		return false;
	*ret = walk_busy_list(b, v, head, &n);
	return true;
}

/*
 * 6.9 split the busy areas per node ("mm: vmalloc: Remove global
 * vmap_area_root rb-tree", the "Mitigate a vmap lock contention" series):
 * vmap_nodes[nr_vmap_nodes], each with its busy rb_list (a tree and a
 * list of vmap_area.list).  With more than one node the array is a
 * kmalloc too large for a slab (6272 bytes a node on x86_64), memory no
 * root area covers: it becomes one, or the busy areas' vmap_area and
 * vm_struct objects look lost.  false: no such nodes.
 */
static bool busy_from_nodes(struct roots_build *b, const struct vmap_shape *v,
			    enum lx_status *ret)
{
	struct lx_target *t = b->s->t;
	uint64_t nodes_sym = lx_symbol_addr(t, "vmap_nodes");
	uint64_t count_sym = lx_symbol_addr(t, "nr_vmap_nodes");
	long node_size = lx_type_size(t, "vmap_node");
	long busy = lx_member_offset(t, "vmap_node", "busy");
	long head = lx_member_offset(t, "rb_list", "head");
	uint64_t nodes, i;
	uint32_t count;
	unsigned int n = 0;

	if (!nodes_sym || !count_sym || node_size <= 0 || busy < 0 || head < 0)
		return false;
	*ret = LX_OK;
	if (!lx_read_word(t, nodes_sym, &nodes) || !lx_read(t, count_sym, &count, 4) ||
	    !count || count > 4096)
		return true;
	for (i = 0; i < count && !*ret; i++)
		*ret = walk_busy_list(b, v, nodes + i * node_size + busy + head, &n);
	if (!*ret && !lx_slab_cache_of(b->s, nodes))
		*ret = push_area(b->s, b->a, nodes, (uint64_t)count * node_size, LX_AREA_KERNEL,
				 -1, "vmap_nodes[]");
	return true;
}

/* Busy vmalloc areas by the first source this kernel has; none: a missing kind. */
static enum lx_status collect_vmalloc(struct roots_build *b)
{
	enum lx_status ret = LX_OK;
	struct vmap_shape v;

	if (!vmap_shape_init(b->s->t, &v) ||
	    (!busy_from_global_list(b, &v, &ret) && !busy_from_nodes(b, &v, &ret)))
		b->a->missing |= 1u << LX_AREA_VMALLOC;
	return ret;
}

/*
 * The free thread stacks each cpu keeps for reuse, cached_stacks[] in
 * kernel/fork.c (NR_CACHED_STACKS is 2 since ac496bf48d97 "fork: Optimize
 * task creation by caching two thread stacks per CPU if
 * CONFIG_VMAP_STACK=y"): VM_ALLOC areas no task owns, still holding what
 * their last task left on them.  Free memory, so never a root; seen on S6,
 * where a stale word on one kept a lost sk_buff's data "referenced".  Only
 * an area that is exactly one of the busy VM_ALLOC areas is set aside.
 */
#define NR_CACHED_STACKS 2

static bool is_vmalloc_area(const struct roots_build *b, uint64_t addr, uint64_t size)
{
	size_t i;

	for (i = 0; i < b->vmalloc.n; i++)
		if (b->vmalloc.v[i].start == addr && b->vmalloc.v[i].len + guard_page(b) == size)
			return true;
	return false;
}

static enum lx_status exclude_cached_stacks(struct roots_build *b)
{
	const struct lx_kernel *K = &b->s->K;
	struct lx_target *t = b->s->t;
	uint64_t cached = lx_symbol_addr(t, "cached_stacks"), vm, addr, size;
	long vm_addr = lx_member_offset(t, "vm_struct", "addr");
	long vm_size = lx_member_offset(t, "vm_struct", "size");
	enum lx_status ret = LX_OK;
	unsigned int cpu, i;

	if (!cached || !K->cpu_offsets || vm_addr < 0 || vm_size < 0)
		return LX_OK;
	for (cpu = 0; cpu < K->nr_cpus && !ret; cpu++) {
		if (!lx_mask_test(K->cpu_possible, cpu))
			continue;
		for (i = 0; i < NR_CACHED_STACKS && !ret; i++) {
			/* cached_stacks[]: vm_struct pointers */
			if (!lx_read_word(t, K->cpu_offsets[cpu] + cached +
					  (uint64_t)lx_word_size(t) * i, &vm) || !vm ||
			    !lx_read_word(t, vm + vm_addr, &addr) ||
			    !lx_read_word(t, vm + vm_size, &size) ||
			    !is_vmalloc_area(b, addr, size))
				continue;
			ret = push_area(b->s, &b->excluded, addr, size - guard_page(b),
					LX_AREA_STACK, -1, "cached free stack");
		}
	}
	return ret;
}

static int by_start(const void *x, const void *y)
{
	const struct lx_area *a = x, *b = y;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return (int)a->kind - (int)b->kind;
}

/* Sort and drop any empty area, and any that overlaps the one before it. */
static void sort_disjoint(struct lx_areas *a)
{
	uint64_t end = 0;
	size_t i, kept = 0;

	if (a->n)
		qsort(a->v, a->n, sizeof(*a->v), by_start);
	a->bytes = 0;
	for (i = 0; i < a->n; i++) {
		if (!a->v[i].len || (kept && a->v[i].start < end))
			continue;
		a->v[kept++] = a->v[i];
		end = a->v[i].start + a->v[i].len;
		a->bytes += a->v[i].len;
	}
	a->n = kept;
}

/* Add the parts of vmalloc area v that no area of claimed covers. */
static enum lx_status add_unclaimed(struct roots_build *b, const struct lx_areas *claimed,
				    const struct lx_area *v)
{
	uint64_t start = v->start, end = v->start + v->len;
	enum lx_status ret = LX_OK;
	size_t i;

	for (i = 0; i < claimed->n && start < end && !ret; i++) {
		const struct lx_area *c = &claimed->v[i];

		if (c->start + c->len <= start || c->start >= end)
			continue;
		if (c->start > start)
			ret = push_area(b->s, b->a, start, c->start - start,
					LX_AREA_VMALLOC, -1, v->label);
		start = c->start + c->len;
	}
	if (!ret && start < end)
		ret = push_area(b->s, b->a, start, end - start, LX_AREA_VMALLOC, -1,
				v->label);
	return ret;
}

/* vmalloc areas minus what modules and stacks claim, into the result. */
static enum lx_status merge_vmalloc(struct roots_build *b)
{
	struct lx_areas claimed = { 0 };
	enum lx_status ret = LX_OK;
	size_t i;

	for (i = 0; i < b->a->n + b->excluded.n && !ret; i++) {
		const struct lx_area *v = i < b->a->n ? &b->a->v[i] :
				&b->excluded.v[i - b->a->n];

		ret = push_area(b->s, &claimed, v->start, v->len, v->kind, -1, "");
	}
	if (!ret)
		sort_disjoint(&claimed);
	for (i = 0; i < b->vmalloc.n && !ret; i++)
		ret = add_unclaimed(b, &claimed, &b->vmalloc.v[i]);
	lx_free(b->s->t, claimed.v);
	return ret;
}

/* Does the nearest symbol at or below addr start at start? */
static bool no_symbol_between(struct lx_session *s, uint64_t start, uint64_t addr)
{
	char name[LX_NAME_MAX], module[LX_NAME_MAX];
	uint64_t offset;

	return lx_addr_symbol(s->t, addr, name, sizeof(name), &offset, module,
			      sizeof(module)) && offset == addr - start;
}

/*
 * The end of the static data symbol at start: where the next symbol
 * starts, never past limit.  Symbol tables carry no sizes; a binary
 * search of nearest-symbol lookups finds it in about 30 of them.
 */
static uint64_t symbol_end(struct lx_session *s, uint64_t start, uint64_t limit)
{
	uint64_t lo = start, hi = limit;	/* lo inside, hi past it */

	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (no_symbol_between(s, start, mid))
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

/*
 * Cut [start, end) out of area i (which contains start) as an area of
 * its own, marked as debug metadata; the tail goes on as it was.
 */
static enum lx_status carve_metadata(struct roots_build *b, size_t i, uint64_t start,
				     uint64_t end)
{
	struct lx_area whole = b->a->v[i];
	uint64_t whole_end = whole.start + whole.len;
	enum lx_status ret;

	b->a->v[i].len = start - whole.start;	/* sort_disjoint drops it if empty */
	ret = push_area(b->s, b->a, start, end - start, whole.kind, whole.pid,
			"debug metadata");
	if (ret)
		return ret;
	b->a->v[b->a->n - 1].metadata = true;
	if (end < whole_end)
		ret = push_area(b->s, b->a, end, whole_end - end, whole.kind, whole.pid,
				whole.label);
	return ret;
}

/*
 * Kernel data that exists only to track other objects (kmemleak's static
 * mem_pool[]: kmemleak_object records, each pointing at the object it
 * tracks) is no root of ordinary objects, as kmemleak does not scan it.
 */
static enum lx_status mark_debug_metadata(struct roots_build *b)
{
	enum lx_status ret = LX_OK;
	size_t k;

	for (k = 0; lx_debug_metadata_symbols[k] && !ret; k++) {
		uint64_t addr = lx_symbol_addr(b->s->t, lx_debug_metadata_symbols[k]);
		const struct lx_area *in = addr ? lx_roots_find(b->a, addr) : NULL;

		if (!in || in->metadata)
			continue;
		ret = carve_metadata(b, (size_t)(in - b->a->v), addr,
				     symbol_end(b->s, addr, in->start + in->len));
		sort_disjoint(b->a);
	}
	return ret;
}

enum lx_status lx_roots_collect(struct lx_session *s, struct lx_areas *a)
{
	struct roots_build b = { .s = s, .a = a };
	enum lx_status ret;

	memset(a, 0, sizeof(*a));
	ret = collect_kernel(&b);
	if (!ret)
		ret = collect_modules(&b);
	if (!ret)
		ret = collect_percpu(&b);
	if (!ret)
		ret = collect_stacks(&b);
	if (!ret)
		ret = collect_vmalloc(&b);
	if (!ret)
		ret = exclude_cached_stacks(&b);
	if (!ret)
		ret = merge_vmalloc(&b);
	if (!ret)
		sort_disjoint(a);
	if (!ret)
		ret = mark_debug_metadata(&b);
	lx_free(s->t, b.vmalloc.v);
	lx_free(s->t, b.excluded.v);
	if (ret)
		lx_roots_free(s, a);
	return ret;
}

void lx_roots_free(struct lx_session *s, struct lx_areas *a)
{
	lx_free(s->t, a->v);
	memset(a, 0, sizeof(*a));
}

const struct lx_area *lx_roots_find(const struct lx_areas *a, uint64_t addr)
{
	size_t n = lx_count_keys_le(a->v, a->n, sizeof(*a->v),
				    offsetof(struct lx_area, start), addr);

	if (!n || addr - a->v[n - 1].start >= a->v[n - 1].len)
		return NULL;
	return &a->v[n - 1];
}
