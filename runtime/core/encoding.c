// [encoding.c] UTF-8 and Latin-1 with WHATWG semantics, for TextEncoder/TextDecoder
// and atob/btoa. QuickJS's own conversions are close but not exact: it writes lone
// surrogates as 3-byte sequences and its decoder replaces invalid input differently.
#include "core.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

static JSValue js_utf8_encode(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  size_t len;
  const char *s = JS_ToCStringLen(ctx, &len, argv[0]);
  if (!s) return JS_EXCEPTION;
  JSValue ab = JS_NewArrayBufferCopy(ctx, (const uint8_t *)s, len);
  JS_FreeCString(ctx, s);
  if (JS_IsException(ab)) return ab;
  size_t size;
  uint8_t *data = JS_GetArrayBuffer(ctx, &size, ab);
  if (data) utf8_fix_surrogates(data, size);
  return ab;
}

static JSValue js_utf8_encode_into(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  js_bytes dest;
  if (JS_IsString(argv[1])) return JS_ThrowTypeError(ctx, "utf8EncodeInto: dest must be a Uint8Array");
  if (js_get_bytes(ctx, argv[1], &dest, "utf8EncodeInto's dest") < 0) return JS_EXCEPTION;
  size_t len;
  const char *s = JS_ToCStringLen(ctx, &len, argv[0]);
  if (!s) return JS_EXCEPTION;
  const uint8_t *src = (const uint8_t *)s;
  size_t read = 0, written = 0, i = 0;
  // Copy whole characters while they fit; a 4-byte one stands for two UTF-16 units.
  while (i < len) {
    uint8_t c = src[i];
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (written + n > dest.len) break;
    i += n;
    written += n;
    read += n == 4 ? 2 : 1;
  }
  uint8_t *out = (uint8_t *)dest.data;
  memcpy(out, src, written);
  utf8_fix_surrogates(out, written);
  JS_FreeCString(ctx, s);
  JSValue result = JS_NewArray(ctx);
  JS_SetPropertyUint32(ctx, result, 0, JS_NewInt64(ctx, (int64_t)read));
  JS_SetPropertyUint32(ctx, result, 1, JS_NewInt64(ctx, (int64_t)written));
  return result;
}

/* The Encoding standard's UTF-8 decoder. Well-formed sequences are copied through,
   each maximal ill-formed subpart becomes one U+FFFD. With out == NULL it only checks,
   returning false at the first error. */
static bool utf8_decode(const uint8_t *in, size_t len, uint8_t *out, size_t *out_len) {
  static const uint8_t fffd[3] = {0xEF, 0xBF, 0xBD};
  size_t o = 0, start = 0;
  int needed = 0, seen = 0;
  uint8_t lower = 0x80, upper = 0xBF;
  for (size_t i = 0; i < len; i++) {
    uint8_t b = in[i];
    if (needed == 0) {
      start = i;
      if (b <= 0x7F) {
        if (out) out[o++] = b;
        continue;
      }
      if (b >= 0xC2 && b <= 0xDF)
        needed = 1;
      else if (b >= 0xE0 && b <= 0xEF) {
        needed = 2;
        if (b == 0xE0) lower = 0xA0;
        if (b == 0xED) upper = 0x9F;
      } else if (b >= 0xF0 && b <= 0xF4) {
        needed = 3;
        if (b == 0xF0) lower = 0x90;
        if (b == 0xF4) upper = 0x8F;
      } else {
        if (!out) return false;
        memcpy(out + o, fffd, 3), o += 3;
      }
      continue;
    }
    if (b < lower || b > upper) {
      if (!out) return false;
      memcpy(out + o, fffd, 3), o += 3;
      needed = seen = 0;
      lower = 0x80, upper = 0xBF;
      i--; // the byte starts over as the first of a new sequence
      continue;
    }
    lower = 0x80, upper = 0xBF;
    if (++seen == needed) {
      if (out) memcpy(out + o, in + start, i + 1 - start), o += i + 1 - start;
      needed = seen = 0;
    }
  }
  if (needed) {
    if (!out) return false;
    memcpy(out + o, fffd, 3), o += 3;
  }
  if (out_len) *out_len = o;
  return true;
}

static JSValue js_utf8_decode(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  js_bytes b;
  if (JS_IsString(argv[0])) return JS_ThrowTypeError(ctx, "utf8Decode: data must be an ArrayBuffer or ArrayBufferView");
  if (js_get_bytes(ctx, argv[0], &b, "utf8Decode's data") < 0) return JS_EXCEPTION;
  bool fatal_errors = JS_ToBool(ctx, argv[1]), ignore_bom = JS_ToBool(ctx, argv[2]);
  const uint8_t *p = b.data;
  size_t len = b.len;
  if (!ignore_bom && len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) p += 3, len -= 3;
  if (utf8_decode(p, len, NULL, NULL)) return JS_NewStringLen(ctx, (const char *)p, len);
  if (fatal_errors) return JS_ThrowTypeError(ctx, "The encoded data was not valid UTF-8");
  uint8_t *fixed = malloc(len * 3 + 1);
  if (!fixed) return JS_ThrowOutOfMemory(ctx);
  size_t n;
  utf8_decode(p, len, fixed, &n);
  JSValue s = JS_NewStringLen(ctx, (const char *)fixed, n);
  free(fixed);
  return s;
}

static JSValue js_latin1_decode(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  js_bytes b;
  if (JS_IsString(argv[0]))
    return JS_ThrowTypeError(ctx, "latin1Decode: data must be an ArrayBuffer or ArrayBufferView");
  if (js_get_bytes(ctx, argv[0], &b, "latin1Decode's data") < 0) return JS_EXCEPTION;
  size_t high = 0;
  for (size_t i = 0; i < b.len; i++) high += b.data[i] >> 7;
  if (high == 0) return JS_NewStringLen(ctx, (const char *)b.data, b.len);
  // The engine builds strings from UTF-8 only, so bytes above 0x7F go through it.
  uint8_t *u = malloc(b.len + high);
  if (!u) return JS_ThrowOutOfMemory(ctx);
  size_t o = 0;
  for (size_t i = 0; i < b.len; i++) {
    uint8_t c = b.data[i];
    if (c < 0x80)
      u[o++] = c;
    else
      u[o++] = (uint8_t)(0xC0 | c >> 6), u[o++] = (uint8_t)(0x80 | (c & 0x3F));
  }
  JSValue s = JS_NewStringLen(ctx, (const char *)u, o);
  free(u);
  return s;
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("utf8Encode", 1, js_utf8_encode),
    JS_CFUNC_DEF("utf8EncodeInto", 2, js_utf8_encode_into),
    JS_CFUNC_DEF("utf8Decode", 3, js_utf8_decode),
    JS_CFUNC_DEF("latin1Decode", 1, js_latin1_decode),
};

void encoding_init(JSContext *ctx, JSValueConst core) {
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
