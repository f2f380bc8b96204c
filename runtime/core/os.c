// [os.c] clocks, random bytes, the environment, stdout/stderr, exit and argv, and the
// process events (signals, exit) that process.on() listens to.
#include "os.h"
#include "core.h"
#include "heap.h"
#include "host.h"
#include "log.h"
#include "loop.h"
#include "util.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/random.h>
#include <unistd.h>
#include <time.h>

extern char **environ;

static JSValue js_hrtime(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return JS_NewFloat64(ctx, (double)loop_clock() / 1e6);
}

static JSValue js_wall_time(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return JS_NewFloat64(ctx, (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6);
}

static JSValue js_get_random(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  js_bytes b;
  if (JS_IsString(argv[0])) return JS_ThrowTypeError(ctx, "getRandom's argument must be an ArrayBufferView");
  if (js_get_bytes(ctx, argv[0], &b, "getRandom's argument") < 0) return JS_EXCEPTION;
  if (b.len > 65536) return JS_ThrowRangeError(ctx, "getRandom: %zu bytes requested, at most 65536 allowed", b.len);
  uint8_t *p = (uint8_t *)b.data;
  size_t left = b.len;
  while (left > 0) {
    ssize_t n = getrandom(p, left, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return JS_Throw(ctx, js_errno_error(ctx, errno, "getrandom"));
    }
    p += n;
    left -= (size_t)n;
  }
  return JS_UNDEFINED;
}

static JSValue js_write(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  int32_t fd;
  if (JS_ToInt32(ctx, &fd, argv[0]) < 0) return JS_EXCEPTION;
  if (fd != 1 && fd != 2) return JS_ThrowTypeError(ctx, "write: fd must be 1 or 2, not %d", fd);
  js_bytes b;
  if (js_get_bytes(ctx, argv[1], &b, "write's data") < 0) return JS_EXCEPTION;
  if (fd == 1) {
    log_stdout(b.data, b.len);
  } else {
    log_flush(); // keep stdout and stderr in the order they were written
    log_write_fd(2, b.data, b.len);
  }
  js_bytes_free(ctx, &b);
  return JS_UNDEFINED;
}

static JSValue js_exit(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  int32_t code = 0;
  if (!JS_IsUndefined(argv[0]) && JS_ToInt32(ctx, &code, argv[0]) < 0) return JS_EXCEPTION;
  log_flush();
  exit(code & 0xff);
}

// Held for the life of the process, like the core object itself; undefined until set (os_init).
static JSValue signal_cb, exit_cb;
static bool exit_called;

static JSValue set_callback(JSContext *ctx, JSValueConst fn, JSValue *slot, const char *what) {
  if (!JS_IsFunction(ctx, fn)) return JS_ThrowTypeError(ctx, "%s: the callback must be a function", what);
  JS_FreeValue(ctx, *slot);
  *slot = JS_DupValue(ctx, fn);
  return JS_UNDEFINED;
}

static JSValue js_on_signal(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return set_callback(ctx, argv[0], &signal_cb, "onSignal");
}

static JSValue js_on_exit(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return set_callback(ctx, argv[0], &exit_cb, "onExit");
}

/* Calls cb(arg) with a fresh handler deadline; an exception is reported, not thrown on. */
static JSValue call_callback(JSValueConst cb, JSValue arg, const char *context) {
  host_arm_deadline();
  JSValue r = JS_Call(host_ctx, cb, JS_UNDEFINED, 1, &arg);
  JS_FreeValue(host_ctx, arg);
  if (JS_IsException(r)) host_report_exception(context);
  host_drain_jobs();
  return r;
}

bool os_signal_event(int signo) {
  if (JS_IsUndefined(signal_cb)) return false;
  JSValue name = JS_NewString(host_ctx, signo == SIGTERM ? "SIGTERM" : signo == SIGINT ? "SIGINT" : "SIGNAL");
  JSValue r = call_callback(signal_cb, name, "process signal listener threw");
  bool handled = !JS_IsException(r) && JS_ToBool(host_ctx, r);
  JS_FreeValue(host_ctx, r);
  return handled;
}

int os_exit_code(int code) {
  if (exit_called || JS_IsUndefined(exit_cb)) return code;
  exit_called = true;
  JSValue r = call_callback(exit_cb, JS_NewInt32(host_ctx, code), "process exit listener threw");
  int32_t out = code;
  if (JS_IsNumber(r)) JS_ToInt32(host_ctx, &out, r);
  JS_FreeValue(host_ctx, r);
  return out & 0xff;
}

/* [rss, heapTotal, heapUsed]: resident pages from /proc (read without stdio's scanf,
   which would add 10 KB to the binary), the heap from our allocator's count. */
static JSValue js_memory_usage(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  double rss = 0;
  int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    char text[128];
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n > 0) {
      text[n] = 0;
      char *p = strchr(text, ' ');
      if (p) rss = (double)strtoull(p + 1, NULL, 10) * (double)sysconf(_SC_PAGESIZE);
    }
  }
  double used = (double)heap_used_bytes();
  JSValue out = JS_NewArray(ctx);
  JS_SetPropertyUint32(ctx, out, 0, JS_NewFloat64(ctx, rss));
  JS_SetPropertyUint32(ctx, out, 1, JS_NewFloat64(ctx, used + (double)heap_cached_bytes()));
  JS_SetPropertyUint32(ctx, out, 2, JS_NewFloat64(ctx, used));
  return out;
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("onSignal", 1, js_on_signal),
    JS_CFUNC_DEF("onExit", 1, js_on_exit),
    JS_CFUNC_DEF("memoryUsage", 0, js_memory_usage),
    JS_CFUNC_DEF("hrtime", 0, js_hrtime),
    JS_CFUNC_DEF("wallTime", 0, js_wall_time),
    JS_CFUNC_DEF("getRandom", 1, js_get_random),
    JS_CFUNC_DEF("write", 2, js_write),
    JS_CFUNC_DEF("exit", 1, js_exit),
};

void os_init(JSContext *ctx, JSValueConst core, int argc, char **argv) {
  signal_cb = exit_cb = JS_UNDEFINED;
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
  JSValue env = JS_NewObject(ctx);
  for (char **e = environ; e && *e; e++) {
    const char *eq = strchr(*e, '=');
    if (!eq || eq == *e) continue;
    JSAtom name = JS_NewAtomLen(ctx, *e, (size_t)(eq - *e));
    JS_DefinePropertyValue(ctx, env, name, JS_NewString(ctx, eq + 1), JS_PROP_C_W_E);
    JS_FreeAtom(ctx, name);
  }
  JS_DefinePropertyValueStr(ctx, core, "env", env, JS_PROP_C_W_E);
  JSValue args = JS_NewArray(ctx);
  for (int i = 0; i < argc; i++) JS_SetPropertyUint32(ctx, args, (uint32_t)i, JS_NewString(ctx, argv[i]));
  JS_DefinePropertyValueStr(ctx, core, "argv", args, JS_PROP_C_W_E);
  JS_DefinePropertyValueStr(ctx, core, "pid", JS_NewInt32(ctx, (int32_t)getpid()), JS_PROP_C_W_E);
  JSValue versions = JS_NewObject(ctx);
  JS_DefinePropertyValueStr(ctx, versions, "scratchfn", JS_NewString(ctx, SCRATCHFN_VERSION), JS_PROP_C_W_E);
  JS_DefinePropertyValueStr(ctx, versions, "quickjs", JS_NewString(ctx, ENGINE_VERSION), JS_PROP_C_W_E);
  JS_DefinePropertyValueStr(ctx, core, "versions", versions, JS_PROP_C_W_E);
}
