// [http-server.c] the __core side of the server: serve, respond, the streaming calls,
// isOpen, oomCount and gc. A request id names a connection slot plus a serial, so an id
// kept past its response (or its connection) finds nothing and the call returns false.
#include "core.h"
#include "http-conn.h"
#include "host.h"
#include "util.h"
#include <string.h>

int http_listen(void); /* http-listen.c */

JSValue http_on_request;

enum { SLOT_BITS = 20 };

uint64_t http_next_req_id(conn *c) {
  static uint64_t serial;
  serial = (serial + 1) & 0xffffffff;
  if (serial == 0) serial = 1;
  return serial << SLOT_BITS | c->slot;
}

static conn *find(JSContext *ctx, JSValueConst v, bool *bad) {
  uint64_t id;
  *bad = js_get_id(ctx, v, &id) < 0;
  if (*bad) return NULL;
  conn *c = conn_by_slot((uint32_t)(id & ((1u << SLOT_BITS) - 1)));
  return c && c->req_id == id && (c->state == ST_HANDLER || c->state == ST_STREAM) ? c : NULL;
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
  bool content_length, date, request_id;
} head_flags;

static bool ieq(const char *a, size_t n, const char *lit) {
  return n == strlen(lit) && strncasecmp(a, lit, n) == 0;
}

/* Appends the JS headers; the core owns framing (content-length unless allowed, transfer-encoding, connection). */
static int write_headers(JSContext *ctx, conn *c, JSValueConst list, bool keep_length, head_flags *f) {
  if (!JS_IsArray(ctx, list)) {
    JS_ThrowTypeError(ctx, "headers must be a flat array [name, value, ...]");
    return -1;
  }
  uint32_t len;
  JSValue lv = JS_GetPropertyStr(ctx, list, "length");
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
    int err = !name || !value ? -1 : 0;
    for (size_t j = 0; !err && j < nlen; j++)
      if (!http_is_tchar((unsigned char)name[j])) err = 1;
    if (!err && nlen == 0) err = 1;
    for (size_t j = 0; !err && j < vlen; j++) {
      unsigned char ch = (unsigned char)value[j];
      if ((ch < 0x20 && ch != '\t') || ch == 0x7F) err = 2; /* CR/LF would split the response */
    }
    if (err > 0)
      JS_ThrowTypeError(ctx, err == 1 ? "invalid header name '%.64s'" : "invalid value for header '%.64s'", name);
    bool skip = false;
    if (!err) {
      if (ieq(name, nlen, "content-length"))
        skip = !keep_length, f->content_length |= keep_length;
      else if (ieq(name, nlen, "transfer-encoding") || ieq(name, nlen, "connection") || ieq(name, nlen, "keep-alive"))
        skip = true;
      else if (ieq(name, nlen, "date"))
        f->date = true;
      else if (ieq(name, nlen, "x-request-id"))
        f->request_id = true;
      if (!skip) {
        buf_reserve(&c->out, nlen + vlen + 4);
        buf_append(&c->out, name, nlen);
        buf_append(&c->out, ": ", 2);
        buf_append(&c->out, value, vlen);
        buf_append(&c->out, "\r\n", 2);
      }
    }
    if (name) JS_FreeCString(ctx, name);
    if (value) JS_FreeCString(ctx, value);
    if (err) return -1;
  }
  return 0;
}

static void finish_head(conn *c, const head_flags *f) {
  buf *b = &c->out;
  if (!f->date) http_write_date(b);
  if (!f->request_id && c->request_id_len) {
    buf_append(b, "x-request-id: ", 14);
    buf_append(b, c->request_id, c->request_id_len);
    buf_append(b, "\r\n", 2);
  }
  c->keep_alive = c->keep_alive && !http_draining && !c->eof;
  buf_append_str(b, c->keep_alive ? "connection: keep-alive\r\n\r\n" : "connection: close\r\n\r\n");
}

static JSValue js_respond(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  bool bad;
  int32_t status;
  conn *c = find(ctx, argv[0], &bad);
  if (bad || get_status(ctx, argv[1], &status) < 0) return JS_EXCEPTION;
  if (!c || c->state != ST_HANDLER) return JS_FALSE;
  js_bytes body = {(const uint8_t *)"", 0, NULL};
  if (!JS_IsNull(argv[3]) && !JS_IsUndefined(argv[3]) && js_get_bytes(ctx, argv[3], &body, "body") < 0)
    return JS_EXCEPTION;
  c->no_body = status == 204 || status == 304;
  size_t mark = buf_size(&c->out);
  head_flags f = {0};
  http_write_status(&c->out, status);
  // JS knows the length only where no body follows: HEAD, or 304 describing the resource.
  if (write_headers(ctx, c, argv[2], c->head_only || status == 304, &f) < 0) {
    c->out.len = c->out.pos + mark;
    js_bytes_free(ctx, &body);
    return JS_EXCEPTION;
  }
  if (!c->no_body && !f.content_length) {
    buf_append(&c->out, "content-length: ", 16);
    buf_append_uint(&c->out, body.len);
    buf_append(&c->out, "\r\n", 2);
  }
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

static JSValue js_respond_head(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  bool bad;
  int32_t status;
  conn *c = find(ctx, argv[0], &bad);
  if (bad || get_status(ctx, argv[1], &status) < 0) return JS_EXCEPTION;
  if (!c || c->state != ST_HANDLER) return JS_FALSE;
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
    buf_append_str(&c->out, "transfer-encoding: chunked\r\n");
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
  if (c->chunked_out && !c->head_only) buf_append(&c->out, "0\r\n\r\n", 5);
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
  if (JS_IsUndefined(c->drain_cbs)) c->drain_cbs = JS_NewArray(ctx);
  JSValue len = JS_GetPropertyStr(ctx, c->drain_cbs, "length");
  uint32_t n = 0;
  JS_ToUint32(ctx, &n, len);
  JS_FreeValue(ctx, len);
  JS_SetPropertyUint32(ctx, c->drain_cbs, n, JS_DupValue(ctx, argv[1]));
  return JS_UNDEFINED;
}

void http_call_drain_callbacks(conn *c) {
  JSValue list = c->drain_cbs;
  c->drain_cbs = JS_UNDEFINED;
  if (JS_IsUndefined(list)) return;
  JSValue len = JS_GetPropertyStr(host_ctx, list, "length");
  uint32_t n = 0;
  JS_ToUint32(host_ctx, &n, len);
  JS_FreeValue(host_ctx, len);
  for (uint32_t i = 0; i < n; i++) {
    JSValue cb = JS_GetPropertyUint32(host_ctx, list, i);
    host_call(cb, JS_UNDEFINED, 0, NULL);
    JS_FreeValue(host_ctx, cb);
  }
  JS_FreeValue(host_ctx, list);
}

static JSValue js_is_open(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  bool bad;
  conn *c = find(ctx, argv[0], &bad);
  if (bad) return JS_EXCEPTION;
  return JS_NewBool(ctx, c != NULL);
}

static JSValue js_serve(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  if (js_check_function(ctx, argv[0], "serve's onRequest") < 0) return JS_EXCEPTION;
  if (!JS_IsUndefined(http_on_request))
    return JS_Throw(ctx, js_code_error(ctx, "ERR_SERVER_ALREADY_LISTEN", "serve() was called already"));
  int err = http_listen();
  if (err) return JS_Throw(ctx, js_errno_error(ctx, err, "listen"));
  http_on_request = JS_DupValue(ctx, argv[0]);
  return JS_UNDEFINED;
}

static JSValue js_oom_count(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return JS_NewInt64(ctx, (int64_t)host_oom_count());
}

static JSValue js_interrupt_count(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return JS_NewInt64(ctx, (int64_t)host_interrupt_count());
}

static JSValue js_gc(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  JS_RunGC(JS_GetRuntime(ctx));
  return JS_UNDEFINED;
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("serve", 1, js_serve),
    JS_CFUNC_DEF("respond", 4, js_respond),
    JS_CFUNC_DEF("respondHead", 3, js_respond_head),
    JS_CFUNC_DEF("respondWrite", 2, js_respond_write),
    JS_CFUNC_DEF("onDrain", 2, js_on_drain),
    JS_CFUNC_DEF("respondEnd", 1, js_respond_end),
    JS_CFUNC_DEF("isOpen", 1, js_is_open),
    JS_CFUNC_DEF("oomCount", 0, js_oom_count),
    JS_CFUNC_DEF("interruptCount", 0, js_interrupt_count),
    JS_CFUNC_DEF("gc", 0, js_gc),
};

void http_server_init(JSContext *ctx, JSValueConst core) {
  http_on_request = JS_UNDEFINED;
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
