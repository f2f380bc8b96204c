#include "util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *errno_code(int err) {
  switch (err) {
  case ECONNREFUSED: return "ECONNREFUSED";
  case ECONNRESET: return "ECONNRESET";
  case ECONNABORTED: return "ECONNABORTED";
  case EPIPE: return "EPIPE";
  case ETIMEDOUT: return "ETIMEDOUT";
  case EHOSTUNREACH: return "EHOSTUNREACH";
  case ENETUNREACH: return "ENETUNREACH";
  case ENETDOWN: return "ENETDOWN";
  case EADDRINUSE: return "EADDRINUSE";
  case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
  case EAFNOSUPPORT: return "EAFNOSUPPORT";
  case EACCES: return "EACCES";
  case EPERM: return "EPERM";
  case ENOENT: return "ENOENT";
  case EMFILE: return "EMFILE";
  case ENFILE: return "ENFILE";
  case EAGAIN: return "EAGAIN";
  case EINVAL: return "EINVAL";
  case EBADF: return "EBADF";
  case ENOTCONN: return "ENOTCONN";
  case ENOBUFS: return "ENOBUFS";
  case ENOMEM: return "ENOMEM";
  case EIO: return "EIO";
  default: return "EUNKNOWN";
  }
}

JSValue js_code_error(JSContext *ctx, const char *code, const char *message) {
  JSValue err = JS_NewError(ctx);
  JS_DefinePropertyValueStr(ctx, err, "message", JS_NewString(ctx, message), JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
  JS_DefinePropertyValueStr(ctx, err, "code", JS_NewString(ctx, code), JS_PROP_C_W_E);
  return err;
}

JSValue js_errno_error(JSContext *ctx, int err, const char *syscall) {
  char msg[256];
  snprintf(msg, sizeof msg, "%s %s: %s", syscall, errno_code(err), strerror(err));
  JSValue e = js_code_error(ctx, errno_code(err), msg);
  JS_DefinePropertyValueStr(ctx, e, "errno", JS_NewInt32(ctx, -err), JS_PROP_C_W_E);
  JS_DefinePropertyValueStr(ctx, e, "syscall", JS_NewString(ctx, syscall), JS_PROP_C_W_E);
  return e;
}

/* The engine's class ids for these objects are not in its header: they are read once
   from sample objects made through its C API (no script to compile at start). */
static JSClassID array_buffer_class, data_view_class;
static JSClassID typed_array_classes[16];
static int ntyped;

void util_init(JSContext *ctx) {
  static const uint8_t byte[1] = {0};
  JSValue buffer = JS_NewArrayBufferCopy(ctx, byte, 1);
  if (JS_IsException(buffer)) fatal("cannot probe the engine's array classes");
  array_buffer_class = JS_GetClassID(buffer);
  JSValue global = JS_GetGlobalObject(ctx);
  JSValue ctor = JS_GetPropertyStr(ctx, global, "DataView");
  JSValue view = JS_CallConstructor(ctx, ctor, 1, (JSValueConst *)&buffer);
  if (JS_IsException(view)) fatal("cannot probe the engine's array classes");
  data_view_class = JS_GetClassID(view);
  JS_FreeValue(ctx, view);
  JS_FreeValue(ctx, ctor);
  JS_FreeValue(ctx, global);
  JSValue one = JS_NewInt32(ctx, 1);
  for (int t = JS_TYPED_ARRAY_UINT8C; t <= JS_TYPED_ARRAY_FLOAT64 && ntyped < (int)countof(typed_array_classes); t++) {
    JSValue a = JS_NewTypedArray(ctx, 1, (JSValueConst *)&one, (JSTypedArrayEnum)t);
    if (JS_IsException(a)) fatal("cannot probe the engine's array classes");
    typed_array_classes[ntyped++] = JS_GetClassID(a);
    JS_FreeValue(ctx, a);
  }
  JS_FreeValue(ctx, buffer);
}

bool js_is_ordinary_object(JSValueConst v) {
  enum { ENGINE_CLASS_OBJECT = 1 }; /* quickjs.c's JS_CLASS_OBJECT, first after its unused 0 */
  return JS_IsObject(v) && JS_GetClassID(v) == ENGINE_CLASS_OBJECT;
}

bool js_is_uint8_array(JSValueConst v) {
  /* util_init probes the kinds in JSTypedArrayEnum order, from JS_TYPED_ARRAY_UINT8C */
  return ntyped > JS_TYPED_ARRAY_UINT8 &&
         JS_GetClassID(v) == typed_array_classes[JS_TYPED_ARRAY_UINT8 - JS_TYPED_ARRAY_UINT8C];
}

static bool is_typed_array(JSValueConst v) {
  for (int i = 0; i < ntyped; i++)
    if (JS_GetOpaque(v, typed_array_classes[i])) return true;
  return false;
}

static int view_bytes(JSContext *ctx, JSValueConst v, js_bytes *out) {
  size_t offset = 0, length = 0, size;
  JSValue buffer;
  if (is_typed_array(v)) {
    buffer = JS_GetTypedArrayBuffer(ctx, v, &offset, &length, NULL);
  } else {
    int64_t o = 0, l = 0;
    JSValue vo = JS_GetPropertyStr(ctx, v, "byteOffset"), vl = JS_GetPropertyStr(ctx, v, "byteLength");
    int bad = JS_ToInt64(ctx, &o, vo) | JS_ToInt64(ctx, &l, vl);
    JS_FreeValue(ctx, vo);
    JS_FreeValue(ctx, vl);
    if (bad) return -1;
    offset = (size_t)o;
    length = (size_t)l;
    buffer = JS_GetPropertyStr(ctx, v, "buffer");
  }
  if (JS_IsException(buffer)) return -1;
  uint8_t *data = JS_GetArrayBuffer(ctx, &size, buffer);
  JS_FreeValue(ctx, buffer);
  if (!data) return -1; /* detached: the engine threw */
  if (offset + length > size) {
    JS_ThrowTypeError(ctx, "view is out of its buffer's bounds");
    return -1;
  }
  out->data = data + offset;
  out->len = length;
  return 0;
}

int js_get_bytes(JSContext *ctx, JSValueConst v, js_bytes *out, const char *what) {
  out->cstr = NULL;
  if (JS_IsString(v)) {
    size_t len;
    const char *s = JS_ToCStringLen(ctx, &len, v);
    if (!s) return -1;
    // A copy was made only for non-ASCII text, and only it can hold a lone surrogate.
    if (len > 0) utf8_fix_surrogates((uint8_t *)s, len);
    out->cstr = s;
    out->data = (const uint8_t *)s;
    out->len = len;
    return 0;
  }
  if (JS_GetOpaque(v, array_buffer_class)) {
    size_t size;
    uint8_t *data = JS_GetArrayBuffer(ctx, &size, v);
    if (!data) return -1;
    out->data = data;
    out->len = size;
    return 0;
  }
  if (is_typed_array(v) || JS_GetOpaque(v, data_view_class)) return view_bytes(ctx, v, out);
  JS_ThrowTypeError(ctx, "%s must be a string, ArrayBuffer or ArrayBufferView", what);
  return -1;
}

void js_bytes_free(JSContext *ctx, js_bytes *b) {
  if (b->cstr) JS_FreeCString(ctx, b->cstr);
  b->cstr = NULL;
}

void utf8_fix_surrogates(uint8_t *s, size_t n) {
  uint8_t *end = s + n, *p = s;
  while ((p = memchr(p, 0xED, (size_t)(end - p))) != NULL && end - p >= 3) {
    if (p[1] >= 0xA0) {
      p[0] = 0xEF;
      p[1] = 0xBF;
      p[2] = 0xBD;
    }
    p += 3;
  }
}

int js_get_id(JSContext *ctx, JSValueConst v, uint64_t *id) {
  double d;
  if (!JS_IsNumber(v) || JS_ToFloat64(ctx, &d, v) < 0 || !(d >= 0 && d <= 9007199254740991.0)) {
    JS_ThrowTypeError(ctx, "id must be a non-negative integer");
    return -1;
  }
  *id = (uint64_t)d;
  return 0;
}

int js_check_function(JSContext *ctx, JSValueConst v, const char *what) {
  if (JS_IsFunction(ctx, v)) return 0;
  JS_ThrowTypeError(ctx, "%s must be a function", what);
  return -1;
}

int js_get_string_option(JSContext *ctx, JSValueConst options, const char *key, char *out, size_t size, bool *found) {
  *found = false;
  if (!JS_IsObject(options)) {
    JS_ThrowTypeError(ctx, "options must be an object");
    return -1;
  }
  JSValue v = JS_GetPropertyStr(ctx, options, key);
  if (JS_IsException(v)) return -1;
  if (JS_IsUndefined(v)) return 0;
  size_t len;
  const char *s = JS_IsString(v) ? JS_ToCStringLen(ctx, &len, v) : NULL;
  JS_FreeValue(ctx, v);
  if (!s || len >= size) {
    if (s) JS_FreeCString(ctx, s);
    JS_ThrowTypeError(ctx, "options.%s must be a string of at most %zu bytes", key, size - 1);
    return -1;
  }
  memcpy(out, s, len + 1);
  JS_FreeCString(ctx, s);
  *found = true;
  return 0;
}
