// [async-context.c] getAsyncContext/setAsyncContext: the engine's async-context slot
// (runtime/patches/quickjs-async-context.patch), an opaque value the engine saves with
// every job and promise reaction and restores while it runs. AsyncLocalStorage keeps
// its stores there. The web layer takes both off __core before any function runs
// (runtime/web/core.ts): setting the slot switches every store at once, so only the
// web layer's AsyncLocalStorage may do it.
#include "core.h"
#include "util.h"

static JSValue js_get_async_context(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return JS_GetAsyncContext(ctx);
}

static JSValue js_set_async_context(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  JS_SetAsyncContext(ctx, JS_DupValue(ctx, argc > 0 ? argv[0] : JS_UNDEFINED));
  return JS_UNDEFINED;
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("getAsyncContext", 0, js_get_async_context),
    JS_CFUNC_DEF("setAsyncContext", 1, js_set_async_context),
};

void async_context_init(JSContext *ctx, JSValueConst core) {
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
