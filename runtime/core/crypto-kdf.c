// [crypto-kdf.c] Key derivation: HKDF (RFC 5869), PBKDF2 with HMAC (RFC 8018), and scrypt
// (RFC 7914), which mbedTLS lacks: its PBKDF2-HMAC-SHA256 steps are mbedTLS's, its
// memory-hard mix (ROMix over Salsa20/8) is here. In JS on the engine it ran about 200
// times slower than Node (25 s for Node's default cost), so it is C.
#include "core.h"
#include "crypto.h"
#include "util.h"
#include "mbedtls/hkdf.h"
#include "mbedtls/pkcs5.h"
#include "mbedtls/platform_util.h"
#include <stdlib.h>
#include <string.h>

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

#define ROTL(a, b) (((a) << (b)) | ((a) >> (32 - (b))))

/* Salsa20/8's core on one 64-byte block, in place. */
static void salsa20_8(uint32_t b[16]) {
  uint32_t x[16];
  memcpy(x, b, sizeof x);
  for (int i = 0; i < 8; i += 2) {
    x[4] ^= ROTL(x[0] + x[12], 7), x[8] ^= ROTL(x[4] + x[0], 9), x[12] ^= ROTL(x[8] + x[4], 13), x[0] ^= ROTL(x[12] + x[8], 18);
    x[9] ^= ROTL(x[5] + x[1], 7), x[13] ^= ROTL(x[9] + x[5], 9), x[1] ^= ROTL(x[13] + x[9], 13), x[5] ^= ROTL(x[1] + x[13], 18);
    x[14] ^= ROTL(x[10] + x[6], 7), x[2] ^= ROTL(x[14] + x[10], 9), x[6] ^= ROTL(x[2] + x[14], 13), x[10] ^= ROTL(x[6] + x[2], 18);
    x[3] ^= ROTL(x[15] + x[11], 7), x[7] ^= ROTL(x[3] + x[15], 9), x[11] ^= ROTL(x[7] + x[3], 13), x[15] ^= ROTL(x[11] + x[7], 18);
    x[1] ^= ROTL(x[0] + x[3], 7), x[2] ^= ROTL(x[1] + x[0], 9), x[3] ^= ROTL(x[2] + x[1], 13), x[0] ^= ROTL(x[3] + x[2], 18);
    x[6] ^= ROTL(x[5] + x[4], 7), x[7] ^= ROTL(x[6] + x[5], 9), x[4] ^= ROTL(x[7] + x[6], 13), x[5] ^= ROTL(x[4] + x[7], 18);
    x[11] ^= ROTL(x[10] + x[9], 7), x[8] ^= ROTL(x[11] + x[10], 9), x[9] ^= ROTL(x[8] + x[11], 13), x[10] ^= ROTL(x[9] + x[8], 18);
    x[12] ^= ROTL(x[15] + x[14], 7), x[13] ^= ROTL(x[12] + x[15], 9), x[14] ^= ROTL(x[13] + x[12], 13), x[15] ^= ROTL(x[14] + x[13], 18);
  }
  for (int i = 0; i < 16; i++) b[i] += x[i];
}

/* BlockMix: in (2r blocks of 16 words) to out, even blocks first, then odd. */
static void block_mix(const uint32_t *in, uint32_t *out, size_t r) {
  uint32_t t[16];
  memcpy(t, in + (2 * r - 1) * 16, sizeof t);
  for (size_t i = 0; i < 2 * r; i++) {
    for (int k = 0; k < 16; k++) t[k] ^= in[i * 16 + k];
    salsa20_8(t);
    memcpy(out + ((i & 1) * r + i / 2) * 16, t, sizeof t);
  }
}

static uint32_t le32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ROMix on one block of 128 * r bytes, in place; v holds N * 32r words, x and y 32r each. */
static void romix(uint8_t *block, size_t n, size_t r, uint32_t *v, uint32_t *x, uint32_t *y) {
  size_t words = 32 * r;
  for (size_t k = 0; k < words; k++) x[k] = le32(block + 4 * k);
  for (size_t i = 0; i < n; i++) {
    memcpy(v + i * words, x, words * 4);
    block_mix(x, y, r);
    uint32_t *t = x;
    x = y, y = t;
  }
  for (size_t i = 0; i < n; i++) {
    const uint32_t *vj = v + (x[words - 16] & (n - 1)) * words;
    for (size_t k = 0; k < words; k++) x[k] ^= vj[k];
    block_mix(x, y, r);
    uint32_t *t = x;
    x = y, y = t;
  }
  for (size_t k = 0; k < words; k++)
    block[4 * k] = (uint8_t)x[k], block[4 * k + 1] = (uint8_t)(x[k] >> 8), block[4 * k + 2] = (uint8_t)(x[k] >> 16),
                 block[4 * k + 3] = (uint8_t)(x[k] >> 24);
}

/* scrypt(password, salt, N, r, p, bytes) -> ArrayBuffer. N is a power of two above 1; the
   caller (node:crypto) has checked N, r and p against its memory limit. */
static JSValue js_scrypt(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  crypto_bytes password, salt;
  size_t n, r, p, len;
  if (crypto_get_bytes(ctx, argv[0], &password, "password") < 0 || crypto_get_bytes(ctx, argv[1], &salt, "salt") < 0 ||
      crypto_get_size(ctx, argv[2], (size_t)1 << 40, &n, "N") < 0 ||
      crypto_get_size(ctx, argv[3], (size_t)1 << 30, &r, "r") < 0 ||
      crypto_get_size(ctx, argv[4], (size_t)1 << 30, &p, "p") < 0 || crypto_get_size(ctx, argv[5], UINT32_MAX, &len, "bytes") < 0)
    return JS_EXCEPTION;
  if (n < 2 || (n & (n - 1)) || r == 0 || p == 0 || (uint64_t)r * p >= (1u << 30))
    return JS_ThrowTypeError(ctx, "scrypt: N must be a power of two above 1, r and p at least 1, r * p below 2^30");
  size_t block = 128 * r;
  if (n > SIZE_MAX / block / 2) return JS_ThrowRangeError(ctx, "scrypt: N * r is too large");
  uint8_t *b = malloc(block * p);
  uint32_t *v = malloc(block * n), *xy = malloc(2 * block);
  uint8_t *out_data;
  JSValue out = (b && v && xy) ? crypto_new_buffer(ctx, len, &out_data) : JS_ThrowOutOfMemory(ctx);
  int ret = 0;
  if (!JS_IsException(out)) {
    ret = mbedtls_pkcs5_pbkdf2_hmac_ext(MBEDTLS_MD_SHA256, password.data, password.len, salt.data, salt.len, 1,
                                        (uint32_t)(block * p), b);
    for (size_t i = 0; ret == 0 && i < p; i++) romix(b + i * block, n, r, v, xy, xy + 32 * r);
    if (ret == 0 && len > 0)
      ret = mbedtls_pkcs5_pbkdf2_hmac_ext(MBEDTLS_MD_SHA256, password.data, password.len, b, block * p, 1,
                                          (uint32_t)len, out_data);
  }
  if (b) mbedtls_platform_zeroize(b, block * p);
  if (v) mbedtls_platform_zeroize(v, block * n);
  if (xy) mbedtls_platform_zeroize(xy, 2 * block);
  free(b);
  free(v);
  free(xy);
  if (!JS_IsException(out) && ret != 0) {
    JS_FreeValue(ctx, out);
    return crypto_throw_operation(ctx, "scrypt failed", ret);
  }
  return out;
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("hkdf", 5, js_hkdf),
    JS_CFUNC_DEF("pbkdf2", 5, js_pbkdf2),
    JS_CFUNC_DEF("scrypt", 6, js_scrypt),
};

void crypto_kdf_init(JSContext *ctx, JSValueConst core) {
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
