// [os.c] clocks, random bytes, the environment, stdout/stderr, exit and argv.
#include "core.h"
#include "log.h"
#include "loop.h"
#include "util.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
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

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("hrtime", 0, js_hrtime),
    JS_CFUNC_DEF("wallTime", 0, js_wall_time),
    JS_CFUNC_DEF("getRandom", 1, js_get_random),
    JS_CFUNC_DEF("write", 2, js_write),
    JS_CFUNC_DEF("exit", 1, js_exit),
};

void os_init(JSContext *ctx, JSValueConst core, int argc, char **argv) {
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
}
