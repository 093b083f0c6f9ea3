// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the ptype /o reader (ptype.h) on text in gdb 10's layout
 * (crash 8.0's gdb), cut down from struct sk_buff of Linux 6.1 and given
 * a named nested struct with a hole.
 */
#include <stdio.h>
#include <string.h>

#include "ptype.h"
#include "unit.h"

static const char sk_buff_text[] =
"/* offset    |  size */  type = struct sk_buff {\n"
"/*    0      |    24 */    union {\n"
"/*                24 */        struct {\n"
"/*    0      |     8 */            struct sk_buff *next;\n"
"/*    8      |     8 */            struct sk_buff *prev;\n"
"/*   16      |     8 */            union {\n"
"/*                 8 */                struct net_device *dev;\n"
"/*                 8 */                unsigned long dev_scratch;\n"
"\n"
"                                       /* total size (bytes):    8 */\n"
"                                   };\n"
"\n"
"                                   /* total size (bytes):   24 */\n"
"                               };\n"
"/*                24 */        struct rb_node {\n"
"/*    0      |     8 */            unsigned long __rb_parent_color;\n"
"/*    8      |     8 */            struct rb_node *rb_right;\n"
"/*   16      |     8 */            struct rb_node *rb_left;\n"
"\n"
"                                   /* total size (bytes):   24 */\n"
"                               } rbnode;\n"
"\n"
"                               /* total size (bytes):   24 */\n"
"                           };\n"
"/*   24      |     8 */    struct sock *sk;\n"
"/*   40      |    48 */    char cb[48];\n"
"/*   88      |     8 */    void (*destructor)(struct sk_buff *);\n"
"/*   96      |     0 */    __u8 __cloned_offset[0];\n"
"/*   96: 0   |     1 */    __u8 cloned : 1;\n"
"/*   96: 1   |     1 */    __u8 nohdr : 1;\n"
"/* XXX  6-bit hole   */\n"
"/* XXX  7-byte hole  */\n"
"/*  104      |    16 */    struct list_head {\n"
"/*  104      |     8 */        struct list_head *next;\n"
"/*  112      |     8 */        struct list_head *prev;\n"
"\n"
"                               /* total size (bytes):   16 */\n"
"                           } tcp_tsorted_anchor;\n"
"/*  120      |    16 */    struct pair {\n"
"/*  120      |     4 */        int a;\n"
"/* XXX  4-byte hole  */\n"
"/*  128      |     8 */        long b;\n"
"                           } pair;\n"
"/*  136      |     8 */    unsigned char *head;\n"
"\n"
"                           /* total size (bytes):  144 */\n"
"                         }\n";

static struct lx_ptype *parse_text(const char *text, uint64_t size)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	struct lx_ptype *t;

	if (!in)
		return NULL;
	t = lx_ptype_parse(in, size);
	fclose(in);
	return t;
}

static bool path_at(const struct lx_ptype *t, uint64_t off, const char *want)
{
	char path[64];
	bool ok = lx_ptype_member_at(t, off, path, sizeof(path));

	if (want ? ok && !strcmp(path, want) : !ok)
		return true;
	fprintf(stderr, "    +%llu: %s \"%s\", want %s\n", (unsigned long long)off,
		ok ? "named" : "none", ok ? path : "", want ? want : "none");
	return false;
}

/* Unions: the first member covering wins; anonymous members add no name. */
static bool test_ptype_paths(void)
{
	struct lx_ptype *t = parse_text(sk_buff_text, 144);

	CHECK(t != NULL);
	CHECK(path_at(t, 0, "next") && path_at(t, 8, "prev") && path_at(t, 16, "dev"));
	CHECK(path_at(t, 20, "dev+4") && path_at(t, 24, "sk"));
	CHECK(path_at(t, 32, NULL));			/* a hole at the top */
	CHECK(path_at(t, 48, "cb[8]") && path_at(t, 88, "destructor"));
	CHECK(path_at(t, 96, "cloned") && path_at(t, 97, NULL));
	CHECK(path_at(t, 104, "tcp_tsorted_anchor.next"));
	CHECK(path_at(t, 112, "tcp_tsorted_anchor.prev"));
	CHECK(path_at(t, 124, "pair+4") && path_at(t, 128, "pair.b"));
	CHECK(path_at(t, 136, "head") && path_at(t, 143, "head+7"));
	CHECK(path_at(t, 144, NULL) && path_at(t, ~0ULL, NULL));
	lx_ptype_free(t);
	return unit_ok();
}

/* A path that does not fit is no answer; NULL tables answer nothing. */
static bool test_ptype_small(void)
{
	struct lx_ptype *t = parse_text(sk_buff_text, 144);
	char path[8];

	CHECK(t != NULL);
	CHECK(!lx_ptype_member_at(t, 104, path, sizeof(path)));
	CHECK(lx_ptype_member_at(t, 136, path, sizeof(path)) && !strcmp(path, "head"));
	CHECK(!lx_ptype_member_at(NULL, 0, path, sizeof(path)));
	lx_ptype_free(t);
	return unit_ok();
}

/* Text that is not ptype /o, or does not nest, gives no table. */
static bool test_ptype_refused(void)
{
	static char line[2048];

	CHECK(!parse_text("", 8));
	CHECK(!parse_text("No struct type named sk_buf.\n", 8));
	CHECK(!parse_text("/* offset | size */  type = struct x {\n"
			  "/*    0      |     8 */    long a;\n", 8));	/* never closed */
	CHECK(!parse_text("/* offset | size */  type = struct x {\n"
			  "/*  junk */    long a;\n}\n", 8));
	memset(line, 'a', sizeof(line) - 2);
	memcpy(line, "/* offset | size */  type = struct x {\n/*", 41);
	line[sizeof(line) - 2] = '\n';
	CHECK(!parse_text(line, 8));					/* too long a line */
	return unit_ok();
}

/* 6.12's union handle_parts as gdb prints it: bitfields in an anonymous struct. */
static const char handle_parts_text[] =
"/* offset      |    size */  type = union handle_parts {\n"
"/*                      4 */    depot_stack_handle_t handle;\n"
"/*                      4 */    struct {\n"
"/*      0: 0   |        4 */        u32 pool_index_plus_1 : 17;\n"
"/*      2: 1   |        4 */        u32 offset : 10;\n"
"/*      3: 3   |        4 */        u32 extra : 5;\n"
"\n"
"                                   /* total size (bytes):    4 */\n"
"                               };\n"
"\n"
"                               /* total size (bytes):    4 */\n"
"                             }\n";

static bool test_ptype_bits(void)
{
	FILE *in = fmemopen((void *)handle_parts_text, sizeof(handle_parts_text) - 1, "r");
	struct lx_ptype *t = in ? lx_ptype_parse(in, 4) : NULL;
	uint64_t off = 0;
	unsigned int bits = 0;

	CHECK(t != NULL);
	CHECK(lx_ptype_member_bits(t, "pool_index_plus_1", &off, &bits) && off == 0 && bits == 17);
	CHECK(lx_ptype_member_bits(t, "offset", &off, &bits) && off == 17 && bits == 10);
	CHECK(lx_ptype_member_bits(t, "extra", &off, &bits) && off == 27 && bits == 5);
	CHECK(lx_ptype_member_bits(t, "handle", &off, &bits) && off == 0 && bits == 32);
	CHECK(!lx_ptype_member_bits(t, "valid", &off, &bits));
	CHECK(!lx_ptype_member_bits(NULL, "offset", &off, &bits));
	lx_ptype_free(t);
	if (in)
		fclose(in);
	return unit_ok();
}

/* Members inside a named member are not the struct's own: not found. */
static bool test_ptype_bits_named(void)
{
	FILE *in = fmemopen((void *)sk_buff_text, sizeof(sk_buff_text) - 1, "r");
	struct lx_ptype *t = in ? lx_ptype_parse(in, 144) : NULL;
	uint64_t off = 0;
	unsigned int bits = 0;

	CHECK(t != NULL);
	CHECK(lx_ptype_member_bits(t, "nohdr", &off, &bits) && off == 96 * 8 + 1 && bits == 1);
	CHECK(lx_ptype_member_bits(t, "dev", &off, &bits) && off == 16 * 8 && bits == 64);
	CHECK(!lx_ptype_member_bits(t, "rb_right", &off, &bits));	/* in rbnode */
	CHECK(!lx_ptype_member_bits(t, "a", &off, &bits));		/* in pair */
	CHECK(!lx_ptype_member_bits(t, "cb", &off, &bits) || bits == 48 * 8);
	lx_ptype_free(t);
	if (in)
		fclose(in);
	return unit_ok();
}

const struct unit_test ptype_tests[] = {
	{ "ptype: bitfields of union handle_parts", test_ptype_bits },
	{ "ptype: member_bits only through anonymous members", test_ptype_bits_named },
	{ "ptype /o: member paths through unions, arrays, bitfields, holes",
	  test_ptype_paths },
	{ "ptype /o: a path too long for the buffer is no answer", test_ptype_small },
	{ "ptype /o: text that is not a struct layout is refused", test_ptype_refused },
	{ NULL, NULL }
};
