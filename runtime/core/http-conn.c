#include "http-conn.h"
#include "http-access-log.h"
#include "http-config.h"
#include "http-metrics.h"
#include "http-pool.h"
#include "http-spans.h"
#include "http-tick.h"
#include "http-wire.h"
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { READ_CHUNK = 65536, PIPELINE_MAX = 65536, LINGER_MS = 2000 };

bool conn_draining;
static conn_hooks hooks;
static http_head scratch_head; /* the layer above takes what it needs from a head at once */

static void on_io(loop_io *io, uint32_t events);
static void on_timer(loop_timer *t);
static void process(conn *c);
static void update_events(conn *c);

void conn_accept(int fd) {
  conn *c = pool_take();
  if (!c) {
    close(fd);
    pool_count_refused();
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
    pool_count_refused();
    conn_close(c);
    return;
  }
  if (pool_open() > (uint32_t)http_cfg.max_connections) {
    pool_count_refused();
    conn_answer_error(c, 503);
  } else {
    pool_count_accepted();
  }
}

static void update_events(conn *c) {
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
  http_tick_free(c);
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
      http_metrics_bytes_out((size_t)n);
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
  if (c->want_drain && buf_size(&c->out) < OUT_HIGH_WATER) {
    c->drain_ready = true;
    http_tick_queue(c);
  }
  if (buf_size(&c->out) == 0) {
    buf_trim(&c->out, 256 * 1024);
    if (c->state == ST_LINGER && c->close_after) start_linger(c);
  }
  update_events(c);
}

void conn_want_flush(conn *c) {
  http_tick_want_flush(c);
}

void conn_want_drain(conn *c) {
  c->want_drain = true;
}

/* The layer above lets go of the request first, then what the connection kept for it. */
static void end_request(conn *c) {
  if (c->logged_request) http_metrics_request_ended();
  hooks.on_end(c);
  free(c->body);
  c->body = NULL;
  c->body_len = c->body_cap = 0;
  c->body_left = 0;
  c->chunked_in = c->chunked_out = c->head_only = c->no_body = c->logged_request = false;
  c->status = 0;
  c->body_bytes_out = 0;
  c->request_id_len = 0;
  buf_clear(&c->meta);
}

void conn_response_done(conn *c) {
  if (c->state == ST_CLOSED) return;
  if (c->logged_request) {
    http_access_log(c);
    size_t method_len = strnlen(buf_head(&c->meta), buf_size(&c->meta));
    http_metrics_request_done(buf_head(&c->meta), method_len, c->status, loop_clock() - c->started);
    http_spans_record(c);
  }
  end_request(c);
  if (c->want_drain) {
    c->drain_ready = true; /* nothing more will be written for this request */
    http_tick_queue(c);
  }
  c->req_id = 0;
  http_tick_want_flush(c);
  arm_send_timer(c);
  if (!c->keep_alive || conn_draining || c->eof) {
    c->state = ST_LINGER;
    c->close_after = true;
    return;
  }
  c->state = ST_IDLE;
  if (buf_size(&c->in) > 0) http_tick_queue(c);
}

static void write_answer(conn *c, int status, const char *content_type, const char *body, size_t n) {
  buf *b = &c->out;
  if (content_type) {
    http_write_status(b, status);
    buf_append_str(b, "content-type: ");
    buf_append_str(b, content_type);
    buf_append(b, "\r\n", 2);
    http_write_content_length(b, n);
    http_write_date(b);
  } else {
    http_write_json_head(b, status, n);
  }
  if (c->request_id_len) http_write_request_id(b, c->request_id, c->request_id_len);
  http_write_head_end(b, c->keep_alive);
  if (!c->head_only) {
    buf_append(b, body, n);
    c->body_bytes_out = n;
  }
  c->status = status;
}

static void write_json(conn *c, int status, const char *json) {
  write_answer(c, status, NULL, json, strlen(json));
}

void conn_answer_error(conn *c, int status) {
  if (c->state == ST_CLOSED || c->state == ST_LINGER) return;
  if (c->state == ST_STREAM) {
    conn_close(c); /* the head is out already: closing is the only signal left */
    return;
  }
  char json[96];
  snprintf(json, sizeof json, "{\"error\":\"%s\"}", http_reason(status));
  c->keep_alive = false;
  c->req_id = 0; /* later calls for the request find nothing */
  write_json(c, status, json);
  conn_response_done(c);
}

void conn_answer_json(conn *c, int status, const char *json) {
  c->keep_alive = c->keep_alive && !conn_draining;
  write_json(c, status, json);
  conn_response_done(c);
}

void conn_answer(conn *c, int status, const char *content_type, const char *body, size_t len) {
  c->keep_alive = c->keep_alive && !conn_draining;
  write_answer(c, status, content_type, body, len);
  conn_response_done(c);
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
  if (n > 0) {
    c->in.len += (size_t)n;
    http_metrics_bytes_in((size_t)n);
  } else if (n == 0)
    c->eof = true;
  else if (errno != EAGAIN && errno != EINTR)
    conn_close(c);
}

static void on_io(loop_io *io, uint32_t events) {
  conn *c = (conn *)io;
  if (events & EPOLLOUT) conn_flush(c);
  if (c->state != ST_CLOSED && (events & (EPOLLIN | EPOLLHUP | EPOLLERR))) read_input(c);
  if (c->state != ST_CLOSED) process(c);
  update_events(c);
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
      conn_answer_error(c, 408);
    break;
  case ST_BODY: conn_answer_error(c, 408); break;
  case ST_HANDLER:
    http_metrics_fault(504);
    conn_answer_error(c, 504);
    break;
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
  http_tick_want_flush(c);
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

/* A complete head: the layer above answers or accepts it; reject a body that is too large, else read it or dispatch. */
static void begin_request(conn *c, http_head *h, size_t head_len) {
  c->started = loop_clock();
  c->keep_alive = h->keep_alive;
  c->http10 = h->minor == 0;
  c->head_only = h->method.n == 4 && memcmp(h->method.p, "HEAD", 4) == 0;
  int status = hooks.on_head(c, h);
  if (c->logged_request) http_metrics_request_begun();
  buf_consume(&c->in, head_len);
  c->scan = 0;
  if (status != 0) {
    if (status > 0) conn_answer_error(c, status);
    return; /* answered (health) or refused */
  }
  c->chunked_in = h->chunked;
  if (h->has_content_length && h->content_length > http_cfg.max_body_bytes) {
    conn_answer_error(c, 413); /* without reading the body */
    return;
  }
  if (h->chunked) {
    http_chunked_init(&c->chunked, http_cfg.max_body_bytes, http_cfg.max_header_bytes);
  } else if (h->content_length > 0) {
    c->body_left = h->content_length;
    c->body_cap = (size_t)h->content_length;
    c->body = xrealloc(NULL, c->body_cap);
  } else {
    hooks.on_request(c);
    return;
  }
  if (h->expect_continue && !c->http10 && buf_size(&c->in) == 0) { /* unless the body is coming anyway */
    http_write_continue(&c->out);
    http_tick_want_flush(c);
  }
  c->state = ST_BODY;
  loop_timer_start(&c->timer, http_cfg.body_timeout_ms);
}

static void process(conn *c) {
  for (;;) {
    switch (c->state) {
    case ST_IDLE:
      if (buf_size(&c->in) == 0) {
        if (c->eof || conn_draining) close_when_flushed(c);
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
        conn_answer_error(c, (int)-r);
        return;
      }
      loop_timer_stop(&c->timer);
      begin_request(c, &scratch_head, (size_t)r);
      break;
    }
    case ST_BODY: {
      int r = read_body(c);
      if (r < 0) {
        conn_answer_error(c, -r);
        return;
      }
      if (r == 0) {
        if (c->eof) close_when_flushed(c); /* closed mid-body */
        return;
      }
      loop_timer_stop(&c->timer);
      hooks.on_request(c);
      break;
    }
    default: return;
    }
  }
}

/* The tick's steps (http-tick.c): a queued connection first hears of its drain, then resumes. */
static void process_queued(conn *c) {
  if (c->drain_ready) {
    c->drain_ready = false;
    if (c->want_drain) {
      c->want_drain = false;
      hooks.on_drain(c);
    }
  }
  process(c);
  update_events(c);
}

static void release(conn *c) {
  if (c->want_drain) { /* the request is gone: let its waiters go */
    c->want_drain = false;
    hooks.on_drain(c);
  }
  end_request(c);
  pool_release(c);
}

void conn_init(const conn_hooks *h) {
  hooks = *h;
  http_tick_init(&(http_tick_hooks){.process = process_queued, .flush = conn_flush, .release = release});
}

void conn_start_draining(void) {
  conn_draining = true;
}

uint32_t conn_busy(bool close_idle) {
  uint32_t busy = 0;
  for (uint32_t i = 0, n = pool_slots(); i < n; i++) {
    conn *c = pool_by_slot(i);
    if (!c || c->state == ST_CLOSED) continue;
    // A just-accepted connection may have its first request on the way, so it gets a second.
    bool fresh = c->state == ST_HEAD && loop_now() - c->started < 1000000000;
    bool idle =
        buf_size(&c->out) == 0 && buf_size(&c->in) == 0 && !fresh && (c->state == ST_IDLE || c->state == ST_HEAD);
    if (!idle)
      busy++;
    else if (close_idle)
      conn_close(c);
  }
  return busy;
}
