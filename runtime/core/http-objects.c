#include "http-objects.h"
#include "util.h"
#include <string.h>

typedef struct {
  JSValue proto;
  JSAtom source, headers, method, url;
} request_fields;

typedef struct {
  JSValue proto;
  JSAtom source, headers, status, stream, handled;
} response_fields;

static bool have_request, have_response;
static request_fields rq;
static response_fields rs;

/* options[key] as an atom: a symbol the web layer made. */
static int field(JSContext *ctx, JSValueConst options, const char *what, const char *key, JSAtom *out) {
  JSValue v = JS_GetPropertyStr(ctx, options, key);
  if (JS_IsException(v)) return -1;
  if (!JS_IsSymbol(v)) {
    JS_FreeValue(ctx, v);
    JS_ThrowTypeError(ctx, "serve: options.%s.%s must be a symbol", what, key);
    return -1;
  }
  *out = JS_ValueToAtom(ctx, v);
  JS_FreeValue(ctx, v);
  return 0;
}

static int prototype(JSContext *ctx, JSValueConst options, const char *what, JSValue *out) {
  JSValue v = JS_GetPropertyStr(ctx, options, "prototype");
  if (JS_IsException(v)) return -1;
  if (!JS_IsObject(v)) {
    JS_FreeValue(ctx, v);
    JS_ThrowTypeError(ctx, "serve: options.%s.prototype must be an object", what);
    return -1;
  }
  *out = v; /* kept for the process's life, as the classes are */
  return 0;
}

/* options[what], or JS_UNDEFINED when absent; JS_EXCEPTION after throwing. */
static JSValue section(JSContext *ctx, JSValueConst options, const char *what) {
  if (!JS_IsObject(options)) return JS_UNDEFINED;
  JSValue v = JS_GetPropertyStr(ctx, options, what);
  if (JS_IsException(v) || JS_IsUndefined(v)) return v;
  if (!JS_IsObject(v)) {
    JS_FreeValue(ctx, v);
    JS_ThrowTypeError(ctx, "serve: options.%s must be an object", what);
    return JS_EXCEPTION;
  }
  return v;
}

int http_objects_configure(JSContext *ctx, JSValueConst options) {
  JSValue r = section(ctx, options, "request");
  if (JS_IsException(r)) return -1;
  if (!JS_IsUndefined(r)) {
    int bad = prototype(ctx, r, "request", &rq.proto) || field(ctx, r, "request", "source", &rq.source) ||
              field(ctx, r, "request", "headers", &rq.headers) || field(ctx, r, "request", "method", &rq.method) ||
              field(ctx, r, "request", "url", &rq.url);
    JS_FreeValue(ctx, r);
    if (bad) return -1;
    have_request = true;
  }
  JSValue s = section(ctx, options, "response");
  if (JS_IsException(s)) return -1;
  if (!JS_IsUndefined(s)) {
    int bad = prototype(ctx, s, "response", &rs.proto) || field(ctx, s, "response", "source", &rs.source) ||
              field(ctx, s, "response", "headers", &rs.headers) || field(ctx, s, "response", "status", &rs.status) ||
              field(ctx, s, "response", "stream", &rs.stream) || field(ctx, s, "response", "handled", &rs.handled);
    JS_FreeValue(ctx, s);
    if (bad) return -1;
    have_response = true;
  }
  return 0;
}

bool http_objects_have_request(void) {
  return have_request;
}

/* The fields in the order runtime/web/request.ts sets them, so the objects share one shape. */
JSValue http_objects_request(JSContext *ctx, JSValue method, JSValue url, JSValue headers, JSValue body) {
  JSValue source = JS_NULL;
  if (!JS_IsNull(body)) {
    /* the engine reads the offset and length arguments even when they are not passed */
    JSValueConst args[3] = {body, JS_UNDEFINED, JS_UNDEFINED};
    source = JS_NewTypedArray(ctx, 3, args, JS_TYPED_ARRAY_UINT8);
    JS_FreeValue(ctx, body);
  }
  JSValue r = JS_IsException(source) ? JS_EXCEPTION : JS_NewObjectProto(ctx, rq.proto);
  if (JS_IsException(r)) {
    JS_FreeValue(ctx, source);
    JS_FreeValue(ctx, method);
    JS_FreeValue(ctx, url);
    JS_FreeValue(ctx, headers);
    return JS_EXCEPTION;
  }
  /* each define takes its value, done or not */
  if (JS_DefinePropertyValue(ctx, r, rq.source, source, JS_PROP_C_W_E) < 0 ||
      JS_DefinePropertyValue(ctx, r, rq.headers, headers, JS_PROP_C_W_E) < 0 ||
      JS_DefinePropertyValue(ctx, r, rq.method, method, JS_PROP_C_W_E) < 0 ||
      JS_DefinePropertyValue(ctx, r, rq.url, url, JS_PROP_C_W_E) < 0) {
    JS_FreeValue(ctx, r);
    return JS_EXCEPTION;
  }
  return r;
}

static bool own_prototype(JSContext *ctx, JSValueConst v, JSValueConst proto) {
  /* an ordinary object: reading a Proxy's prototype would run its trap */
  if (!js_is_ordinary_object(v)) return false;
  JSValue p = JS_GetPrototype(ctx, v);
  bool same = JS_VALUE_GET_PTR(p) == JS_VALUE_GET_PTR(proto);
  JS_FreeValue(ctx, p);
  return same;
}

/* 1 when v is undefined, 0 when not, -1 after throwing. */
static int absent(JSContext *ctx, JSValueConst obj, JSAtom key) {
  JSValue v = JS_GetProperty(ctx, obj, key);
  if (JS_IsException(v)) return -1;
  int r = JS_IsUndefined(v);
  JS_FreeValue(ctx, v);
  return r;
}

int http_objects_response(JSContext *ctx, JSValueConst res, JSValueConst request, http_response_parts *out) {
  out->headers = out->body = JS_UNDEFINED;
  if (!have_response || !own_prototype(ctx, res, rs.proto) || !JS_IsObject(request)) return 0;
  int r = absent(ctx, res, rs.stream);
  if (r > 0) r = absent(ctx, request, rs.handled);
  if (r <= 0) return r;
  out->body = JS_GetProperty(ctx, res, rs.source);
  if (JS_IsException(out->body)) return -1;
  if (!JS_IsNull(out->body) && !JS_IsString(out->body) && !js_is_uint8_array(out->body)) {
    http_objects_free_parts(ctx, out);
    return 0; /* a Blob's or a stream's body: the shim reads it */
  }
  JSValue status = JS_GetProperty(ctx, res, rs.status);
  if (JS_IsException(status) || JS_ToInt32(ctx, &out->status, status) < 0) {
    JS_FreeValue(ctx, status);
    http_objects_free_parts(ctx, out);
    return -1;
  }
  JS_FreeValue(ctx, status);
  out->headers = JS_GetProperty(ctx, res, rs.headers);
  if (JS_IsException(out->headers)) {
    http_objects_free_parts(ctx, out);
    return -1;
  }
  return 1;
}

void http_objects_free_parts(JSContext *ctx, http_response_parts *parts) {
  JS_FreeValue(ctx, parts->headers);
  JS_FreeValue(ctx, parts->body);
  parts->headers = parts->body = JS_UNDEFINED;
}
