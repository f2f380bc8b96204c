// [crypto-rsa.c] RSA keys (generated, or from JWK components) and the three Web Crypto
// RSA schemes: RSASSA-PKCS1-v1_5 and RSA-PSS signatures, RSA-OAEP encryption. The hash
// names the message digest and, for PSS and OAEP, MGF1's too, as Web Crypto has it.
#include "core.h"
#include "crypto.h"
#include "util.h"
#include "mbedtls/rsa.h"
#include <stdlib.h>
#include <string.h>

/* rsaGenerate(modulusLength, publicExponent) -> private key */
static JSValue js_rsa_generate(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  size_t bits, exponent;
  if (crypto_get_size(ctx, argv[0], MBEDTLS_MPI_MAX_BITS, &bits, "modulusLength") < 0 ||
      crypto_get_size(ctx, argv[1], UINT32_MAX, &exponent, "publicExponent") < 0)
    return JS_EXCEPTION;
  // mbedtls_rsa_gen_key would search forever for primes that suit an even exponent.
  if (exponent < 3 || exponent % 2 == 0)
    return crypto_throw_operation(ctx, "an RSA public exponent is odd and at least 3", 0);
  crypto_key *key = crypto_key_alloc(MBEDTLS_PK_RSA, true);
  if (!key) return JS_ThrowOutOfMemory(ctx);
  int ret = mbedtls_rsa_gen_key(mbedtls_pk_rsa(key->pk), crypto_random, NULL, (unsigned)bits, (int)exponent);
  if (ret != 0) {
    crypto_key_free(key);
    return crypto_throw_operation(ctx, "RSA key generation failed", ret);
  }
  return crypto_key_new(ctx, key);
}

/* rsaImport(n, e[, d, p, q, dp, dq, qi]) -> key. mbedTLS derives dp, dq and qi from p, q and d, so the
   ones given are required but not used (as in Node, which does not check them either). */
static JSValue js_rsa_import(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  static const char *names[8] = {"n", "e", "d", "p", "q", "dp", "dq", "qi"};
  crypto_bytes c[8] = {0};
  bool is_private = argc > 2 && !JS_IsUndefined(argv[2]);
  int count = is_private ? 8 : 2;
  if (argc < count) return JS_ThrowTypeError(ctx, "rsaImport: a private key needs n, e, d, p, q, dp, dq and qi");
  for (int i = 0; i < count; i++)
    if (crypto_get_bytes(ctx, argv[i], &c[i], names[i]) < 0) return JS_EXCEPTION;
  crypto_key *key = crypto_key_alloc(MBEDTLS_PK_RSA, is_private);
  if (!key) return JS_ThrowOutOfMemory(ctx);
  mbedtls_rsa_context *rsa = mbedtls_pk_rsa(key->pk);
  int ret = is_private
                ? mbedtls_rsa_import_raw(rsa, c[0].data, c[0].len, c[3].data, c[3].len, c[4].data, c[4].len, c[2].data,
                                         c[2].len, c[1].data, c[1].len)
                : mbedtls_rsa_import_raw(rsa, c[0].data, c[0].len, NULL, 0, NULL, 0, NULL, 0, c[1].data, c[1].len);
  if (ret == 0) ret = mbedtls_rsa_complete(rsa);
  if (ret == 0) ret = is_private ? mbedtls_rsa_check_privkey(rsa) : mbedtls_rsa_check_pubkey(rsa);
  if (ret != 0) {
    crypto_key_free(key);
    return crypto_throw_invalid_key(ctx, "invalid RSA key", ret);
  }
  return crypto_key_new(ctx, key);
}

/* The digest of data under md, into out (MBEDTLS_MD_MAX_SIZE bytes); its size, or 0 after an exception. */
static size_t hash_of(JSContext *ctx, mbedtls_md_type_t md, const crypto_bytes *data, unsigned char *out) {
  const mbedtls_md_info_t *info = mbedtls_md_info_from_type(md);
  int ret = mbedtls_md(info, data->data, data->len, out);
  if (ret != 0) {
    crypto_throw_operation(ctx, "digest failed", ret);
    return 0;
  }
  return mbedtls_md_get_size(info);
}

/* saltLength -1 is PKCS#1 v1.5, else PSS with that salt length; in a verify, -2 is PSS with
   any salt length (node:crypto's RSA_PSS_SALTLEN_AUTO). */
static int get_scheme(JSContext *ctx, JSValueConst v, int *salt) {
  int32_t n;
  if (!JS_IsNumber(v) || JS_ToInt32(ctx, &n, v) < 0) {
    JS_ThrowTypeError(ctx, "saltLength must be a number (-1 for PKCS#1 v1.5)");
    return -1;
  }
  *salt = n;
  return 0;
}

/* rsaSign(key, hash, saltLength, data) -> signature */
static JSValue js_rsa_sign(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  crypto_key *key = crypto_key_get(ctx, argv[0], MBEDTLS_PK_RSA);
  mbedtls_md_type_t md;
  int salt;
  crypto_bytes data;
  if (!key || crypto_get_md(ctx, argv[1], &md) < 0 || get_scheme(ctx, argv[2], &salt) < 0 ||
      crypto_get_bytes(ctx, argv[3], &data, "data") < 0)
    return JS_EXCEPTION;
  if (!key->is_private) return JS_ThrowTypeError(ctx, "rsaSign needs a private key");
  unsigned char hash[MBEDTLS_MD_MAX_SIZE];
  size_t hlen = hash_of(ctx, md, &data, hash);
  if (!hlen) return JS_EXCEPTION;
  mbedtls_rsa_context *rsa = mbedtls_pk_rsa(key->pk);
  uint8_t *sig;
  JSValue out = crypto_new_buffer(ctx, mbedtls_rsa_get_len(rsa), &sig);
  if (JS_IsException(out)) return out;
  int ret = salt < 0 ? mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE)
                     : mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, md);
  if (salt < -1) ret = MBEDTLS_ERR_RSA_BAD_INPUT_DATA;
  if (ret == 0)
    ret = salt < 0 ? mbedtls_rsa_rsassa_pkcs1_v15_sign(rsa, crypto_random, NULL, md, (unsigned)hlen, hash, sig)
                   : mbedtls_rsa_rsassa_pss_sign_ext(rsa, crypto_random, NULL, md, (unsigned)hlen, hash, salt, sig);
  if (ret != 0) {
    JS_FreeValue(ctx, out);
    return crypto_throw_operation(ctx, "RSA signing failed", ret);
  }
  return out;
}

/* rsaVerify(key, hash, saltLength, signature, data) -> boolean; saltLength -2 takes any salt. */
static JSValue js_rsa_verify(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  crypto_key *key = crypto_key_get(ctx, argv[0], MBEDTLS_PK_RSA);
  mbedtls_md_type_t md;
  int salt;
  crypto_bytes sig, data;
  if (!key || crypto_get_md(ctx, argv[1], &md) < 0 || get_scheme(ctx, argv[2], &salt) < 0 ||
      crypto_get_bytes(ctx, argv[3], &sig, "signature") < 0 || crypto_get_bytes(ctx, argv[4], &data, "data") < 0)
    return JS_EXCEPTION;
  mbedtls_rsa_context *rsa = mbedtls_pk_rsa(key->pk);
  if (sig.len != mbedtls_rsa_get_len(rsa)) return JS_FALSE;
  unsigned char hash[MBEDTLS_MD_MAX_SIZE];
  size_t hlen = hash_of(ctx, md, &data, hash);
  if (!hlen) return JS_EXCEPTION;
  int ret = salt == -1 ? mbedtls_rsa_rsassa_pkcs1_v15_verify(rsa, md, (unsigned)hlen, hash, sig.data)
                       : mbedtls_rsa_rsassa_pss_verify_ext(rsa, md, (unsigned)hlen, hash, md,
                                                           salt == -2 ? MBEDTLS_RSA_SALT_LEN_ANY : salt, sig.data);
  return JS_NewBool(ctx, ret == 0);
}

/* rsaEncrypt(key, hash, label, data) -> ciphertext (OAEP) */
static JSValue js_rsa_encrypt(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  crypto_key *key = crypto_key_get(ctx, argv[0], MBEDTLS_PK_RSA);
  mbedtls_md_type_t md;
  crypto_bytes label, data;
  if (!key || crypto_get_md(ctx, argv[1], &md) < 0 || crypto_get_optional_bytes(ctx, argv[2], &label, "label") < 0 ||
      crypto_get_bytes(ctx, argv[3], &data, "data") < 0)
    return JS_EXCEPTION;
  mbedtls_rsa_context *rsa = mbedtls_pk_rsa(key->pk);
  uint8_t *out_data;
  JSValue out = crypto_new_buffer(ctx, mbedtls_rsa_get_len(rsa), &out_data);
  if (JS_IsException(out)) return out;
  int ret = mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, md);
  if (ret == 0)
    ret =
        mbedtls_rsa_rsaes_oaep_encrypt(rsa, crypto_random, NULL, label.data, label.len, data.len, data.data, out_data);
  if (ret != 0) {
    JS_FreeValue(ctx, out);
    return crypto_throw_operation(ctx, "RSA-OAEP encryption failed", ret);
  }
  return out;
}

/* rsaDecrypt(key, hash, label, data) -> plaintext (OAEP) */
static JSValue js_rsa_decrypt(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  crypto_key *key = crypto_key_get(ctx, argv[0], MBEDTLS_PK_RSA);
  mbedtls_md_type_t md;
  crypto_bytes label, data;
  if (!key || crypto_get_md(ctx, argv[1], &md) < 0 || crypto_get_optional_bytes(ctx, argv[2], &label, "label") < 0 ||
      crypto_get_bytes(ctx, argv[3], &data, "data") < 0)
    return JS_EXCEPTION;
  if (!key->is_private) return JS_ThrowTypeError(ctx, "rsaDecrypt needs a private key");
  mbedtls_rsa_context *rsa = mbedtls_pk_rsa(key->pk);
  size_t len = mbedtls_rsa_get_len(rsa), olen = 0;
  if (data.len != len) return crypto_throw_operation(ctx, "RSA-OAEP ciphertext has the wrong length", 0);
  unsigned char *plain = malloc(len);
  if (!plain) return JS_ThrowOutOfMemory(ctx);
  int ret = mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, md);
  if (ret == 0)
    ret = mbedtls_rsa_rsaes_oaep_decrypt(rsa, crypto_random, NULL, label.data, label.len, &olen, data.data, plain, len);
  JSValue out =
      ret != 0 ? crypto_throw_operation(ctx, "RSA-OAEP decryption failed", ret) : crypto_buffer(ctx, plain, olen);
  memset(plain, 0, len);
  free(plain);
  return out;
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("rsaGenerate", 2, js_rsa_generate), JS_CFUNC_DEF("rsaImport", 8, js_rsa_import),
    JS_CFUNC_DEF("rsaSign", 4, js_rsa_sign),         JS_CFUNC_DEF("rsaVerify", 5, js_rsa_verify),
    JS_CFUNC_DEF("rsaEncrypt", 4, js_rsa_encrypt),   JS_CFUNC_DEF("rsaDecrypt", 4, js_rsa_decrypt),
};

void crypto_rsa_init(JSContext *ctx, JSValueConst core) {
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
