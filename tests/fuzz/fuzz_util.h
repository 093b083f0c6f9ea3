/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the libFuzzer harnesses: input reading and output oracles. */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The fuzz input, consumed from the front. */
struct fz_input {
	const uint8_t *p;
	size_t left;
};

uint8_t fz_u8(struct fz_input *in);
uint16_t fz_u16(struct fz_input *in);
/* Up to len bytes; returns how many were taken. */
size_t fz_bytes(struct fz_input *in, void *dst, size_t len);

/* Abort with a message: libFuzzer records the input as a crash. */
void fz_fail(const char *what, const char *detail, size_t len)
	__attribute__((noreturn));

/* len bytes hold one or more JSON documents separated by newlines. */
bool fz_json_documents_valid(const char *text, size_t len);
/* A memfd holding the input's size bytes at data, or -1. */
int fz_memfd(const char *name, const uint8_t *data, size_t size);
/* A failed open's message: NUL-terminated in err[errlen] and terminal-safe. */
void fz_check_open_message(const char *err, size_t errlen);
/* Terminal-safe: printable ASCII, newline and tab only. */
bool fz_text_is_safe(const char *text, size_t len);
/* Length of the well-formed UTF-8 sequence at p (RFC 3629), 0 if none. */
size_t fz_utf8_len(const uint8_t *p, size_t avail);
/* JSON output: valid UTF-8, and no control byte but the newline. */
bool fz_json_text_is_safe(const char *text, size_t len);
/*
 * A command's output and messages: JSON documents that parse and are safe
 * (json), or terminal-safe text; messages always terminal-safe.  Fails
 * the input otherwise.
 */
void fz_check_report(const char *out, size_t outlen, const char *messages, bool json);

#endif
