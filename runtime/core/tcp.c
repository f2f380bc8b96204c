// [tcp.c] client sockets for fetch, connect() and node:net: connect (names through the
// asynchronous resolver, then a non-blocking connect to each address in turn), write with
// a count of what is still buffered (and onDrain once it is flushed), pause/resume of
// reads, half-close, an idle timeout, socket options and addresses, and a per-process limit
// on open sockets (SCRATCHFN_MAX_SOCKETS). Every outcome reaches JS through the handlers,
// all of them called by sock_call, and onClose always runs from the loop, never inside the
// JS call that caused it. The handlers run in the async context of the connect() call
// (the fetch or the request that opened the socket).
#include "core.h"
#include "buf.h"
#include "dns-resolver.h"
#include "env.h"
#include "handles.h"
#include "host.h"
#include "loop.h"
#include "util.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { ON_CONNECT, ON_DATA, ON_CLOSE, ON_END, ON_DRAIN, ON_TIMEOUT, HANDLER_COUNT };
static const char *handler_names[HANDLER_COUNT] = {"onConnect", "onData", "onClose", "onEnd", "onDrain", "onTimeout"};

typedef struct tcp_sock {
  loop_io io;
  loop_timer closer; /* delivers onClose from the loop */
  loop_timer timer;  /* the connect timeout, then the idle timeout */
  uint64_t id;
  JSValue handlers[HANDLER_COUNT]; /* the optional ones are JS_UNDEFINED when not given */
  JSValue error, async_context;
  dns_query *dns;
  char *host; /* for error messages, until connected */
  dns_addr addrs[DNS_MAX_ADDRS];
  int naddrs, next_addr;
  uint16_t port;
  buf out;
  double idle_ms;
  bool connected, closing, paused, eof, end_requested, shut, want_drain, ref;
} tcp_sock;

static handle_table sockets;
static struct {
  uint64_t open, opened, refused;
  long long limit;
} stats;

/** The one place socket handlers are called from. */
static void sock_call(tcp_sock *s, int which, int argc, JSValueConst *argv) {
  if (!JS_IsUndefined(s->handlers[which])) host_call_in(s->async_context, s->handlers[which], JS_UNDEFINED, argc, argv);
}

static void deliver_close(loop_timer *t) {
  tcp_sock *s = (tcp_sock *)((char *)t - offsetof(tcp_sock, closer));
  handle_remove(&sockets, s->id);
  stats.open--;
  JSValue err = s->error;
  JSValueConst args[1] = {err};
  sock_call(s, ON_CLOSE, JS_IsUndefined(err) ? 0 : 1, args);
  JS_FreeValue(host_ctx, err);
  JS_FreeValue(host_ctx, s->async_context);
  for (int i = 0; i < HANDLER_COUNT; i++) JS_FreeValue(host_ctx, s->handlers[i]);
  free(s->host);
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
  dns_cancel(s->dns);
  s->dns = NULL;
  loop_timer_stop(&s->timer);
  if (s->io.fd >= 0) {
    loop_io_stop(&s->io);
    close(s->io.fd);
    s->io.fd = -1;
  }
  loop_timer_start(&s->closer, 0);
}

/** An errno Error; for a failed connect it names the address, as Node's do ("connect ECONNREFUSED 127.0.0.1:5432"). */
static void sock_fail(tcp_sock *s, int err, const char *syscall) {
  JSValue e = js_errno_error(host_ctx, err, syscall);
  if (!s->connected && s->next_addr > 0) {
    char text[64];
    dns_addr_text(&s->addrs[s->next_addr - 1], text, sizeof text);
    JS_DefinePropertyValueStr(host_ctx, e, "address", JS_NewString(host_ctx, text), JS_PROP_C_W_E);
    JS_DefinePropertyValueStr(host_ctx, e, "port", JS_NewInt32(host_ctx, s->port), JS_PROP_C_W_E);
  }
  sock_finish(s, e);
}

static void arm_idle(tcp_sock *s) {
  if (s->idle_ms > 0 && s->connected && !s->closing) loop_timer_start(&s->timer, s->idle_ms);
}

static uint32_t interest(tcp_sock *s) {
  uint32_t ev = 0;
  if (!s->paused && !s->eof) ev |= EPOLLIN | EPOLLRDHUP;
  if (buf_size(&s->out) > 0) ev |= EPOLLOUT;
  return ev;
}

static void flush(tcp_sock *s) {
  bool wrote = false;
  while (buf_size(&s->out) > 0) {
    ssize_t n = send(s->io.fd, buf_head(&s->out), buf_size(&s->out), MSG_NOSIGNAL);
    if (n > 0) {
      buf_consume(&s->out, (size_t)n);
      wrote = true;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno == EAGAIN) {
      break;
    } else {
      sock_fail(s, n < 0 ? errno : EPIPE, "write");
      return;
    }
  }
  if (wrote) arm_idle(s);
  if (buf_size(&s->out) == 0) {
    buf_trim(&s->out, 65536);
    if (s->end_requested && !s->shut) {
      s->shut = true;
      shutdown(s->io.fd, SHUT_WR);
    }
  }
  loop_io_set(&s->io, interest(s));
  if (buf_size(&s->out) == 0 && s->want_drain) {
    s->want_drain = false;
    sock_call(s, ON_DRAIN, 0, NULL);
  }
}

static void on_io(loop_io *io, uint32_t events);

/** Starts a connect to the next address; false when none is left. */
static bool try_next_address(tcp_sock *s, int *err) {
  while (s->next_addr < s->naddrs) {
    dns_addr *a = &s->addrs[s->next_addr++];
    struct sockaddr_storage ss = {0};
    socklen_t len;
    if (a->family == 4) {
      struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
      v4->sin_family = AF_INET;
      v4->sin_port = htons(s->port);
      memcpy(&v4->sin_addr, a->bytes, 4);
      len = sizeof *v4;
    } else {
      struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
      v6->sin6_family = AF_INET6;
      v6->sin6_port = htons(s->port);
      memcpy(&v6->sin6_addr, a->bytes, 16);
      len = sizeof *v6;
    }
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      *err = errno;
      continue;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS) {
      *err = errno;
      close(fd);
      continue;
    }
    loop_io_init(&s->io, fd, on_io, s->ref);
    loop_io_set(&s->io, EPOLLOUT);
    return true;
  }
  return false;
}

static void start_connect(tcp_sock *s) {
  int err = EADDRNOTAVAIL;
  if (!try_next_address(s, &err)) sock_fail(s, err, "connect");
}

static void on_resolved(void *ud, dns_status status, const dns_addr *addrs, int n) {
  tcp_sock *s = ud;
  s->dns = NULL;
  if (status != DNS_OK || n == 0) {
    // As getaddrinfo reports it: a name that does not exist (or is malformed) is ENOTFOUND,
    // a resolver that did not answer is EAI_AGAIN.
    const char *code = status == DNS_NOTFOUND || status == DNS_NODATA || status == DNS_BADNAME || status == DNS_OK
                           ? "ENOTFOUND"
                           : "EAI_AGAIN";
    char msg[320];
    snprintf(msg, sizeof msg, "getaddrinfo %s %s", code, s->host);
    JSValue err = js_code_error(host_ctx, code, msg);
    JS_DefinePropertyValueStr(host_ctx, err, "hostname", JS_NewString(host_ctx, s->host), JS_PROP_C_W_E);
    JS_DefinePropertyValueStr(host_ctx, err, "syscall", JS_NewString(host_ctx, "getaddrinfo"), JS_PROP_C_W_E);
    if (status != DNS_NOTFOUND && status != DNS_OK)
      JS_DefinePropertyValueStr(host_ctx, err, "reason", JS_NewString(host_ctx, dns_status_code(status)),
                                JS_PROP_C_W_E);
    sock_finish(s, err);
    return;
  }
  memcpy(s->addrs, addrs, sizeof *addrs * (size_t)n);
  s->naddrs = n;
  start_connect(s);
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
  loop_timer_stop(&s->timer);
  arm_idle(s);
  flush(s);
  if (!s->closing) sock_call(s, ON_CONNECT, 0, NULL);
}

static void on_readable(tcp_sock *s) {
  static uint8_t chunk[65536];
  for (int rounds = 0; rounds < 16 && !s->closing && !s->paused && !s->eof; rounds++) {
    ssize_t n = read(s->io.fd, chunk, sizeof chunk);
    if (n > 0) {
      arm_idle(s);
      JSValue ab = JS_NewArrayBufferCopy(host_ctx, chunk, (size_t)n);
      if (JS_IsException(ab)) {
        host_report_exception("socket data");
        sock_fail(s, ENOMEM, "read");
        return;
      }
      JSValueConst args[1] = {ab};
      sock_call(s, ON_DATA, 1, args);
      JS_FreeValue(host_ctx, ab);
      if ((size_t)n < sizeof chunk) return;
    } else if (n == 0) {
      if (JS_IsUndefined(s->handlers[ON_END])) {
        sock_finish(s, JS_UNDEFINED);
        return;
      }
      // The peer ended its side; ours stays open until JS ends or closes it.
      s->eof = true;
      loop_io_set(&s->io, interest(s));
      sock_call(s, ON_END, 0, NULL);
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
  if (!s->paused && !s->eof && (events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP))) on_readable(s);
  if (!s->closing && (events & EPOLLOUT)) flush(s);
  if (!s->closing && (events & (EPOLLERR | EPOLLHUP)) && (s->eof || s->paused)) {
    // Reads are off, so the error would otherwise go unnoticed until the next write.
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(s->io.fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err)
      sock_fail(s, err, "read");
    else if ((events & EPOLLHUP) && s->eof)
      sock_finish(s, JS_UNDEFINED);
    // Paused with unread bytes: epoll would report the hang-up at every turn, so stop
    // watching until sockPause(false) registers the socket again and the reads drain it.
    else if (events & EPOLLHUP)
      loop_io_stop(&s->io);
  }
}

static void on_timer(loop_timer *t) {
  tcp_sock *s = (tcp_sock *)((char *)t - offsetof(tcp_sock, timer));
  if (s->closing) return;
  if (!s->connected) {
    // The connect timeout: the name lookup and every address tried within it.
    sock_fail(s, ETIMEDOUT, "connect");
    return;
  }
  sock_call(s, ON_TIMEOUT, 0, NULL);
  arm_idle(s);
}

static JSValue js_connect(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  int32_t port;
  double connect_ms = 0;
  if (!JS_IsString(argv[0])) return JS_ThrowTypeError(ctx, "connect: host must be a string");
  if (JS_ToInt32(ctx, &port, argv[1]) < 0) return JS_EXCEPTION;
  if (port < 1 || port > 65535) return JS_ThrowTypeError(ctx, "connect: port must be 1 to 65535, not %d", port);
  if (!JS_IsObject(argv[2])) return JS_ThrowTypeError(ctx, "connect: handlers must be an object");
  if (argc > 3 && JS_IsObject(argv[3])) {
    JSValue v = JS_GetPropertyStr(ctx, argv[3], "connectTimeoutMs");
    int bad = !JS_IsUndefined(v) && JS_ToFloat64(ctx, &connect_ms, v) < 0;
    JS_FreeValue(ctx, v);
    if (bad) return JS_EXCEPTION;
  }
  JSValue fns[HANDLER_COUNT];
  for (int i = 0; i < HANDLER_COUNT; i++) {
    fns[i] = JS_GetPropertyStr(ctx, argv[2], handler_names[i]);
    bool optional = i >= ON_END;
    if (!JS_IsFunction(ctx, fns[i]) && !(optional && JS_IsUndefined(fns[i]))) {
      for (int j = 0; j <= i; j++) JS_FreeValue(ctx, fns[j]);
      return JS_ThrowTypeError(ctx, "connect: handlers.%s must be a function", handler_names[i]);
    }
  }
  tcp_sock *s = calloc(1, sizeof *s);
  const char *host = JS_ToCString(ctx, argv[0]);
  if (!s || !host || !(s->host = strdup(host)) || !(s->id = handle_add(&sockets, s))) {
    if (s) free(s->host);
    free(s);
    if (host) JS_FreeCString(ctx, host);
    for (int i = 0; i < HANDLER_COUNT; i++) JS_FreeValue(ctx, fns[i]);
    return host ? JS_ThrowOutOfMemory(ctx) : JS_EXCEPTION;
  }
  JS_FreeCString(ctx, host);
  memcpy(s->handlers, fns, sizeof fns);
  s->io.fd = -1;
  s->port = (uint16_t)port;
  s->ref = true;
  s->error = JS_UNDEFINED;
  s->async_context = JS_GetAsyncContext(ctx);
  loop_timer_init(&s->closer, deliver_close, true);
  loop_timer_init(&s->timer, on_timer, true);
  stats.open++;
  stats.opened++;
  if (!stats.limit) stats.limit = env_int("SCRATCHFN_MAX_SOCKETS", 512, 1, 1 << 20);
  if ((long long)stats.open > stats.limit) {
    stats.refused++;
    char msg[200];
    snprintf(msg, sizeof msg,
             "connect EMFILE: too many open sockets (SCRATCHFN_MAX_SOCKETS is %lld): close sockets you no longer use, "
             "or raise the limit",
             stats.limit);
    JSValue err = js_code_error(ctx, "EMFILE", msg);
    JS_DefinePropertyValueStr(ctx, err, "syscall", JS_NewString(ctx, "connect"), JS_PROP_C_W_E);
    sock_finish(s, err);
    return JS_NewInt64(ctx, (int64_t)s->id);
  }
  if (connect_ms > 0) loop_timer_start(&s->timer, connect_ms);
  s->dns = dns_start(s->host, 0, DNS_LOOKUP, on_resolved, s);
  if (!s->dns) sock_fail(s, ENOMEM, "getaddrinfo");
  return JS_NewInt64(ctx, (int64_t)s->id);
}

static tcp_sock *lookup(JSContext *ctx, JSValueConst v, bool *bad) {
  uint64_t id;
  *bad = js_get_id(ctx, v, &id) < 0;
  return *bad ? NULL : handle_get(&sockets, id);
}

/** Finds an open socket, or returns NULL with *ret set (an exception, or undefined for a gone socket). */
#define OPEN_SOCK(s, ret)                                                                                              \
  bool bad_;                                                                                                           \
  tcp_sock *s = lookup(ctx, argv[0], &bad_);                                                                           \
  if (bad_) return JS_EXCEPTION;                                                                                       \
  if (!s || s->closing) return ret;

static JSValue js_sock_write(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  bool bad;
  tcp_sock *s = lookup(ctx, argv[0], &bad);
  if (bad) return JS_EXCEPTION;
  js_bytes b;
  if (js_get_bytes(ctx, argv[1], &b, "sockWrite's data") < 0) return JS_EXCEPTION;
  // Writes after a close or an end are dropped: the close already reached (or will reach) onClose.
  size_t left = 0;
  if (s && !s->closing && !s->end_requested) {
    buf_append(&s->out, b.data, b.len);
    if (s->connected) flush(s);
    left = s->closing ? 0 : buf_size(&s->out);
    if (left > 0) s->want_drain = true;
  }
  js_bytes_free(ctx, &b);
  return JS_NewInt64(ctx, (int64_t)left);
}

static JSValue js_sock_end(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  OPEN_SOCK(s, JS_UNDEFINED);
  s->end_requested = true;
  if (s->connected) flush(s);
  return JS_UNDEFINED;
}

static JSValue js_sock_close(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  OPEN_SOCK(s, JS_UNDEFINED);
  sock_finish(s, JS_UNDEFINED);
  return JS_UNDEFINED;
}

static JSValue js_sock_pause(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  OPEN_SOCK(s, JS_UNDEFINED);
  s->paused = JS_ToBool(ctx, argv[1]);
  if (s->connected) {
    loop_io_set(&s->io, interest(s));
    // Bytes that arrived while paused are read at the next loop turn; epoll reports them again.
  }
  return JS_UNDEFINED;
}

static JSValue js_sock_set_timeout(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  OPEN_SOCK(s, JS_UNDEFINED);
  double ms;
  if (JS_ToFloat64(ctx, &ms, argv[1]) < 0) return JS_EXCEPTION;
  s->idle_ms = ms > 0 ? ms : 0;
  if (s->connected) {
    if (s->idle_ms > 0)
      arm_idle(s);
    else
      loop_timer_stop(&s->timer);
  }
  return JS_UNDEFINED;
}

static JSValue js_sock_set_option(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  OPEN_SOCK(s, JS_FALSE);
  const char *name = JS_ToCString(ctx, argv[1]);
  if (!name) return JS_EXCEPTION;
  int on = JS_ToBool(ctx, argv[2]), rc = -1;
  int32_t delay = 0;
  if (argc > 3) JS_ToInt32(ctx, &delay, argv[3]);
  if (s->io.fd >= 0 && strcmp(name, "noDelay") == 0) {
    rc = setsockopt(s->io.fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  } else if (s->io.fd >= 0 && strcmp(name, "keepAlive") == 0) {
    rc = setsockopt(s->io.fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
    if (rc == 0 && on && delay > 0) setsockopt(s->io.fd, IPPROTO_TCP, TCP_KEEPIDLE, &delay, sizeof delay);
  }
  JS_FreeCString(ctx, name);
  return JS_NewBool(ctx, rc == 0);
}

static JSValue js_sock_ref(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  OPEN_SOCK(s, JS_UNDEFINED);
  s->ref = JS_ToBool(ctx, argv[1]);
  loop_io_ref(&s->io, s->ref);
  // A loop_timer's ref is fixed while it runs: restart it with the new one.
  bool active = loop_timer_active(&s->timer);
  loop_timer_stop(&s->timer);
  s->timer.ref = s->ref;
  if (active) arm_idle(s);
  return JS_UNDEFINED;
}

static JSValue address_pair(JSContext *ctx, struct sockaddr_storage *ss, JSValue list, uint32_t at) {
  char text[64] = "";
  int port = 0, family = 4;
  if (ss->ss_family == AF_INET) {
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
    port = ntohs(v4->sin_port);
  } else if (ss->ss_family == AF_INET6) {
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    port = ntohs(v6->sin6_port);
    family = 6;
  }
  JS_SetPropertyUint32(ctx, list, at, JS_NewString(ctx, text));
  JS_SetPropertyUint32(ctx, list, at + 1, JS_NewInt32(ctx, port));
  JS_SetPropertyUint32(ctx, list, at + 2, JS_NewInt32(ctx, family));
  return list;
}

static JSValue js_sock_info(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  OPEN_SOCK(s, JS_NULL);
  if (!s->connected) return JS_NULL;
  struct sockaddr_storage remote = {0}, local = {0};
  socklen_t rl = sizeof remote, ll = sizeof local;
  if (getpeername(s->io.fd, (struct sockaddr *)&remote, &rl) < 0 ||
      getsockname(s->io.fd, (struct sockaddr *)&local, &ll) < 0)
    return JS_NULL;
  JSValue list = JS_NewArray(ctx);
  address_pair(ctx, &remote, list, 0);
  return address_pair(ctx, &local, list, 3);
}

static JSValue js_socket_stats(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  JSValue o = JS_NewObject(ctx);
  if (!stats.limit) stats.limit = env_int("SCRATCHFN_MAX_SOCKETS", 512, 1, 1 << 20);
  JS_SetPropertyStr(ctx, o, "open", JS_NewInt64(ctx, (int64_t)stats.open));
  JS_SetPropertyStr(ctx, o, "opened", JS_NewInt64(ctx, (int64_t)stats.opened));
  JS_SetPropertyStr(ctx, o, "refused", JS_NewInt64(ctx, (int64_t)stats.refused));
  JS_SetPropertyStr(ctx, o, "limit", JS_NewInt64(ctx, stats.limit));
  return o;
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("connect", 4, js_connect),
    JS_CFUNC_DEF("sockWrite", 2, js_sock_write),
    JS_CFUNC_DEF("sockEnd", 1, js_sock_end),
    JS_CFUNC_DEF("sockClose", 1, js_sock_close),
    JS_CFUNC_DEF("sockPause", 2, js_sock_pause),
    JS_CFUNC_DEF("sockSetTimeout", 2, js_sock_set_timeout),
    JS_CFUNC_DEF("sockSetOption", 4, js_sock_set_option),
    JS_CFUNC_DEF("sockRef", 2, js_sock_ref),
    JS_CFUNC_DEF("sockInfo", 1, js_sock_info),
    JS_CFUNC_DEF("socketStats", 0, js_socket_stats),
};

void tcp_init(JSContext *ctx, JSValueConst core) {
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
