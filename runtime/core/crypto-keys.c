// [crypto-keys.c] Native key objects for RSA and EC keys: an mbedtls_pk_context inside a
// JS object of class KeyHandle, freed with it, so a key is parsed once at import and not
// at every sign or verify. Parsing and writing SPKI, PKCS#8, PKCS#1 and SEC1 (DER), the public half of
// a private key, and what a key is (type, size, curve) and holds (its JWK components).
#include "core.h"
#include "crypto.h"
#include "util.h"
#include "mbedtls/asn1.h"
#include "mbedtls/asn1write.h"
#include "mbedtls/ecp.h"
#include "mbedtls/oid.h"
#include "mbedtls/platform_util.h"
#include "mbedtls/rsa.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static JSClassID key_class;

crypto_key *crypto_key_alloc(mbedtls_pk_type_t type, bool is_private) {
  crypto_key *key = calloc(1, sizeof *key);
  if (!key) return NULL;
  mbedtls_pk_init(&key->pk);
  if (mbedtls_pk_setup(&key->pk, mbedtls_pk_info_from_type(type)) != 0) {
    free(key);
    return NULL;
  }
  key->is_private = is_private;
  return key;
}

void crypto_key_free(crypto_key *key) {
  if (!key) return;
  mbedtls_pk_free(&key->pk);
  free(key);
}

static void key_finalizer(JSRuntime *rt, JSValue val) {
  crypto_key_free(JS_GetOpaque(val, key_class));
}

JSValue crypto_key_new(JSContext *ctx, crypto_key *key) {
  JSValue obj = JS_NewObjectClass(ctx, (int)key_class);
  if (JS_IsException(obj)) {
    crypto_key_free(key);
    return obj;
  }
  JS_SetOpaque(obj, key);
  return obj;
}

crypto_key *crypto_key_get(JSContext *ctx, JSValueConst v, mbedtls_pk_type_t type) {
  crypto_key *key = JS_GetOpaque(v, key_class);
  if (!key || mbedtls_pk_get_type(&key->pk) != type) {
    JS_ThrowTypeError(ctx, "expected a native %s key", type == MBEDTLS_PK_RSA ? "RSA" : "EC");
    return NULL;
  }
  return key;
}

static crypto_key *any_key(JSContext *ctx, JSValueConst v) {
  crypto_key *key = JS_GetOpaque(v, key_class);
  if (!key) JS_ThrowTypeError(ctx, "expected a native key");
  return key;
}

static const char *curve_name(mbedtls_ecp_group_id id) {
  switch (id) {
  case MBEDTLS_ECP_DP_SECP256R1: return "P-256";
  case MBEDTLS_ECP_DP_SECP384R1: return "P-384";
  case MBEDTLS_ECP_DP_SECP521R1: return "P-521";
  default: return NULL;
  }
}

/* The tag of the first element inside the DER SEQUENCE, or -1. PKCS#8 and SPKI open with
   an INTEGER and an AlgorithmIdentifier (SEQUENCE); PKCS#1 and SEC1 keys, which
   mbedtls_pk_parse_* also accept, do not, and Web Crypto's formats exclude them. */
static int second_tag(const uint8_t *der, size_t len, int skip_integer) {
  unsigned char *p = (unsigned char *)der, *end = p + len;
  size_t n;
  if (mbedtls_asn1_get_tag(&p, end, &n, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0) return -1;
  end = p + n;
  if (skip_integer) {
    if (mbedtls_asn1_get_tag(&p, end, &n, MBEDTLS_ASN1_INTEGER) != 0) return -1;
    p += n;
  }
  return p < end ? *p : -1;
}

enum key_format { FORMAT_NONE, FORMAT_SPKI, FORMAT_PKCS8, FORMAT_PKCS1, FORMAT_SEC1, FORMAT_RAW };

static enum key_format get_format(JSContext *ctx, JSValueConst v) {
  const char *s = JS_ToCString(ctx, v);
  if (!s) return FORMAT_NONE;
  enum key_format f = !strcmp(s, "spki")    ? FORMAT_SPKI
                      : !strcmp(s, "pkcs8") ? FORMAT_PKCS8
                      : !strcmp(s, "pkcs1") ? FORMAT_PKCS1
                      : !strcmp(s, "sec1")  ? FORMAT_SEC1
                      : !strcmp(s, "raw")   ? FORMAT_RAW
                                            : FORMAT_NONE;
  JS_FreeCString(ctx, s);
  return f;
}

/* keyParse(der, 'spki' | 'pkcs8' | 'pkcs1' | 'sec1'[, private]) -> key. PKCS#1 is an RSA
   private key, or with private false an RSAPublicKey; SEC1 is an EC private key. Each
   format's shape is checked before mbedtls_pk_parse_*, which would take any of them. */
static JSValue js_key_parse(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  crypto_bytes der;
  if (crypto_get_bytes(ctx, argv[0], &der, "keyParse's der") < 0) return JS_EXCEPTION;
  enum key_format format = get_format(ctx, argv[1]);
  if (format == FORMAT_NONE || format == FORMAT_RAW)
    return JS_ThrowTypeError(ctx, "keyParse: format must be 'spki', 'pkcs8', 'pkcs1' or 'sec1'");
  bool is_private = format == FORMAT_PKCS8 || format == FORMAT_SEC1 || (format == FORMAT_PKCS1 && JS_ToBool(ctx, argv[2]));
  static const char *names[] = {"", "a SubjectPublicKeyInfo", "a PKCS#8 PrivateKeyInfo", "a PKCS#1 RSA key",
                                "a SEC1 ECPrivateKey"};
  int want = format == FORMAT_SEC1 ? MBEDTLS_ASN1_OCTET_STRING
             : format == FORMAT_PKCS1 ? MBEDTLS_ASN1_INTEGER
                                      : MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE;
  if (second_tag(der.data, der.len, is_private) != want) return crypto_throw_invalid_key(ctx, names[format], 0);
  crypto_key *key = calloc(1, sizeof *key);
  if (!key) return JS_ThrowOutOfMemory(ctx);
  mbedtls_pk_init(&key->pk);
  key->is_private = is_private;
  int ret = is_private ? mbedtls_pk_parse_key(&key->pk, der.data, der.len, NULL, 0, crypto_random, NULL)
                       : mbedtls_pk_parse_public_key(&key->pk, der.data, der.len);
  mbedtls_pk_type_t type = mbedtls_pk_get_type(&key->pk);
  if (ret == 0 && type == MBEDTLS_PK_ECKEY && !curve_name(mbedtls_ecp_keypair_get_group_id(mbedtls_pk_ec(key->pk))))
    ret = MBEDTLS_ERR_PK_UNKNOWN_NAMED_CURVE;
  if (ret == 0 && type != MBEDTLS_PK_RSA && type != MBEDTLS_PK_ECKEY) ret = MBEDTLS_ERR_PK_UNKNOWN_PK_ALG;
  if (ret == 0 && ((format == FORMAT_PKCS1 && type != MBEDTLS_PK_RSA) || (format == FORMAT_SEC1 && type != MBEDTLS_PK_ECKEY)))
    ret = MBEDTLS_ERR_PK_KEY_INVALID_FORMAT;
  if (ret != 0) {
    crypto_key_free(key);
    char message[64];
    snprintf(message, sizeof message, "invalid key: not %s", names[format]);
    return crypto_throw_invalid_key(ctx, message, ret);
  }
  return crypto_key_new(ctx, key);
}

/* OpenSSL's PKCS#8 for EC (what Node exports): ECPrivateKey without the [0] parameters,
   which the AlgorithmIdentifier already names, and with the [1] public key. mbedTLS 3.6
   writes only SEC1 (with [0]) and PKCS#1, so PrivateKeyInfo is built here. Writes
   backwards from *p, as mbedtls_asn1_write_* do; returns the length or an error. */
static int write_ec_private_key(unsigned char **p, unsigned char *start, const mbedtls_ecp_keypair *ec) {
  unsigned char buf[1 + 2 * MBEDTLS_ECP_MAX_BYTES];
  size_t n, len = 0, pub_len = 0;
  int ret;
  if ((ret = mbedtls_ecp_write_public_key(ec, MBEDTLS_ECP_PF_UNCOMPRESSED, &n, buf, sizeof buf)) != 0) return ret;
  MBEDTLS_ASN1_CHK_ADD(pub_len, mbedtls_asn1_write_bitstring(p, start, buf, n * 8));
  MBEDTLS_ASN1_CHK_ADD(pub_len, mbedtls_asn1_write_len(p, start, pub_len));
  MBEDTLS_ASN1_CHK_ADD(pub_len,
                       mbedtls_asn1_write_tag(p, start, MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 1));
  len += pub_len;
  ret = mbedtls_ecp_write_key_ext(ec, &n, buf, sizeof buf);
  if (ret == 0) ret = mbedtls_asn1_write_octet_string(p, start, buf, n);
  mbedtls_platform_zeroize(buf, sizeof buf);
  if (ret < 0) return ret;
  len += (size_t)ret;
  MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_int(p, start, 1));
  MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(p, start, len));
  MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_tag(p, start, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE));
  return (int)len;
}

static int write_pkcs8(const mbedtls_pk_context *pk, unsigned char *buf, size_t size, unsigned char **out) {
  unsigned char *p = buf + size;
  size_t len = 0, alg_len = 0;
  int ret;
  const char *oid;
  size_t oid_len;
  if (mbedtls_pk_get_type(pk) == MBEDTLS_PK_RSA) {
    // PKCS#1 RSAPrivateKey, written at the end of buf, is PrivateKeyInfo's privateKey as is.
    int inner = mbedtls_pk_write_key_der(pk, buf, size);
    if (inner < 0) return inner;
    p = buf + size - inner;
    len = (size_t)inner;
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(&p, buf, len));
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_OCTET_STRING));
    MBEDTLS_ASN1_CHK_ADD(alg_len, mbedtls_asn1_write_null(&p, buf));
    oid = MBEDTLS_OID_PKCS1_RSA;
    oid_len = MBEDTLS_OID_SIZE(MBEDTLS_OID_PKCS1_RSA);
  } else {
    const mbedtls_ecp_keypair *ec = mbedtls_pk_ec(*pk);
    MBEDTLS_ASN1_CHK_ADD(len, write_ec_private_key(&p, buf, ec));
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(&p, buf, len));
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_OCTET_STRING));
    const char *curve_oid;
    size_t curve_oid_len;
    if ((ret = mbedtls_oid_get_oid_by_ec_grp(mbedtls_ecp_keypair_get_group_id(ec), &curve_oid, &curve_oid_len)) != 0)
      return ret;
    MBEDTLS_ASN1_CHK_ADD(alg_len, mbedtls_asn1_write_oid(&p, buf, curve_oid, curve_oid_len));
    oid = MBEDTLS_OID_EC_ALG_UNRESTRICTED;
    oid_len = MBEDTLS_OID_SIZE(MBEDTLS_OID_EC_ALG_UNRESTRICTED);
  }
  MBEDTLS_ASN1_CHK_ADD(alg_len, mbedtls_asn1_write_oid(&p, buf, oid, oid_len));
  MBEDTLS_ASN1_CHK_ADD(alg_len, mbedtls_asn1_write_len(&p, buf, alg_len));
  MBEDTLS_ASN1_CHK_ADD(alg_len, mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE));
  len += alg_len;
  MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_int(&p, buf, 0));
  MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(&p, buf, len));
  MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE));
  *out = p;
  return (int)len;
}

/* keyExport(key, 'spki' | 'pkcs8' | 'pkcs1' | 'sec1' | 'raw') -> ArrayBuffer; raw is an EC
   key's uncompressed point, pkcs1 an RSA key (private, or RSAPublicKey), sec1 an EC private key. */
static JSValue js_key_export(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  crypto_key *key = any_key(ctx, argv[0]);
  if (!key) return JS_EXCEPTION;
  enum key_format which = get_format(ctx, argv[1]);
  if (which == FORMAT_NONE) return JS_ThrowTypeError(ctx, "keyExport: format must be 'spki', 'pkcs8', 'pkcs1', 'sec1' or 'raw'");
  bool ec = mbedtls_pk_get_type(&key->pk) == MBEDTLS_PK_ECKEY;
  if (((which == FORMAT_PKCS8 || which == FORMAT_SEC1) && !key->is_private) || (which == FORMAT_RAW && !ec) ||
      (which == FORMAT_SEC1 && !ec) || (which == FORMAT_PKCS1 && ec))
    return JS_ThrowTypeError(ctx, "keyExport: this key has no such form");
  // An RSA key of MBEDTLS_MPI_MAX_BITS (8192) takes about 4.7 KB as PKCS#8.
  size_t size = 6144;
  unsigned char *buf = malloc(size), *start = NULL;
  if (!buf) return JS_ThrowOutOfMemory(ctx);
  int len;
  if (which == FORMAT_SPKI || (which == FORMAT_PKCS1 && !key->is_private)) {
    if (which == FORMAT_SPKI) {
      len = mbedtls_pk_write_pubkey_der(&key->pk, buf, size);
      start = buf + size - (len > 0 ? len : 0);
    } else {
      // The SubjectPublicKey alone: for RSA, the PKCS#1 RSAPublicKey.
      start = buf + size;
      len = mbedtls_pk_write_pubkey(&start, buf, &key->pk);
    }
  } else if (which == FORMAT_PKCS8) {
    len = write_pkcs8(&key->pk, buf, size, &start);
  } else if (which == FORMAT_PKCS1 || which == FORMAT_SEC1) {
    // mbedTLS writes RSA keys as PKCS#1 and EC keys as SEC1 (with [0] parameters and [1] public key, as OpenSSL).
    len = mbedtls_pk_write_key_der(&key->pk, buf, size);
    start = buf + size - (len > 0 ? len : 0);
  } else {
    size_t n = 0;
    len = mbedtls_ecp_write_public_key(mbedtls_pk_ec(key->pk), MBEDTLS_ECP_PF_UNCOMPRESSED, &n, buf, size);
    if (len == 0) len = (int)n;
    start = buf;
  }
  JSValue result =
      len < 0 ? crypto_throw_operation(ctx, "cannot encode the key", len) : crypto_buffer(ctx, start, (size_t)len);
  mbedtls_platform_zeroize(buf, size);
  free(buf);
  return result;
}

static int set_mpi(JSContext *ctx, JSValueConst obj, const char *name, const mbedtls_mpi *x) {
  size_t n = mbedtls_mpi_size(x);
  uint8_t *data;
  JSValue ab = crypto_new_buffer(ctx, n, &data);
  if (JS_IsException(ab)) return -1;
  mbedtls_mpi_write_binary(x, data, n);
  return JS_SetPropertyStr(ctx, obj, name, ab);
}

static int set_bytes(JSContext *ctx, JSValueConst obj, const char *name, const uint8_t *data, size_t len) {
  JSValue ab = crypto_buffer(ctx, data, len);
  if (JS_IsException(ab)) return -1;
  return JS_SetPropertyStr(ctx, obj, name, ab);
}

/* keyInfo(key) -> { type: 'RSA', private, modulusLength, publicExponent } | { type: 'EC', private, curve } */
static JSValue js_key_info(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  crypto_key *key = any_key(ctx, argv[0]);
  if (!key) return JS_EXCEPTION;
  JSValue info = JS_NewObject(ctx);
  bool rsa = mbedtls_pk_get_type(&key->pk) == MBEDTLS_PK_RSA;
  JS_SetPropertyStr(ctx, info, "type", JS_NewString(ctx, rsa ? "RSA" : "EC"));
  JS_SetPropertyStr(ctx, info, "private", JS_NewBool(ctx, key->is_private));
  if (rsa) {
    const mbedtls_rsa_context *r = mbedtls_pk_rsa(key->pk);
    mbedtls_mpi e;
    mbedtls_mpi_init(&e);
    int ret = mbedtls_rsa_export(r, NULL, NULL, NULL, NULL, &e);
    JS_SetPropertyStr(ctx, info, "modulusLength", JS_NewInt64(ctx, (int64_t)mbedtls_pk_get_bitlen(&key->pk)));
    if (ret == 0 && set_mpi(ctx, info, "publicExponent", &e) < 0) ret = -1;
    mbedtls_mpi_free(&e);
    if (ret != 0) {
      JS_FreeValue(ctx, info);
      return ret == -1 ? JS_EXCEPTION : crypto_throw_operation(ctx, "cannot read the key", ret);
    }
  } else {
    const char *curve = curve_name(mbedtls_ecp_keypair_get_group_id(mbedtls_pk_ec(key->pk)));
    JS_SetPropertyStr(ctx, info, "curve", JS_NewString(ctx, curve ? curve : ""));
  }
  return info;
}

/* keyPublic(key) -> a new key holding only the public half */
static JSValue js_key_public(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  crypto_key *key = any_key(ctx, argv[0]);
  if (!key) return JS_EXCEPTION;
  mbedtls_pk_type_t type = mbedtls_pk_get_type(&key->pk);
  crypto_key *pub = crypto_key_alloc(type, false);
  if (!pub) return JS_ThrowOutOfMemory(ctx);
  int ret;
  if (type == MBEDTLS_PK_RSA) {
    mbedtls_mpi n, e;
    mbedtls_mpi_init(&n);
    mbedtls_mpi_init(&e);
    mbedtls_rsa_context *r = mbedtls_pk_rsa(pub->pk);
    ret = mbedtls_rsa_export(mbedtls_pk_rsa(key->pk), &n, NULL, NULL, NULL, &e);
    if (ret == 0) ret = mbedtls_rsa_import(r, &n, NULL, NULL, NULL, &e);
    if (ret == 0) ret = mbedtls_rsa_complete(r);
    mbedtls_mpi_free(&n);
    mbedtls_mpi_free(&e);
  } else {
    const mbedtls_ecp_keypair *ec = mbedtls_pk_ec(key->pk);
    ret = mbedtls_ecp_set_public_key(mbedtls_ecp_keypair_get_group_id(ec), mbedtls_pk_ec(pub->pk),
                                     &ec->MBEDTLS_PRIVATE(Q));
  }
  if (ret != 0) {
    crypto_key_free(pub);
    return crypto_throw_operation(ctx, "cannot copy the public key", ret);
  }
  return crypto_key_new(ctx, pub);
}

/* keyComponents(key) -> RSA: { n, e[, d, p, q, dp, dq, qi] }; EC: { x, y[, d] } (ArrayBuffers,
   big-endian; RSA values without leading zeros, EC values at the curve's size, as JWK has them). */
static JSValue js_key_components(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  crypto_key *key = any_key(ctx, argv[0]);
  if (!key) return JS_EXCEPTION;
  JSValue out = JS_NewObject(ctx);
  int ret = 0, bad = 0;
  if (mbedtls_pk_get_type(&key->pk) == MBEDTLS_PK_RSA) {
    const mbedtls_rsa_context *r = mbedtls_pk_rsa(key->pk);
    mbedtls_mpi m[8]; /* n e d p q dp dq qi */
    for (int i = 0; i < 8; i++) mbedtls_mpi_init(&m[i]);
    static const char *names[8] = {"n", "e", "d", "p", "q", "dp", "dq", "qi"};
    if (key->is_private) {
      ret = mbedtls_rsa_export(r, &m[0], &m[3], &m[4], &m[2], &m[1]);
      if (ret == 0) ret = mbedtls_rsa_export_crt(r, &m[5], &m[6], &m[7]);
    } else {
      ret = mbedtls_rsa_export(r, &m[0], NULL, NULL, NULL, &m[1]);
    }
    for (int i = 0; ret == 0 && !bad && i < (key->is_private ? 8 : 2); i++)
      bad = set_mpi(ctx, out, names[i], &m[i]) < 0;
    for (int i = 0; i < 8; i++) mbedtls_mpi_free(&m[i]);
  } else {
    const mbedtls_ecp_keypair *ec = mbedtls_pk_ec(key->pk);
    unsigned char buf[1 + 2 * MBEDTLS_ECP_MAX_BYTES];
    size_t n = 0;
    ret = mbedtls_ecp_write_public_key(ec, MBEDTLS_ECP_PF_UNCOMPRESSED, &n, buf, sizeof buf);
    size_t half = (n - 1) / 2;
    if (ret == 0)
      bad = set_bytes(ctx, out, "x", buf + 1, half) < 0 || set_bytes(ctx, out, "y", buf + 1 + half, half) < 0;
    if (ret == 0 && !bad && key->is_private) {
      ret = mbedtls_ecp_write_key_ext(ec, &n, buf, sizeof buf);
      if (ret == 0) bad = set_bytes(ctx, out, "d", buf, n) < 0;
    }
    mbedtls_platform_zeroize(buf, sizeof buf);
  }
  if (ret != 0 || bad) {
    JS_FreeValue(ctx, out);
    return bad ? JS_EXCEPTION : crypto_throw_operation(ctx, "cannot read the key", ret);
  }
  return out;
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("keyParse", 3, js_key_parse),
    JS_CFUNC_DEF("keyExport", 2, js_key_export),
    JS_CFUNC_DEF("keyInfo", 1, js_key_info),
    JS_CFUNC_DEF("keyPublic", 1, js_key_public),
    JS_CFUNC_DEF("keyComponents", 1, js_key_components),
};

void crypto_keys_init(JSContext *ctx, JSValueConst core) {
  JS_NewClassID(&key_class);
  JSClassDef def = {.class_name = "KeyHandle", .finalizer = key_finalizer};
  JS_NewClass(JS_GetRuntime(ctx), key_class, &def);
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
