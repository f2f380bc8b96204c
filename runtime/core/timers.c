// [timers.c] setTimer/clearTimer: one-shot timers on the loop's heap. They keep the
// loop alive (script mode waits for them) unless made unref'd (fetch's idle pooled
// connections); the server's own timers are unref'd too.
// A callback runs in the async context that was current when it was set, so
// AsyncLocalStorage stores carry through setTimeout and setInterval (each run of an
// interval is set from the one before, so all of them get the first one's context).
#include "core.h"
#include "handles.h"
#include "host.h"
#include "loop.h"
#include "util.h"
#include <stdlib.h>

typedef struct js_timer {
  loop_timer timer;
  uint64_t id;
  JSValue cb, async_context;
} js_timer;

static handle_table timers;

static void fire(loop_timer *t) {
  js_timer *jt = (js_timer *)t;
  JSValue cb = jt->cb, async_context = jt->async_context;
  handle_remove(&timers, jt->id);
  free(jt);
  host_call_in(async_context, cb, JS_UNDEFINED, 0, NULL);
  JS_FreeValue(host_ctx, cb);
  JS_FreeValue(host_ctx, async_context);
}

static JSValue js_set_timer(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  double delay;
  if (JS_ToFloat64(ctx, &delay, argv[0]) < 0) return JS_EXCEPTION;
  if (js_check_function(ctx, argv[1], "setTimer callback") < 0) return JS_EXCEPTION;
  js_timer *jt = malloc(sizeof *jt);
  if (!jt) return JS_ThrowOutOfMemory(ctx);
  jt->id = handle_add(&timers, jt);
  if (jt->id == 0) {
    free(jt);
    return JS_ThrowRangeError(ctx, "too many timers");
  }
  jt->cb = JS_DupValue(ctx, argv[1]);
  jt->async_context = JS_GetAsyncContext(ctx);
  bool ref = argc < 3 || JS_IsUndefined(argv[2]) || JS_ToBool(ctx, argv[2]);
  loop_timer_init(&jt->timer, fire, ref);
  loop_timer_start(&jt->timer, delay != delay ? 0 : delay);
  return JS_NewInt64(ctx, (int64_t)jt->id);
}

static JSValue js_clear_timer(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint64_t id;
  if (JS_IsUndefined(argv[0]) || JS_IsNull(argv[0])) return JS_UNDEFINED;
  if (js_get_id(ctx, argv[0], &id) < 0) return JS_EXCEPTION;
  js_timer *jt = handle_get(&timers, id);
  if (!jt) return JS_UNDEFINED;
  loop_timer_stop(&jt->timer);
  handle_remove(&timers, id);
  JS_FreeValue(ctx, jt->cb);
  JS_FreeValue(ctx, jt->async_context);
  free(jt);
  return JS_UNDEFINED;
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("setTimer", 3, js_set_timer),
    JS_CFUNC_DEF("clearTimer", 1, js_clear_timer),
};

void timers_init(JSContext *ctx, JSValueConst core) {
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
