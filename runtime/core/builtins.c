// [builtins.c] core.loadBuiltin(name): evaluates one of the web layer's lazy parts
// (streams, URL, hashes), each embedded as its own bytecode. Reading bytecode costs
// start-up time even when it never runs, so these are read only on first use.
#include <string.h>
#include "builtins.h"
#include "core.h"

JSValue builtins_load(JSContext *ctx, const char *name) {
  const scratchfn_builtin *found = NULL;
  for (unsigned i = 0; i < scratchfn_builtins_count; i++) {
    if (!strcmp(scratchfn_builtins[i].name, name)) found = &scratchfn_builtins[i];
  }
  if (!found) return JS_ThrowTypeError(ctx, "loadBuiltin: no builtin named '%s'", name);
  JSValue fn = JS_ReadObject(ctx, found->code, found->size, JS_READ_OBJ_BYTECODE);
  if (JS_IsException(fn)) return fn;
  JSValue r = JS_EvalFunction(ctx, fn);
  if (JS_IsException(r)) return r;
  JS_FreeValue(ctx, r);
  // Each builtin's bundle assigns its exports to this global; hand them over and remove it.
  JSValue global = JS_GetGlobalObject(ctx);
  JSAtom key = JS_NewAtom(ctx, "__scratchfn_builtin");
  JSValue exports = JS_GetProperty(ctx, global, key);
  JS_DeleteProperty(ctx, global, key, 0);
  JS_FreeAtom(ctx, key);
  JS_FreeValue(ctx, global);
  return exports;
}

static JSValue js_load_builtin(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  const char *name = argc > 0 ? JS_ToCString(ctx, argv[0]) : NULL;
  if (!name) return JS_ThrowTypeError(ctx, "loadBuiltin: name must be a string");
  JSValue exports = builtins_load(ctx, name);
  JS_FreeCString(ctx, name);
  return exports;
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("loadBuiltin", 1, js_load_builtin),
};

void builtins_init(JSContext *ctx, JSValueConst core) {
  JS_SetPropertyFunctionList(ctx, core, functions, sizeof functions / sizeof functions[0]);
}
