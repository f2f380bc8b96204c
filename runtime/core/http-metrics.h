// The server's counters for /metrics: plain C integers bumped where the connection
// layer sees things happen (a request begun and answered, bytes read and written, a
// fault), and rendered in the Prometheus text format or OpenMetrics on a scrape. Label
// values come from fixed sets (methods plus OTHER, status classes, fault causes), so the
// number of series is bounded by construction. No JS here: what the engine knows (heap,
// GC) comes in as http_metrics_gauges from the layer that renders.
#pragma once
#include "buf.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Notes the process start time (call once, when serving starts). */
void http_metrics_init(void);
/** Counts a request handed on to the function (in flight until it ends). */
void http_metrics_request_begun(void);
/** A request handed on ended (answered or its connection gone). */
void http_metrics_request_ended(void);
/** A response to a request handed on is complete: method as sent, its status and duration. */
void http_metrics_request_done(const char *method, size_t method_len, int status, int64_t duration_ns);
void http_metrics_bytes_in(size_t n);
void http_metrics_bytes_out(size_t n);
/** A handler fault answered with 500 (threw), 503 (out of JS memory) or 504 (timed out). */
void http_metrics_fault(int status);
/** Spans exported; spans dropped because the queue was full or their export failed. */
void http_metrics_spans(uint64_t exported, uint64_t dropped_full, uint64_t dropped_export);

typedef struct http_metrics_gauges {
  uint64_t connections_open, connections_accepted, connections_refused;
  uint64_t heap_used, heap_limit, gc_runs;
  const char *function, *version, *engine;
} http_metrics_gauges;

/** The content type of the format an Accept header asks for (OpenMetrics or the text format). */
const char *http_metrics_content_type(bool openmetrics);
/** Appends every metric, in OpenMetrics when asked for, else the Prometheus text format 0.0.4. */
void http_metrics_render(buf *b, bool openmetrics, const http_metrics_gauges *g);
