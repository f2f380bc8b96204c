// From a parsed head to the JS arguments of onRequest: method, target, flat lower-cased
// headers with X-Request-Id, and the body as an ArrayBuffer. Health checks are answered
// here, without JS. Frequent names are cached as atoms so most requests build few strings.
#include "http-conn.h"
#include "host.h"
#include "log.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static const char *const common_names[] = {
    "host",
    "user-agent",
    "accept",
    "accept-encoding",
    "accept-language",
    "connection",
    "content-type",
    "content-length",
    "cookie",
    "authorization",
    "cache-control",
    "origin",
    "referer",
    "x-request-id",
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-forwarded-host",
    "x-real-ip",
    "forwarded",
    "if-none-match",
    "if-modified-since",
    "pragma",
    "range",
    "te",
    "traceparent",
    "upgrade-insecure-requests",
    "sec-fetch-mode",
    "sec-fetch-site",
    "sec-fetch-dest",
    "sec-fetch-user",
    "priority",
    "expect",
};
static const char *const common_methods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"};
static JSValue name_values[countof(common_names)], method_values[countof(common_methods)];
static uint8_t name_lengths[countof(common_names)], method_lengths[countof(common_methods)];
static bool cached;

static void cache_strings(JSContext *ctx) {
  for (size_t i = 0; i < countof(common_names); i++) {
    name_values[i] = JS_NewAtomString(ctx, common_names[i]);
    name_lengths[i] = (uint8_t)strlen(common_names[i]);
  }
  for (size_t i = 0; i < countof(common_methods); i++) {
    method_values[i] = JS_NewAtomString(ctx, common_methods[i]);
    method_lengths[i] = (uint8_t)strlen(common_methods[i]);
  }
  cached = true;
}

static JSValue lookup(JSContext *ctx, const char *const *names, const uint8_t *lengths, JSValue *values, size_t n,
                      http_str s) {
  for (size_t i = 0; i < n; i++) {
    if (lengths[i] == s.n && memcmp(names[i], s.p, s.n) == 0) return JS_DupValue(ctx, values[i]);
  }
  return JS_UNDEFINED;
}

/* Header bytes above 0x7F are Latin-1, as in Node; the engine builds strings from UTF-8. */
static JSValue latin1_string(JSContext *ctx, http_str s) {
  size_t high = 0;
  for (size_t i = 0; i < s.n; i++) high += (unsigned char)s.p[i] >> 7;
  if (high == 0) return JS_NewStringLen(ctx, s.p, s.n);
  char *u = malloc(s.n + high);
  if (!u) return JS_ThrowOutOfMemory(ctx);
  size_t o = 0;
  for (size_t i = 0; i < s.n; i++) {
    unsigned char c = (unsigned char)s.p[i];
    if (c < 0x80)
      u[o++] = (char)c;
    else
      u[o++] = (char)(0xC0 | c >> 6), u[o++] = (char)(0x80 | (c & 0x3F));
  }
  JSValue v = JS_NewStringLen(ctx, u, o);
  free(u);
  return v;
}

static bool valid_request_id(http_str s) {
  if (s.n < 1 || s.n > 128) return false;
  for (size_t i = 0; i < s.n; i++) {
    char c = s.p[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
          c == '-'))
      return false;
  }
  return true;
}

/* xoshiro256**, seeded once from getrandom: request ids need to be unique, not secret. */
static uint64_t rng[4];
static uint64_t rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}
static uint64_t next_random(void) {
  if (!(rng[0] | rng[1] | rng[2] | rng[3])) {
    if (getrandom(rng, sizeof rng, 0) != sizeof rng) rng[0] = (uint64_t)loop_clock() | 1;
  }
  uint64_t result = rotl(rng[1] * 5, 7) * 9, t = rng[1] << 17;
  rng[2] ^= rng[0], rng[3] ^= rng[1], rng[1] ^= rng[2], rng[0] ^= rng[3];
  rng[2] ^= t, rng[3] = rotl(rng[3], 45);
  return result;
}

static void generate_request_id(conn *c) {
  static const char hex[] = "0123456789abcdef";
  uint64_t r[2] = {next_random(), next_random()};
  for (int i = 0; i < 32; i++) c->request_id[i] = hex[(r[i / 16] >> ((i % 16) * 4)) & 15];
  c->request_id_len = 32;
}

static bool is_path(http_str path, const char *lit) {
  return path.n == strlen(lit) && memcmp(path.p, lit, path.n) == 0;
}

static JSValue build_headers(JSContext *ctx, conn *c, http_head *h, bool client_id) {
  JSValue arr = JS_NewArray(ctx);
  uint32_t n = 0;
  bool id_seen = false;
  for (int i = 0; i < h->nheaders && !JS_IsException(arr); i++) {
    http_header *hd = &h->headers[i];
    char *name = (char *)hd->name.p; /* the input buffer is ours: lower-case in place */
    for (size_t j = 0; j < hd->name.n; j++)
      if (name[j] >= 'A' && name[j] <= 'Z') name[j] += 32;
    if (hd->name.n == 12 && memcmp(name, "x-request-id", 12) == 0) {
      if (!client_id || id_seen) continue; /* one id: the client's valid one, or ours */
      id_seen = true;
    }
    JSValue k = lookup(ctx, common_names, name_lengths, name_values, countof(common_names), hd->name);
    if (JS_IsUndefined(k)) k = JS_NewStringLen(ctx, name, hd->name.n);
    JSValue v = latin1_string(ctx, hd->value);
    if (JS_IsException(k) || JS_IsException(v) || JS_DefinePropertyValueUint32(ctx, arr, n++, k, JS_PROP_C_W_E) < 0 ||
        JS_DefinePropertyValueUint32(ctx, arr, n++, v, JS_PROP_C_W_E) < 0) {
      JS_FreeValue(ctx, arr);
      return JS_EXCEPTION;
    }
  }
  if (!client_id && !JS_IsException(arr)) {
    JS_DefinePropertyValueUint32(
        ctx, arr, n++,
        lookup(ctx, common_names, name_lengths, name_values, countof(common_names), (http_str){"x-request-id", 12}),
        JS_PROP_C_W_E);
    JS_DefinePropertyValueUint32(ctx, arr, n++, JS_NewStringLen(ctx, c->request_id, c->request_id_len), JS_PROP_C_W_E);
  }
  return arr;
}

int request_begin(conn *c, http_head *h) {
  JSContext *ctx = host_ctx;
  if (!cached) cache_strings(ctx);
  c->started = loop_clock();
  c->keep_alive = h->keep_alive;
  c->http10 = h->minor == 0;
  c->head_only = h->method.n == 4 && memcmp(h->method.p, "HEAD", 4) == 0;
  const char *q = memchr(h->target.p, '?', h->target.n);
  http_str path = {h->target.p, q ? (size_t)(q - h->target.p) : h->target.n};

  bool get = c->head_only || (h->method.n == 3 && memcmp(h->method.p, "GET", 3) == 0);
  if (get && !h->chunked && h->content_length == 0) {
    if (is_path(path, "/healthz")) {
      http_write_health(c, 200, "{\"status\":\"ok\"}");
      return -1;
    }
    if (is_path(path, "/readyz")) {
      if (http_draining)
        http_write_health(c, 503, "{\"status\":\"draining\"}");
      else
        http_write_health(c, 200, "{\"status\":\"ready\"}");
      return -1;
    }
  }

  c->logged_request = true;
  buf_clear(&c->meta);
  buf_append(&c->meta, h->method.p, h->method.n);
  buf_append(&c->meta, "", 1);
  buf_append(&c->meta, path.p, path.n < 2048 ? path.n : 2048);
  bool client_id = valid_request_id(h->request_id);
  if (client_id) {
    memcpy(c->request_id, h->request_id.p, h->request_id.n);
    c->request_id_len = (uint8_t)h->request_id.n;
  } else {
    generate_request_id(c);
  }

  c->js_method = lookup(ctx, common_methods, method_lengths, method_values, countof(common_methods), h->method);
  if (JS_IsUndefined(c->js_method)) c->js_method = JS_NewStringLen(ctx, h->method.p, h->method.n);
  c->js_target = latin1_string(ctx, h->target);
  c->js_headers = build_headers(ctx, c, h, client_id);
  if (JS_IsException(c->js_method) || JS_IsException(c->js_target) || JS_IsException(c->js_headers)) {
    JS_FreeValue(ctx, JS_GetException(ctx)); /* out of JS memory */
    return 503;
  }
  return 0;
}

static void free_body(JSRuntime *rt, void *opaque, void *ptr) {
  free(ptr);
}

void request_dispatch(conn *c) {
  JSContext *ctx = host_ctx;
  c->state = ST_HANDLER;
  c->req_id = http_next_req_id(c);
  uint64_t id = c->req_id;
  JSValue body = JS_NULL;
  if (c->body_len > 0) {
    body = JS_NewArrayBuffer(ctx, (uint8_t *)c->body, c->body_len, free_body, NULL, 0);
    if (JS_IsException(body)) {
      JS_FreeValue(ctx, JS_GetException(ctx));
      http_write_error(c, 503);
      return;
    }
    c->body = NULL; /* the ArrayBuffer owns it now */
  }
  free(c->body);
  c->body = NULL;
  c->body_len = c->body_cap = 0;
  JSValue args[5] = {JS_NewInt64(ctx, (int64_t)id), c->js_method, c->js_target, c->js_headers, body};
  c->js_method = c->js_target = c->js_headers = JS_UNDEFINED;
  /* Errors the call logs name the request; a copy, since answering during the call clears it. */
  char request_id[sizeof c->request_id];
  size_t request_id_len = c->request_id_len;
  memcpy(request_id, c->request_id, request_id_len);
  log_set_request(request_id, request_id_len);
  bool ok = host_call(http_on_request, JS_UNDEFINED, 5, (JSValueConst *)args);
  log_set_request(NULL, 0);
  for (int i = 0; i < 5; i++) JS_FreeValue(ctx, args[i]);
  if (c->state != ST_HANDLER || c->req_id != id) return;
  if (!ok)
    http_write_error(c, host_last_interrupted() ? 504 : 500); /* onRequest threw: nobody will answer */
  else
    loop_timer_start(&c->timer, http_cfg.handler_timeout_ms);
}

void request_clear(conn *c) {
  JSContext *ctx = host_ctx;
  JS_FreeValue(ctx, c->js_method);
  JS_FreeValue(ctx, c->js_target);
  JS_FreeValue(ctx, c->js_headers);
  c->js_method = c->js_target = c->js_headers = JS_UNDEFINED;
  free(c->body);
  c->body = NULL;
  c->body_len = c->body_cap = 0;
  c->body_left = 0;
  c->chunked_in = c->chunked_out = c->head_only = c->no_body = c->logged_request = false;
  c->status = 0;
  c->body_bytes_out = 0;
  c->request_id_len = 0;
  buf_clear(&c->meta);
}
