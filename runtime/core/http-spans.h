// The queue of server spans waiting for the OTLP exporter (runtime/shim/otlp-*.ts): a
// fixed ring, allocated when export is switched on, that the connection layer writes at
// each sampled request's end and JS drains in batches. When it is full a span is dropped
// and counted, never waited for: a request is never slowed or failed by tracing.
#pragma once
#include "http-conn.h"
#include <stdbool.h>
#include <stdint.h>

enum { HTTP_SPAN_TARGET_MAX = 256 };

typedef struct http_span {
  char trace_id[32], span_id[16], parent_id[16];
  bool has_parent;
  uint8_t flags;
  uint16_t status;
  int64_t start_ns, end_ns; /* unix time */
  char method[16];
  uint8_t method_len;
  uint16_t target_len;
  char target[HTTP_SPAN_TARGET_MAX]; /* the path as sent, cut at the limit */
  uint8_t request_id_len;
  char request_id[HTTP_REQUEST_ID_MAX];
} http_span;

/** Switches recording on with room for `capacity` spans (0 switches it off and frees the ring). */
void http_spans_enable(uint32_t capacity);
bool http_spans_enabled(void);
/** Records the server span of a finished request, if it is sampled (dropped and counted when full). */
void http_spans_record(const conn *c);
/** The oldest queued span, or NULL; http_spans_pop removes it. */
const http_span *http_spans_peek(void);
void http_spans_pop(void);
uint32_t http_spans_queued(void);
