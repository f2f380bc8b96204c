// scratchfn-runtime: serves an app (bytecode or a .js bundle) over HTTP, or runs a
// script to completion. Startup order: engine, __core, the embedded web layer, the app,
// then globalThis.__scratchfnStart() (defined by the shim; it calls __core.serve). An
// app that called __core.serve itself while loading (the core's own test fixtures do)
// is already serving, so the shim's start is skipped.
#include "core.h"
#include "host.h"
#include "http-server.h"
#include "log.h"
#include "probe.h"
#include "loop.h"
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
    "APP and FILE are bytecode from qjsc, or JavaScript source when the name ends in .js.\n";

/* A load failure is one JSON line on stderr, naming the file, then exit 1. */
static _Noreturn void fail_load(const char *file, const char *why) {
  char *message = NULL, *stack = NULL;
  JSValue exc = JS_GetException(host_ctx);
  host_describe(exc, &message, &stack);
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

static void eval_bytecode(const uint8_t *code, size_t len, const char *file) {
  JSValue fn = JS_ReadObject(host_ctx, code, len, JS_READ_OBJ_BYTECODE);
  if (JS_IsException(fn)) fail_load(file, "not valid bytecode for this engine: ");
  if (JS_VALUE_GET_TAG(fn) == JS_TAG_MODULE && JS_ResolveModule(host_ctx, fn) < 0) {
    JS_FreeValue(host_ctx, fn);
    fail_load(file, "");
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

static void load_app(const char *file) {
  FILE *f = fopen(file, "rb");
  if (!f) fatal("cannot load %s: %s", file, strerror(errno));
  buf code = {0};
  size_t n;
  do {
    buf_reserve(&code, 65536);
    n = fread(buf_tail(&code), 1, 65536, f);
    code.len += n;
  } while (n > 0);
  int failed = ferror(f);
  fclose(f);
  if (failed) fatal("cannot load %s: read error", file);
  host_arm_deadline();
  if (has_suffix(file, ".js")) {
    buf_append(&code, "", 1); // the parser wants a terminating NUL
    JSValue r = JS_Eval(host_ctx, buf_head(&code), buf_size(&code) - 1, file, JS_EVAL_TYPE_GLOBAL);
    if (JS_IsException(r)) {
      if (host_script_mode()) host_report_exception("uncaught exception");
      fail_load(file, "");
    }
    JS_FreeValue(host_ctx, r);
  } else {
    eval_bytecode((const uint8_t *)buf_head(&code), buf_size(&code), file);
  }
  buf_free(&code);
  host_drain_jobs();
}

static void on_signal(int signo) {
  if (!host_script_mode() && http_server_listening()) {
    http_server_drain();
    return;
  }
  log_flush();
  exit(128 + signo);
}

static void install_core(int argc, char **argv) {
  JSValue core = JS_NewObject(host_ctx);
  os_init(host_ctx, core, argc, argv);
  encoding_init(host_ctx, core);
  timers_init(host_ctx, core);
  tcp_init(host_ctx, core);
  http_server_init(host_ctx, core);
  builtins_init(host_ctx, core);
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
  JSValue r = JS_Call(host_ctx, start, global, 0, NULL);
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

  loop_init();
  host_init(script);
  util_init(host_ctx);
  signals_init(on_signal);
  loop_add_tick(http_server_tick);
  loop_add_tick(log_flush);
  install_core(argc - first_arg, argv + first_arg);

  eval_bytecode(scratchfn_web, scratchfn_web_size, "<runtime web layer>");
  host_drain_jobs();
  load_app(file);
  log_flush();

  if (script) {
    while (loop_alive()) loop_run_once(true);
    log_flush();
    return 0;
  }
  if (!http_server_listening()) start_serving(file);
  if (!http_server_listening()) fatal("cannot serve %s: globalThis.__scratchfnStart() did not call __core.serve", file);
  for (;;) loop_run_once(true);
}
