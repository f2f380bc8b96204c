// [crypto-ec.c] Elliptic curves: ECDSA and ECDH keys on P-256, P-384 and P-521 (native
// key objects), and X25519 on raw 32-byte keys. ECDSA signatures are Web Crypto's raw
// r || s, each at the curve's size, not DER.
#include "core.h"
#include "crypto.h"
#include "util.h"
#include "mbedtls/ecdh.h"
#include "mbedtls/ecdsa.h"
#include "mbedtls/platform_util.h"
#include <string.h>

#define KP(key) mbedtls_pk_ec((key)->pk)
#define GRP(kp) (&(kp)->MBEDTLS_PRIVATE(grp))
#define D(kp)   (&(kp)->MBEDTLS_PRIVATE(d))
#define Q(kp)   (&(kp)->MBEDTLS_PRIVATE(Q))

static int get_curve(JSContext *ctx, JSValueConst v, mbedtls_ecp_group_id *id) {
  const char *s = JS_IsString(v) ? JS_ToCString(ctx, v) : NULL;
  *id = MBEDTLS_ECP_DP_NONE;
  if (s) {
    if (!strcmp(s, "P-256")) *id = MBEDTLS_ECP_DP_SECP256R1;
    if (!strcmp(s, "P-384")) *id = MBEDTLS_ECP_DP_SECP384R1;
    if (!strcmp(s, "P-521")) *id = MBEDTLS_ECP_DP_SECP521R1;
    JS_FreeCString(ctx, s);
  }
  if (*id != MBEDTLS_ECP_DP_NONE) return 0;
  JS_ThrowTypeError(ctx, "curve must be 'P-256', 'P-384' or 'P-521'");
  return -1;
}

static size_t curve_bytes(const mbedtls_ecp_keypair *kp) {
  return (GRP(kp)->nbits + 7) / 8;
}

/* ecGenerate(curve) -> private key */
static JSValue js_ec_generate(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  mbedtls_ecp_group_id id;
  if (get_curve(ctx, argv[0], &id) < 0) return JS_EXCEPTION;
  crypto_key *key = crypto_key_alloc(MBEDTLS_PK_ECKEY, true);
  if (!key) return JS_ThrowOutOfMemory(ctx);
  int ret = mbedtls_ecp_gen_key(id, KP(key), crypto_random, NULL);
  if (ret != 0) {
    crypto_key_free(key);
    return crypto_throw_operation(ctx, "EC key generation failed", ret);
  }
  return crypto_key_new(ctx, key);
}

/* ecImport(curve, point[, d]) -> key. The point is uncompressed; with d, it must be d's, or
   undefined for d's own (node:crypto's ECDH#setPrivateKey). */
static JSValue js_ec_import(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  mbedtls_ecp_group_id id;
  crypto_bytes point, d = {0};
  bool is_private = argc > 2 && !JS_IsUndefined(argv[2]);
  bool derive = is_private && JS_IsUndefined(argv[1]);
  if (get_curve(ctx, argv[0], &id) < 0 || (!derive && crypto_get_bytes(ctx, argv[1], &point, "point") < 0) ||
      (is_private && crypto_get_bytes(ctx, argv[2], &d, "d") < 0))
    return JS_EXCEPTION;
  crypto_key *key = crypto_key_alloc(MBEDTLS_PK_ECKEY, is_private);
  if (!key) return JS_ThrowOutOfMemory(ctx);
  mbedtls_ecp_keypair *kp = KP(key);
  mbedtls_ecp_point given;
  mbedtls_ecp_point_init(&given);
  int ret = mbedtls_ecp_group_load(GRP(kp), id);
  // Only the uncompressed form: mbedTLS 3.6 reads no other for these curves.
  if (ret == 0 && !derive && (point.len != 1 + 2 * curve_bytes(kp) || point.data[0] != 0x04))
    ret = MBEDTLS_ERR_ECP_INVALID_KEY;
  if (ret == 0 && !derive) ret = mbedtls_ecp_point_read_binary(GRP(kp), &given, point.data, point.len);
  if (ret == 0 && !derive) ret = mbedtls_ecp_check_pubkey(GRP(kp), &given);
  if (ret == 0 && is_private) {
    if (d.len != curve_bytes(kp)) ret = MBEDTLS_ERR_ECP_INVALID_KEY;
    if (ret == 0) ret = mbedtls_ecp_read_key(id, kp, d.data, d.len);
    if (ret == 0) ret = mbedtls_ecp_keypair_calc_public(kp, crypto_random, NULL);
    if (ret == 0 && !derive && mbedtls_ecp_point_cmp(&given, Q(kp)) != 0) ret = MBEDTLS_ERR_ECP_INVALID_KEY;
  } else if (ret == 0) {
    ret = mbedtls_ecp_copy(Q(kp), &given);
  }
  mbedtls_ecp_point_free(&given);
  if (ret != 0) {
    crypto_key_free(key);
    return crypto_throw_invalid_key(ctx, "invalid EC key", ret);
  }
  return crypto_key_new(ctx, key);
}

static size_t hash_of(JSContext *ctx, JSValueConst name, const crypto_bytes *data, unsigned char *out) {
  mbedtls_md_type_t md;
  if (crypto_get_md(ctx, name, &md) < 0) return 0;
  const mbedtls_md_info_t *info = mbedtls_md_info_from_type(md);
  int ret = mbedtls_md(info, data->data, data->len, out);
  if (ret != 0) {
    crypto_throw_operation(ctx, "digest failed", ret);
    return 0;
  }
  return mbedtls_md_get_size(info);
}

/* ecdsaSign(key, hash, data) -> r || s */
static JSValue js_ecdsa_sign(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  crypto_key *key = crypto_key_get(ctx, argv[0], MBEDTLS_PK_ECKEY);
  crypto_bytes data;
  if (!key || crypto_get_bytes(ctx, argv[2], &data, "data") < 0) return JS_EXCEPTION;
  if (!key->is_private) return JS_ThrowTypeError(ctx, "ecdsaSign needs a private key");
  unsigned char hash[MBEDTLS_MD_MAX_SIZE];
  size_t hlen = hash_of(ctx, argv[1], &data, hash);
  if (!hlen) return JS_EXCEPTION;
  mbedtls_ecp_keypair *kp = KP(key);
  size_t n = curve_bytes(kp);
  uint8_t *sig;
  JSValue out = crypto_new_buffer(ctx, 2 * n, &sig);
  if (JS_IsException(out)) return out;
  mbedtls_mpi r, s;
  mbedtls_mpi_init(&r);
  mbedtls_mpi_init(&s);
  int ret = mbedtls_ecdsa_sign(GRP(kp), &r, &s, D(kp), hash, hlen, crypto_random, NULL);
  if (ret == 0) ret = mbedtls_mpi_write_binary(&r, sig, n);
  if (ret == 0) ret = mbedtls_mpi_write_binary(&s, sig + n, n);
  mbedtls_mpi_free(&r);
  mbedtls_mpi_free(&s);
  if (ret != 0) {
    JS_FreeValue(ctx, out);
    return crypto_throw_operation(ctx, "ECDSA signing failed", ret);
  }
  return out;
}

/* ecdsaVerify(key, hash, signature, data) -> boolean */
static JSValue js_ecdsa_verify(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  crypto_key *key = crypto_key_get(ctx, argv[0], MBEDTLS_PK_ECKEY);
  crypto_bytes sig, data;
  if (!key || crypto_get_bytes(ctx, argv[2], &sig, "signature") < 0 ||
      crypto_get_bytes(ctx, argv[3], &data, "data") < 0)
    return JS_EXCEPTION;
  mbedtls_ecp_keypair *kp = KP(key);
  size_t n = curve_bytes(kp);
  if (sig.len != 2 * n) return JS_FALSE;
  unsigned char hash[MBEDTLS_MD_MAX_SIZE];
  size_t hlen = hash_of(ctx, argv[1], &data, hash);
  if (!hlen) return JS_EXCEPTION;
  mbedtls_mpi r, s;
  mbedtls_mpi_init(&r);
  mbedtls_mpi_init(&s);
  int ret = mbedtls_mpi_read_binary(&r, sig.data, n);
  if (ret == 0) ret = mbedtls_mpi_read_binary(&s, sig.data + n, n);
  if (ret == 0) ret = mbedtls_ecdsa_verify(GRP(kp), hash, hlen, Q(kp), &r, &s);
  mbedtls_mpi_free(&r);
  mbedtls_mpi_free(&s);
  return JS_NewBool(ctx, ret == 0);
}

/* ecdh(privateKey, publicKey) -> the shared secret (x coordinate, at the curve's size) */
static JSValue js_ecdh(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  crypto_key *priv = crypto_key_get(ctx, argv[0], MBEDTLS_PK_ECKEY);
  crypto_key *pub = priv ? crypto_key_get(ctx, argv[1], MBEDTLS_PK_ECKEY) : NULL;
  if (!pub) return JS_EXCEPTION;
  if (!priv->is_private) return JS_ThrowTypeError(ctx, "ecdh needs a private key first");
  mbedtls_ecp_keypair *a = KP(priv), *b = KP(pub);
  if (mbedtls_ecp_keypair_get_group_id(a) != mbedtls_ecp_keypair_get_group_id(b))
    return JS_ThrowTypeError(ctx, "ecdh: the keys are on different curves");
  size_t n = curve_bytes(a);
  mbedtls_mpi z;
  mbedtls_mpi_init(&z);
  uint8_t *secret;
  JSValue out = crypto_new_buffer(ctx, n, &secret);
  if (JS_IsException(out)) return out;
  int ret = mbedtls_ecdh_compute_shared(GRP(a), &z, Q(b), D(a), crypto_random, NULL);
  if (ret == 0) ret = mbedtls_mpi_write_binary(&z, secret, n);
  mbedtls_mpi_free(&z);
  if (ret != 0) {
    JS_FreeValue(ctx, out);
    return crypto_throw_operation(ctx, "ECDH failed", ret);
  }
  return out;
}

/* X25519 (RFC 7748): keys are 32 raw bytes, little-endian, the private one clamped when used. */
static int x25519_private(mbedtls_ecp_keypair *kp, const crypto_bytes *priv) {
  if (priv->len != 32) return MBEDTLS_ERR_ECP_INVALID_KEY;
  return mbedtls_ecp_read_key(MBEDTLS_ECP_DP_CURVE25519, kp, priv->data, 32);
}

/* x25519Public(privateKey) -> publicKey */
static JSValue js_x25519_public(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  crypto_bytes priv;
  if (crypto_get_bytes(ctx, argv[0], &priv, "privateKey") < 0) return JS_EXCEPTION;
  mbedtls_ecp_keypair kp;
  mbedtls_ecp_keypair_init(&kp);
  unsigned char pub[32];
  size_t n = 0;
  int ret = x25519_private(&kp, &priv);
  if (ret == 0) ret = mbedtls_ecp_keypair_calc_public(&kp, crypto_random, NULL);
  if (ret == 0) ret = mbedtls_ecp_write_public_key(&kp, MBEDTLS_ECP_PF_UNCOMPRESSED, &n, pub, sizeof pub);
  mbedtls_ecp_keypair_free(&kp);
  if (ret != 0 || n != 32) return crypto_throw_invalid_key(ctx, "invalid X25519 private key", ret);
  return crypto_buffer(ctx, pub, 32);
}

/* x25519(privateKey, publicKey) -> the shared secret; an all-zero one (a small-order peer) fails. */
static JSValue js_x25519(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  crypto_bytes priv, pub;
  if (crypto_get_bytes(ctx, argv[0], &priv, "privateKey") < 0 || crypto_get_bytes(ctx, argv[1], &pub, "publicKey") < 0)
    return JS_EXCEPTION;
  mbedtls_ecp_keypair kp;
  mbedtls_ecp_point peer;
  mbedtls_mpi z;
  mbedtls_ecp_keypair_init(&kp);
  mbedtls_ecp_point_init(&peer);
  mbedtls_mpi_init(&z);
  unsigned char secret[32];
  int ret = x25519_private(&kp, &priv);
  if (ret == 0 && pub.len != 32) ret = MBEDTLS_ERR_ECP_INVALID_KEY;
  if (ret == 0) ret = mbedtls_ecp_point_read_binary(GRP(&kp), &peer, pub.data, 32);
  if (ret == 0) ret = mbedtls_ecdh_compute_shared(GRP(&kp), &z, &peer, D(&kp), crypto_random, NULL);
  if (ret == 0) ret = mbedtls_mpi_write_binary_le(&z, secret, sizeof secret);
  if (ret == 0 && mbedtls_mpi_cmp_int(&z, 0) == 0) ret = MBEDTLS_ERR_ECP_BAD_INPUT_DATA;
  mbedtls_ecp_keypair_free(&kp);
  mbedtls_ecp_point_free(&peer);
  mbedtls_mpi_free(&z);
  JSValue out =
      ret != 0 ? crypto_throw_operation(ctx, "X25519 failed", ret) : crypto_buffer(ctx, secret, sizeof secret);
  mbedtls_platform_zeroize(secret, sizeof secret);
  return out;
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("ecGenerate", 1, js_ec_generate),
    JS_CFUNC_DEF("ecImport", 3, js_ec_import),
    JS_CFUNC_DEF("ecdsaSign", 3, js_ecdsa_sign),
    JS_CFUNC_DEF("ecdsaVerify", 4, js_ecdsa_verify),
    JS_CFUNC_DEF("ecdh", 2, js_ecdh),
    JS_CFUNC_DEF("x25519", 2, js_x25519),
    JS_CFUNC_DEF("x25519Public", 1, js_x25519_public),
};

void crypto_ec_init(JSContext *ctx, JSValueConst core) {
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
