// scratchfn-runtime: serves an app (bytecode or a .js bundle) over HTTP, or runs a
// script to completion. Startup order: engine, __core, the embedded web layer, the app
// (a function bundle is an ES module: its top-level await finishes first), then
// globalThis.__scratchfnStart(exports) (defined by the shim; it calls __core.serve). An
// app that called __core.serve itself while loading (the core's own test fixtures do)
// is already serving, so the shim's start is skipped.
#include "bytecode.h"
#include "core.h"
#include "host.h"
#include "http-server.h"
#include "log.h"
#include "probe.h"
#include "loop.h"
#include "modules.h"
#include "os.h"
#include "signals.h"
#include "util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const uint8_t scratchfn_web[];
extern const uint32_t scratchfn_web_size;

static const char usage[] =
    "usage: scratchfn-runtime [APP]                     serve APP over HTTP on $PORT (default /app/app.bin)\n"
    "       scratchfn-runtime --script FILE [ARGS...]   run FILE until nothing is pending\n"
    "       scratchfn-runtime --probe [PATH]            exit 0 when GET PATH (default /healthz) on $PORT answers 2xx\n"
    "       scratchfn-runtime --version | --help\n"
    "APP and FILE are bytecode from qjsc, or JavaScript source when the name ends in .js\n"
    "(a script, or a module when it starts with import or export) or .mjs (a module).\n";

/* A load failure is one JSON line on stderr, naming the file, then exit 1. */
static _Noreturn void fail_line(const char *file, const char *why, const char *message, const char *stack) {
  log_flush();
  buf b = {0};
  buf_append_str(&b, "{\"time\":\"");
  log_append_time(&b);
  buf_append_str(&b, "\",\"level\":\"error\",\"msg\":");
  char text[1024];
  snprintf(text, sizeof text, "cannot load %s: %s%s", file, why, message ? message : "");
  json_append_str(&b, text, strlen(text));
  if (stack && *stack) {
    buf_append_str(&b, ",\"stack\":");
    json_append_str(&b, stack, strlen(stack));
  }
  buf_append_str(&b, "}\n");
  log_write_fd(2, buf_head(&b), buf_size(&b));
  exit(1);
}

/* Fails with what was thrown (or rejected): its message, and its stack. */
static _Noreturn void fail_value(const char *file, const char *why, JSValueConst exc) {
  char *message = NULL, *stack = NULL;
  host_describe(exc, &message, &stack);
  fail_line(file, why, message, stack);
}

static _Noreturn void fail_load(const char *file, const char *why) {
  fail_value(file, why, JS_GetException(host_ctx));
}

/* The app's exports when it is a module (handed to __scratchfnStart), else undefined (set
   in main: JS_UNDEFINED is no constant initializer). */
static JSValue app_exports;

static JSValue ignore(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return JS_UNDEFINED;
}

/* Handled here, so the rejection tracker does not also log it as an unhandled rejection. */
static void mark_handled(JSValueConst promise) {
  JSValue then = JS_GetPropertyStr(host_ctx, promise, "then");
  JSValue args[2] = {JS_UNDEFINED, JS_NewCFunction(host_ctx, ignore, "", 1)};
  JS_FreeValue(host_ctx, JS_Call(host_ctx, then, promise, 2, (JSValueConst *)args));
  JS_FreeValue(host_ctx, args[1]);
  JS_FreeValue(host_ctx, then);
}

/* Evaluates a module and, for its top-level await, runs the loop (timers, sockets) until
   it settled; the app starts serving only then. A rejection ends the process. */
static void eval_module(JSValue module, const char *file) {
  JSModuleDef *m = JS_VALUE_GET_PTR(module);
  if (JS_ResolveModule(host_ctx, module) < 0) {
    JS_FreeValue(host_ctx, module);
    fail_load(file, "");
  }
  JSValue promise = JS_EvalFunction(host_ctx, module);
  if (JS_IsException(promise)) fail_load(file, "");
  mark_handled(promise);
  host_drain_jobs();
  while (JS_PromiseState(host_ctx, promise) == JS_PROMISE_PENDING) {
    if (!loop_alive()) {
      fail_line(file, "its top-level await never finished: it waits for a promise that nothing is left to settle", NULL,
                NULL);
    }
    loop_run_once(true);
  }
  if (JS_PromiseState(host_ctx, promise) == JS_PROMISE_REJECTED) {
    JSValue reason = JS_PromiseResult(host_ctx, promise);
    if (host_script_mode()) host_report(reason, "uncaught exception");
    fail_value(file, "", reason);
  }
  JS_FreeValue(host_ctx, promise);
  app_exports = JS_GetModuleNamespace(host_ctx, m);
}

static void check_bytecode_version(const uint8_t *code, size_t len, const char *file) {
  char why[256];
  if (!bytecode_version_ok(code, len, why, sizeof why)) fail_line(file, why, NULL, NULL);
}

static void eval_bytecode(const uint8_t *code, size_t len, const char *file) {
  JSValue fn = JS_ReadObject(host_ctx, code, len, JS_READ_OBJ_BYTECODE);
  if (JS_IsException(fn)) fail_load(file, "not valid bytecode for this engine: ");
  if (JS_VALUE_GET_TAG(fn) == JS_TAG_MODULE) {
    eval_module(fn, file);
    return;
  }
  JSValue r = JS_EvalFunction(host_ctx, fn);
  if (JS_IsException(r)) {
    if (host_script_mode()) host_report_exception("uncaught exception");
    fail_load(file, "");
  }
  JS_FreeValue(host_ctx, r);
}

static bool has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* JavaScript source: a module when the name ends in .mjs or the code starts with an import
   or export (upstream qjs's rule), else a script. */
static void eval_source(const char *code, size_t len, const char *file) {
  if (has_suffix(file, ".mjs") || JS_DetectModule(code, len)) {
    JSValue module = JS_Eval(host_ctx, code, len, file, JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_COMPILE_ONLY);
    if (JS_IsException(module)) fail_load(file, "");
    eval_module(module, file);
    return;
  }
  JSValue r = JS_Eval(host_ctx, code, len, file, JS_EVAL_TYPE_GLOBAL);
  if (JS_IsException(r)) {
    if (host_script_mode()) host_report_exception("uncaught exception");
    fail_load(file, "");
  }
  JS_FreeValue(host_ctx, r);
}

static void load_app(const char *file) {
  buf code = {0};
  if (!bytecode_read_file(file, &code)) fatal("cannot load %s: %s", file, strerror(errno));
  host_arm_deadline();
  if (has_suffix(file, ".js") || has_suffix(file, ".mjs")) {
    buf_append(&code, "", 1); // the parser wants a terminating NUL
    eval_source(buf_head(&code), buf_size(&code) - 1, file);
  } else {
    check_bytecode_version((const uint8_t *)buf_head(&code), buf_size(&code), file);
    eval_bytecode((const uint8_t *)buf_head(&code), buf_size(&code), file);
  }
  buf_free(&code);
  host_drain_jobs();
}

// Serving, a signal always drains (listeners run as it starts, and cannot stop it). A
// script, as on Node, keeps running when JS listens for the signal.
static void on_signal(int signo) {
  if (!host_script_mode() && http_server_listening()) {
    http_server_drain();
    os_signal_event(signo);
    return;
  }
  if (os_signal_event(signo)) return;
  log_flush();
  exit(128 + signo);
}

static void install_core(int argc, char **argv) {
  JSValue core = JS_NewObject(host_ctx);
  os_init(host_ctx, core, argc, argv);
  encoding_init(host_ctx, core);
  headers_init(host_ctx, core);
  timers_init(host_ctx, core);
  tcp_init(host_ctx, core);
  dns_init(host_ctx, core);
  http_server_init(host_ctx, core);
  builtins_init(host_ctx, core);
  crypto_init(host_ctx, core);
  async_context_init(host_ctx, core);
  zlib_init(host_ctx, core);
  tls_init(host_ctx, core);
  JSValue global = JS_GetGlobalObject(host_ctx);
  // Configurable, so the web layer can redefine it as non-enumerable and read-only.
  JS_DefinePropertyValueStr(host_ctx, global, "__core", core, JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
  JS_FreeValue(host_ctx, global);
}

static void start_serving(const char *app) {
  JSValue global = JS_GetGlobalObject(host_ctx);
  JSValue start = JS_GetPropertyStr(host_ctx, global, "__scratchfnStart");
  if (!JS_IsFunction(host_ctx, start)) {
    fatal("cannot serve %s: globalThis.__scratchfnStart is not a function (the runtime's web layer defines it)", app);
  }
  host_arm_deadline();
  JSValue r = JS_Call(host_ctx, start, global, 1, (JSValueConst *)&app_exports);
  if (JS_IsException(r)) fail_load(app, "__scratchfnStart threw: ");
  JS_FreeValue(host_ctx, r);
  JS_FreeValue(host_ctx, start);
  JS_FreeValue(host_ctx, global);
  host_drain_jobs();
}

int main(int argc, char **argv) {
  const char *file = "/app/app.bin";
  bool script = false;
  int first_arg = argc;
  if (argc > 1 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-v"))) {
    printf("scratchfn-runtime %s (QuickJS %s)\n", SCRATCHFN_VERSION, ENGINE_VERSION);
    return 0;
  }
  if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    fputs(usage, stdout);
    return 0;
  }
  if (argc > 1 && !strcmp(argv[1], "--probe")) return probe_main(argc - 2, argv + 2);
  if (argc > 1 && !strcmp(argv[1], "--script")) {
    if (argc < 3) fatal("--script needs a FILE\n%s", usage);
    script = true;
    file = argv[2];
    first_arg = 3;
  } else if (argc > 1 && argv[1][0] == '-') {
    fatal("unknown option %s; see scratchfn-runtime --help", argv[1]);
  } else if (argc > 2) {
    fatal("too many arguments; see scratchfn-runtime --help");
  } else if (argc == 2) {
    file = argv[1];
  }

  app_exports = JS_UNDEFINED;
  loop_init();
  host_init(script);
  util_init(host_ctx);
  signals_init(on_signal);
  loop_add_tick(http_server_tick);
  loop_add_tick(log_flush);
  install_core(argc - first_arg, argv + first_arg);
  modules_init(host_rt, file);

  eval_bytecode(scratchfn_web, scratchfn_web_size, "<runtime web layer>");
  host_drain_jobs();
  load_app(file);
  log_flush();

  if (script) {
    host_loaded();
    while (loop_alive()) loop_run_once(true);
    int code = os_exit_code(0);
    log_flush();
    return code;
  }
  if (!http_server_listening()) start_serving(file);
  if (!http_server_listening()) fatal("cannot serve %s: globalThis.__scratchfnStart() did not call __core.serve", file);
  host_loaded();
  for (;;) loop_run_once(true);
}
