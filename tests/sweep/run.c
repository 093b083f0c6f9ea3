// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One variant in a forked child: a fault kills only the child, alarm()
 * bounds its time, an address-space limit bounds its memory, and the
 * outcome comes back through a pipe.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sweep.h"

#define FLOOD_LINES 300
#define FLOOD_BYTES (64u << 10)
#define CHILD_EXTRA_MEMORY (2ULL << 30)

const char *verdict_name(enum verdict v)
{
	static const char *const names[V_COUNT] = {
		[V_EXACT] = "exact",
		[V_FLAGGED] = "flagged",
		[V_REFUSED] = "refused",
		[V_NO_WITNESS] = "no witness, within its bound",
		[V_WRONG] = "silent wrong answer",
		[V_SILENT_REFUSAL] = "failed without any message",
		[V_FAULT] = "fault",
		[V_TIMEOUT] = "timeout",
		[V_FLOOD] = "message flood",
		[V_NO_RESULT] = "child gave no result",
	};

	return v < V_COUNT ? names[v] : "?";
}

/* The parent's address space plus a margin: a hostile size fails calloc. */
static void limit_memory(void)
{
	unsigned long long pages = 0;
	struct rlimit rl;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return;
	if (fscanf(f, "%llu", &pages) == 1) {
		rl.rlim_cur = rl.rlim_max = pages * sysconf(_SC_PAGESIZE) +
					    CHILD_EXTRA_MEMORY;
		setrlimit(RLIMIT_AS, &rl);
	}
	fclose(f);
}

/* What the sweep must catch, on request (the self-checks). */
static void misbehave(struct overlay *ov)
{
	struct lx_target t = { .host = &overlay_host_ops, .host_priv = ov };
	unsigned int i;

	switch (ov->misbehave) {
	case MISBEHAVE_FAULT:
		/* a signal, not a NULL store: UBSan would turn that into an exit */
		raise(SIGSEGV);
		break;
	case MISBEHAVE_HANG:
		for (;;)
			pause();
	case MISBEHAVE_FLOOD:
		for (i = 0; i < 10 * FLOOD_LINES; i++)
			overlay_host_ops.message(&t, LX_MSG_WARN, "flood");
		break;
	case MISBEHAVE_NOT:
		break;
	}
}

static void child(struct overlay *ov, const struct clean *cl, bool ranking,
		  unsigned int seconds, int fd)
{
	struct outcome out = { .verdict = V_NO_RESULT };
	const char *p = (const char *)&out;
	size_t left = sizeof(out);
	ssize_t n;

	limit_memory();
	alarm(seconds);
	overlay_reset_messages(ov);
	ov->echo = false;
	misbehave(ov);
	run_commands(ov, cl, ranking, &out);
	out.hits = ov->hits;
	out.lines = ov->lines;
	out.errors = ov->errors;
	out.bytes = ov->bytes;
	memcpy(out.first, ov->first, sizeof(out.first));
	while (left && (n = write(fd, p, left)) > 0) {
		p += n;
		left -= n;
	}
	_exit(left ? 1 : 0);
}

static size_t read_all(int fd, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	return got;
}

/* Turn what the child reported, and how it ended, into the verdict. */
static void finish(struct outcome *out, size_t got, int status)
{
	if (WIFSIGNALED(status)) {
		out->signal = WTERMSIG(status);
		out->verdict = out->signal == SIGALRM ? V_TIMEOUT : V_FAULT;
		snprintf(out->detail, sizeof(out->detail), "killed by signal %d (%s)",
			 out->signal, strsignal(out->signal));
		return;
	}
	if (got != sizeof(*out)) {
		/*
		 * A child that dies before reporting: under ASan or UBSan a
		 * fault is caught and ends as exit status 1, not a signal.
		 */
		memset(out, 0, sizeof(*out));
		out->verdict = WIFEXITED(status) && WEXITSTATUS(status) ? V_FAULT :
			       V_NO_RESULT;
		snprintf(out->detail, sizeof(out->detail), "exit status %d before any result",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return;
	}
	if ((out->lines > FLOOD_LINES || out->bytes > FLOOD_BYTES) &&
	    out->verdict != V_WRONG)
		out->verdict = V_FLOOD;
}

void run_variant(struct overlay *ov, const struct clean *cl, bool ranking,
		 unsigned int seconds, struct outcome *out)
{
	int fds[2], status = 0;
	size_t got;
	pid_t pid;

	memset(out, 0, sizeof(*out));
	out->verdict = V_NO_RESULT;
	fflush(NULL);
	if (pipe(fds)) {
		snprintf(out->detail, sizeof(out->detail), "pipe: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		child(ov, cl, ranking, seconds, fds[1]);
	}
	close(fds[1]);
	got = pid > 0 ? read_all(fds[0], out, sizeof(*out)) : 0;
	close(fds[0]);
	if (pid < 0) {
		snprintf(out->detail, sizeof(out->detail), "fork: %s", strerror(errno));
		return;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	finish(out, got, status);
}

/* Seconds per fork, wait and exit of a child that does nothing. */
double fork_cost(unsigned int rounds)
{
	double start = lx_now();
	unsigned int i;
	pid_t pid;

	fflush(NULL);
	for (i = 0; i < rounds; i++) {
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0)
			return -1;
		waitpid(pid, NULL, 0);
	}
	return (lx_now() - start) / rounds;
}
