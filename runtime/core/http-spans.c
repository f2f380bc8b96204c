#include "http-spans.h"
#include "http-metrics.h"
#include "loop.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

static http_span *ring;
static uint32_t cap, head, count;

void http_spans_enable(uint32_t capacity) {
  free(ring);
  ring = capacity ? calloc(capacity, sizeof *ring) : NULL;
  cap = ring ? capacity : 0;
  head = count = 0;
}

bool http_spans_enabled(void) {
  return cap > 0;
}

void http_spans_record(const conn *c) {
  if (!cap || !(c->trace.flags & 1)) return;
  if (count == cap) {
    http_metrics_spans(0, 1, 0);
    return;
  }
  http_span *s = &ring[(head + count++) % cap];
  memcpy(s->trace_id, c->trace.trace_id, 32);
  memcpy(s->span_id, c->trace.span_id, 16);
  memcpy(s->parent_id, c->trace.parent_id, 16);
  s->has_parent = c->trace.has_parent;
  s->flags = c->trace.flags;
  s->status = (uint16_t)c->status;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  s->end_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
  s->start_ns = s->end_ns - (loop_clock() - c->started);
  /* meta is "METHOD\0/path" */
  const char *method = buf_head(&c->meta);
  size_t mlen = strnlen(method, buf_size(&c->meta));
  size_t plen = buf_size(&c->meta) > mlen ? buf_size(&c->meta) - mlen - 1 : 0;
  s->method_len = (uint8_t)(mlen < sizeof s->method ? mlen : sizeof s->method);
  memcpy(s->method, method, s->method_len);
  s->target_len = (uint16_t)(plen < HTTP_SPAN_TARGET_MAX ? plen : HTTP_SPAN_TARGET_MAX);
  memcpy(s->target, method + mlen + 1, s->target_len);
  s->request_id_len = c->request_id_len;
  memcpy(s->request_id, c->request_id, c->request_id_len);
}

const http_span *http_spans_peek(void) {
  return count ? &ring[head] : NULL;
}

void http_spans_pop(void) {
  if (!count) return;
  head = (head + 1) % cap;
  count--;
}

uint32_t http_spans_queued(void) {
  return count;
}
