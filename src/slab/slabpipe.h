/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A visitor that shares the work on a walk's live objects with another
 * thread.  The work on one object (work(): hashing its content, say) is
 * pure; what is done with its result (sink()) happens on the walk's
 * thread, object by object in walk order.  The walk reads each slab
 * straight into a batch (LX_PIPE_BATCH bytes, at most LX_PIPE_OBJECTS live
 * objects); a full batch is worked on by a thread of its own
 * (lx_thread_start()) while the walk reads into the other batch, and the
 * walk joins in on it once that batch is full in turn, then sinks it.
 * Every object's result is sunk in walk order whatever the threads: no
 * output depends on them.  Where the host has no threads (crash), each
 * slab's objects are worked on and sunk as the walk visits it; where it
 * starts none (the program's -J 1), the same from the first full batch on.
 */
#ifndef LEAKEXT_SLABPIPE_H
#define LEAKEXT_SLABPIPE_H

#include "slab/allocator.h"

#define LX_PIPE_BATCH (4u << 20)
#define LX_PIPE_OBJECTS 16384u
#define LX_PIPE_RESULT_MAX 128u	/* bytes of one object's result */

struct lx_pipe_ops {
	size_t result_size;	/* at most LX_PIPE_RESULT_MAX */
	/*
	 * An object's result from its len bytes: on any thread, in any order,
	 * touching nothing but *result (arg is shared: read it only).
	 */
	void (*work)(const void *arg, const uint8_t *obj, size_t len, void *result);
	/*
	 * Optional, pure like work() and on the same result before it, the
	 * fields each writes its own: work for the walk's thread as the
	 * object's slab is read, its bytes still in that core's caches, when
	 * the walk has time to spare; else done with work().  For a test that
	 * reads every byte where work() reads a few (S4's ELF dump: the word
	 * test of each 4 KiB buffer made the walk 30 ms longer on the other
	 * thread, nothing here, where the walk waited on the hashing; where
	 * the walk inflates pages it has no time to spare).
	 */
	void (*read_work)(const void *arg, const uint8_t *obj, size_t len, void *result);
	/* On the walk's thread, in walk order; false stops the walk (LX_ENOMEM). */
	bool (*sink)(void *arg, uint64_t addr, const void *result);
};

struct lx_pipe_object;

struct lx_pipe_batch {
	struct lx_slab_pipe *pipe;
	uint8_t *mem;
	size_t used, cap;
	struct lx_pipe_object *objects;
	uint8_t *results;	/* result_size bytes per object */
	size_t nobjects, objects_cap, results_cap;
	size_t next;		/* the next object to work on (atomic) */
	size_t object_len;	/* the cache's object_size */
	bool read_worked;	/* read_work() done as its slabs were read */
	void *thread;		/* working on it, or NULL */
};

struct lx_slab_pipe {
	struct lx_target *t;
	const struct lx_pipe_ops *ops;
	void *arg;
	struct lx_pipe_batch batch[2];
	size_t batch_bytes;	/* LX_PIPE_BATCH (tests use less) */
	unsigned int filling;	/* the batch the walk reads into */
	size_t threaded;	/* batches a thread worked on */
	bool unthreaded;	/* a thread did not start: drain each slab */
	bool read_now;		/* read_work() on the walk's thread (it has time) */
	double fill_start;		/* when the walk began filling its batch */
	double fill_avg, wait_avg;	/* moving averages: choose_read_work() */
	enum lx_status status;	/* not LX_OK: the walk is stopped */
	struct lx_visitor visitor;	/* what the walk is given */
};

/* A pipe that does ops with arg; its visitor is &pipe->visitor. */
void lx_slab_pipe_init(struct lx_slab_pipe *pipe, struct lx_target *t,
		       const struct lx_pipe_ops *ops, void *arg);
/*
 * After the walk (or once the pipe stopped it): every live object visited
 * is sunk when this returns LX_OK.  LX_ENOMEM if the pipe ran out of
 * memory or a sink failed, LX_EINTERNAL (said) if the walk broke the
 * visitor's contract; the walk stopped there.
 */
enum lx_status lx_slab_pipe_finish(struct lx_slab_pipe *pipe);
/* Waits for the pipe's threads, if any, and frees the batches. */
void lx_slab_pipe_free(struct lx_slab_pipe *pipe);

#endif
