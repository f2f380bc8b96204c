// Internals shared by the http-*.c files: the configuration, the connection and its
// states, and the steps between them. One request per connection is active at a time;
// pipelined requests wait in the input buffer until the current response is complete.
#pragma once
#include "buf.h"
#include "http-parser.h"
#include "loop.h"
#include "quickjs.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct http_config {
  char host[256];
  int port;
  size_t max_header_bytes, max_body_bytes;
  double header_timeout_ms, body_timeout_ms, idle_timeout_ms, handler_timeout_ms;
  double drain_delay_ms, grace_ms;
  int max_connections;
  bool access_log;
} http_config;

extern http_config http_cfg;
extern bool http_draining;

typedef enum {
  ST_IDLE,    /* keep-alive, between requests */
  ST_HEAD,    /* reading a request head */
  ST_BODY,    /* reading a request body */
  ST_HANDLER, /* dispatched to JS, no response yet */
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
  uint64_t req_id; /* the id JS holds for the active request; 0 when none */
  buf in, out;
  size_t scan; /* head parser position */
  bool eof;    /* the client shut its write side */
  bool keep_alive, http10, head_only, no_body, chunked_out, logged_request;
  bool close_after; /* close (lingering) once out is flushed */
  bool queued, flushing, drain_ready;
  /* the request being read or handled */
  int64_t started;
  uint64_t sent, sent_mark; /* bytes written, and at the last send-timer start */
  int status;
  uint64_t body_bytes_out;
  uint64_t body_left; /* Content-Length bytes still to read */
  bool chunked_in;
  http_chunked chunked;
  char *body;
  size_t body_len, body_cap;
  JSValue js_method, js_target, js_headers;
  JSValue drain_cbs; /* array of onDrain callbacks, or undefined */
  char request_id[129];
  uint8_t request_id_len;
  buf meta; /* "METHOD\0/path" for the access log */
  conn *next_queued, *next_flush, *next_closed, *next_free;
};

/* http-pool.c */
/** A connection in a free slot, or NULL when memory runs out. */
conn *conn_new(void);
/** Frees c (closed already) in the tick, after any JS that may hold it returned. */
void conn_free_later(conn *c);
/** Connections still owing a response or output; closes idle ones when asked to. */
uint32_t conn_busy(bool close_idle);
conn *conn_by_slot(uint32_t slot);
uint32_t conn_count(void);
/** Queues c's output to be written at the end of the iteration. */
void conn_want_flush(conn *c);
/** Queues c for conn_process at the end of the iteration (pipelined requests, drain callbacks). */
void conn_queue(conn *c);

/* http-conn.c */
void conn_accept(int fd);
void conn_update_events(conn *c);
void conn_process(conn *c);
/** Writes what it can now; marks the connection gone on error. */
void conn_flush(conn *c);
/** The active request's response is complete: log it, then keep-alive or close. */
void conn_response_done(conn *c);
void conn_close(conn *c);

/* http-response.c */
const char *http_reason(int status);
void http_write_status(buf *b, int status);
void http_write_date(buf *b);
/** A core-made answer: JSON body, connection: close. The request (if any) is finished. */
void http_write_error(conn *c, int status);
void http_write_health(conn *c, int status, const char *json);
void http_write_chunk(buf *b, const void *data, size_t len);
void http_log_access(conn *c);

/* http-request.c */
/** Turns a parsed head into the JS arguments; returns 0 or a status to answer (503 on no memory). */
int request_begin(conn *c, http_head *h);
void request_dispatch(conn *c);
void request_clear(conn *c);

/* http-server.c */
extern JSValue http_on_request;
uint64_t http_next_req_id(conn *c);
void http_call_drain_callbacks(conn *c);

/* http-listen.c */
void http_check_exit(void);
