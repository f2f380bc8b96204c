// [builtins.c] core.loadBuiltin(name): evaluates one of the web layer's lazy parts
// (streams, URL, crypto.subtle, compression, the HTTP client, ...), each embedded as its
// own bytecode. Reading bytecode costs start-up time even when it never runs, so these are
// read only on first use. From JS each is evaluated once and its exports kept: a builtin
// bundles its own copy of the accessors it imports (streams(), compression()), and they
// must reach the same classes and state as the web layer's.
#include <string.h>
#include "builtins.h"
#include "core.h"

static const scratchfn_builtin *find(const char *name) {
  for (unsigned i = 0; i < scratchfn_builtins_count; i++) {
    if (!strcmp(scratchfn_builtins[i].name, name)) return &scratchfn_builtins[i];
  }
  return NULL;
}

JSValue builtins_load(JSContext *ctx, const char *name) {
  const scratchfn_builtin *found = find(name);
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

static JSValue js_load_builtin(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv, int magic,
                               JSValue *data) {
  (void)magic;
  JSValueConst loaded = data[0];
  const char *name = argc > 0 ? JS_ToCString(ctx, argv[0]) : NULL;
  if (!name) return JS_ThrowTypeError(ctx, "loadBuiltin: name must be a string");
  JSValue exports = JS_GetPropertyStr(ctx, loaded, name);
  if (JS_IsUndefined(exports)) {
    exports = builtins_load(ctx, name);
    if (!JS_IsException(exports) && JS_SetPropertyStr(ctx, loaded, name, JS_DupValue(ctx, exports)) < 0) {
      JS_FreeValue(ctx, exports);
      exports = JS_EXCEPTION;
    }
  }
  JS_FreeCString(ctx, name);
  return exports;
}

void builtins_init(JSContext *ctx, JSValueConst core) {
  // The exports already handed out, by name, held by the function itself (freed with it).
  JSValue loaded = JS_NewObjectProto(ctx, JS_NULL);
  JSValue fn = JS_NewCFunctionData(ctx, js_load_builtin, 1, 0, 1, &loaded);
  JS_FreeValue(ctx, loaded);
  JS_DefinePropertyValueStr(ctx, core, "loadBuiltin", fn, JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
}
