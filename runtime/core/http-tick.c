#include "http-tick.h"

static http_tick_hooks hooks;
static conn *queued, *to_flush, *closed;

void http_tick_init(const http_tick_hooks *h) {
  hooks = *h;
}

void http_tick_queue(conn *c) {
  if (c->queued || c->state == ST_CLOSED) return;
  c->queued = true;
  c->next_queued = queued;
  queued = c;
}

void http_tick_want_flush(conn *c) {
  if (c->flushing || c->state == ST_CLOSED) return;
  c->flushing = true;
  c->next_flush = to_flush;
  to_flush = c;
}

void http_tick_free(conn *c) {
  c->next_closed = closed;
  closed = c;
}

bool http_tick_run(void) {
  for (int round = 0; round < 8 && (queued || to_flush || closed); round++) {
    while (queued) {
      conn *c = queued;
      queued = c->next_queued;
      c->queued = false;
      if (c->state != ST_CLOSED) hooks.process(c);
    }
    while (to_flush) {
      conn *c = to_flush;
      to_flush = c->next_flush;
      c->flushing = false;
      hooks.flush(c);
    }
    // Only now is no closed connection still linked from the other lists.
    while (closed && !queued && !to_flush) {
      conn *c = closed;
      closed = c->next_closed;
      hooks.release(c);
    }
  }
  return queued || to_flush || closed;
}
