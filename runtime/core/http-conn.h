// Server connections, the middle of the HTTP core: reading, the per-connection state
// machine (head, body, handler, keep-alive), timeouts, buffered output, lingering close
// and the core's own answers (errors, health). One request per connection is active at
// a time; pipelined requests wait in the input buffer until the current response is
// complete. No JS here: the layer above is told of requests through conn_hooks and
// keeps its own per-request values; connections are freed only in the tick, so a
// pointer it holds across a JS call stays valid (the state says whether it is open).
#pragma once
#include "buf.h"
#include "http-parser.h"
#include "http-request-id.h"
#include "http-trace.h"
#include "loop.h"
#include <stdbool.h>
#include <stdint.h>

typedef enum {
  ST_IDLE,    /* keep-alive, between requests */
  ST_HEAD,    /* reading a request head */
  ST_BODY,    /* reading a request body */
  ST_HANDLER, /* dispatched to the layer above, no response yet */
  ST_STREAM,  /* streaming a chunked response */
  ST_LINGER,  /* response sent, write side shut, draining input before close */
  ST_CLOSED,  /* fd closed, freed at the end of the loop iteration */
} conn_state;

enum { OUT_HIGH_WATER = 64 * 1024 };

typedef struct conn conn;
struct conn {
  loop_io io;
  loop_timer timer;
  conn_state state;
  uint32_t slot;
  uint64_t req_id; /* the id the layer above gave the active request; 0 when none */
  buf in, out;
  size_t scan; /* head parser position */
  bool eof;    /* the client shut its write side */
  bool keep_alive, http10, head_only, no_body, chunked_out, logged_request;
  bool close_after; /* close (lingering) once out is flushed */
  bool queued, flushing, drain_ready;
  bool want_drain; /* the layer above waits for output to drain (conn_want_drain) */
  /* the request being read or handled */
  int64_t started;
  uint64_t sent, sent_mark; /* bytes written, and at the last send-timer start */
  int status;
  uint64_t body_bytes_out;
  uint64_t body_left; /* Content-Length bytes still to read */
  bool chunked_in;
  http_chunked chunked;
  char *body; /* the request body, malloc'd; the layer above may take it (and set it NULL) */
  size_t body_len, body_cap;
  char request_id[HTTP_REQUEST_ID_MAX + 1];
  uint8_t request_id_len;
  buf meta; /* "METHOD\0/path" for the access log */
  http_trace trace; /* of the request handed on (logged_request) */
  conn *next_queued, *next_flush, *next_closed, *next_free;
};

/** How the layer above hears from its connections: callbacks it registers, so the
    connection layer never names it. */
typedef struct conn_hooks {
  /** A complete head, whose bytes stay valid only during the call (keep_alive, http10,
      head_only and started are set). Returns 0 to read the body and then call
      on_request, -1 when it answered already, or a status to refuse the request with. */
  int (*on_head)(conn *c, http_head *h);
  /** The whole request is in (c->body, c->body_len): hand it on. */
  void (*on_request)(conn *c);
  /** The drain asked for with conn_want_drain: output fell below OUT_HIGH_WATER, the
      request ended, or the connection is being freed (then its state is ST_CLOSED). */
  void (*on_drain)(conn *c);
  /** The active request is over (answered, or its connection is being freed): release what is held for it. */
  void (*on_end)(conn *c);
} conn_hooks;

/** Set after SIGTERM: responses say connection: close and idle connections go. */
extern bool conn_draining;

void conn_init(const conn_hooks *hooks);
/** Takes in an accepted socket (503 and close when over SCRATCHFN_MAX_CONNECTIONS). */
void conn_accept(int fd);
void conn_close(conn *c);
/** Writes what it can now; marks the connection gone on error. */
void conn_flush(conn *c);
/** Queues c's output to be written at the end of the iteration. */
void conn_want_flush(conn *c);
/** The active request's response is complete: log it, then keep-alive or close. */
void conn_response_done(conn *c);
/** A core-made answer ({"error": reason}, connection: close) that finishes the request, if any. */
void conn_answer_error(conn *c, int status);
/** A core-made JSON answer (health checks) that finishes the request. */
void conn_answer_json(conn *c, int status, const char *json);
/** A core-made answer with its content type (/metrics) that finishes the request. */
void conn_answer(conn *c, int status, const char *content_type, const char *body, size_t len);
/** Calls hooks.on_drain once output is below OUT_HIGH_WATER (or the request is over). */
void conn_want_drain(conn *c);
void conn_start_draining(void);
/** Connections still owing a response or output; closes idle ones when asked to. */
uint32_t conn_busy(bool close_idle);
