// The connection table: slots (a request id names one), a pool of spare connections,
// and the lists the loop's tick works through: connections with requests to resume,
// output to write, or memory to free. Freeing waits for the tick, when no JS call can
// still hold the pointer.
#include "http-conn.h"
#include <stdlib.h>
#include <string.h>

enum { POOL_MAX = 64 };

static conn **slots;
static uint32_t nslots, capslots, live;
static uint32_t *free_slots;
static uint32_t nfree_slots;
static conn *queued, *to_flush, *closed, *pool;
static uint32_t npool;

conn *conn_by_slot(uint32_t slot) {
  return slot < nslots ? slots[slot] : NULL;
}
uint32_t conn_count(void) {
  return live;
}

static uint32_t take_slot(conn *c) {
  if (nfree_slots > 0) {
    uint32_t s = free_slots[--nfree_slots];
    slots[s] = c;
    return s;
  }
  if (nslots == capslots) {
    capslots = capslots ? capslots * 2 : 256;
    slots = xrealloc(slots, capslots * sizeof *slots);
    free_slots = xrealloc(free_slots, capslots * sizeof *free_slots);
  }
  slots[nslots] = c;
  return nslots++;
}

conn *conn_new(void) {
  conn *c = pool;
  if (c) {
    pool = c->next_free;
    npool--;
  } else {
    c = calloc(1, sizeof *c);
    if (!c) return NULL;
  }
  buf in = c->in, out = c->out, meta = c->meta;
  memset(c, 0, sizeof *c);
  c->in = in, c->out = out, c->meta = meta;
  c->js_method = c->js_target = c->js_headers = c->drain_cbs = JS_UNDEFINED;
  c->slot = take_slot(c);
  live++;
  return c;
}

void conn_queue(conn *c) {
  if (c->queued || c->state == ST_CLOSED) return;
  c->queued = true;
  c->next_queued = queued;
  queued = c;
}

void conn_want_flush(conn *c) {
  if (c->flushing || c->state == ST_CLOSED) return;
  c->flushing = true;
  c->next_flush = to_flush;
  to_flush = c;
}

void conn_free_later(conn *c) {
  c->next_closed = closed;
  closed = c;
}

uint32_t conn_busy(bool close_idle) {
  uint32_t busy = 0;
  for (uint32_t i = 0; i < nslots; i++) {
    conn *c = slots[i];
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

static void free_conn(conn *c) {
  if (!JS_IsUndefined(c->drain_cbs)) http_call_drain_callbacks(c); /* the request is gone: let waiters go */
  request_clear(c);
  slots[c->slot] = NULL;
  free_slots[nfree_slots++] = c->slot;
  live--;
  buf_clear(&c->in);
  buf_clear(&c->out);
  buf_trim(&c->in, 64 * 1024);
  buf_trim(&c->out, 64 * 1024);
  if (npool < POOL_MAX) {
    c->next_free = pool;
    pool = c;
    npool++;
  } else {
    buf_free(&c->in);
    buf_free(&c->out);
    buf_free(&c->meta);
    free(c);
  }
}

bool http_server_tick(void) {
  for (int round = 0; round < 8 && (queued || to_flush || closed); round++) {
    while (queued) {
      conn *c = queued;
      queued = c->next_queued;
      c->queued = false;
      if (c->state == ST_CLOSED) continue;
      if (c->drain_ready) {
        c->drain_ready = false;
        http_call_drain_callbacks(c);
      }
      conn_process(c);
      conn_update_events(c);
    }
    while (to_flush) {
      conn *c = to_flush;
      to_flush = c->next_flush;
      c->flushing = false;
      conn_flush(c);
    }
    // Only now is no closed connection still linked from the other lists.
    while (closed && !queued && !to_flush) {
      conn *c = closed;
      closed = c->next_closed;
      free_conn(c);
    }
  }
  http_check_exit();
  return queued || to_flush || closed;
}
