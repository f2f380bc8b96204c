// The connection table: a slot per open connection (a request id names one), spare
// connections kept for reuse so a busy server allocates none, and the counters a
// metrics endpoint reads. It only holds memory: it never reads, writes or closes.
#pragma once
#include "http-conn.h"
#include <stdint.h>

/** A zeroed connection in a free slot, or NULL when memory runs out. */
conn *pool_take(void);
/** Returns a closed connection to the spares (or frees it), emptying its buffers. */
void pool_release(conn *c);
conn *pool_by_slot(uint32_t slot);
/** The slots handed out so far, open or free: the bound for iterating pool_by_slot. */
uint32_t pool_slots(void);
/** Connections taken and not yet released. */
uint32_t pool_open(void);

typedef struct http_conn_stats {
  uint64_t open;     /* connections taken and not yet released */
  uint64_t accepted; /* accepted to be served */
  uint64_t refused;  /* answered 503 and closed: over SCRATCHFN_MAX_CONNECTIONS, out of descriptors or memory */
} http_conn_stats;
void pool_count_accepted(void);
void pool_count_refused(void);
http_conn_stats pool_stats(void);
