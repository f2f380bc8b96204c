// [http-server.c] the __core side of the server: serve, oomCount, interruptCount, faultCount, gc,
// connectionStats, and (through http-respond.c) the response calls. serve starts the
// layers below it: the listener, and dispatch, which registers its hooks with the
// connections.
#include "http-server.h"
#include "core.h"
#include "http-dispatch.h"
#include "http-listen.h"
#include "http-pool.h"
#include "http-respond.h"
#include "http-tick.h"
#include "host.h"
#include "util.h"

static bool serving;

bool http_server_tick(void) {
  return http_tick_run();
}

/* serve(onRequest, options?): options.route (a path prefix, '' for '/') and
   options.defaultContentType (what a response naming no content type is sent with). */
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
  int err = http_listen();
  if (err) return JS_Throw(ctx, js_errno_error(ctx, err, "listen"));
  http_respond_set_default_type(has_type ? type : NULL);
  http_dispatch_start(ctx, argv[0], has_route ? route : NULL);
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

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("serve", 1, js_serve),
    JS_CFUNC_DEF("oomCount", 0, js_oom_count),
    JS_CFUNC_DEF("interruptCount", 0, js_interrupt_count),
    JS_CFUNC_DEF("faultCount", 0, js_fault_count),
    JS_CFUNC_DEF("gc", 0, js_gc),
    JS_CFUNC_DEF("connectionStats", 0, js_connection_stats),
};

void http_server_init(JSContext *ctx, JSValueConst core) {
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
  // main.c knows one HTTP init; the response calls are their own module below this one.
  http_respond_init(ctx, core);
}
