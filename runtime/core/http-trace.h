// W3C Trace Context for the server: a request's traceparent is read (level 1 rules: a
// malformed one, or more than one, starts a new trace), and every request gets its own
// span id, so its access line, error lines, outgoing fetches and exported span share one
// trace. Pure functions, no I/O and no JS.
#pragma once
#include "http-parser.h"
#include <stdbool.h>
#include <stdint.h>

enum { HTTP_TRACEPARENT_LEN = 55, HTTP_TRACESTATE_MAX = 512 };

typedef struct http_trace {
  char trace_id[32], span_id[16], parent_id[16]; /* lower-case hex */
  bool has_parent;                               /* the trace came from a valid traceparent */
  uint8_t flags;                                 /* trace-flags: the parent's, or sampled (01) for a new trace */
} http_trace;

/** Continues the trace of a valid traceparent (`count` is how many the request had), else starts one. */
void http_trace_begin(http_trace *t, http_str traceparent, int count);
/** "00-<trace-id>-<span-id>-<flags>": the traceparent this request's own calls send. */
void http_trace_format(const http_trace *t, char out[HTTP_TRACEPARENT_LEN]);
