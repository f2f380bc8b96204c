// Output: stdout is buffered and flushed once per loop iteration (access logs are hot),
// stderr is written at once. Log lines are JSON objects, one per line.
#pragma once
#include "buf.h"
#include <stdbool.h>
#include <stddef.h>

/** Appends to the stdout buffer (flushed by the loop's tick, at exit, or when large). */
void log_stdout(const void *data, size_t n);
/** Writes all of the stdout buffer; a tick hook, so it returns false (never leaves work). */
bool log_flush(void);
/** Writes everything to fd, waiting out partial writes and EAGAIN. */
void log_write_fd(int fd, const void *data, size_t n);

/** Starts a line: {"time":"<now>","level":"<level>","msg":<msg> into the stdout buffer, which it returns. */
buf *log_begin(const char *level, const char *msg, size_t msg_len);
/** Closes the line started by log_begin. */
void log_end(void);
/** Appends ,"key":<JSON string>. */
void log_field_str(const char *key, const char *s, size_t n);

/** Appends ,"trace_id":"<32 hex>","span_id":"<16 hex>" (the ids are hex, so no escaping). */
void log_field_trace(const char *trace_id, const char *span_id);

/** An error line with an optional stack, and the request and trace set by log_set_request. */
void log_error(const char *msg, const char *stack);
/** The request whose handler is running, so its errors name it and its trace (32 and 16
    hex digits); NULL when none. The bytes must stay valid until the next call. */
void log_set_request(const char *id, size_t n, const char *trace_id, const char *span_id);

/** Appends s as a JSON string literal; invalid UTF-8 becomes U+FFFD so the line stays valid JSON. */
void json_append_str(buf *b, const char *s, size_t n);
/** Appends the wall-clock time as ISO 8601 with milliseconds, e.g. 2024-05-01T12:34:56.789Z. */
void log_append_time(buf *b);
