#include "http-pool.h"
#include <stdlib.h>
#include <string.h>

enum { POOL_MAX = 64 };

static conn **slots;
static uint32_t nslots, capslots, live;
static uint32_t *free_slots;
static uint32_t nfree_slots;
static conn *spares;
static uint32_t nspares;
static uint64_t accepted, refused;

conn *pool_by_slot(uint32_t slot) {
  return slot < nslots ? slots[slot] : NULL;
}
uint32_t pool_slots(void) {
  return nslots;
}
uint32_t pool_open(void) {
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

conn *pool_take(void) {
  conn *c = spares;
  if (c) {
    spares = c->next_free;
    nspares--;
  } else {
    c = calloc(1, sizeof *c);
    if (!c) return NULL;
  }
  buf in = c->in, out = c->out, meta = c->meta;
  memset(c, 0, sizeof *c);
  c->in = in, c->out = out, c->meta = meta;
  c->slot = take_slot(c);
  live++;
  return c;
}

void pool_release(conn *c) {
  slots[c->slot] = NULL;
  free_slots[nfree_slots++] = c->slot;
  live--;
  buf_clear(&c->out);
  /* A spare keeps its small output buffer but not its input one: each is a page or more,
     and the next connection's first read makes a new one at once. */
  buf_free(&c->in);
  buf_trim(&c->out, 64 * 1024);
  if (nspares < POOL_MAX) {
    c->next_free = spares;
    spares = c;
    nspares++;
  } else {
    buf_free(&c->in);
    buf_free(&c->out);
    buf_free(&c->meta);
    free(c);
  }
}

void pool_count_accepted(void) {
  accepted++;
}
void pool_count_refused(void) {
  refused++;
}
http_conn_stats pool_stats(void) {
  return (http_conn_stats){.open = live, .accepted = accepted, .refused = refused};
}
