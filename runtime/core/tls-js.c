// [tls-js.c] TLS sessions for JS (runtime/web/tls-connection.ts): a session is a native
// object, freed with it or by tlsEnd, that takes ciphertext and plaintext in and gives both
// back, never touching a socket; the JS side moves the bytes over its transport. So fetch
// runs it over a TCP socket of tcp.c, and a socket's startTls() can run it over a
// connection that is already open.
#include "core.h"
#include "tls-session.h"
#include "util.h"
#include <string.h>

static JSClassID session_class;

typedef struct session_box {
  tls_session *s;
} session_box;

static void session_finalizer(JSRuntime *rt, JSValue val) {
  session_box *box = JS_GetOpaque(val, session_class);
  if (!box) return;
  tls_session_free(box->s);
  js_free_rt(rt, box);
}

static JSValue failure_error(JSContext *ctx, const tls_failure *f) {
  return js_code_error(ctx, f->code, f->message);
}

/** The buffer's bytes as a new ArrayBuffer (null when empty), and the buffer emptied. */
static JSValue take(JSContext *ctx, buf *b) {
  if (buf_size(b) == 0) return JS_NULL;
  JSValue ab = JS_NewArrayBufferCopy(ctx, (const uint8_t *)buf_head(b), buf_size(b));
  buf_clear(b);
  buf_trim(b, 16384);
  return ab;
}

static tls_session *get(JSContext *ctx, JSValueConst v) {
  session_box *box = JS_GetOpaque2(ctx, v, session_class);
  if (!box) return NULL;
  if (!box->s) JS_ThrowTypeError(ctx, "TLS session already ended");
  return box->s;
}

/* tlsNew(host, verify, { ca?: string, alpn?: boolean }?) */
static JSValue js_tls_new(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  const char *host = JS_ToCString(ctx, argv[0]);
  if (!host) return JS_EXCEPTION;
  if (strlen(host) >= 256) {
    JS_FreeCString(ctx, host);
    return JS_ThrowTypeError(ctx, "tlsNew: the host name is too long");
  }
  tls_session_options o = {.host = host, .verify = JS_ToBool(ctx, argv[1])};
  const char *ca = NULL;
  if (argc > 2 && JS_IsObject(argv[2])) {
    JSValue v = JS_GetPropertyStr(ctx, argv[2], "ca");
    if (JS_IsString(v)) ca = JS_ToCString(ctx, v);
    JS_FreeValue(ctx, v);
    v = JS_GetPropertyStr(ctx, argv[2], "alpn");
    o.no_alpn = JS_IsBool(v) && !JS_ToBool(ctx, v);
    JS_FreeValue(ctx, v);
  }
  o.ca_pem = ca;
  tls_failure fail = {0};
  tls_session *s = tls_session_new(&o, &fail);
  JS_FreeCString(ctx, host);
  if (ca) JS_FreeCString(ctx, ca);
  if (!s) return JS_Throw(ctx, failure_error(ctx, &fail));
  JSValue obj = JS_NewObjectClass(ctx, (int)session_class);
  session_box *box = JS_IsException(obj) ? NULL : js_malloc(ctx, sizeof *box);
  if (!box) {
    tls_session_free(s);
    JS_FreeValue(ctx, obj);
    return JS_EXCEPTION;
  }
  box->s = s;
  JS_SetOpaque(obj, box);
  return obj;
}

/* tlsPush(session, ciphertext | undefined, eof) -> [state, output, plaintext, error] */
static JSValue js_tls_push(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  tls_session *s = get(ctx, argv[0]);
  if (!s) return JS_EXCEPTION;
  if (!JS_IsUndefined(argv[1])) {
    js_bytes b;
    if (js_get_bytes(ctx, argv[1], &b, "tlsPush's data") < 0) return JS_EXCEPTION;
    tls_session_feed(s, b.data, b.len, JS_ToBool(ctx, argv[2]));
    js_bytes_free(ctx, &b);
  } else {
    tls_session_feed(s, NULL, 0, JS_ToBool(ctx, argv[2]));
  }
  tls_state state = tls_session_advance(s);
  JSValue r = JS_NewArray(ctx);
  if (JS_IsException(r)) return r;
  JS_SetPropertyUint32(ctx, r, 0, JS_NewInt32(ctx, state));
  JS_SetPropertyUint32(ctx, r, 1, take(ctx, tls_session_output(s)));
  JS_SetPropertyUint32(ctx, r, 2, take(ctx, tls_session_plain(s)));
  JS_SetPropertyUint32(ctx, r, 3, state == TLS_FAILED ? failure_error(ctx, tls_session_failure(s)) : JS_UNDEFINED);
  return r;
}

/* tlsWrite(session, data) -> ciphertext to send */
static JSValue js_tls_write(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  tls_session *s = get(ctx, argv[0]);
  if (!s) return JS_EXCEPTION;
  js_bytes b;
  if (js_get_bytes(ctx, argv[1], &b, "tlsWrite's data") < 0) return JS_EXCEPTION;
  bool ok = tls_session_write(s, b.data, b.len);
  js_bytes_free(ctx, &b);
  if (!ok) {
    if (tls_session_state(s) == TLS_FAILED) return JS_Throw(ctx, failure_error(ctx, tls_session_failure(s)));
    return JS_Throw(
        ctx, js_code_error(ctx, "ERR_TLS_NOT_OPEN", "TLS: write before the handshake finished or after the end"));
  }
  return take(ctx, tls_session_output(s));
}

/* tlsEnd(session) -> the close_notify alert to send (when open); frees the session. */
static JSValue js_tls_end(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  session_box *box = JS_GetOpaque2(ctx, argv[0], session_class);
  if (!box) return JS_EXCEPTION;
  if (!box->s) return JS_NULL;
  tls_session_close(box->s);
  JSValue out = take(ctx, tls_session_output(box->s));
  tls_session_free(box->s);
  box->s = NULL;
  return out;
}

/* tlsShutdown(session) -> the close_notify alert to send; the session goes on decrypting. */
static JSValue js_tls_shutdown(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  tls_session *s = get(ctx, argv[0]);
  if (!s) return JS_EXCEPTION;
  tls_session_shutdown(s);
  return take(ctx, tls_session_output(s));
}

/* tlsInfo(session) -> { protocol, alpnProtocol, cipher, authorizationError } */
static JSValue js_tls_info(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  tls_session *s = get(ctx, argv[0]);
  if (!s) return JS_EXCEPTION;
  const char *version, *alpn, *cipher, *unauthorized;
  tls_session_info(s, &version, &alpn, &cipher, &unauthorized);
  JSValue o = JS_NewObject(ctx);
  JS_SetPropertyStr(ctx, o, "protocol", JS_NewString(ctx, version));
  JS_SetPropertyStr(ctx, o, "alpnProtocol", alpn[0] ? JS_NewString(ctx, alpn) : JS_FALSE);
  JS_SetPropertyStr(ctx, o, "cipher", JS_NewString(ctx, cipher));
  JS_SetPropertyStr(ctx, o, "authorizationError", unauthorized ? JS_NewString(ctx, unauthorized) : JS_NULL);
  return o;
}

/* tlsTrustCount() -> certificates in the trust store (loading it). */
static JSValue js_tls_trust_count(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  tls_trust();
  return JS_NewInt32(ctx, tls_trust_count());
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("tlsNew", 3, js_tls_new),
    JS_CFUNC_DEF("tlsPush", 3, js_tls_push),
    JS_CFUNC_DEF("tlsWrite", 2, js_tls_write),
    JS_CFUNC_DEF("tlsEnd", 1, js_tls_end),
    JS_CFUNC_DEF("tlsShutdown", 1, js_tls_shutdown),
    JS_CFUNC_DEF("tlsInfo", 1, js_tls_info),
    JS_CFUNC_DEF("tlsTrustCount", 0, js_tls_trust_count),
};

void tls_init(JSContext *ctx, JSValueConst core) {
  JS_NewClassID(&session_class);
  JSClassDef def = {.class_name = "TlsSession", .finalizer = session_finalizer};
  JS_NewClass(JS_GetRuntime(ctx), session_class, &def);
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
