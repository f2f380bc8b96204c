// [headers.c] A header record ({ "Content-Type": "application/json" }, what Hono's c.json
// and most apps pass to new Response) made into the flat [name, value, ...] list of
// runtime/web/headers.ts in one call. The same steps in the interpreter cost about 3k
// instructions a key on QuickJS (a string-keyed read atomizes its key, each call is a frame);
// here a valid ASCII entry costs a few hundred. What is not plainly valid (a non-token or
// non-ASCII name, a value that is not an ASCII string, or one with edge whitespace or a
// control byte) goes to the JS normalizers passed in, so every message and every trim stays
// theirs. The steps keep the JS order: the keys first (as Object.keys lists them), then for
// each key its value read (getters run), its name checked, its value checked.
#include "core.h"
#include "http-parser.h"
#include "util.h"
#include <string.h>

static bool plain_name(const char *s, size_t n, bool *upper) {
  if (n == 0) return false;
  *upper = false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (!http_is_tchar(c)) return false;
    if (c >= 'A' && c <= 'Z') *upper = true;
  }
  return true;
}

static bool http_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* An ASCII value the JS normalizer would return unchanged: no edge whitespace, no NUL, CR or LF. */
static bool plain_value(const char *s, size_t n) {
  if (n > 0 && (http_space((unsigned char)s[0]) || http_space((unsigned char)s[n - 1]))) return false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == 0 || c == '\n' || c == '\r' || c >= 0x80) return false;
  }
  return true;
}

/* The key's header name: lower-cased here when it is a token, else what normalize gives. */
static JSValue record_name(JSContext *ctx, JSAtom atom, JSValueConst normalize) {
  JSValue key = JS_AtomToString(ctx, atom);
  if (JS_IsException(key)) return key;
  size_t n;
  const char *s = JS_ToCStringLen(ctx, &n, key);
  if (!s) {
    JS_FreeValue(ctx, key);
    return JS_EXCEPTION;
  }
  bool upper;
  JSValue name;
  if (!plain_name(s, n, &upper) || n > 256) {
    name = JS_Call(ctx, normalize, JS_UNDEFINED, 1, (JSValueConst *)&key);
  } else if (!upper) {
    name = JS_DupValue(ctx, key);
  } else {
    char lower[256];
    for (size_t i = 0; i < n; i++) lower[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    name = JS_NewStringLen(ctx, lower, n);
  }
  JS_FreeCString(ctx, s);
  JS_FreeValue(ctx, key);
  return name;
}

/* The value as the list holds it: a plain ASCII string as it is, anything else normalized in JS. */
static JSValue record_value(JSContext *ctx, JSValue value, JSValueConst normalize) {
  if (JS_IsString(value)) {
    size_t n;
    const char *s = JS_ToCStringLen(ctx, &n, value);
    if (!s) {
      JS_FreeValue(ctx, value);
      return JS_EXCEPTION;
    }
    bool plain = plain_value(s, n);
    JS_FreeCString(ctx, s);
    if (plain) return value;
  }
  JSValue v = JS_Call(ctx, normalize, JS_UNDEFINED, 1, (JSValueConst *)&value);
  JS_FreeValue(ctx, value);
  return v;
}

/* headerRecord(record, normalizeName, normalizeValue): the flat list, or undefined when the
   record is no ordinary object (the caller then reads it in JS). */
static JSValue js_header_record(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  JSValueConst record = argv[0];
  /* Anything but an ordinary object (a Proxy above all, whose traps would run in another
     order) takes the JS path. */
  if (!js_is_ordinary_object(record)) return JS_UNDEFINED;
  JSPropertyEnum *keys;
  uint32_t count;
  if (JS_GetOwnPropertyNames(ctx, &keys, &count, record, JS_GPN_STRING_MASK | JS_GPN_ENUM_ONLY) < 0)
    return JS_EXCEPTION;
  JSValue list = JS_NewArray(ctx);
  uint32_t at = 0;
  for (uint32_t i = 0; i < count && !JS_IsException(list); i++) {
    JSValue value = JS_GetProperty(ctx, record, keys[i].atom);
    if (JS_IsException(value)) goto fail;
    JSValue name = record_name(ctx, keys[i].atom, argv[1]);
    if (JS_IsException(name)) {
      JS_FreeValue(ctx, value);
      goto fail;
    }
    value = record_value(ctx, value, argv[2]); /* takes the value read */
    if (JS_IsException(value)) {
      JS_FreeValue(ctx, name);
      goto fail;
    }
    /* JS_SetPropertyUint32 takes its value, set or not */
    if (JS_SetPropertyUint32(ctx, list, at++, name) < 0) {
      JS_FreeValue(ctx, value);
      goto fail;
    }
    if (JS_SetPropertyUint32(ctx, list, at++, value) < 0) goto fail;
    continue;
  fail:
    JS_FreeValue(ctx, list);
    list = JS_EXCEPTION;
  }
  for (uint32_t i = 0; i < count; i++) JS_FreeAtom(ctx, keys[i].atom);
  js_free(ctx, keys);
  return list;
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("headerRecord", 3, js_header_record),
};

void headers_init(JSContext *ctx, JSValueConst core) {
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
