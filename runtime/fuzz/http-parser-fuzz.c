// libFuzzer target for runtime/core/http-parser.c: the input is the byte stream a client
// sends on one connection. It is fed the way http-conn.c feeds it: heads parsed as bytes
// arrive in pieces, then each body (Content-Length or chunked) before the next pipelined
// head, with the limits the server uses. The piece sizes and the limits come from a hash
// of the input, so the seed files stay plain requests while every mutation also tries
// another packetization.
//
// Beyond "no crash under ASan/UBSan", it checks what the server relies on: a parsed head
// points only inside its bytes; feeding a head in pieces gives the same answer as feeding
// it whole; the chunked decoder never writes past the room it was given, never decodes
// more than the body limit, and decodes the same bytes however the input is split.
#include "http-parser.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The server's defaults (http-config.c) and its smallest header limit, so the limit paths
   are reached by short inputs too. */
static const size_t head_limits[] = {16384, 1024, 256};
static const uint64_t body_limits[] = {1048576, 1000, 16};

#define CHECK(cond)                                                                                                    \
  do {                                                                                                                 \
    if (!(cond)) __builtin_trap();                                                                                     \
  } while (0)

typedef struct {
  uint64_t s;
} rng;

static uint64_t next(rng *r) {
  r->s ^= r->s << 13, r->s ^= r->s >> 7, r->s ^= r->s << 17;
  return r->s;
}

static uint64_t fnv1a(const uint8_t *p, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ull;
  return h | 1;
}

/* A piece size as a socket read might deliver: mostly small, sometimes everything. */
static size_t piece(rng *r, size_t left) {
  uint64_t v = next(r);
  size_t n = (v & 3) == 0 ? left : (size_t)(v >> 8) % 64 + 1;
  return n < left ? n : left;
}

static bool inside(http_str s, const char *base, size_t len) {
  return s.n == 0 || (s.p >= base && s.p + s.n <= base + len);
}

/* Invariants of a head the parser accepted, checked against the buffer it came from. */
static void check_head(const http_head *h, const char *buf, long total) {
  CHECK(total > 0 && h->length == (size_t)total);
  CHECK(h->method.n > 0 && inside(h->method, buf, (size_t)total));
  CHECK(h->target.n > 0);
  /* The target is the buffer's bytes, or the literal "/" of a bare absolute-form URL. */
  CHECK(inside(h->target, buf, (size_t)total) || (h->target.n == 1 && h->target.p[0] == '/'));
  CHECK(h->target.p[0] == '/' || (h->target.n == 1 && h->target.p[0] == '*'));
  CHECK(h->minor == 0 || h->minor == 1);
  CHECK(h->nheaders >= 0 && h->nheaders <= HTTP_MAX_HEADERS);
  CHECK(!(h->chunked && h->has_content_length));
  CHECK(h->has_content_length || h->content_length == 0);
  CHECK(inside(h->request_id, buf, (size_t)total));
  for (int i = 0; i < h->nheaders; i++) {
    CHECK(h->headers[i].name.n > 0 && inside(h->headers[i].name, buf, (size_t)total));
    CHECK(inside(h->headers[i].value, buf, (size_t)total));
    for (size_t j = 0; j < h->headers[i].name.n; j++) CHECK(http_is_tchar((unsigned char)h->headers[i].name.p[j]));
  }
}

/* Parses the head at the start of data, whole and in pieces; both must agree. */
static long parse_head(const uint8_t *data, size_t len, size_t max_head, rng *r, http_head *h) {
  /* Exactly-sized copies, so ASan sees any read past what has arrived. */
  char *whole = malloc(len ? len : 1);
  memcpy(whole, data, len);
  size_t scan = 0;
  long once = http_parse_head(whole, len, max_head, &scan, h);
  if (once > 0) check_head(h, whole, once);

  long step = 0;
  size_t have = 0;
  scan = 0;
  while (have < len) {
    have += piece(r, len - have);
    char *part = malloc(have);
    memcpy(part, data, have);
    step = http_parse_head(part, have, max_head, &scan, h);
    CHECK(scan <= have);
    if (step > 0) check_head(h, part, step);
    free(part);
    if (step != 0) break;
  }
  /* A head complete in one read is complete in pieces, at the same length; an error may
     show earlier in pieces (a bad line before the limit is reached), but never a success. */
  if (once > 0) CHECK(step == once);
  if (once < 0) CHECK(step < 0);
  if (once == 0) CHECK(step == 0 || step < 0);
  if (step < 0) CHECK(step == -400 || step == -414 || step == -431 || step == -501 || step == -505);
  free(whole);
  if (once > 0) {
    /* The server reads the head from its own buffer; parse it there again for the caller. */
    scan = 0;
    http_parse_head((char *)data, len, max_head, &scan, h);
  }
  return once;
}

/* Decodes a chunked body from data in pieces, as the connection does with each read.
   Returns the bytes consumed when the body is complete, or -1 (error or more needed). */
static long decode_chunked(const uint8_t *data, size_t len, uint64_t max_body, size_t max_trailer, rng *r) {
  http_chunked c;
  http_chunked_init(&c, max_body, max_trailer);
  char *out = NULL;
  size_t out_len = 0, pos = 0;
  int result = 0;
  while (pos < len && result == 0) {
    size_t n = piece(r, len - pos);
    /* The server grows the body buffer to hold everything available: exactly that here. */
    out = realloc(out, out_len + n ? out_len + n : 1);
    char *in = malloc(n);
    memcpy(in, data + pos, n);
    size_t used = 0, before = out_len;
    result = http_chunked_decode(&c, in, n, &used, out, &out_len);
    free(in);
    CHECK(used <= n && out_len - before <= used);
    CHECK(result == 1 || result == 0 || result == -400 || result == -413 || result == -431);
    if (result == 0) CHECK(used == n);
    pos += used;
  }
  CHECK(out_len <= max_body && c.total == out_len);

  /* Whole, the same input decodes to the same bytes with the same outcome, at the same
     place: the decoder is a byte-at-a-time state machine. */
  http_chunked w;
  http_chunked_init(&w, max_body, max_trailer);
  char *whole_out = malloc(len ? len : 1);
  size_t whole_len = 0, used = 0;
  int whole = http_chunked_decode(&w, (const char *)data, len, &used, whole_out, &whole_len);
  CHECK(whole == result && whole_len == out_len && used == pos);
  CHECK(out_len == 0 || memcmp(whole_out, out, out_len) == 0);
  free(whole_out);
  free(out);
  return result == 1 ? (long)pos : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint64_t hash = fnv1a(data, size);
  rng r = {hash};
  size_t max_head = head_limits[hash % 3];
  uint64_t max_body = body_limits[(hash >> 8) % 3];

  /* One input in four is also decoded as a bare chunked body, so the decoder gets
     mutations that never pass a head. */
  if ((hash >> 16) % 4 == 0) decode_chunked(data, size, max_body, max_head, &r);

  /* The server's buffer is writable (absolute-form targets are rewritten in place). */
  uint8_t *stream = malloc(size ? size : 1);
  memcpy(stream, data, size);
  static http_head h;
  size_t pos = 0;
  for (int requests = 0; pos < size && requests < 16; requests++) {
    long head = parse_head(stream + pos, size - pos, max_head, &r, &h);
    if (head <= 0) break;
    pos += (size_t)head;
    if (h.chunked) {
      long body = decode_chunked(stream + pos, size - pos, max_body, max_head, &r);
      if (body < 0) break;
      pos += (size_t)body;
    } else if (h.has_content_length) {
      if (h.content_length > max_body || h.content_length > size - pos) break; /* 413, or waits */
      pos += (size_t)h.content_length;
    }
    if (!h.keep_alive) break; /* the server closes after this response */
  }
  free(stream);
  return 0;
}
