// [crypto-digest.c] SHA-1/256/384/512 digests and HMAC (mbedTLS md), for
// crypto.subtle.digest and HMAC keys, and a constant-time comparison for verify.
#include "core.h"
#include "crypto.h"
#include "util.h"
#include "mbedtls/constant_time.h"

static JSValue js_digest(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  mbedtls_md_type_t md;
  crypto_bytes data;
  if (crypto_get_md(ctx, argv[0], &md) < 0 || crypto_get_bytes(ctx, argv[1], &data, "digest's data") < 0)
    return JS_EXCEPTION;
  const mbedtls_md_info_t *info = mbedtls_md_info_from_type(md);
  unsigned char out[MBEDTLS_MD_MAX_SIZE];
  int ret = mbedtls_md(info, data.data, data.len, out);
  if (ret != 0) return crypto_throw_operation(ctx, "digest failed", ret);
  return crypto_buffer(ctx, out, mbedtls_md_get_size(info));
}

static JSValue js_hmac(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  mbedtls_md_type_t md;
  crypto_bytes key, data;
  if (crypto_get_md(ctx, argv[0], &md) < 0 || crypto_get_bytes(ctx, argv[1], &key, "hmac's key") < 0 ||
      crypto_get_bytes(ctx, argv[2], &data, "hmac's data") < 0)
    return JS_EXCEPTION;
  const mbedtls_md_info_t *info = mbedtls_md_info_from_type(md);
  unsigned char out[MBEDTLS_MD_MAX_SIZE];
  int ret = mbedtls_md_hmac(info, key.data, key.len, data.data, data.len, out);
  if (ret != 0) return crypto_throw_operation(ctx, "HMAC failed", ret);
  return crypto_buffer(ctx, out, mbedtls_md_get_size(info));
}

/* Whether a and b hold the same bytes, in time that depends on their lengths only. */
static JSValue js_timing_safe_equal(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  crypto_bytes a, b;
  if (crypto_get_bytes(ctx, argv[0], &a, "timingSafeEqual's a") < 0 ||
      crypto_get_bytes(ctx, argv[1], &b, "timingSafeEqual's b") < 0)
    return JS_EXCEPTION;
  return JS_NewBool(ctx, a.len == b.len && mbedtls_ct_memcmp(a.data, b.data, a.len) == 0);
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("digest", 2, js_digest),
    JS_CFUNC_DEF("hmac", 3, js_hmac),
    JS_CFUNC_DEF("timingSafeEqual", 2, js_timing_safe_equal),
};

void crypto_digest_init(JSContext *ctx, JSValueConst core) {
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
