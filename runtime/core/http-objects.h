// The web layer's Request and Response as the core builds and reads them. With serve's
// `request` option the core makes each request's Request itself (its prototype and the
// symbol-keyed fields runtime/web/request.ts reads), so no JS runs to build it; with the
// `response` option, respondWith reads a returned Response's status, header list and body
// from its fields and answers in the same call. On QuickJS each JS call and each
// symbol-keyed store in JS costs hundreds of instructions; these are a few dozen each here.
#pragma once
#include "quickjs.h"
#include <stdbool.h>
#include <stdint.h>

/** Reads serve's options.request and options.response (either may be absent); -1 after throwing. */
int http_objects_configure(JSContext *ctx, JSValueConst options);
/** True when serve named the Request's fields: on_request then passes one Request. */
bool http_objects_have_request(void);
/** A Request over these values (taken: freed or owned by it); body is an ArrayBuffer or null. */
JSValue http_objects_request(JSContext *ctx, JSValue method, JSValue url, JSValue headers, JSValue body);

/** A Response's parts, each a new reference when read (free with http_objects_free_parts). */
typedef struct {
  int32_t status;
  JSValue headers, body;
} http_response_parts;

/**
 * 1 with the parts when `res` is one of the web layer's own Responses (its prototype is
 * Response.prototype itself) whose body is a string, a Uint8Array or null and was never made
 * into a stream, and `request` carries no error a Hono error handler answered; 0 for anything
 * else (the shim then takes its own path); -1 after throwing.
 */
int http_objects_response(JSContext *ctx, JSValueConst res, JSValueConst request, http_response_parts *out);
void http_objects_free_parts(JSContext *ctx, http_response_parts *parts);
