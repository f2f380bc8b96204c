// [crypto-kdf.c] Key derivation: HKDF (RFC 5869) and PBKDF2 with HMAC (RFC 8018).
#include "core.h"
#include "crypto.h"
#include "util.h"
#include "mbedtls/hkdf.h"
#include "mbedtls/pkcs5.h"

/* hkdf(hash, key, salt, info, bytes) -> ArrayBuffer of `bytes` bytes (at most 255 hash lengths) */
static JSValue js_hkdf(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  mbedtls_md_type_t md;
  crypto_bytes key, salt, info;
  size_t len;
  if (crypto_get_md(ctx, argv[0], &md) < 0 || crypto_get_bytes(ctx, argv[1], &key, "key") < 0 ||
      crypto_get_bytes(ctx, argv[2], &salt, "salt") < 0 || crypto_get_bytes(ctx, argv[3], &info, "info") < 0 ||
      crypto_get_size(ctx, argv[4], UINT32_MAX, &len, "bytes") < 0)
    return JS_EXCEPTION;
  const mbedtls_md_info_t *md_info = mbedtls_md_info_from_type(md);
  if (len > 255 * (size_t)mbedtls_md_get_size(md_info))
    return crypto_throw_operation(ctx, "HKDF output is at most 255 hash lengths", 0);
  uint8_t *out_data;
  JSValue out = crypto_new_buffer(ctx, len, &out_data);
  if (JS_IsException(out) || len == 0) return out;
  int ret = mbedtls_hkdf(md_info, salt.data, salt.len, key.data, key.len, info.data, info.len, out_data, len);
  if (ret != 0) {
    JS_FreeValue(ctx, out);
    return crypto_throw_operation(ctx, "HKDF failed", ret);
  }
  return out;
}

/* pbkdf2(hash, password, salt, iterations, bytes) -> ArrayBuffer of `bytes` bytes */
static JSValue js_pbkdf2(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  mbedtls_md_type_t md;
  crypto_bytes password, salt;
  size_t iterations, len;
  if (crypto_get_md(ctx, argv[0], &md) < 0 || crypto_get_bytes(ctx, argv[1], &password, "password") < 0 ||
      crypto_get_bytes(ctx, argv[2], &salt, "salt") < 0 ||
      crypto_get_size(ctx, argv[3], UINT32_MAX, &iterations, "iterations") < 0 ||
      crypto_get_size(ctx, argv[4], UINT32_MAX, &len, "bytes") < 0)
    return JS_EXCEPTION;
  if (iterations == 0) return JS_ThrowTypeError(ctx, "pbkdf2: iterations must be at least 1");
  uint8_t *out_data;
  JSValue out = crypto_new_buffer(ctx, len, &out_data);
  if (JS_IsException(out) || len == 0) return out;
  int ret = mbedtls_pkcs5_pbkdf2_hmac_ext(md, password.data, password.len, salt.data, salt.len, (unsigned)iterations,
                                          (uint32_t)len, out_data);
  if (ret != 0) {
    JS_FreeValue(ctx, out);
    return crypto_throw_operation(ctx, "PBKDF2 failed", ret);
  }
  return out;
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("hkdf", 5, js_hkdf),
    JS_CFUNC_DEF("pbkdf2", 5, js_pbkdf2),
};

void crypto_kdf_init(JSContext *ctx, JSValueConst core) {
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
