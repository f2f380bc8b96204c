// [tcp.c] client sockets for fetch: connect (blocking name lookup, non-blocking
// connect), write, close. Every outcome reaches JS through the handlers, and onClose
// always runs from the loop, never inside the JS call that caused it.
#include "core.h"
#include "buf.h"
#include "handles.h"
#include "host.h"
#include "loop.h"
#include "util.h"
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct tcp_sock {
  loop_io io;
  loop_timer closer; /* delivers onClose from the loop */
  uint64_t id;
  JSValue on_connect, on_data, on_close, error;
  struct addrinfo *addrs, *next_addr;
  buf out;
  bool connected, closing;
} tcp_sock;

static handle_table sockets;

static void deliver_close(loop_timer *t) {
  tcp_sock *s = (tcp_sock *)((char *)t - offsetof(tcp_sock, closer));
  handle_remove(&sockets, s->id);
  JSValue err = s->error;
  JSValueConst args[1] = {err};
  host_call(s->on_close, JS_UNDEFINED, JS_IsUndefined(err) ? 0 : 1, args);
  JS_FreeValue(host_ctx, err);
  JS_FreeValue(host_ctx, s->on_connect);
  JS_FreeValue(host_ctx, s->on_data);
  JS_FreeValue(host_ctx, s->on_close);
  if (s->addrs) freeaddrinfo(s->addrs);
  buf_free(&s->out);
  free(s);
}

/** Closes the fd now and queues onClose(error); error is consumed (JS_UNDEFINED for a clean close). */
static void sock_finish(tcp_sock *s, JSValue error) {
  if (s->closing) {
    JS_FreeValue(host_ctx, error);
    return;
  }
  s->closing = true;
  s->error = error;
  if (s->io.fd >= 0) {
    loop_io_stop(&s->io);
    close(s->io.fd);
    s->io.fd = -1;
  }
  loop_timer_start(&s->closer, 0);
}

static void sock_fail(tcp_sock *s, int err, const char *syscall) {
  sock_finish(s, js_errno_error(host_ctx, err, syscall));
}

static void flush(tcp_sock *s) {
  while (buf_size(&s->out) > 0) {
    ssize_t n = write(s->io.fd, buf_head(&s->out), buf_size(&s->out));
    if (n > 0) {
      buf_consume(&s->out, (size_t)n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno == EAGAIN) {
      break;
    } else {
      sock_fail(s, n < 0 ? errno : EPIPE, "write");
      return;
    }
  }
  loop_io_set(&s->io, EPOLLIN | EPOLLRDHUP | (buf_size(&s->out) ? EPOLLOUT : 0));
}

static void on_io(loop_io *io, uint32_t events);

/** Starts a connect to the next address; false when none is left. */
static bool try_next_address(tcp_sock *s, int *err) {
  for (struct addrinfo *a = s->next_addr; a; a = a->ai_next) {
    s->next_addr = a->ai_next;
    int fd = socket(a->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      *err = errno;
      continue;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, a->ai_addr, a->ai_addrlen) < 0 && errno != EINPROGRESS) {
      *err = errno;
      close(fd);
      continue;
    }
    loop_io_init(&s->io, fd, on_io, true);
    loop_io_set(&s->io, EPOLLOUT);
    return true;
  }
  return false;
}

static void on_connected(tcp_sock *s) {
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(s->io.fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
  if (err) {
    loop_io_stop(&s->io);
    close(s->io.fd);
    s->io.fd = -1;
    int next_err = err;
    if (!try_next_address(s, &next_err)) sock_fail(s, err, "connect");
    return;
  }
  s->connected = true;
  freeaddrinfo(s->addrs);
  s->addrs = s->next_addr = NULL;
  flush(s);
  if (!s->closing) host_call(s->on_connect, JS_UNDEFINED, 0, NULL);
}

static void on_readable(tcp_sock *s) {
  static uint8_t chunk[65536];
  for (int rounds = 0; rounds < 16 && !s->closing; rounds++) {
    ssize_t n = read(s->io.fd, chunk, sizeof chunk);
    if (n > 0) {
      JSValue ab = JS_NewArrayBufferCopy(host_ctx, chunk, (size_t)n);
      if (JS_IsException(ab)) {
        host_report_exception("socket data");
        sock_fail(s, ENOMEM, "read");
        return;
      }
      JSValueConst args[1] = {ab};
      host_call(s->on_data, JS_UNDEFINED, 1, args);
      JS_FreeValue(host_ctx, ab);
      if ((size_t)n < sizeof chunk) return;
    } else if (n == 0) {
      sock_finish(s, JS_UNDEFINED);
      return;
    } else if (errno == EINTR) {
      continue;
    } else {
      if (errno != EAGAIN) sock_fail(s, errno, "read");
      return;
    }
  }
}

static void on_io(loop_io *io, uint32_t events) {
  tcp_sock *s = (tcp_sock *)io;
  if (s->closing) return;
  if (!s->connected) {
    on_connected(s);
    return;
  }
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)) on_readable(s);
  if (!s->closing && (events & EPOLLOUT)) flush(s);
}

static bool is_localhost(const char *host) {
  size_t n = strlen(host);
  if (n > 0 && host[n - 1] == '.') n--;
  return (n == 9 && strncasecmp(host, "localhost", 9) == 0) ||
         (n > 10 && strncasecmp(host + n - 10, ".localhost", 10) == 0);
}

static JSValue js_connect(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  int32_t port;
  if (!JS_IsString(argv[0])) return JS_ThrowTypeError(ctx, "connect: host must be a string");
  if (JS_ToInt32(ctx, &port, argv[1]) < 0) return JS_EXCEPTION;
  if (port < 1 || port > 65535) return JS_ThrowTypeError(ctx, "connect: port must be 1 to 65535, not %d", port);
  if (!JS_IsObject(argv[2])) return JS_ThrowTypeError(ctx, "connect: handlers must be an object");
  JSValue fns[3];
  static const char *names[3] = {"onConnect", "onData", "onClose"};
  for (int i = 0; i < 3; i++) {
    fns[i] = JS_GetPropertyStr(ctx, argv[2], names[i]);
    if (!JS_IsFunction(ctx, fns[i])) {
      for (int j = 0; j <= i; j++) JS_FreeValue(ctx, fns[j]);
      return JS_ThrowTypeError(ctx, "connect: handlers.%s must be a function", names[i]);
    }
  }
  tcp_sock *s = calloc(1, sizeof *s);
  if (!s || !(s->id = handle_add(&sockets, s))) {
    free(s);
    for (int i = 0; i < 3; i++) JS_FreeValue(ctx, fns[i]);
    return JS_ThrowRangeError(ctx, "connect: too many sockets");
  }
  s->on_connect = fns[0], s->on_data = fns[1], s->on_close = fns[2];
  s->io.fd = -1;
  loop_timer_init(&s->closer, deliver_close, true);

  const char *host = JS_ToCString(ctx, argv[0]);
  if (!host) return JS_EXCEPTION;
  char service[8];
  snprintf(service, sizeof service, "%d", port);
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
  // A scratch image has no /etc/hosts, and musl would ask DNS for "localhost" (RFC 6761: it is loopback).
  int rc = getaddrinfo(is_localhost(host) ? "127.0.0.1" : host, service, &hints, &s->addrs);
  if (rc != 0) {
    s->addrs = NULL;
    char msg[300];
    const char *code = rc == EAI_AGAIN ? "EAI_AGAIN" : rc == EAI_SYSTEM ? errno_code(errno) : "ENOTFOUND";
    snprintf(msg, sizeof msg, "getaddrinfo %s %s", code, host);
    JSValue err = js_code_error(ctx, code, msg);
    JS_DefinePropertyValueStr(ctx, err, "hostname", JS_NewString(ctx, host), JS_PROP_C_W_E);
    sock_finish(s, err);
  } else {
    s->next_addr = s->addrs;
    int err = EADDRNOTAVAIL;
    if (!try_next_address(s, &err)) sock_fail(s, err, "connect");
  }
  JS_FreeCString(ctx, host);
  return JS_NewInt64(ctx, (int64_t)s->id);
}

static tcp_sock *lookup(JSContext *ctx, JSValueConst v, bool *bad) {
  uint64_t id;
  *bad = js_get_id(ctx, v, &id) < 0;
  return *bad ? NULL : handle_get(&sockets, id);
}

static JSValue js_sock_write(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  bool bad;
  tcp_sock *s = lookup(ctx, argv[0], &bad);
  if (bad) return JS_EXCEPTION;
  js_bytes b;
  if (js_get_bytes(ctx, argv[1], &b, "sockWrite's data") < 0) return JS_EXCEPTION;
  // Writes after a close are dropped: the close already reached (or will reach) onClose.
  if (s && !s->closing) {
    buf_append(&s->out, b.data, b.len);
    if (s->connected) flush(s);
  }
  js_bytes_free(ctx, &b);
  return JS_UNDEFINED;
}

static JSValue js_sock_close(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  bool bad;
  tcp_sock *s = lookup(ctx, argv[0], &bad);
  if (bad) return JS_EXCEPTION;
  if (s) sock_finish(s, JS_UNDEFINED);
  return JS_UNDEFINED;
}

/* sockRef(id, ref): whether the socket keeps the loop alive (fetch's idle pooled connections do not). */
static JSValue js_sock_ref(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  bool bad;
  tcp_sock *s = lookup(ctx, argv[0], &bad);
  if (bad) return JS_EXCEPTION;
  if (s && !s->closing) loop_io_ref(&s->io, JS_ToBool(ctx, argv[1]));
  return JS_UNDEFINED;
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("connect", 3, js_connect),
    JS_CFUNC_DEF("sockWrite", 2, js_sock_write),
    JS_CFUNC_DEF("sockClose", 1, js_sock_close),
    JS_CFUNC_DEF("sockRef", 2, js_sock_ref),
};

void tcp_init(JSContext *ctx, JSValueConst core) {
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
