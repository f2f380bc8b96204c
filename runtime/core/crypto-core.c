// [crypto-core.c] core.crypto(): the crypto modules' functions (crypto-digest.c,
// crypto-keys.c, crypto-rsa.c, crypto-ec.c, crypto-aes.c, crypto-kdf.c,
// crypto-ed25519.c), installed on one object the first time the web layer asks for it,
// so a process that never uses crypto.subtle does not pay for them at start.
#include "core.h"
#include "crypto.h"
#include "util.h"

void crypto_digest_init(JSContext *ctx, JSValueConst target);
void crypto_keys_init(JSContext *ctx, JSValueConst target);
void crypto_rsa_init(JSContext *ctx, JSValueConst target);
void crypto_ec_init(JSContext *ctx, JSValueConst target);
void crypto_aes_init(JSContext *ctx, JSValueConst target);
void crypto_kdf_init(JSContext *ctx, JSValueConst target);
void crypto_ed25519_init(JSContext *ctx, JSValueConst target);

static JSValue functions_object;
static bool installed;

static JSValue js_crypto(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  if (!installed) {
    JSValue obj = JS_NewObject(ctx);
    if (JS_IsException(obj)) return obj;
    crypto_digest_init(ctx, obj);
    crypto_keys_init(ctx, obj);
    crypto_rsa_init(ctx, obj);
    crypto_ec_init(ctx, obj);
    crypto_aes_init(ctx, obj);
    crypto_kdf_init(ctx, obj);
    crypto_ed25519_init(ctx, obj);
    functions_object = obj;
    installed = true;
  }
  return JS_DupValue(ctx, functions_object);
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("crypto", 0, js_crypto),
};

void crypto_init(JSContext *ctx, JSValueConst core) {
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
