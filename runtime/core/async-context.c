// [async-context.c] asyncContext(): the machinery node:async_hooks' AsyncLocalStorage is
// built on (runtime/web/async-context-frames.ts, a lazy builtin), on the engine's
// async-context slot (runtime/patches/quickjs-async-context.patch): a value the engine saves
// with every job and promise reaction and restores while it runs. The builtin is loaded on
// the first call and handed the slot's two natives, which nothing else ever gets: setting
// the slot switches every store at once, so no JS outside that builtin may do it.
#include "core.h"
#include "util.h"

// The builtin's AsyncContext ({ Variable, snapshot }), held for the life of the process
// like the core object; undefined until the first call (set in async_context_init).
static JSValue loaded;

static JSValue js_get_async_context(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return JS_GetAsyncContext(ctx);
}

static JSValue js_set_async_context(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  JS_SetAsyncContext(ctx, JS_DupValue(ctx, argv[0]));
  return JS_UNDEFINED;
}

static JSValue load(JSContext *ctx) {
  JSValue builtin = builtins_load(ctx, "asyncContext");
  if (JS_IsException(builtin)) return builtin;
  JSValue create = JS_GetPropertyStr(ctx, builtin, "createAsyncContext");
  JS_FreeValue(ctx, builtin);
  JSValue natives = JS_NewObject(ctx);
  JS_SetPropertyStr(ctx, natives, "getAsyncContext", JS_NewCFunction(ctx, js_get_async_context, "getAsyncContext", 0));
  JS_SetPropertyStr(ctx, natives, "setAsyncContext", JS_NewCFunction(ctx, js_set_async_context, "setAsyncContext", 1));
  JSValue r = JS_Call(ctx, create, JS_UNDEFINED, 1, (JSValueConst *)&natives);
  JS_FreeValue(ctx, create);
  JS_FreeValue(ctx, natives);
  return r;
}

/* asyncContext(onlyIfLoaded): the AsyncContext, loading it first unless onlyIfLoaded. */
static JSValue js_async_context(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  if (JS_IsUndefined(loaded)) {
    if (JS_ToBool(ctx, argv[0])) return JS_UNDEFINED;
    JSValue r = load(ctx);
    if (JS_IsException(r)) return r;
    loaded = r;
  }
  return JS_DupValue(ctx, loaded);
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("asyncContext", 1, js_async_context),
};

void async_context_init(JSContext *ctx, JSValueConst core) {
  loaded = JS_UNDEFINED;
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
