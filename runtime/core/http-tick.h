// Deferred connection work, done at the end of each loop iteration: connections with
// requests to resume (pipelined, or after a drain), output to write, or memory to free.
// Writing once per iteration batches a handler's several writes into one syscall;
// freeing waits until no list and no JS call can still hold the pointer. The layer
// above says what each step does (http_tick_init), so this one calls nothing upward.
#pragma once
#include "http-conn.h"
#include <stdbool.h>

typedef struct http_tick_hooks {
  void (*process)(conn *c); /* a queued connection, still open */
  void (*flush)(conn *c);   /* a connection with output to write, maybe closed since */
  void (*release)(conn *c); /* a closed connection that no list holds any more */
} http_tick_hooks;

void http_tick_init(const http_tick_hooks *hooks);
/** Queues an open connection for hooks.process. */
void http_tick_queue(conn *c);
/** Queues an open connection for hooks.flush. */
void http_tick_want_flush(conn *c);
/** Queues a closed connection for hooks.release. */
void http_tick_free(conn *c);
/** A loop tick hook: works through the lists (a few rounds, as each step may queue more); true when work is left. */
bool http_tick_run(void);
