// [crypto-ed25519.c] Ed25519 (RFC 8032) on raw 32-byte keys, by libsodium's ref10 code
// (mbedTLS has no EdDSA): the public key of a seed, signing, and strict verification
// (canonical S, no small-order public key or R), as libsodium does it.
#include "core.h"
#include "crypto.h"
#include "util.h"
#include "mbedtls/platform_util.h"
#include "sodium/crypto_sign_ed25519.h"
#include <string.h>

static int get_key(JSContext *ctx, JSValueConst v, crypto_bytes *key, const char *what) {
  if (crypto_get_bytes(ctx, v, key, what) < 0) return -1;
  if (key->len == 32) return 0;
  JS_ThrowTypeError(ctx, "an Ed25519 %s is 32 bytes, not %zu", what, key->len);
  return -1;
}

/* ed25519Public(seed) -> publicKey */
static JSValue js_ed25519_public(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  crypto_bytes seed;
  if (get_key(ctx, argv[0], &seed, "private key") < 0) return JS_EXCEPTION;
  unsigned char pk[32], sk[64];
  crypto_sign_ed25519_seed_keypair(pk, sk, seed.data);
  mbedtls_platform_zeroize(sk, sizeof sk);
  return crypto_buffer(ctx, pk, sizeof pk);
}

/* ed25519Sign(seed, publicKey, data) -> signature (64 bytes) */
static JSValue js_ed25519_sign(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  crypto_bytes seed, pub, data;
  if (get_key(ctx, argv[0], &seed, "private key") < 0 || get_key(ctx, argv[1], &pub, "public key") < 0 ||
      crypto_get_bytes(ctx, argv[2], &data, "data") < 0)
    return JS_EXCEPTION;
  // libsodium's secret key is the seed followed by the public key.
  unsigned char sk[64], sig[64];
  memcpy(sk, seed.data, 32);
  memcpy(sk + 32, pub.data, 32);
  crypto_sign_ed25519_detached(sig, NULL, data.data, data.len, sk);
  mbedtls_platform_zeroize(sk, sizeof sk);
  return crypto_buffer(ctx, sig, sizeof sig);
}

/* ed25519Verify(publicKey, signature, data) -> boolean */
static JSValue js_ed25519_verify(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  crypto_bytes pub, sig, data;
  if (get_key(ctx, argv[0], &pub, "public key") < 0 || crypto_get_bytes(ctx, argv[1], &sig, "signature") < 0 ||
      crypto_get_bytes(ctx, argv[2], &data, "data") < 0)
    return JS_EXCEPTION;
  if (sig.len != 64) return JS_FALSE;
  return JS_NewBool(ctx, crypto_sign_ed25519_verify_detached(sig.data, data.data, data.len, pub.data) == 0);
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("ed25519Public", 1, js_ed25519_public),
    JS_CFUNC_DEF("ed25519Sign", 3, js_ed25519_sign),
    JS_CFUNC_DEF("ed25519Verify", 3, js_ed25519_verify),
};

void crypto_ed25519_init(JSContext *ctx, JSValueConst core) {
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
