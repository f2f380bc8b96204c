#include "http-trace.h"
#include "http-request-id.h"
#include <string.h>

static const char hex[] = "0123456789abcdef";

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1; /* upper case is invalid too: the spec's ids are lower-case */
}

/* n lower-case hex digits, not all zero. */
static bool hex_id(const char *p, size_t n) {
  bool nonzero = false;
  for (size_t i = 0; i < n; i++) {
    int v = hex_value(p[i]);
    if (v < 0) return false;
    nonzero |= v != 0;
  }
  return nonzero;
}

/* version "-" trace-id "-" parent-id "-" flags; a later version may add fields after a "-". */
static bool parse(http_str s, http_trace *t) {
  const char *p = s.p;
  if (s.n < HTTP_TRACEPARENT_LEN || p[2] != '-' || p[35] != '-' || p[52] != '-') return false;
  int v0 = hex_value(p[0]), v1 = hex_value(p[1]), f0 = hex_value(p[53]), f1 = hex_value(p[54]);
  if (v0 < 0 || v1 < 0 || f0 < 0 || f1 < 0 || (v0 == 15 && v1 == 15)) return false;
  if (v0 == 0 && v1 == 0 && s.n != HTTP_TRACEPARENT_LEN) return false;
  if (s.n > HTTP_TRACEPARENT_LEN && p[55] != '-') return false;
  if (!hex_id(p + 3, 32) || !hex_id(p + 36, 16)) return false;
  memcpy(t->trace_id, p + 3, 32);
  memcpy(t->parent_id, p + 36, 16);
  t->flags = (uint8_t)(f0 << 4 | f1);
  return true;
}

static void random_hex(char *out, size_t n) {
  for (size_t i = 0; i < n; i += 16) {
    uint64_t r = http_random_u64();
    for (size_t j = 0; j < 16 && i + j < n; j++) out[i + j] = hex[(r >> (j * 4)) & 15];
  }
}

void http_trace_begin(http_trace *t, http_str traceparent, int count) {
  t->has_parent = count == 1 && parse(traceparent, t);
  if (!t->has_parent) {
    random_hex(t->trace_id, 32);
    t->flags = 1;
  }
  do random_hex(t->span_id, 16);
  while (!hex_id(t->span_id, 16));
}

void http_trace_format(const http_trace *t, char out[HTTP_TRACEPARENT_LEN]) {
  memcpy(out, "00-", 3);
  memcpy(out + 3, t->trace_id, 32);
  out[35] = '-';
  memcpy(out + 36, t->span_id, 16);
  out[52] = '-';
  /* Only the sampled bit is ours to pass on; the other bits of a later version are not. */
  out[53] = '0';
  out[54] = (t->flags & 1) ? '1' : '0';
}
