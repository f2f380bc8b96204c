#include "http-dispatch.h"
#include "heap.h"
#include "http-config.h"
#include "http-metrics.h"
#include "http-objects.h"
#include "http-pool.h"
#include "host.h"
#include "log.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What JS holds for each slot's request: the arguments built from its head while the
   body is read, and the onDrain callbacks waiting on its output. `outside`: the target is
   not under the route, so the core answers 404 once the body is read. */
typedef struct request_values {
  JSValue method, target, headers, drain_cbs;
  bool outside;
  JSValue context; /* the async context its handler runs in: traceparent[\ntracestate] */
} request_values;

static JSContext *js;
static JSValue on_request_fn;
static request_values *values;
static uint32_t nvalues;
/* serve(fn, {route}): the handler gets the URL the app sees instead of the raw target,
   and X-Forwarded-Prefix names the route (when it is not '/'). */
static bool with_route;
static char route[HTTP_DISPATCH_ROUTE_MAX + 1];
static size_t route_len;
static JSValue route_value, forwarded_prefix;

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

static void cache_strings(JSContext *ctx) {
  for (size_t i = 0; i < countof(common_names); i++) {
    name_values[i] = JS_NewAtomString(ctx, common_names[i]);
    name_lengths[i] = (uint8_t)strlen(common_names[i]);
  }
  for (size_t i = 0; i < countof(common_methods); i++) {
    method_values[i] = JS_NewAtomString(ctx, common_methods[i]);
    method_lengths[i] = (uint8_t)strlen(common_methods[i]);
  }
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

static bool is_path(http_str path, const char *lit) {
  return path.n == strlen(lit) && memcmp(path.p, lit, path.n) == 0;
}

/* The target's path under the route (with route '/accounts': '/accounts/7?x' -> '/7?x',
   '/accounts' -> '/', '/accounts?x' -> '/?x'), or false when it is outside it. */
static bool under_route(http_str target, http_str *rest, bool *slash) {
  *slash = false;
  if (target.n < route_len || memcmp(target.p, route, route_len) != 0) return false;
  *rest = (http_str){target.p + route_len, target.n - route_len};
  if (rest->n == 0 || rest->p[0] == '?') {
    *slash = true;
    return true;
  }
  return route_len == 0 || rest->p[0] == '/';
}

/* "http://<host><path>", Host's bytes as Latin-1 (the last Host wins; none: localhost). */
static JSValue url_string(JSContext *ctx, http_str host, http_str rest, bool slash) {
  char stack[512];
  size_t n = 7 + host.n + slash + rest.n;
  char *u = n <= sizeof stack ? stack : malloc(n);
  if (!u) return JS_ThrowOutOfMemory(ctx);
  memcpy(u, "http://", 7);
  memcpy(u + 7, host.p, host.n);
  if (slash) u[7 + host.n] = '/';
  memcpy(u + 7 + host.n + slash, rest.p, rest.n);
  JSValue v = latin1_string(ctx, (http_str){u, n});
  if (u != stack) free(u);
  return v;
}

static JSValue build_headers(JSContext *ctx, const conn *c, http_head *h, bool client_id, http_str *host) {
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
    } else if (hd->name.n == 4 && memcmp(name, "host", 4) == 0) {
      *host = hd->value;
    }
    JSValue k = lookup(ctx, common_names, name_lengths, name_values, countof(common_names), hd->name);
    if (JS_IsUndefined(k)) k = JS_NewStringLen(ctx, name, hd->name.n);
    JSValue v = latin1_string(ctx, hd->value);
    // Set, not defined: appending to a fresh array takes the engine's fast path.
    if (JS_IsException(k) || JS_IsException(v) || JS_SetPropertyUint32(ctx, arr, n++, k) < 0 ||
        JS_SetPropertyUint32(ctx, arr, n++, v) < 0) {
      JS_FreeValue(ctx, arr);
      return JS_EXCEPTION;
    }
  }
  if (!client_id && !JS_IsException(arr)) {
    JS_SetPropertyUint32(
        ctx, arr, n++,
        lookup(ctx, common_names, name_lengths, name_values, countof(common_names), (http_str){"x-request-id", 12}));
    JS_SetPropertyUint32(ctx, arr, n++, JS_NewStringLen(ctx, c->request_id, c->request_id_len));
  }
  if (with_route && route_len > 0 && !JS_IsException(arr)) {
    JS_SetPropertyUint32(ctx, arr, n++, JS_DupValue(ctx, forwarded_prefix));
    JS_SetPropertyUint32(ctx, arr, n++, JS_DupValue(ctx, route_value));
  }
  return arr;
}

/* Grown with the connection table, so a request costs no allocation. */
static request_values *values_of(conn *c) {
  if (c->slot >= nvalues) {
    uint32_t n = nvalues ? nvalues : 256;
    while (n <= c->slot) n *= 2;
    values = xrealloc(values, n * sizeof *values);
    for (uint32_t i = nvalues; i < n; i++)
      values[i] = (request_values){.method = JS_UNDEFINED,
                                   .target = JS_UNDEFINED,
                                   .headers = JS_UNDEFINED,
                                   .drain_cbs = JS_UNDEFINED,
                                   .context = JS_UNDEFINED};
    nvalues = n;
  }
  return &values[c->slot];
}

static bool name_is(const http_header *hd, const char *lit, size_t n) {
  return hd->name.n == n && strncasecmp(hd->name.p, lit, n) == 0;
}

static bool contains(http_str s, const char *lit) {
  size_t n = strlen(lit);
  for (size_t i = 0; i + n <= s.n; i++)
    if (strncasecmp(s.p + i, lit, n) == 0) return true;
  return false;
}

/* /metrics, rendered by the core: it reads counters and never enters JS, so a scrape
   neither waits for nor disturbs the handlers (nor the heap it reports on). */
static void answer_metrics(conn *c, http_head *h) {
  static buf page;
  bool om = false;
  for (int i = 0; i < h->nheaders; i++)
    if (name_is(&h->headers[i], "accept", 6) && contains(h->headers[i].value, "application/openmetrics-text"))
      om = true;
  http_conn_stats s = pool_stats();
  const char *function = getenv("SCRATCHFN_FUNCTION");
  http_metrics_gauges g = {
      .connections_open = s.open,
      .connections_accepted = s.accepted,
      .connections_refused = s.refused,
      .heap_used = heap_used_bytes(),
      .heap_limit = heap_limit_bytes(),
      .gc_runs = JS_GetGCCount(JS_GetRuntime(js)),
      .function = function ? function : "",
      .version = SCRATCHFN_VERSION,
      .engine = "QuickJS " ENGINE_VERSION,
  };
  buf_clear(&page);
  http_metrics_render(&page, om, &g);
  conn_answer(c, 200, http_metrics_content_type(om), buf_head(&page), buf_size(&page));
  buf_trim(&page, 64 * 1024);
}

/* The request's trace (http-trace.h), and the async context its handler runs in: the
   traceparent its own calls send, then the tracestate it came with, after a newline. */
static JSValue trace_context(JSContext *ctx, conn *c, http_head *h) {
  http_str traceparent = {NULL, 0}, tracestate = {NULL, 0};
  int parents = 0, states = 0;
  for (int i = 0; i < h->nheaders; i++) {
    http_header *hd = &h->headers[i];
    if (hd->name.n == 11 && name_is(hd, "traceparent", 11)) {
      traceparent = hd->value;
      parents++;
    } else if (hd->name.n == 10 && name_is(hd, "tracestate", 10)) {
      tracestate = hd->value;
      states++;
    }
  }
  http_trace_begin(&c->trace, traceparent, parents);
  char text[HTTP_TRACEPARENT_LEN + 1 + HTTP_TRACESTATE_MAX];
  http_trace_format(&c->trace, text);
  size_t n = HTTP_TRACEPARENT_LEN;
  /* A tracestate goes on only with the trace it belongs to; several headers, or one over
     the spec's 512 bytes, are left out rather than cut. */
  if (c->trace.has_parent && states == 1 && tracestate.n > 0 && tracestate.n <= HTTP_TRACESTATE_MAX) {
    text[n++] = '\n';
    memcpy(text + n, tracestate.p, tracestate.n);
    n += tracestate.n;
  }
  return JS_NewStringLen(ctx, text, n);
}

/* Health checks and /metrics are answered here, without JS; anything else becomes the JS
   arguments. Returns 0, -1 when answered, or 503 when JS ran out of memory. */
static int on_head(conn *c, http_head *h) {
  JSContext *ctx = js;
  const char *q = memchr(h->target.p, '?', h->target.n);
  http_str path = {h->target.p, q ? (size_t)(q - h->target.p) : h->target.n};

  bool get = c->head_only || (h->method.n == 3 && memcmp(h->method.p, "GET", 3) == 0);
  if (get && !h->chunked && h->content_length == 0) {
    if (is_path(path, "/healthz")) {
      conn_answer_json(c, 200, "{\"status\":\"ok\"}");
      return -1;
    }
    if (is_path(path, "/readyz")) {
      if (conn_draining)
        conn_answer_json(c, 503, "{\"status\":\"draining\"}");
      else
        conn_answer_json(c, 200, "{\"status\":\"ready\"}");
      return -1;
    }
    if (is_path(path, "/metrics")) {
      answer_metrics(c, h);
      return -1;
    }
  }

  c->logged_request = true;
  buf_clear(&c->meta);
  buf_append(&c->meta, h->method.p, h->method.n);
  buf_append(&c->meta, "", 1);
  buf_append(&c->meta, path.p, path.n < 2048 ? path.n : 2048);
  bool client_id = http_request_id_valid(h->request_id);
  if (client_id) {
    memcpy(c->request_id, h->request_id.p, h->request_id.n);
    c->request_id_len = (uint8_t)h->request_id.n;
  } else {
    http_request_id_generate(c->request_id);
    c->request_id_len = HTTP_REQUEST_ID_GENERATED;
  }

  request_values *v = values_of(c);
  http_str rest, host = {"localhost", 9};
  bool slash = false;
  /* Every request gets its trace, a 404 outside the route too (its access line names it). */
  v->context = trace_context(ctx, c, h);
  v->outside = with_route && !under_route(h->target, &rest, &slash);
  if (v->outside || JS_IsException(v->context)) {
    if (!JS_IsException(v->context)) return 0; /* answered with 404 once the body is in */
    JS_FreeValue(ctx, JS_GetException(ctx));   /* out of JS memory */
    v->context = JS_UNDEFINED;
    http_metrics_fault(503);
    return 503;
  }
  v->method = lookup(ctx, common_methods, method_lengths, method_values, countof(common_methods), h->method);
  if (JS_IsUndefined(v->method)) v->method = JS_NewStringLen(ctx, h->method.p, h->method.n);
  v->headers = build_headers(ctx, c, h, client_id, &host);
  v->target = with_route ? url_string(ctx, host, rest, slash) : latin1_string(ctx, h->target);
  if (JS_IsException(v->method) || JS_IsException(v->target) || JS_IsException(v->headers)) {
    JS_FreeValue(ctx, JS_GetException(ctx)); /* out of JS memory */
    http_metrics_fault(503);
    return 503;
  }
  return 0;
}

/* A request id names a connection slot plus a serial, so an id kept past its response
   (or its connection) finds nothing. */
enum { SLOT_BITS = 20 };

static uint64_t next_id(conn *c) {
  static uint64_t serial;
  serial = (serial + 1) & 0xffffffff;
  if (serial == 0) serial = 1;
  return serial << SLOT_BITS | c->slot;
}

conn *http_dispatch_find(uint64_t id) {
  conn *c = pool_by_slot((uint32_t)(id & ((1u << SLOT_BITS) - 1)));
  return c && c->req_id == id && (c->state == ST_HANDLER || c->state == ST_STREAM) ? c : NULL;
}

static void free_body(JSRuntime *rt, void *opaque, void *ptr) {
  free(ptr);
}

/* JS ran out of memory before the handler: 503, the exception dropped. The request's
   values stay in its slot until on_end frees them. */
static void answer_out_of_memory(conn *c) {
  JS_FreeValue(js, JS_GetException(js));
  http_metrics_fault(503);
  conn_answer_error(c, 503);
}

static void on_request(conn *c) {
  JSContext *ctx = js;
  if (values[c->slot].outside) {
    free(c->body);
    c->body = NULL;
    c->body_len = c->body_cap = 0;
    values[c->slot].outside = false;
    JS_FreeValue(ctx, values[c->slot].context);
    values[c->slot].context = JS_UNDEFINED;
    conn_answer_json(c, 404, "{\"error\":\"Not Found\"}");
    return;
  }
  c->state = ST_HANDLER;
  c->req_id = next_id(c);
  uint64_t id = c->req_id;
  JSValue body = JS_NULL;
  if (c->body_len > 0) {
    body = JS_NewArrayBuffer(ctx, (uint8_t *)c->body, c->body_len, free_body, NULL, 0);
    if (JS_IsException(body)) {
      answer_out_of_memory(c);
      return;
    }
    c->body = NULL; /* the ArrayBuffer owns it now */
  }
  free(c->body);
  c->body = NULL;
  c->body_len = c->body_cap = 0;
  request_values *v = &values[c->slot];
  /* With a route: the request id (for log lines) and the faults counted so far (heap
     limit, handler timeout), which tell the shim whether this request hit one. */
  JSValue args[8];
  int argc = 0;
  args[argc++] = JS_NewInt64(ctx, (int64_t)id);
  if (http_objects_have_request()) {
    /* One Request in place of its four parts (http-objects.h), which it takes */
    JSValue request = http_objects_request(ctx, v->method, v->target, v->headers, body);
    v->method = v->target = v->headers = JS_UNDEFINED;
    if (JS_IsException(request)) {
      answer_out_of_memory(c);
      return;
    }
    args[argc++] = request;
  } else {
    args[argc++] = v->method;
    args[argc++] = v->target;
    args[argc++] = v->headers;
    args[argc++] = body;
  }
  if (with_route) {
    args[argc++] = JS_NewStringLen(ctx, c->request_id, c->request_id_len);
    args[argc++] = JS_NewInt64(ctx, (int64_t)host_oom_count());
    args[argc++] = JS_NewInt64(ctx, (int64_t)host_interrupt_count());
  }
  JSValue context = v->context;
  v->method = v->target = v->headers = v->context = JS_UNDEFINED;
  /* Errors the call logs name the request; a copy, since answering during the call clears it. */
  char request_id[sizeof c->request_id];
  size_t request_id_len = c->request_id_len;
  memcpy(request_id, c->request_id, request_id_len);
  http_trace trace = c->trace;
  log_set_request(request_id, request_id_len, trace.trace_id, trace.span_id);
  /* The request's own context: its trace (a string, so AsyncLocalStorage sees no store
     of an earlier request), which fetch passes on and error lines name. */
  bool ok = host_call_in(context, on_request_fn, JS_UNDEFINED, argc, (JSValueConst *)args);
  JS_FreeValue(ctx, context);
  log_set_request(NULL, 0, NULL, NULL);
  for (int i = 0; i < argc; i++) JS_FreeValue(ctx, args[i]);
  if (c->state != ST_HANDLER || c->req_id != id) return;
  if (!ok) {
    int status = host_last_interrupted() ? 504 : 500; /* onRequest threw: nobody will answer */
    http_metrics_fault(status);
    conn_answer_error(c, status);
  } else
    loop_timer_start(&c->timer, http_cfg.handler_timeout_ms);
}

/* A connection that closed before its request was read holds no values. */
static void on_end(conn *c) {
  if (c->slot >= nvalues) return;
  request_values *v = &values[c->slot];
  JS_FreeValue(js, v->method);
  JS_FreeValue(js, v->target);
  JS_FreeValue(js, v->headers);
  JS_FreeValue(js, v->context);
  v->method = v->target = v->headers = v->context = JS_UNDEFINED;
  v->outside = false;
}

void http_dispatch_on_drain(conn *c, JSValueConst cb) {
  request_values *v = values_of(c);
  if (JS_IsUndefined(v->drain_cbs)) {
    v->drain_cbs = JS_NewArray(js);
    conn_want_drain(c);
  }
  JSValue len = JS_GetPropertyStr(js, v->drain_cbs, "length");
  uint32_t n = 0;
  JS_ToUint32(js, &n, len);
  JS_FreeValue(js, len);
  /* Each callback, then the async context to call it in (the one it was asked for in). */
  JS_SetPropertyUint32(js, v->drain_cbs, n, JS_DupValue(js, cb));
  JS_SetPropertyUint32(js, v->drain_cbs, n + 1, JS_GetAsyncContext(js));
}

static void on_drain(conn *c) {
  if (c->slot >= nvalues) return;
  JSValue list = values[c->slot].drain_cbs;
  values[c->slot].drain_cbs = JS_UNDEFINED;
  if (JS_IsUndefined(list)) return;
  JSValue len = JS_GetPropertyStr(js, list, "length");
  uint32_t n = 0;
  JS_ToUint32(js, &n, len);
  JS_FreeValue(js, len);
  for (uint32_t i = 0; i + 1 < n; i += 2) {
    JSValue cb = JS_GetPropertyUint32(js, list, i);
    JSValue async_context = JS_GetPropertyUint32(js, list, i + 1);
    host_call_in(async_context, cb, JS_UNDEFINED, 0, NULL);
    JS_FreeValue(js, cb);
    JS_FreeValue(js, async_context);
  }
  JS_FreeValue(js, list);
}

void http_dispatch_start(JSContext *ctx, JSValueConst handler, const char *prefix) {
  js = ctx;
  cache_strings(ctx);
  on_request_fn = JS_DupValue(ctx, handler);
  with_route = prefix != NULL;
  if (with_route) {
    route_len = strlen(prefix);
    memcpy(route, prefix, route_len + 1);
    route_value = JS_NewStringLen(ctx, route, route_len);
    forwarded_prefix = JS_NewAtomString(ctx, "x-forwarded-prefix");
  }
  conn_init(&(conn_hooks){.on_head = on_head, .on_request = on_request, .on_drain = on_drain, .on_end = on_end});
}
