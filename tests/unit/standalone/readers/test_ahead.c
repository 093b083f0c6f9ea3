// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Pages decoded ahead on workers (src/standalone/readers/ahead.c), with a
 * toy codec over a memfd: a page is its stored bytes repeated, each XORed
 * with the low byte of its flags; flags 0xbad fail.  A gate in the codec
 * holds the workers, so that which slot is queued, busy or ready is known
 * when the test looks.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "standalone/readers/ahead.h"
#include "unit.h"

#define PAGE (64U << 10)
#define SLOTS (SA_AHEAD_BYTES / PAGE)
#define STORED 1000		/* bytes each page is stored as */
#define FAILING 0xbad

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static bool gate_open = true;
static unsigned int decoding;	/* workers inside decode(), held or not */

static void *new_state(void)
{
	return malloc(1);
}

static void toy_decode(uint32_t flags, const uint8_t *src, size_t size, uint8_t *out,
		       size_t page_size)
{
	size_t i;

	for (i = 0; i < page_size; i++)
		out[i] = src[i % size] ^ (uint8_t)flags;
}

static bool decode(void *state, uint32_t flags, const uint8_t *src, size_t size,
		   uint8_t *out, size_t page_size)
{
	(void)state;
	pthread_mutex_lock(&gate_lock);
	decoding++;
	pthread_cond_broadcast(&gate_cond);
	while (!gate_open)
		pthread_cond_wait(&gate_cond, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
	if (flags == FAILING)
		return false;
	toy_decode(flags, src, size, out, page_size);
	return true;
}

static const struct sa_ahead_codec toy = { new_state, free, decode };

static void set_gate(bool open)
{
	pthread_mutex_lock(&gate_lock);
	gate_open = open;
	decoding = 0;
	pthread_cond_broadcast(&gate_cond);
	pthread_mutex_unlock(&gate_lock);
}

/* Until n workers are inside decode() (held at the gate). */
static void wait_decoding(unsigned int n)
{
	pthread_mutex_lock(&gate_lock);
	while (decoding < n)
		pthread_cond_wait(&gate_cond, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
}

/* A file of pseudo-random bytes: page pfn stored at pfn * STORED. */
static int toy_file(uint8_t **bytes, size_t size)
{
	int fd = memfd_create("test_ahead", 0);
	size_t i;

	*bytes = malloc(size);
	for (i = 0; *bytes && i < size; i++)
		(*bytes)[i] = (uint8_t)(i * 2654435761u >> 13);
	if (fd < 0 || !*bytes || write(fd, *bytes, size) != (ssize_t)size)
		return -1;
	return fd;
}

/* A ring over a toy file of size bytes, and a page buffer. */
struct toy_ring {
	uint8_t *file, *want;
	int fd;
	struct sa_ahead *a;
};

static bool toy_open(struct toy_ring *r, size_t size, unsigned int workers)
{
	r->want = malloc(PAGE);
	r->fd = toy_file(&r->file, size);
	r->a = r->fd < 0 ? NULL : sa_ahead_new(r->fd, size, PAGE, workers, &toy);
	CHECK(r->a && r->want);
	return r->a && r->want;
}

static void toy_close(struct toy_ring *r)
{
	sa_ahead_free(r->a);
	free(r->file);
	free(r->want);
	if (r->fd >= 0)
		close(r->fd);
}

/*
 * A read of frame pfn (stored at pfn * STORED): the worker's page, right,
 * or (unless only a worker's will do) none, for the reader to decode.
 */
static bool page_right(struct toy_ring *r, uint64_t pfn, bool worker_only)
{
	const uint8_t *got = sa_ahead_page(r->a, pfn);

	toy_decode((uint32_t)pfn, r->file + pfn * STORED, STORED, r->want, PAGE);
	return got ? !memcmp(got, r->want, PAGE) : !worker_only;
}

static bool test_pages_as_decoded(void)
{
	struct toy_ring r;
	struct sa_ahead_stats st;
	uint64_t pfn;

	if (!toy_open(&r, (SLOTS + 8) * STORED, 3))
		goto out;
	for (pfn = 0; pfn < SLOTS; pfn++)
		CHECK(sa_ahead_queue(r.a, pfn, pfn * STORED, STORED, (uint32_t)pfn));
	sa_ahead_flush(r.a);
	for (pfn = 0; pfn < SLOTS; pfn++)
		CHECK(page_right(&r, pfn, false));
	/* a second read of each: ready ones stay, taken-back ones are gone */
	for (pfn = 0; pfn < SLOTS; pfn++)
		CHECK(page_right(&r, pfn, false));
	sa_ahead_get_stats(r.a, &st);
	/* each page ready twice, or taken back once and then not queued */
	CHECK(st.workers == 3 && st.queued == SLOTS && st.ready + 2 * st.taken_back == 2 * SLOTS);
	CHECK(!sa_ahead_page(r.a, SLOTS + 1));	/* never queued */
out:
	toy_close(&r);
	return unit_ok();
}

static bool test_full_ring_and_taking_back(void)
{
	struct toy_ring r;
	struct sa_ahead_stats st;
	uint64_t pfn;

	if (!toy_open(&r, (SLOTS + 8) * STORED, 1))
		goto out;
	/* the worker held on frame SLOTS - 1 while the others are queued */
	set_gate(false);
	CHECK(sa_ahead_queue(r.a, SLOTS - 1, (SLOTS - 1) * STORED, STORED, SLOTS - 1));
	sa_ahead_flush(r.a);
	wait_decoding(1);
	for (pfn = 0; pfn < SLOTS - 1; pfn += 2)	/* a job each */
		CHECK(sa_ahead_queue(r.a, pfn, pfn * STORED, STORED, (uint32_t)pfn));
	sa_ahead_flush(r.a);
	/* frame SLOTS would take frame 0's slot, still queued */
	CHECK(!sa_ahead_queue(r.a, SLOTS, SLOTS * STORED, STORED, SLOTS));
	CHECK(sa_ahead_queue(r.a, 6, 6 * STORED, STORED, 6));	/* queued already */
	CHECK(!sa_ahead_page(r.a, 0));	/* queued: taken back */
	sa_ahead_get_stats(r.a, &st);
	CHECK(st.taken_back == 1 && st.ready == 0 && st.queued == SLOTS / 2 + 1);
	set_gate(true);
	CHECK(page_right(&r, SLOTS - 1, true));	/* waited for, or ready */
	CHECK(page_right(&r, SLOTS - 1, true));	/* and kept */
	/* frame 0's slot is free now: frame SLOTS takes it, and fails */
	CHECK(sa_ahead_queue(r.a, SLOTS, SLOTS * STORED, STORED, FAILING));
	sa_ahead_flush(r.a);
	CHECK(!sa_ahead_page(r.a, SLOTS));	/* failed, or taken back */
	sa_ahead_get_stats(r.a, &st);
	CHECK(st.ready == 2 && st.waited <= 1 && st.queued == SLOTS / 2 + 2);
out:
	toy_close(&r);
	set_gate(true);
	return unit_ok();
}

static bool test_bad_offsets_and_stop(void)
{
	size_t size = 64 * STORED;
	struct toy_ring r;
	uint64_t pfn;

	if (!toy_open(&r, size, 2))
		goto out;
	CHECK(!sa_ahead_new(r.fd, size, PAGE, 0, &toy));	/* no workers: none */
	/* past the file's end, or empty: left to the reader, never queued */
	CHECK(sa_ahead_queue(r.a, 1, size, STORED, 1) && !sa_ahead_page(r.a, 1));
	CHECK(sa_ahead_queue(r.a, 2, UINT64_MAX - 10, STORED, 2) && !sa_ahead_page(r.a, 2));
	CHECK(sa_ahead_queue(r.a, 3, 0, 0, 3) && !sa_ahead_page(r.a, 3));
	/* freed with work queued and a worker held: it stops and joins */
	set_gate(false);
	for (pfn = 0; pfn < 60; pfn++)
		sa_ahead_queue(r.a, pfn, pfn * STORED, STORED, (uint32_t)pfn);
	sa_ahead_flush(r.a);
	wait_decoding(1);
	set_gate(true);
out:
	toy_close(&r);
	return unit_ok();
}

const struct unit_test ahead_tests[] = {
	{ "ahead: every page read is the page as decoded", test_pages_as_decoded },
	{ "ahead: a full ring refuses, a queued page is taken back", test_full_ring_and_taking_back },
	{ "ahead: bad offsets left to the reader; freed while busy", test_bad_offsets_and_stop },
	{ NULL, NULL },
};
