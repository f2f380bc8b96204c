#include "http-respond.h"
#include "host.h"
#include "http-dispatch.h"
#include "http-objects.h"
#include "http-wire.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

static conn *find(JSContext *ctx, JSValueConst v, bool *bad) {
  uint64_t id;
  *bad = js_get_id(ctx, v, &id) < 0;
  return *bad ? NULL : http_dispatch_find(id);
}

static int get_status(JSContext *ctx, JSValueConst v, int32_t *status) {
  if (JS_ToInt32(ctx, status, v) < 0) return -1;
  if (*status < 200 || *status > 999) {
    JS_ThrowTypeError(ctx, "status must be 200 to 999, not %d", *status);
    return -1;
  }
  return 0;
}

typedef struct {
  bool content_length, date, request_id, content_type;
} head_flags;

static char *default_type;
static size_t default_type_len;
static JSAtom length_atom;

void http_respond_set_default_type(const char *type) {
  free(default_type);
  default_type = type ? strdup(type) : NULL;
  default_type_len = type ? strlen(type) : 0;
}

#define FETCH_TEXT_TYPE "text/plain;charset=UTF-8"

/* Appends the JS headers; the core owns framing (content-length unless allowed, transfer-encoding, connection). */
static int write_headers(JSContext *ctx, conn *c, JSValueConst list, bool keep_length, head_flags *f) {
  if (!JS_IsArray(ctx, list)) {
    JS_ThrowTypeError(ctx, "headers must be a flat array [name, value, ...]");
    return -1;
  }
  uint32_t len;
  JSValue lv = JS_GetProperty(ctx, list, length_atom);
  int bad = JS_ToUint32(ctx, &len, lv);
  JS_FreeValue(ctx, lv);
  if (bad) return -1;
  if (len % 2) {
    JS_ThrowTypeError(ctx, "headers must hold name/value pairs");
    return -1;
  }
  for (uint32_t i = 0; i < len; i += 2) {
    JSValue nv = JS_GetPropertyUint32(ctx, list, i), vv = JS_GetPropertyUint32(ctx, list, i + 1);
    size_t nlen, vlen;
    const char *name = JS_ToCStringLen(ctx, &nlen, nv);
    const char *value = name ? JS_ToCStringLen(ctx, &vlen, vv) : NULL;
    JS_FreeValue(ctx, nv);
    JS_FreeValue(ctx, vv);
    int err = !name || !value ? -1 : http_header_check(name, nlen, value, vlen);
    if (err > 0)
      JS_ThrowTypeError(ctx, err == HTTP_BAD_NAME ? "invalid header name '%.64s'" : "invalid value for header '%.64s'",
                        name);
    if (!err) {
      bool skip = false;
      switch (http_header_classify(name, nlen)) {
      case HTTP_HEADER_CONTENT_LENGTH:
        skip = !keep_length;
        f->content_length |= keep_length;
        break;
      case HTTP_HEADER_FRAMING: skip = true; break;
      case HTTP_HEADER_DATE: f->date = true; break;
      case HTTP_HEADER_REQUEST_ID: f->request_id = true; break;
      case HTTP_HEADER_CONTENT_TYPE:
        f->content_type = true;
        if (default_type && vlen == sizeof FETCH_TEXT_TYPE - 1 && memcmp(value, FETCH_TEXT_TYPE, vlen) == 0) {
          http_write_header(&c->out, name, nlen, default_type, default_type_len);
          skip = true;
        }
        break;
      case HTTP_HEADER_OTHER: break;
      }
      if (!skip) http_write_header(&c->out, name, nlen, value, vlen);
    }
    if (name) JS_FreeCString(ctx, name);
    if (value) JS_FreeCString(ctx, value);
    if (err) return -1;
  }
  return 0;
}

static void finish_head(conn *c, const head_flags *f) {
  buf *b = &c->out;
  if (!f->content_type && default_type) http_write_header(b, "content-type", 12, default_type, default_type_len);
  if (!f->date) http_write_date(b);
  if (!f->request_id && c->request_id_len) http_write_request_id(b, c->request_id, c->request_id_len);
  c->keep_alive = c->keep_alive && !conn_draining && !c->eof;
  http_write_head_end(b, c->keep_alive);
}

/* The whole response in one write: status line, headers, framing and the body (a string,
   bytes, or null/undefined for none). */
static JSValue answer(JSContext *ctx, conn *c, int32_t status, JSValueConst headers, JSValueConst bodyv) {
  js_bytes body = {(const uint8_t *)"", 0, NULL};
  if (!JS_IsNull(bodyv) && !JS_IsUndefined(bodyv) && js_get_bytes(ctx, bodyv, &body, "body") < 0) return JS_EXCEPTION;
  c->no_body = status == 204 || status == 304;
  size_t mark = buf_size(&c->out);
  head_flags f = {0};
  http_write_status(&c->out, status);
  // JS knows the length only where no body follows: HEAD, or 304 describing the resource.
  if (write_headers(ctx, c, headers, c->head_only || status == 304, &f) < 0) {
    c->out.len = c->out.pos + mark;
    js_bytes_free(ctx, &body);
    return JS_EXCEPTION;
  }
  if (!c->no_body && !f.content_length) http_write_content_length(&c->out, body.len);
  finish_head(c, &f);
  if (!c->head_only && !c->no_body && body.len > 0) {
    buf_append(&c->out, body.data, body.len);
    c->body_bytes_out = body.len;
  }
  js_bytes_free(ctx, &body);
  c->status = status;
  conn_response_done(c);
  return JS_TRUE;
}

/* respond's and respondHead's (req, status) arguments: 1 with the connection awaiting its
   answer, 0 when the request is gone, -1 after throwing. */
static int answering(JSContext *ctx, JSValueConst *argv, conn **c, int32_t *status) {
  bool bad;
  *c = find(ctx, argv[0], &bad);
  if (bad || get_status(ctx, argv[1], status) < 0) return -1;
  return *c && (*c)->state == ST_HANDLER;
}

static JSValue js_respond(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  conn *c;
  int32_t status;
  int r = answering(ctx, argv, &c, &status);
  if (r <= 0) return r < 0 ? JS_EXCEPTION : JS_FALSE;
  return answer(ctx, c, status, argv[2], argv[3]);
}

/* respondWith(req, response, request, faults): answers a plain Response (http-objects.h) in
   this call and returns true, or returns false without answering: for any other value, or when
   the heap limit or the handler timeout was hit since the request began (faults: the count
   then), so the shim reports that instead. True too when the connection is gone. */
static JSValue js_respond_with(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  bool bad;
  conn *c = find(ctx, argv[0], &bad);
  if (bad) return JS_EXCEPTION;
  int64_t faults;
  if (JS_ToInt64(ctx, &faults, argv[3]) < 0) return JS_EXCEPTION;
  if ((int64_t)(host_oom_count() + host_interrupt_count()) != faults) return JS_FALSE;
  http_response_parts parts;
  int r = http_objects_response(ctx, argv[1], argv[2], &parts);
  if (r <= 0) return r < 0 ? JS_EXCEPTION : JS_FALSE;
  JSValue out = JS_TRUE;
  if (c && c->state == ST_HANDLER) {
    if (parts.status < 200 || parts.status > 999)
      out = JS_FALSE; /* Response.error()'s 0 and the like */
    else
      out = answer(ctx, c, parts.status, parts.headers, parts.body);
  }
  http_objects_free_parts(ctx, &parts);
  return out;
}

static JSValue js_respond_head(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  conn *c;
  int32_t status;
  int r = answering(ctx, argv, &c, &status);
  if (r <= 0) return r < 0 ? JS_EXCEPTION : JS_FALSE;
  c->no_body = status == 204 || status == 304;
  size_t mark = buf_size(&c->out);
  head_flags f = {0};
  http_write_status(&c->out, status);
  if (write_headers(ctx, c, argv[2], false, &f) < 0) {
    c->out.len = c->out.pos + mark;
    return JS_EXCEPTION;
  }
  if (!c->no_body && c->http10) {
    c->keep_alive = false; /* HTTP/1.0 has no chunks: the body ends when the connection does */
  } else if (!c->no_body) {
    http_write_chunked_header(&c->out);
    c->chunked_out = true;
  }
  finish_head(c, &f);
  c->status = status;
  c->state = ST_STREAM;
  loop_timer_stop(&c->timer);
  conn_want_flush(c);
  return JS_TRUE;
}

static JSValue js_respond_write(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  bool bad;
  conn *c = find(ctx, argv[0], &bad);
  if (bad) return JS_EXCEPTION;
  js_bytes chunk;
  if (js_get_bytes(ctx, argv[1], &chunk, "chunk") < 0) return JS_EXCEPTION;
  if (!c || c->state != ST_STREAM) {
    js_bytes_free(ctx, &chunk);
    return JS_FALSE;
  }
  if (chunk.len > 0 && !c->head_only && !c->no_body) {
    if (c->chunked_out)
      http_write_chunk(&c->out, chunk.data, chunk.len);
    else
      buf_append(&c->out, chunk.data, chunk.len);
    c->body_bytes_out += chunk.len;
  }
  js_bytes_free(ctx, &chunk);
  if (buf_size(&c->out) >= OUT_HIGH_WATER)
    conn_flush(c);
  else
    conn_want_flush(c);
  return JS_NewBool(ctx, c->state == ST_STREAM && buf_size(&c->out) < OUT_HIGH_WATER);
}

static JSValue js_respond_end(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  bool bad;
  conn *c = find(ctx, argv[0], &bad);
  if (bad) return JS_EXCEPTION;
  if (!c || c->state != ST_STREAM) return JS_UNDEFINED;
  if (c->chunked_out && !c->head_only) http_write_last_chunk(&c->out);
  conn_response_done(c);
  return JS_UNDEFINED;
}

static JSValue js_on_drain(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  bool bad;
  conn *c = find(ctx, argv[0], &bad);
  if (bad || js_check_function(ctx, argv[1], "onDrain callback") < 0) return JS_EXCEPTION;
  if (!c || buf_size(&c->out) < OUT_HIGH_WATER) {
    JSValue r = JS_Call(ctx, argv[1], JS_UNDEFINED, 0, NULL);
    if (JS_IsException(r)) return r;
    JS_FreeValue(ctx, r);
    return JS_UNDEFINED;
  }
  http_dispatch_on_drain(c, argv[1]);
  return JS_UNDEFINED;
}

static JSValue js_is_open(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  bool bad;
  conn *c = find(ctx, argv[0], &bad);
  if (bad) return JS_EXCEPTION;
  return JS_NewBool(ctx, c != NULL);
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("respond", 4, js_respond),          JS_CFUNC_DEF("respondWith", 4, js_respond_with),
    JS_CFUNC_DEF("respondHead", 3, js_respond_head), JS_CFUNC_DEF("respondWrite", 2, js_respond_write),
    JS_CFUNC_DEF("onDrain", 2, js_on_drain),         JS_CFUNC_DEF("respondEnd", 1, js_respond_end),
    JS_CFUNC_DEF("isOpen", 1, js_is_open),
};

void http_respond_init(JSContext *ctx, JSValueConst core) {
  length_atom = JS_NewAtom(ctx, "length");
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
