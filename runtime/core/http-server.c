// [http-server.c] the __core side of the server: serve, oomCount, interruptCount, faultCount, gc,
// connectionStats, the request's trace context, the fault and span counters and the span queue for
// the OTLP exporter, the drained hook, and (through http-respond.c) the response calls. serve starts the
// layers below it: the listener, and dispatch, which registers its hooks with the
// connections.
#include "http-server.h"
#include "core.h"
#include "http-dispatch.h"
#include "http-listen.h"
#include "http-metrics.h"
#include "http-objects.h"
#include "http-pool.h"
#include "http-respond.h"
#include "http-spans.h"
#include "http-tick.h"
#include "host.h"
#include "util.h"

static bool serving;

bool http_server_tick(void) {
  return http_tick_run();
}

/* serve(onRequest, options?): options.route (a path prefix, '' for '/'),
   options.defaultContentType (what a response naming no content type is sent with), and
   options.request and options.response, the web layer's fields (http-objects.h). */
static JSValue js_serve(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  if (js_check_function(ctx, argv[0], "serve's onRequest") < 0) return JS_EXCEPTION;
  if (serving) return JS_Throw(ctx, js_code_error(ctx, "ERR_SERVER_ALREADY_LISTEN", "serve() was called already"));
  char route[HTTP_DISPATCH_ROUTE_MAX + 1], type[256];
  bool has_route = false, has_type = false;
  if (argc > 1 && !JS_IsUndefined(argv[1])) {
    if (js_get_string_option(ctx, argv[1], "route", route, sizeof route, &has_route) < 0 ||
        js_get_string_option(ctx, argv[1], "defaultContentType", type, sizeof type, &has_type) < 0)
      return JS_EXCEPTION;
  }
  if (argc > 1 && http_objects_configure(ctx, argv[1]) < 0) return JS_EXCEPTION;
  int err = http_listen();
  if (err) return JS_Throw(ctx, js_errno_error(ctx, err, "listen"));
  http_respond_set_default_type(has_type ? type : NULL);
  http_dispatch_start(ctx, argv[0], has_route ? route : NULL);
  http_metrics_init();
  serving = true;
  return JS_UNDEFINED;
}

static JSValue js_fault_count(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return JS_NewInt64(ctx, (int64_t)(host_oom_count() + host_interrupt_count()));
}

static JSValue js_oom_count(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return JS_NewInt64(ctx, (int64_t)host_oom_count());
}

static JSValue js_interrupt_count(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return JS_NewInt64(ctx, (int64_t)host_interrupt_count());
}

static JSValue js_gc(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  JS_RunGC(JS_GetRuntime(ctx));
  return JS_UNDEFINED;
}

/* The counters a /metrics endpoint reports; tests read `open` to prove a case left no connection behind. */
static JSValue js_connection_stats(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  http_conn_stats s = pool_stats();
  JSValue o = JS_NewObject(ctx);
  JS_SetPropertyStr(ctx, o, "open", JS_NewInt64(ctx, (int64_t)s.open));
  JS_SetPropertyStr(ctx, o, "accepted", JS_NewInt64(ctx, (int64_t)s.accepted));
  JS_SetPropertyStr(ctx, o, "refused", JS_NewInt64(ctx, (int64_t)s.refused));
  return o;
}

/* The trace context of the request the running code belongs to ("traceparent" or
   "traceparent\ntracestate"), or undefined. The async-context slot holds it as it is when
   a request starts; once AsyncLocalStorage sets a store the slot holds a frame, a Map,
   that keeps it under TRACE_KEY (runtime/web/async-context-frames.ts). Read only: what
   sets the slot stays with the core and that builtin. */
#define TRACE_KEY "scratchfn.trace"
static JSValue js_trace_context(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  JSValue slot = JS_GetAsyncContext(ctx);
  if (JS_IsString(slot) || !JS_IsObject(slot)) return JS_IsString(slot) ? slot : JS_UNDEFINED;
  JSValue get = JS_GetPropertyStr(ctx, slot, "get");
  JSValue key = JS_NewString(ctx, TRACE_KEY);
  JSValue r = JS_Call(ctx, get, slot, 1, (JSValueConst *)&key);
  JS_FreeValue(ctx, key);
  JS_FreeValue(ctx, get);
  JS_FreeValue(ctx, slot);
  if (JS_IsString(r)) return r;
  if (JS_IsException(r)) JS_FreeValue(ctx, JS_GetException(ctx));
  JS_FreeValue(ctx, r);
  return JS_UNDEFINED;
}

/* A fault the shim answered: 500 (threw), 503 (out of memory) or 504 (interrupted). */
static JSValue js_count_fault(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  int32_t status;
  if (JS_ToInt32(ctx, &status, argv[0]) < 0) return JS_EXCEPTION;
  http_metrics_fault(status);
  return JS_UNDEFINED;
}

/* traceExport(capacity): record sampled server spans into a queue of that many (0: off). */
static JSValue js_trace_export(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint32_t capacity;
  if (JS_ToUint32(ctx, &capacity, argv[0]) < 0) return JS_EXCEPTION;
  if (capacity > 1 << 20) return JS_ThrowRangeError(ctx, "traceExport: a queue of %u spans is over 1048576", capacity);
  http_spans_enable(capacity);
  return JS_UNDEFINED;
}

/* traceTake(max): up to max queued server spans, oldest first, each [traceId, spanId,
   parentId ('' for a root), flags, startNs, endNs (BigInt, unix), method, target, status, requestId]. */
static JSValue js_trace_take(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint32_t max;
  if (JS_ToUint32(ctx, &max, argv[0]) < 0) return JS_EXCEPTION;
  JSValue out = JS_NewArray(ctx);
  for (uint32_t i = 0; i < max; i++) {
    const http_span *s = http_spans_peek();
    if (!s) break;
    JSValue v[10] = {
        JS_NewStringLen(ctx, s->trace_id, 32),
        JS_NewStringLen(ctx, s->span_id, 16),
        JS_NewStringLen(ctx, s->parent_id, s->has_parent ? 16 : 0),
        JS_NewInt32(ctx, s->flags),
        JS_NewBigInt64(ctx, s->start_ns),
        JS_NewBigInt64(ctx, s->end_ns),
        JS_NewStringLen(ctx, s->method, s->method_len),
        JS_NewStringLen(ctx, s->target, s->target_len),
        JS_NewInt32(ctx, s->status),
        JS_NewStringLen(ctx, s->request_id, s->request_id_len),
    };
    JSValue span = JS_NewArray(ctx);
    for (uint32_t j = 0; j < 10; j++) JS_SetPropertyUint32(ctx, span, j, v[j]);
    JS_SetPropertyUint32(ctx, out, i, span);
    http_spans_pop();
  }
  return out;
}

/* traceCount(exported, droppedFull, droppedExport): what the exporter did, for /metrics. */
static JSValue js_trace_count(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint32_t n[3];
  for (int i = 0; i < 3; i++)
    if (JS_ToUint32(ctx, &n[i], argv[i]) < 0) return JS_EXCEPTION;
  http_metrics_spans(n[0], n[1], n[2]);
  return JS_UNDEFINED;
}

/* onDrained(cb): cb runs once when a drain has nothing left in flight, before the exit;
   holdExit(true) inside it (or later) keeps the process up until holdExit(false). */
static JSValue drained_cb; /* set at init */
static bool drained_called;
static int exit_holds;

static bool before_exit(void) {
  if (!drained_called && !JS_IsUndefined(drained_cb)) {
    drained_called = true;
    host_call(drained_cb, JS_UNDEFINED, 0, NULL);
  }
  return exit_holds > 0;
}

static JSValue js_on_drained(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  if (js_check_function(ctx, argv[0], "onDrained callback") < 0) return JS_EXCEPTION;
  JS_FreeValue(ctx, drained_cb);
  drained_cb = JS_DupValue(ctx, argv[0]);
  http_listen_before_exit(before_exit);
  return JS_UNDEFINED;
}

static JSValue js_hold_exit(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  exit_holds += JS_ToBool(ctx, argv[0]) ? 1 : exit_holds > 0 ? -1 : 0;
  return JS_UNDEFINED;
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("traceContext", 0, js_trace_context),
    JS_CFUNC_DEF("countFault", 1, js_count_fault),
    JS_CFUNC_DEF("traceExport", 1, js_trace_export),
    JS_CFUNC_DEF("traceTake", 1, js_trace_take),
    JS_CFUNC_DEF("traceCount", 3, js_trace_count),
    JS_CFUNC_DEF("onDrained", 1, js_on_drained),
    JS_CFUNC_DEF("holdExit", 1, js_hold_exit),
    JS_CFUNC_DEF("serve", 1, js_serve),
    JS_CFUNC_DEF("oomCount", 0, js_oom_count),
    JS_CFUNC_DEF("interruptCount", 0, js_interrupt_count),
    JS_CFUNC_DEF("faultCount", 0, js_fault_count),
    JS_CFUNC_DEF("gc", 0, js_gc),
    JS_CFUNC_DEF("connectionStats", 0, js_connection_stats),
};

void http_server_init(JSContext *ctx, JSValueConst core) {
  drained_cb = JS_UNDEFINED;
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
  // main.c knows one HTTP init; the response calls are their own module below this one.
  http_respond_init(ctx, core);
}
