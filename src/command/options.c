// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The options both front ends share (leakext.h): each parsed and bounded
 * once, and the rules between them in one place, so the crash commands
 * and the program accept and refuse the same things with the same words.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "leakext/leakext.h"
#include "leakext/text.h"

#define LX_NUMBER_MAX 100000000UL

static const char *const sort_names[] = {
	[LX_SORT_BYTES] = "bytes", [LX_SORT_LIVE] = "live", [LX_SORT_TOTAL] = "total",
	[LX_SORT_SLABS] = "slabs", [LX_SORT_SIZE] = "size", [LX_SORT_NAME] = "name",
};

static enum lx_status refuse(char *why, size_t len, const char *fmt, const char *name,
			     const char *arg)
{
	snprintf(why, len, fmt, name, arg);
	return LX_EUSAGE;
}

/* A count: 0 only where zero_ok; never more than LX_NUMBER_MAX. */
static enum lx_status set_number(unsigned int *out, bool zero_ok, const char *name,
				 const char *arg, char *why, size_t len)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 0);

	if (!*arg || *end || v > LX_NUMBER_MAX || (!v && !zero_ok))
		return refuse(why, len, zero_ok ? "%s needs a number, not \"%s\"" :
			      "%s needs a positive number, not \"%s\"", name, arg);
	*out = v;
	return LX_OK;
}

static enum lx_status set_sort(struct lx_options *opt, const char *name, const char *arg,
			       char *why, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(sort_names) / sizeof(sort_names[0]); i++) {
		if (!strcmp(arg, sort_names[i])) {
			opt->sort = i;
			return LX_OK;
		}
	}
	snprintf(why, len, "%s takes one of %s, not \"%s\"", name, LX_SORT_FIELDS, arg);
	return LX_EUSAGE;
}

/* "CACHE=TYPE": a cache name and a struct name, at most LX_TYPE_HINTS. */
static enum lx_status add_type_hint(struct lx_options *opt, const char *name,
				    const char *arg, char *why, size_t len)
{
	const char *eq = strchr(arg, '=');
	struct lx_type_hint *h = &opt->hints[opt->nhints];

	if (!eq || eq == arg || !eq[1] || opt->nhints >= LX_TYPE_HINTS ||
	    (size_t)(eq - arg) >= sizeof(h->cache) || strlen(eq + 1) >= sizeof(h->type) ||
	    !lx_is_identifier(eq + 1)) {
		snprintf(why, len, "%s takes CACHE=TYPE (a struct name; at most %d), not \"%s\"",
			 name, LX_TYPE_HINTS, arg);
		return LX_EUSAGE;
	}
	memcpy(h->cache, arg, eq - arg);
	h->cache[eq - arg] = '\0';
	strcpy(h->type, eq + 1);
	opt->nhints++;
	return LX_OK;
}

static enum lx_status set_address(struct lx_options *opt, const char *name,
				  const char *arg, char *why, size_t len)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 16);
	if (errno || end == arg || *end)
		return refuse(why, len, "%s takes a hexadecimal address, not \"%s\"", name, arg);
	opt->address = v;
	opt->refs = true;
	return LX_OK;
}

static enum lx_status set_flag(struct lx_options *opt, enum lx_option which)
{
	bool *flags[] = {
		[LX_OPT_ALL] = &opt->all, [LX_OPT_REDACT] = &opt->redact,
		[LX_OPT_LIST] = &opt->list_live, [LX_OPT_UNREFERENCED] = &opt->unreferenced,
		[LX_OPT_REFERRERS] = &opt->referrers, [LX_OPT_JSON] = &opt->json,
		[LX_OPT_NO_HOLDERS] = &opt->no_holders,
		[LX_OPT_DUMP] = &opt->dump, [LX_OPT_ALLOCINFO] = &opt->allocinfo,
		[LX_OPT_LARGE] = &opt->large,
	};

	if ((size_t)which >= sizeof(flags) / sizeof(flags[0]) || !flags[which])
		return LX_EUSAGE;
	*flags[which] = true;
	return LX_OK;
}

enum lx_status lx_option_set(struct lx_options *opt, enum lx_option which,
			     const char *name, const char *arg, char *why, size_t len)
{
	enum lx_status ret;

	switch (which) {
	case LX_OPT_TOP:
		return set_number(&opt->top, false, name, arg, why, len);
	case LX_OPT_CLUSTER:
		return set_number(&opt->cluster, false, name, arg, why, len);
	case LX_OPT_BYTES:
		return set_number(&opt->bytes, false, name, arg, why, len);
	case LX_OPT_COUNT:
		ret = set_number(&opt->count, true, name, arg, why, len);
		if (!ret && !opt->count)
			opt->count = LX_DUMP_ALL;
		return ret;
	case LX_OPT_SORT:
		return set_sort(opt, name, arg, why, len);
	case LX_OPT_CACHE_TYPE:
		return add_type_hint(opt, name, arg, why, len);
	case LX_OPT_TYPE:
		opt->type = arg;
		return LX_OK;
	case LX_OPT_REFS:
		return set_address(opt, name, arg, why, len);
	default:
		return set_flag(opt, which);
	}
}

static enum lx_status broken_rule(char *why, size_t len, const char *text)
{
	snprintf(why, len, "%s", text);
	return LX_EUSAGE;
}

enum lx_status lx_options_check(const struct lx_options *opt, char *why, size_t len)
{
	if ((opt->list_live || opt->cluster || opt->dump || opt->unreferenced) &&
	    !opt->cache)
		return broken_rule(why, len, "-l, -u, -k and -d need a cache");
	if (opt->json && (opt->list_live || opt->dump || opt->unreferenced || opt->refs))
		return broken_rule(why, len,
				   "-j cannot go with -l, -u, -d or --refs: they print addresses and hex, not JSON");
	if (opt->allocinfo && (opt->cache || opt->refs))
		return broken_rule(why, len,
				   "--allocinfo reports the whole kernel's allocation sites: not with a cache or --refs");
	if (opt->large && (opt->cache || opt->refs || opt->allocinfo))
		return broken_rule(why, len,
				   "--large lists the allocations no cache holds: not with a cache, --refs or --allocinfo");
	if (opt->refs + opt->dump + opt->list_live + opt->unreferenced > 1)
		return broken_rule(why, len, "choose one of -l, -u, -d and --refs");
	if (opt->type && !opt->dump)
		return broken_rule(why, len, "-t prints dumped objects: it needs -d");
	if (opt->redact && opt->dump)
		return broken_rule(why, len,
				   "a dump shows object content, which a redacted report leaves out");
	if (opt->referrers && opt->no_holders)
		return broken_rule(why, len,
				   "-r asks for holders and -H leaves them out: give one");
	return LX_OK;
}

