// Numeric ids for native objects handed to JS (timers, sockets). An id carries its
// slot and a generation, so a stale id from JS finds nothing instead of a reused slot.
#pragma once
#include <stdint.h>

typedef struct handle_table {
  void **items;
  uint32_t *gens;
  uint32_t *free_slots;
  uint32_t cap, nfree, used;
} handle_table;

/** Returns an id > 0 (below 2^53, so exact as a JS number), or 0 when the table is full. */
uint64_t handle_add(handle_table *t, void *item);
void *handle_get(const handle_table *t, uint64_t id);
void handle_remove(handle_table *t, uint64_t id);
