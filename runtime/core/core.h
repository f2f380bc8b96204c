// The `__core` object's modules. Each installs its functions on `core` (see
// runtime/web/core.ts for the contract every one of them implements).
#pragma once
#include "quickjs.h"

void os_init(JSContext *ctx, JSValueConst core, int argc, char **argv);
void encoding_init(JSContext *ctx, JSValueConst core);
void headers_init(JSContext *ctx, JSValueConst core);
void timers_init(JSContext *ctx, JSValueConst core);
void tcp_init(JSContext *ctx, JSValueConst core);
void dns_init(JSContext *ctx, JSValueConst core);
void http_server_init(JSContext *ctx, JSValueConst core);
void builtins_init(JSContext *ctx, JSValueConst core);
void crypto_init(JSContext *ctx, JSValueConst core);
void async_context_init(JSContext *ctx, JSValueConst core);
void zlib_init(JSContext *ctx, JSValueConst core);
void tls_init(JSContext *ctx, JSValueConst core);

/** [builtins.c] Evaluates the lazy builtin `name` and returns its exports (JS_EXCEPTION after throwing). */
JSValue builtins_load(JSContext *ctx, const char *name);
