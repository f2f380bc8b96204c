// [crypto-aes.c] AES in the four Web Crypto modes: GCM (tag appended to the
// ciphertext), CBC with PKCS#7 padding, CTR with Web Crypto's counter semantics (only the
// low `length` bits of the counter block count), and key wrap (RFC 3394); and a native
// CipherState fed piece by piece (GCM, CBC, CTR through mbedTLS's cipher layer), for
// node:crypto's createCipheriv and createDecipheriv.
#include "core.h"
#include "crypto.h"
#include "util.h"
#include "mbedtls/aes.h"
#include "mbedtls/cipher.h"
#include "mbedtls/gcm.h"
#include "mbedtls/nist_kw.h"
#include "mbedtls/platform_util.h"
#include <stdlib.h>
#include <string.h>

static int get_key(JSContext *ctx, JSValueConst v, crypto_bytes *key) {
  if (crypto_get_bytes(ctx, v, key, "key") < 0) return -1;
  if (key->len == 16 || key->len == 24 || key->len == 32) return 0;
  JS_ThrowTypeError(ctx, "an AES key is 16, 24 or 32 bytes, not %zu", key->len);
  return -1;
}

/* An output buffer that is zeroed and freed with the result when the operation fails. */
static JSValue finish(JSContext *ctx, JSValue out, uint8_t *data, size_t size, int ret, const char *what) {
  if (ret == 0) return out;
  mbedtls_platform_zeroize(data, size);
  JS_FreeValue(ctx, out);
  return crypto_throw_operation(ctx, what, ret);
}

/* aesGcm(encrypt, key, iv, additionalData, tagBytes, data) -> ciphertext || tag, or plaintext */
static JSValue js_aes_gcm(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  bool encrypt = JS_ToBool(ctx, argv[0]);
  crypto_bytes key, iv, aad, data;
  size_t tag_len;
  if (get_key(ctx, argv[1], &key) < 0 || crypto_get_bytes(ctx, argv[2], &iv, "iv") < 0 ||
      crypto_get_optional_bytes(ctx, argv[3], &aad, "additionalData") < 0 ||
      crypto_get_size(ctx, argv[4], 16, &tag_len, "tagBytes") < 0 || crypto_get_bytes(ctx, argv[5], &data, "data") < 0)
    return JS_EXCEPTION;
  if (!encrypt && data.len < tag_len) return crypto_throw_operation(ctx, "AES-GCM data is shorter than its tag", 0);
  size_t len = encrypt ? data.len : data.len - tag_len;
  uint8_t *out_data;
  JSValue out = crypto_new_buffer(ctx, encrypt ? len + tag_len : len, &out_data);
  if (JS_IsException(out)) return out;
  mbedtls_gcm_context gcm;
  mbedtls_gcm_init(&gcm);
  int ret = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key.data, (unsigned)key.len * 8);
  if (ret == 0 && encrypt)
    ret = mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, len, iv.data, iv.len, aad.data, aad.len, data.data,
                                    out_data, tag_len, out_data + len);
  else if (ret == 0)
    ret = mbedtls_gcm_auth_decrypt(&gcm, len, iv.data, iv.len, aad.data, aad.len, data.data + len, tag_len, data.data,
                                   out_data);
  mbedtls_gcm_free(&gcm);
  return finish(ctx, out, out_data, len, ret, encrypt ? "AES-GCM encryption failed" : "AES-GCM decryption failed");
}

/* aesCbc(encrypt, key, iv, data) -> ciphertext or plaintext (PKCS#7 padding) */
static JSValue js_aes_cbc(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  bool encrypt = JS_ToBool(ctx, argv[0]);
  crypto_bytes key, iv, data;
  if (get_key(ctx, argv[1], &key) < 0 || crypto_get_bytes(ctx, argv[2], &iv, "iv") < 0 ||
      crypto_get_bytes(ctx, argv[3], &data, "data") < 0)
    return JS_EXCEPTION;
  if (iv.len != 16) return JS_ThrowTypeError(ctx, "an AES-CBC iv is 16 bytes");
  size_t size = data.len + 16, olen = 0;
  uint8_t *buf = malloc(size);
  if (!buf) return JS_ThrowOutOfMemory(ctx);
  mbedtls_cipher_context_t cipher;
  mbedtls_cipher_init(&cipher);
  const mbedtls_cipher_info_t *info =
      mbedtls_cipher_info_from_values(MBEDTLS_CIPHER_ID_AES, (int)key.len * 8, MBEDTLS_MODE_CBC);
  int ret = mbedtls_cipher_setup(&cipher, info);
  if (ret == 0)
    ret = mbedtls_cipher_setkey(&cipher, key.data, (int)key.len * 8, encrypt ? MBEDTLS_ENCRYPT : MBEDTLS_DECRYPT);
  if (ret == 0) ret = mbedtls_cipher_set_padding_mode(&cipher, MBEDTLS_PADDING_PKCS7);
  if (ret == 0) ret = mbedtls_cipher_crypt(&cipher, iv.data, iv.len, data.data, data.len, buf, &olen);
  mbedtls_cipher_free(&cipher);
  JSValue out =
      ret != 0 ? crypto_throw_operation(ctx, encrypt ? "AES-CBC encryption failed" : "AES-CBC decryption failed", ret)
               : crypto_buffer(ctx, buf, olen);
  mbedtls_platform_zeroize(buf, size);
  free(buf);
  return out;
}

/* aesCtr(key, counter, lengthBits, data) -> ciphertext or plaintext. The low `lengthBits`
   of the 16-byte counter block count blocks and wrap around; the rest is a fixed nonce.
   More blocks than the counter can number would reuse a key stream block, so that fails. */
static JSValue js_aes_ctr(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  crypto_bytes key, counter, data;
  size_t bits;
  if (get_key(ctx, argv[0], &key) < 0 || crypto_get_bytes(ctx, argv[1], &counter, "counter") < 0 ||
      crypto_get_size(ctx, argv[2], 128, &bits, "lengthBits") < 0 || crypto_get_bytes(ctx, argv[3], &data, "data") < 0)
    return JS_EXCEPTION;
  if (counter.len != 16 || bits == 0)
    return JS_ThrowTypeError(ctx, "an AES-CTR counter is 16 bytes, with 1 to 128 counting bits");
  size_t blocks = (data.len + 15) / 16;
  if (bits < 64 && blocks > ((uint64_t)1 << bits))
    return crypto_throw_operation(ctx, "AES-CTR counter would repeat", 0);
  uint8_t *out_data;
  JSValue out = crypto_new_buffer(ctx, data.len, &out_data);
  if (JS_IsException(out)) return out;
  unsigned char block[16], stream[16];
  memcpy(block, counter.data, 16);
  mbedtls_aes_context aes;
  mbedtls_aes_init(&aes);
  int ret = mbedtls_aes_setkey_enc(&aes, key.data, (unsigned)key.len * 8);
  for (size_t off = 0; ret == 0 && off < data.len; off += 16) {
    ret = mbedtls_aes_crypt_ecb(&aes, MBEDTLS_AES_ENCRYPT, block, stream);
    size_t n = data.len - off < 16 ? data.len - off : 16;
    for (size_t i = 0; i < n; i++) out_data[off + i] = data.data[off + i] ^ stream[i];
    // Add one to the counting bits only: bytes from the right, the last one masked.
    size_t left = bits;
    for (int i = 15; i >= 0 && left > 0; i--) {
      unsigned mask = left >= 8 ? 0xFF : (1u << left) - 1;
      unsigned v = (block[i] & mask) + 1;
      block[i] = (unsigned char)((block[i] & ~mask) | (v & mask));
      if (v <= mask) break;
      left -= left >= 8 ? 8 : left;
    }
  }
  mbedtls_aes_free(&aes);
  mbedtls_platform_zeroize(stream, sizeof stream);
  return finish(ctx, out, out_data, data.len, ret, "AES-CTR failed");
}

/* aesKw(wrap, key, data) -> wrapped or unwrapped key (RFC 3394, no padding) */
static JSValue js_aes_kw(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  bool wrap = JS_ToBool(ctx, argv[0]);
  crypto_bytes key, data;
  if (get_key(ctx, argv[1], &key) < 0 || crypto_get_bytes(ctx, argv[2], &data, "data") < 0) return JS_EXCEPTION;
  size_t size = data.len + 8, olen = 0;
  uint8_t *buf = malloc(size);
  if (!buf) return JS_ThrowOutOfMemory(ctx);
  mbedtls_nist_kw_context kw;
  mbedtls_nist_kw_init(&kw);
  int ret = mbedtls_nist_kw_setkey(&kw, MBEDTLS_CIPHER_ID_AES, key.data, (unsigned)key.len * 8, wrap);
  if (ret == 0 && wrap) ret = mbedtls_nist_kw_wrap(&kw, MBEDTLS_KW_MODE_KW, data.data, data.len, buf, &olen, size);
  if (ret == 0 && !wrap) ret = mbedtls_nist_kw_unwrap(&kw, MBEDTLS_KW_MODE_KW, data.data, data.len, buf, &olen, size);
  mbedtls_nist_kw_free(&kw);
  JSValue out = ret != 0
                    ? crypto_throw_operation(ctx, wrap ? "AES-KW wrapping failed" : "AES-KW unwrapping failed", ret)
                    : crypto_buffer(ctx, buf, olen);
  mbedtls_platform_zeroize(buf, size);
  free(buf);
  return out;
}


static JSClassID cipher_class;

typedef struct cipher_state {
  mbedtls_cipher_context_t cipher;
  bool gcm;
} cipher_state;

static void cipher_finalizer(JSRuntime *rt, JSValue val) {
  cipher_state *c = JS_GetOpaque(val, cipher_class);
  if (!c) return;
  mbedtls_cipher_free(&c->cipher);
  free(c);
}

static cipher_state *get_cipher(JSContext *ctx, JSValueConst v) {
  cipher_state *c = JS_GetOpaque(v, cipher_class);
  if (!c) JS_ThrowTypeError(ctx, "expected a native cipher state");
  return c;
}

/* The failures node:crypto tells apart, each with a code of its own. */
static JSValue throw_cipher(JSContext *ctx, int ret) {
  const char *code = ret == MBEDTLS_ERR_CIPHER_INVALID_PADDING      ? "ERR_CRYPTO_BAD_DECRYPT"
                     : ret == MBEDTLS_ERR_CIPHER_FULL_BLOCK_EXPECTED ? "ERR_CRYPTO_WRONG_FINAL_BLOCK_LENGTH"
                     : ret == MBEDTLS_ERR_CIPHER_AUTH_FAILED         ? "ERR_CRYPTO_AUTH_FAILED"
                                                                      : NULL;
  if (code) return JS_Throw(ctx, js_code_error(ctx, code, "cipher failed"));
  return crypto_throw_operation(ctx, "cipher failed", ret);
}

/* cipherNew(mode 'gcm' | 'cbc' | 'ctr', encrypt, key, iv) -> state. CBC pads with PKCS#7
   until cipherPadding turns it off; a GCM iv is 1 to 16 bytes (mbedTLS's cipher layer). */
static JSValue js_cipher_new(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  const char *mode_name = JS_ToCString(ctx, argv[0]);
  if (!mode_name) return JS_EXCEPTION;
  mbedtls_cipher_mode_t mode = !strcmp(mode_name, "gcm")   ? MBEDTLS_MODE_GCM
                               : !strcmp(mode_name, "cbc") ? MBEDTLS_MODE_CBC
                               : !strcmp(mode_name, "ctr") ? MBEDTLS_MODE_CTR
                                                           : MBEDTLS_MODE_NONE;
  JS_FreeCString(ctx, mode_name);
  if (mode == MBEDTLS_MODE_NONE) return JS_ThrowTypeError(ctx, "cipherNew: mode must be 'gcm', 'cbc' or 'ctr'");
  bool encrypt = JS_ToBool(ctx, argv[1]);
  crypto_bytes key, iv;
  if (get_key(ctx, argv[2], &key) < 0 || crypto_get_bytes(ctx, argv[3], &iv, "iv") < 0) return JS_EXCEPTION;
  if (mode == MBEDTLS_MODE_GCM ? iv.len == 0 || iv.len > 16 : iv.len != 16)
    return JS_ThrowTypeError(ctx, "cipherNew: an iv is 16 bytes (GCM: 1 to 16)");
  cipher_state *c = calloc(1, sizeof *c);
  if (!c) return JS_ThrowOutOfMemory(ctx);
  c->gcm = mode == MBEDTLS_MODE_GCM;
  mbedtls_cipher_init(&c->cipher);
  const mbedtls_cipher_info_t *info = mbedtls_cipher_info_from_values(MBEDTLS_CIPHER_ID_AES, (int)key.len * 8, mode);
  int ret = mbedtls_cipher_setup(&c->cipher, info);
  if (ret == 0)
    ret = mbedtls_cipher_setkey(&c->cipher, key.data, (int)key.len * 8, encrypt ? MBEDTLS_ENCRYPT : MBEDTLS_DECRYPT);
  // mbedTLS 3.6 sets no padding of its own: CBC then fails at finish.
  if (ret == 0 && mode == MBEDTLS_MODE_CBC) ret = mbedtls_cipher_set_padding_mode(&c->cipher, MBEDTLS_PADDING_PKCS7);
  if (ret == 0) ret = mbedtls_cipher_set_iv(&c->cipher, iv.data, iv.len);
  if (ret == 0) ret = mbedtls_cipher_reset(&c->cipher);
  JSValue obj = ret == 0 ? JS_NewObjectClass(ctx, (int)cipher_class) : JS_EXCEPTION;
  if (JS_IsException(obj)) {
    mbedtls_cipher_free(&c->cipher);
    free(c);
    return ret != 0 ? crypto_throw_operation(ctx, "cannot set up the cipher", ret) : obj;
  }
  JS_SetOpaque(obj, c);
  return obj;
}

/* cipherPadding(state, enabled): CBC's PKCS#7 padding on or off. */
static JSValue js_cipher_padding(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  cipher_state *c = get_cipher(ctx, argv[0]);
  if (!c) return JS_EXCEPTION;
  int ret = mbedtls_cipher_set_padding_mode(&c->cipher, JS_ToBool(ctx, argv[1]) ? MBEDTLS_PADDING_PKCS7
                                                                                 : MBEDTLS_PADDING_NONE);
  if (ret != 0 && ret != MBEDTLS_ERR_CIPHER_BAD_INPUT_DATA) return throw_cipher(ctx, ret);
  return JS_UNDEFINED;
}

/* cipherAad(state, data): GCM's additional data, before any cipherUpdate. */
static JSValue js_cipher_aad(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  cipher_state *c = get_cipher(ctx, argv[0]);
  crypto_bytes aad;
  if (!c || crypto_get_bytes(ctx, argv[1], &aad, "additionalData") < 0) return JS_EXCEPTION;
  if (!c->gcm) return JS_ThrowTypeError(ctx, "cipherAad: only GCM takes additional data");
  int ret = mbedtls_cipher_update_ad(&c->cipher, aad.data, aad.len);
  if (ret != 0) return throw_cipher(ctx, ret);
  return JS_UNDEFINED;
}

/* cipherUpdate(state, data) -> what the cipher can give out so far (CBC keeps partial blocks). */
static JSValue js_cipher_update(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  cipher_state *c = get_cipher(ctx, argv[0]);
  crypto_bytes data;
  if (!c || crypto_get_bytes(ctx, argv[1], &data, "data") < 0) return JS_EXCEPTION;
  size_t size = data.len + 16, olen = 0;
  uint8_t *buf = malloc(size);
  if (!buf) return JS_ThrowOutOfMemory(ctx);
  int ret = data.len ? mbedtls_cipher_update(&c->cipher, data.data, data.len, buf, &olen) : 0;
  JSValue out = ret != 0 ? throw_cipher(ctx, ret) : crypto_buffer(ctx, buf, olen);
  mbedtls_platform_zeroize(buf, size);
  free(buf);
  return out;
}

/* cipherFinal(state[, tag]) -> the last bytes; a GCM decryption checks the tag here. */
static JSValue js_cipher_final(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  cipher_state *c = get_cipher(ctx, argv[0]);
  crypto_bytes tag = {0};
  bool check = argc > 1 && !JS_IsUndefined(argv[1]);
  if (!c || (check && crypto_get_bytes(ctx, argv[1], &tag, "tag") < 0)) return JS_EXCEPTION;
  unsigned char buf[16];
  size_t olen = 0;
  int ret = mbedtls_cipher_finish(&c->cipher, buf, &olen);
  if (ret == 0 && check) ret = mbedtls_cipher_check_tag(&c->cipher, tag.data, tag.len);
  JSValue out = ret != 0 ? throw_cipher(ctx, ret) : crypto_buffer(ctx, buf, olen);
  mbedtls_platform_zeroize(buf, sizeof buf);
  return out;
}

/* cipherTag(state, bytes) -> a GCM encryption's tag, after cipherFinal. */
static JSValue js_cipher_tag(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  cipher_state *c = get_cipher(ctx, argv[0]);
  size_t len;
  if (!c || crypto_get_size(ctx, argv[1], 16, &len, "tagBytes") < 0) return JS_EXCEPTION;
  unsigned char tag[16];
  int ret = mbedtls_cipher_write_tag(&c->cipher, tag, len);
  if (ret != 0) return throw_cipher(ctx, ret);
  return crypto_buffer(ctx, tag, len);
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("aesGcm", 6, js_aes_gcm),
    JS_CFUNC_DEF("aesCbc", 4, js_aes_cbc),
    JS_CFUNC_DEF("aesCtr", 4, js_aes_ctr),
    JS_CFUNC_DEF("aesKw", 3, js_aes_kw),
    JS_CFUNC_DEF("cipherNew", 4, js_cipher_new),
    JS_CFUNC_DEF("cipherPadding", 2, js_cipher_padding),
    JS_CFUNC_DEF("cipherAad", 2, js_cipher_aad),
    JS_CFUNC_DEF("cipherUpdate", 2, js_cipher_update),
    JS_CFUNC_DEF("cipherFinal", 2, js_cipher_final),
    JS_CFUNC_DEF("cipherTag", 2, js_cipher_tag),
};

void crypto_aes_init(JSContext *ctx, JSValueConst core) {
  JS_NewClassID(&cipher_class);
  JSClassDef def = {.class_name = "CipherState", .finalizer = cipher_finalizer};
  JS_NewClass(JS_GetRuntime(ctx), cipher_class, &def);
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
