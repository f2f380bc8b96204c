// Server connections: reading, the per-connection state machine (head, body, handler,
// keep-alive), timeouts, buffered output and lingering close. JS runs only from
// conn_process and the tick; connections are freed only in the tick, so a pointer
// held across a JS call stays valid (its state says whether it is still open).
#include "http-conn.h"
#include "host.h"
#include "log.h"
#include "util.h"
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { READ_CHUNK = 65536, PIPELINE_MAX = 65536, LINGER_MS = 2000 };

static http_head scratch_head; /* parsed heads are turned into JS values at once */

static void on_io(loop_io *io, uint32_t events);
static void on_timer(loop_timer *t);

void conn_accept(int fd) {
  conn *c = conn_new();
  if (!c) {
    close(fd);
    return;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  loop_io_init(&c->io, fd, on_io, true);
  loop_timer_init(&c->timer, on_timer, false);
  c->state = ST_HEAD;
  c->started = loop_now();
  loop_timer_start(&c->timer, http_cfg.header_timeout_ms);
  if (loop_io_set(&c->io, EPOLLIN) < 0) {
    conn_close(c);
    return;
  }
  if (conn_count() > (uint32_t)http_cfg.max_connections) http_write_error(c, 503);
}

void conn_update_events(conn *c) {
  if (c->state == ST_CLOSED) return;
  bool busy = c->state == ST_HANDLER || c->state == ST_STREAM;
  uint32_t ev = 0;
  if (!c->eof && !(busy && buf_size(&c->in) >= PIPELINE_MAX)) ev |= EPOLLIN;
  if (buf_size(&c->out) > 0 && c->io.events & EPOLLOUT) ev |= EPOLLOUT; /* set by conn_flush on EAGAIN */
  if (loop_io_set(&c->io, ev) < 0) conn_close(c);
}

void conn_close(conn *c) {
  if (c->state == ST_CLOSED) return;
  loop_io_stop(&c->io);
  close(c->io.fd);
  loop_timer_stop(&c->timer);
  c->state = ST_CLOSED;
  conn_free_later(c);
}

/* While output waits, the idle timeout measures the client's reading: each time it
   fires with bytes sent since, it starts over; with none, the client has stopped. */
static void arm_send_timer(conn *c) {
  c->sent_mark = c->sent;
  loop_timer_start(&c->timer, http_cfg.idle_timeout_ms);
}

static void start_linger(conn *c) {
  shutdown(c->io.fd, SHUT_WR);
  if (c->eof) {
    conn_close(c);
    return;
  }
  c->close_after = false;
  loop_timer_start(&c->timer, LINGER_MS);
}

void conn_flush(conn *c) {
  if (c->state == ST_CLOSED) return;
  while (buf_size(&c->out) > 0) {
    ssize_t n = write(c->io.fd, buf_head(&c->out), buf_size(&c->out));
    if (n > 0) {
      buf_consume(&c->out, (size_t)n);
      c->sent += (uint64_t)n;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno == EAGAIN) {
      loop_io_set(&c->io, c->io.events | EPOLLOUT);
      if (!loop_timer_active(&c->timer)) arm_send_timer(c); /* a stream to a client that stopped reading */
      break;
    } else {
      conn_close(c); /* the client is gone: EPIPE, ECONNRESET */
      return;
    }
  }
  if (!JS_IsUndefined(c->drain_cbs) && buf_size(&c->out) < OUT_HIGH_WATER) {
    c->drain_ready = true;
    conn_queue(c);
  }
  if (buf_size(&c->out) == 0) {
    buf_trim(&c->out, 256 * 1024);
    if (c->state == ST_LINGER && c->close_after) start_linger(c);
  }
  conn_update_events(c);
}

void conn_response_done(conn *c) {
  if (c->state == ST_CLOSED) return;
  if (c->logged_request) http_log_access(c);
  request_clear(c);
  if (!JS_IsUndefined(c->drain_cbs)) {
    c->drain_ready = true; /* nothing more will be written for this request */
    conn_queue(c);
  }
  c->req_id = 0;
  conn_want_flush(c);
  arm_send_timer(c);
  if (!c->keep_alive || http_draining || c->eof) {
    c->state = ST_LINGER;
    c->close_after = true;
    return;
  }
  c->state = ST_IDLE;
  if (buf_size(&c->in) > 0) conn_queue(c);
}

static void read_input(conn *c) {
  if (c->state == ST_LINGER) {
    static char sink[16384];
    ssize_t n = read(c->io.fd, sink, sizeof sink);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) conn_close(c);
    return;
  }
  buf_reserve(&c->in, 16384);
  size_t room = c->in.cap - c->in.len;
  ssize_t n = read(c->io.fd, buf_tail(&c->in), room < READ_CHUNK ? room : READ_CHUNK);
  if (n > 0)
    c->in.len += (size_t)n;
  else if (n == 0)
    c->eof = true;
  else if (errno != EAGAIN && errno != EINTR)
    conn_close(c);
}

static void on_io(loop_io *io, uint32_t events) {
  conn *c = (conn *)io;
  if (events & EPOLLOUT) conn_flush(c);
  if (c->state != ST_CLOSED && (events & (EPOLLIN | EPOLLHUP | EPOLLERR))) read_input(c);
  if (c->state != ST_CLOSED) conn_process(c);
  conn_update_events(c);
}

static void on_timer(loop_timer *t) {
  conn *c = (conn *)((char *)t - offsetof(conn, timer));
  bool sending = c->state == ST_IDLE || c->state == ST_LINGER || c->state == ST_STREAM;
  if (sending && buf_size(&c->out) > 0) {
    if (c->sent != c->sent_mark)
      arm_send_timer(c);
    else
      conn_close(c); /* the client stopped reading its response */
    return;
  }
  switch (c->state) {
  case ST_HEAD:
    // A connection that never sent a byte just goes; a slow head gets 408.
    if (buf_size(&c->in) == 0)
      conn_close(c);
    else
      http_write_error(c, 408);
    break;
  case ST_BODY: http_write_error(c, 408); break;
  case ST_HANDLER: http_write_error(c, 504); break;
  case ST_IDLE:
  case ST_LINGER: conn_close(c); break;
  default: break;
  }
}

/* Ends a connection that will get no further request, after what it is owed is written. */
static void close_when_flushed(conn *c) {
  if (buf_size(&c->out) == 0) {
    conn_close(c);
    return;
  }
  c->state = ST_LINGER;
  c->close_after = true;
  conn_want_flush(c);
  arm_send_timer(c);
}

/* Body bytes from the input buffer; returns 1 when complete, 0 for more, or -status. */
static int read_body(conn *c) {
  size_t avail = buf_size(&c->in);
  if (!c->chunked_in) {
    size_t n = avail < c->body_left ? avail : (size_t)c->body_left;
    memcpy(c->body + c->body_len, buf_head(&c->in), n);
    c->body_len += n;
    c->body_left -= n;
    buf_consume(&c->in, n);
    return c->body_left == 0;
  }
  if (c->body_cap - c->body_len < avail) {
    c->body_cap = c->body_len + avail;
    c->body = xrealloc(c->body, c->body_cap);
  }
  size_t used = 0;
  int r = http_chunked_decode(&c->chunked, buf_head(&c->in), avail, &used, c->body, &c->body_len);
  buf_consume(&c->in, used);
  return r;
}

/* A complete head: answer health checks, reject what is too large, else read the body or dispatch. */
static void begin_request(conn *c, http_head *h, size_t head_len) {
  int status = request_begin(c, h);
  buf_consume(&c->in, head_len);
  c->scan = 0;
  if (status != 0) {
    if (status > 0) http_write_error(c, status);
    return; /* answered (health) or refused */
  }
  c->chunked_in = h->chunked;
  if (h->has_content_length && h->content_length > http_cfg.max_body_bytes) {
    http_write_error(c, 413); /* without reading the body */
    return;
  }
  if (h->chunked) {
    http_chunked_init(&c->chunked, http_cfg.max_body_bytes, http_cfg.max_header_bytes);
  } else if (h->content_length > 0) {
    c->body_left = h->content_length;
    c->body_cap = (size_t)h->content_length;
    c->body = xrealloc(NULL, c->body_cap);
  } else {
    request_dispatch(c);
    return;
  }
  if (h->expect_continue && !c->http10 && buf_size(&c->in) == 0) { /* unless the body is coming anyway */
    buf_append_str(&c->out, "HTTP/1.1 100 Continue\r\n\r\n");
    conn_want_flush(c);
  }
  c->state = ST_BODY;
  loop_timer_start(&c->timer, http_cfg.body_timeout_ms);
}

void conn_process(conn *c) {
  for (;;) {
    switch (c->state) {
    case ST_IDLE:
      if (buf_size(&c->in) == 0) {
        if (c->eof || http_draining) close_when_flushed(c);
        return;
      }
      c->state = ST_HEAD;
      c->scan = 0;
      loop_timer_stop(&c->timer);
      /* fall through */
    case ST_HEAD: {
      if (buf_size(&c->in) == 0) {
        if (c->eof) close_when_flushed(c);
        return;
      }
      long r = http_parse_head(buf_head(&c->in), buf_size(&c->in), http_cfg.max_header_bytes, &c->scan, &scratch_head);
      if (r == 0) {
        if (c->eof)
          close_when_flushed(c); /* closed mid-head */
        else if (!loop_timer_active(&c->timer))
          loop_timer_start(&c->timer, http_cfg.header_timeout_ms);
        return;
      }
      if (r < 0) {
        http_write_error(c, (int)-r);
        return;
      }
      loop_timer_stop(&c->timer);
      begin_request(c, &scratch_head, (size_t)r);
      break;
    }
    case ST_BODY: {
      int r = read_body(c);
      if (r < 0) {
        http_write_error(c, -r);
        return;
      }
      if (r == 0) {
        if (c->eof) close_when_flushed(c); /* closed mid-body */
        return;
      }
      loop_timer_stop(&c->timer);
      request_dispatch(c);
      break;
    }
    default: return;
    }
  }
}
