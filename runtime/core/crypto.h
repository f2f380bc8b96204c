// What the crypto-*.c modules share: the random generator mbedTLS draws from, bytes in
// and out, hash names, errors, and the native key objects (crypto-keys.c). The web layer
// (runtime/web/crypto-*.ts) checks arguments as the Web Crypto spec says, node:crypto
// (runtime/node/crypto/*.ts) as Node does; both call these with canonical values only;
// what is left to fail here fails as:
//   TypeError                            an argument of the wrong type or out of range
//   Error, code ERR_CRYPTO_INVALID_KEY   key material that does not parse or check (DataError)
//   Error, code ERR_CRYPTO_OPERATION     the operation itself failed (OperationError)
#pragma once
#include "quickjs.h"
#include "mbedtls/md.h"
#include "mbedtls/pk.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** mbedTLS's f_rng: a CTR_DRBG seeded from getrandom(2) on first use. `ctx` is unused. */
int crypto_random(void *ctx, unsigned char *out, size_t len);

/** SHA-1/256/384/512 by the Web Crypto name, and SHA-224 and MD5 (node:crypto); TypeError for any other. */
int crypto_get_md(JSContext *ctx, JSValueConst name, mbedtls_md_type_t *md);

/** Bytes of an ArrayBuffer or view (not a string), valid while the value lives. */
typedef struct crypto_bytes {
  const uint8_t *data;
  size_t len;
} crypto_bytes;
int crypto_get_bytes(JSContext *ctx, JSValueConst v, crypto_bytes *out, const char *what);
/** Like crypto_get_bytes, but undefined gives zero bytes. */
int crypto_get_optional_bytes(JSContext *ctx, JSValueConst v, crypto_bytes *out, const char *what);
/** A non-negative integer up to max; TypeError otherwise. */
int crypto_get_size(JSContext *ctx, JSValueConst v, size_t max, size_t *out, const char *what);

/** A new ArrayBuffer holding a copy of the bytes. */
JSValue crypto_buffer(JSContext *ctx, const uint8_t *data, size_t len);
/** An ArrayBuffer of len bytes for the caller to fill (through *data). */
JSValue crypto_new_buffer(JSContext *ctx, size_t len, uint8_t **data);

/** Throws Error with code ERR_CRYPTO_OPERATION; `ret` (an mbedTLS error, or 0) goes into the message. */
JSValue crypto_throw_operation(JSContext *ctx, const char *what, int ret);
/** Throws Error with code ERR_CRYPTO_INVALID_KEY. */
JSValue crypto_throw_invalid_key(JSContext *ctx, const char *what, int ret);

/** An RSA or EC key in a native key object (crypto-keys.c), which frees it with the object. */
typedef struct crypto_key {
  mbedtls_pk_context pk;
  bool is_private;
} crypto_key;
/** A zeroed key set up for `type` (MBEDTLS_PK_RSA or MBEDTLS_PK_ECKEY); NULL when memory ran out. */
crypto_key *crypto_key_alloc(mbedtls_pk_type_t type, bool is_private);
void crypto_key_free(crypto_key *key);
/** Wraps the key in a new native key object, which takes it over (it is freed on failure too). */
JSValue crypto_key_new(JSContext *ctx, crypto_key *key);
/** The key inside a native key object of that type, or NULL after a TypeError. */
crypto_key *crypto_key_get(JSContext *ctx, JSValueConst v, mbedtls_pk_type_t type);
