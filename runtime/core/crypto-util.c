// Helpers of the crypto-*.c modules (see crypto.h): arguments, results and errors.
#include "crypto.h"
#include "util.h"
#include <stdio.h>
#include <string.h>

int crypto_get_md(JSContext *ctx, JSValueConst name, mbedtls_md_type_t *md) {
  static const struct {
    const char *name;
    mbedtls_md_type_t md;
  } names[] = {{"SHA-1", MBEDTLS_MD_SHA1},     {"SHA-256", MBEDTLS_MD_SHA256},
               // Not Web Crypto's; node:crypto's createHash, HMAC, KDFs and signatures take them.
               {"SHA-224", MBEDTLS_MD_SHA224}, {"MD5", MBEDTLS_MD_MD5},
               {"SHA-384", MBEDTLS_MD_SHA384},
               {"SHA-512", MBEDTLS_MD_SHA512}};
  const char *s = JS_IsString(name) ? JS_ToCString(ctx, name) : NULL;
  if (s) {
    for (size_t i = 0; i < countof(names); i++) {
      if (!strcmp(s, names[i].name)) {
        *md = names[i].md;
        JS_FreeCString(ctx, s);
        return 0;
      }
    }
    JS_FreeCString(ctx, s);
  }
  JS_ThrowTypeError(ctx, "hash must be 'SHA-1', 'SHA-224', 'SHA-256', 'SHA-384', 'SHA-512' or 'MD5'");
  return -1;
}

int crypto_get_bytes(JSContext *ctx, JSValueConst v, crypto_bytes *out, const char *what) {
  if (JS_IsString(v)) {
    JS_ThrowTypeError(ctx, "%s must be an ArrayBuffer or ArrayBufferView", what);
    return -1;
  }
  js_bytes b;
  if (js_get_bytes(ctx, v, &b, what) < 0) return -1;
  out->data = b.data;
  out->len = b.len;
  return 0;
}

int crypto_get_optional_bytes(JSContext *ctx, JSValueConst v, crypto_bytes *out, const char *what) {
  if (JS_IsUndefined(v)) {
    out->data = (const uint8_t *)"";
    out->len = 0;
    return 0;
  }
  return crypto_get_bytes(ctx, v, out, what);
}

int crypto_get_size(JSContext *ctx, JSValueConst v, size_t max, size_t *out, const char *what) {
  double d;
  if (!JS_IsNumber(v) || JS_ToFloat64(ctx, &d, v) < 0 || !(d >= 0 && d <= (double)max) || d != (double)(size_t)d) {
    JS_ThrowTypeError(ctx, "%s must be an integer from 0 to %zu", what, max);
    return -1;
  }
  *out = (size_t)d;
  return 0;
}

JSValue crypto_buffer(JSContext *ctx, const uint8_t *data, size_t len) {
  return JS_NewArrayBufferCopy(ctx, data, len);
}

JSValue crypto_new_buffer(JSContext *ctx, size_t len, uint8_t **data) {
  JSValue ab = JS_NewArrayBufferCopy(ctx, NULL, len);
  if (JS_IsException(ab)) return ab;
  size_t size;
  *data = JS_GetArrayBuffer(ctx, &size, ab);
  return ab;
}

static JSValue throw_coded(JSContext *ctx, const char *code, const char *what, int ret) {
  char message[256];
  if (ret)
    snprintf(message, sizeof message, "%s (mbedTLS error -0x%04X)", what, (unsigned)-ret);
  else
    snprintf(message, sizeof message, "%s", what);
  return JS_Throw(ctx, js_code_error(ctx, code, message));
}

JSValue crypto_throw_operation(JSContext *ctx, const char *what, int ret) {
  return throw_coded(ctx, "ERR_CRYPTO_OPERATION", what, ret);
}

JSValue crypto_throw_invalid_key(JSContext *ctx, const char *what, int ret) {
  return throw_coded(ctx, "ERR_CRYPTO_INVALID_KEY", what, ret);
}
