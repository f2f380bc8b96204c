// [crypto-digest.c] Digests and HMAC (mbedTLS md): one-shot for crypto.subtle.digest and
// HMAC keys, incremental (a native HashState fed piece by piece, as node:crypto's
// createHash().update() and createHmac() are), and a constant-time comparison for verify.
#include "core.h"
#include "crypto.h"
#include "util.h"
#include "mbedtls/constant_time.h"
#include <stdlib.h>

static JSClassID hash_class;

typedef struct hash_state {
  mbedtls_md_context_t md;
  bool hmac;
  bool done; /* digest taken: Node refuses further use */
} hash_state;

static void hash_finalizer(JSRuntime *rt, JSValue val) {
  hash_state *h = JS_GetOpaque(val, hash_class);
  if (!h) return;
  mbedtls_md_free(&h->md);
  free(h);
}

/* A new HashState object set up for md (HMAC when `hmac`); NULL in *out after an exception. */
static JSValue hash_new(JSContext *ctx, mbedtls_md_type_t md, bool hmac, hash_state **out) {
  hash_state *h = calloc(1, sizeof *h);
  if (!h) return JS_ThrowOutOfMemory(ctx);
  mbedtls_md_init(&h->md);
  h->hmac = hmac;
  int ret = mbedtls_md_setup(&h->md, mbedtls_md_info_from_type(md), hmac);
  if (ret != 0) {
    mbedtls_md_free(&h->md);
    free(h);
    return crypto_throw_operation(ctx, "cannot set up the digest", ret);
  }
  JSValue obj = JS_NewObjectClass(ctx, (int)hash_class);
  if (JS_IsException(obj)) {
    mbedtls_md_free(&h->md);
    free(h);
    return obj;
  }
  JS_SetOpaque(obj, h);
  *out = h;
  return obj;
}

static hash_state *get_hash(JSContext *ctx, JSValueConst v) {
  hash_state *h = JS_GetOpaque(v, hash_class);
  if (!h) {
    JS_ThrowTypeError(ctx, "expected a native hash state");
    return NULL;
  }
  if (h->done) {
    crypto_throw_operation(ctx, "the digest was already taken", 0);
    return NULL;
  }
  return h;
}

/* hashNew(hash[, hmacKey]) -> state; with a key (bytes, possibly empty) it is an HMAC. */
static JSValue js_hash_new(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  mbedtls_md_type_t md;
  crypto_bytes key;
  bool hmac = argc > 1 && !JS_IsUndefined(argv[1]);
  if (crypto_get_md(ctx, argv[0], &md) < 0 || (hmac && crypto_get_bytes(ctx, argv[1], &key, "hmac's key") < 0))
    return JS_EXCEPTION;
  hash_state *h = NULL;
  JSValue obj = hash_new(ctx, md, hmac, &h);
  if (!h) return obj;
  int ret = hmac ? mbedtls_md_hmac_starts(&h->md, key.data, key.len) : mbedtls_md_starts(&h->md);
  if (ret != 0) {
    JS_FreeValue(ctx, obj);
    return crypto_throw_operation(ctx, "cannot start the digest", ret);
  }
  return obj;
}

/* hashUpdate(state, data) */
static JSValue js_hash_update(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  hash_state *h = get_hash(ctx, argv[0]);
  crypto_bytes data;
  if (!h || crypto_get_bytes(ctx, argv[1], &data, "data") < 0) return JS_EXCEPTION;
  int ret = h->hmac ? mbedtls_md_hmac_update(&h->md, data.data, data.len) : mbedtls_md_update(&h->md, data.data, data.len);
  if (ret != 0) return crypto_throw_operation(ctx, "digest update failed", ret);
  return JS_UNDEFINED;
}

/* hashDigest(state) -> ArrayBuffer; the state is spent after it. */
static JSValue js_hash_digest(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  hash_state *h = get_hash(ctx, argv[0]);
  if (!h) return JS_EXCEPTION;
  unsigned char out[MBEDTLS_MD_MAX_SIZE];
  int ret = h->hmac ? mbedtls_md_hmac_finish(&h->md, out) : mbedtls_md_finish(&h->md, out);
  h->done = true;
  if (ret != 0) return crypto_throw_operation(ctx, "digest failed", ret);
  return crypto_buffer(ctx, out, mbedtls_md_get_size(mbedtls_md_info_from_ctx(&h->md)));
}

/* hashCopy(state) -> a new state with the same data hashed so far (digests only, not HMAC). */
static JSValue js_hash_copy(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  hash_state *h = get_hash(ctx, argv[0]);
  if (!h) return JS_EXCEPTION;
  if (h->hmac) return JS_ThrowTypeError(ctx, "hashCopy: an HMAC state cannot be copied");
  hash_state *copy = NULL;
  JSValue obj = hash_new(ctx, mbedtls_md_get_type(mbedtls_md_info_from_ctx(&h->md)), false, &copy);
  if (!copy) return obj;
  int ret = mbedtls_md_clone(&copy->md, &h->md);
  if (ret != 0) {
    JS_FreeValue(ctx, obj);
    return crypto_throw_operation(ctx, "cannot copy the digest", ret);
  }
  return obj;
}

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
    JS_CFUNC_DEF("hashNew", 2, js_hash_new),
    JS_CFUNC_DEF("hashUpdate", 2, js_hash_update),
    JS_CFUNC_DEF("hashDigest", 1, js_hash_digest),
    JS_CFUNC_DEF("hashCopy", 1, js_hash_copy),
};

void crypto_digest_init(JSContext *ctx, JSValueConst core) {
  JS_NewClassID(&hash_class);
  JSClassDef def = {.class_name = "HashState", .finalizer = hash_finalizer};
  JS_NewClass(JS_GetRuntime(ctx), hash_class, &def);
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
