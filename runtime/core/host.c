#include "host.h"
#include "heap.h"
#include "log.h"
#include "loop.h"
#include "util.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef __has_feature
#define __has_feature(x) 0
#endif
/* AddressSanitizer's frames are several times larger, so the sanitize build gets a
   bigger budget for the same JS recursion depth. */
#if __has_feature(address_sanitizer)
enum { DEFAULT_STACK_KB = 4096 };
#else
enum { DEFAULT_STACK_KB = 512 };
#endif

JSRuntime *host_rt;
JSContext *host_ctx;

enum { LOAD_GC_THRESHOLD = 8 << 20 };

static bool script_mode;
static int64_t deadline; /* monotonic ns; JS running past it is interrupted */
static int64_t timeout_ns;
static bool interrupted, last_interrupted;
static uint64_t interrupt_count;

typedef struct {
  JSValue promise, reason;
} rejection;
static rejection *rejections;
static size_t nrejections, caprejections;

static int on_interrupt(JSRuntime *rt, void *opaque) {
  if (script_mode) {
    // Signals wait in the signalfd, which a script stuck in a loop never reads: end it
    // here as the signal would have.
    sigset_t pending;
    if (sigpending(&pending) == 0 && (sigismember(&pending, SIGINT) || sigismember(&pending, SIGTERM))) {
      log_flush();
      exit(128 + (sigismember(&pending, SIGTERM) ? SIGTERM : SIGINT));
    }
  }
  if (loop_clock() < deadline) return 0;
  if (!interrupted) interrupt_count++; /* the engine polls again while the exception unwinds */
  interrupted = true;
  return 1;
}

static void on_rejection(JSContext *ctx, JSValueConst promise, JSValueConst reason, JS_BOOL handled, void *opaque) {
  if (handled) {
    for (size_t i = 0; i < nrejections; i++) {
      if (JS_VALUE_GET_PTR(rejections[i].promise) != JS_VALUE_GET_PTR(promise)) continue;
      JS_FreeValue(ctx, rejections[i].promise);
      JS_FreeValue(ctx, rejections[i].reason);
      rejections[i] = rejections[--nrejections];
      return;
    }
    return;
  }
  if (nrejections == caprejections) {
    caprejections = caprejections ? caprejections * 2 : 8;
    rejections = xrealloc(rejections, caprejections * sizeof *rejections);
  }
  rejections[nrejections++] = (rejection){JS_DupValue(ctx, promise), JS_DupValue(ctx, reason)};
}

void host_init(bool script) {
  script_mode = script;
  timeout_ns = (int64_t)env_int("SCRATCHFN_HANDLER_TIMEOUT_MS", 30000, 1, 86400000) * 1000000;
  host_rt = JS_NewRuntime2(&heap_functions, NULL);
  if (!host_rt) fatal("cannot create the JavaScript runtime");
  JS_SetMemoryLimit(host_rt, (size_t)env_int("SCRATCHFN_HEAP_LIMIT_MB", 64, 1, 1 << 20) << 20);
  // At most 7 MB: the main thread usually gets 8 MB, and past it a deep recursion would crash, not throw.
  JS_SetMaxStackSize(host_rt, (size_t)env_int("SCRATCHFN_STACK_KB", DEFAULT_STACK_KB, 16, 7168) << 10);
  JS_SetInterruptHandler(host_rt, on_interrupt, NULL);
  JS_SetHostPromiseRejectionTracker(host_rt, on_rejection, NULL);
  // Loading builds what lives as long as the process; collecting cycles meanwhile (the engine
  // starts at 256 KB, then 1.5 times what is live) found little to free and cost an eighth of
  // start-up. The bound only keeps a load that makes a lot of cyclic garbage within the limit.
  JS_SetGCThreshold(host_rt, LOAD_GC_THRESHOLD);
  host_ctx = JS_NewContext(host_rt);
  if (!host_ctx) fatal("cannot create the JavaScript context");
  host_arm_deadline();
}

void host_loaded(void) {
  heap_loaded();
  // The engine's own rule from here on: collect when the heap has grown by half.
  size_t used = heap_used_bytes();
  JS_SetGCThreshold(host_rt, used + used / 2);
}

bool host_script_mode(void) {
  return script_mode;
}
bool host_last_interrupted(void) {
  return last_interrupted;
}
uint64_t host_oom_count(void) {
  return heap_oom_count();
}
uint64_t host_interrupt_count(void) {
  return interrupt_count;
}

void host_arm_deadline(void) {
  deadline = loop_clock() + timeout_ns;
  interrupted = false;
}

static char *dup_cstring(JSValueConst v) {
  const char *s = JS_ToCString(host_ctx, v);
  if (!s) {
    JS_FreeValue(host_ctx, JS_GetException(host_ctx));
    return NULL;
  }
  char *copy = js_strdup(host_ctx, s);
  JS_FreeCString(host_ctx, s);
  return copy;
}

void host_describe(JSValueConst exc, char **message, char **stack) {
  *message = dup_cstring(exc);
  *stack = NULL;
  if (JS_IsObject(exc)) {
    JSValue st = JS_GetPropertyStr(host_ctx, exc, "stack");
    if (JS_IsString(st))
      *stack = dup_cstring(st);
    else if (JS_IsException(st))
      JS_FreeValue(host_ctx, JS_GetException(host_ctx));
    JS_FreeValue(host_ctx, st);
  }
}

static void report(JSValueConst exc, const char *context) {
  char *message, *stack;
  host_describe(exc, &message, &stack);
  char text[512];
  if (interrupted) {
    snprintf(text, sizeof text, "%s: handler ran past SCRATCHFN_HANDLER_TIMEOUT_MS (%lld ms) and was interrupted",
             context, (long long)(timeout_ns / 1000000));
  } else {
    snprintf(text, sizeof text, "%s: %s", context, message ? message : "(unprintable exception)");
  }
  if (script_mode) {
    log_flush();
    buf b = {0};
    buf_append_str(&b, text);
    buf_append_str(&b, "\n");
    if (stack && *stack) buf_append_str(&b, stack);
    log_write_fd(2, buf_head(&b), buf_size(&b));
    exit(1);
  }
  log_error(text, interrupted ? NULL : stack);
  interrupted = false;
  js_free(host_ctx, message);
  js_free(host_ctx, stack);
}

void host_report_exception(const char *context) {
  JSValue exc = JS_GetException(host_ctx);
  report(exc, context);
  JS_FreeValue(host_ctx, exc);
}

void host_report(JSValueConst exc, const char *context) {
  report(exc, context);
}

static void report_rejections(void) {
  while (nrejections > 0) {
    rejection r = rejections[--nrejections];
    report(r.reason, "unhandled rejection");
    JS_FreeValue(host_ctx, r.promise);
    JS_FreeValue(host_ctx, r.reason);
  }
}

void host_drain_jobs(void) {
  if (JS_IsJobPending(host_rt)) {
    host_arm_deadline();
    JSContext *ctx;
    for (;;) {
      int r = JS_ExecutePendingJob(host_rt, &ctx);
      if (r == 0) break;
      if (r < 0) {
        host_report_exception("uncaught exception");
        host_arm_deadline();
      }
    }
  }
  report_rejections();
}

bool host_call_in(JSValueConst async_context, JSValueConst fn, JSValueConst this_obj, int argc, JSValueConst *argv) {
  host_arm_deadline();
  JS_SetAsyncContext(host_ctx, JS_DupValue(host_ctx, async_context));
  JSValue r = JS_Call(host_ctx, fn, this_obj, argc, argv);
  bool ok = !JS_IsException(r);
  last_interrupted = !ok && interrupted;
  if (ok)
    JS_FreeValue(host_ctx, r);
  else
    host_report_exception("uncaught exception");
  /* Whatever the callback left there (an enterWith) ends with it: each job runs in the
     context it was queued in, and the loop's next callback starts from its own. */
  JS_SetAsyncContext(host_ctx, JS_UNDEFINED);
  host_drain_jobs();
  return ok;
}

bool host_call(JSValueConst fn, JSValueConst this_obj, int argc, JSValueConst *argv) {
  return host_call_in(JS_UNDEFINED, fn, this_obj, argc, argv);
}
