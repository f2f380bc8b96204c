// Helpers the JS-facing modules share: Errors with a `.code` and reading byte-like JS
// values without copying (plus env.h: configuration from the environment, fatal errors).
#pragma once
#include "env.h"
#include "quickjs.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define countof(a) (sizeof(a) / sizeof((a)[0]))

/** The errno's symbolic name, e.g. "ECONNREFUSED". */
const char *errno_code(int err);
/** new Error(message) with .code set. */
JSValue js_code_error(JSContext *ctx, const char *code, const char *message);
/** new Error(strerror(err)) with .code = errno_code(err) and .syscall. */
JSValue js_errno_error(JSContext *ctx, int err, const char *syscall);

/** Bytes of a string (as UTF-8), ArrayBuffer or ArrayBufferView, valid until js_bytes_free. */
typedef struct js_bytes {
  const uint8_t *data;
  size_t len;
  const char *cstr; /* set when the value was a string */
} js_bytes;
/** Returns -1 after throwing a TypeError naming `what` when the value is none of those. */
int js_get_bytes(JSContext *ctx, JSValueConst v, js_bytes *out, const char *what);
void js_bytes_free(JSContext *ctx, js_bytes *b);
/** Replaces the 3-byte encodings of lone surrogates (which QuickJS emits) with U+FFFD, in place. */
void utf8_fix_surrogates(uint8_t *s, size_t n);
/** True for an ordinary object: a plain object or a class instance (the engine's
    JS_CLASS_OBJECT, not in its header); false for a Proxy, an array, a function or a primitive. */
bool js_is_ordinary_object(JSValueConst v);
/** True for a Uint8Array (a Buffer too: its class is Uint8Array's). */
bool js_is_uint8_array(JSValueConst v);
/** Finds the engine's class ids for ArrayBuffer and the views; call once per context. */
void util_init(JSContext *ctx);
/** Reads an id made by handle_add; -1 after a TypeError when v is not such a number. */
int js_get_id(JSContext *ctx, JSValueConst v, uint64_t *id);
/** Throws TypeError unless v is a function. */
int js_check_function(JSContext *ctx, JSValueConst v, const char *what);
/** options[key] into out (NUL-terminated): *found is false when it is undefined; -1 after a
    TypeError when options is not an object, or the value is no string or does not fit. */
int js_get_string_option(JSContext *ctx, JSValueConst options, const char *key, char *out, size_t size, bool *found);
