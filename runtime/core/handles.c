#include "handles.h"
#include "buf.h"
#include <stddef.h>

#define SLOT_BITS 20
#define SLOT_MASK ((1u << SLOT_BITS) - 1)

uint64_t handle_add(handle_table *t, void *item) {
  uint32_t slot;
  if (t->nfree > 0) {
    slot = t->free_slots[--t->nfree];
  } else {
    if (t->used == SLOT_MASK) return 0;
    if (t->used == t->cap) {
      t->cap = t->cap ? t->cap * 2 : 64;
      t->items = xrealloc(t->items, t->cap * sizeof *t->items);
      t->gens = xrealloc(t->gens, t->cap * sizeof *t->gens);
      t->free_slots = xrealloc(t->free_slots, t->cap * sizeof *t->free_slots);
    }
    slot = t->used++;
    t->gens[slot] = 0;
  }
  if (++t->gens[slot] == 0) t->gens[slot] = 1;
  t->items[slot] = item;
  return ((uint64_t)t->gens[slot] << SLOT_BITS) | slot;
}

void *handle_get(const handle_table *t, uint64_t id) {
  uint32_t slot = (uint32_t)(id & SLOT_MASK);
  if (slot >= t->used || t->gens[slot] != (uint32_t)(id >> SLOT_BITS) || id >> (SLOT_BITS + 32)) return NULL;
  return t->items[slot];
}

void handle_remove(handle_table *t, uint64_t id) {
  if (!handle_get(t, id)) return;
  uint32_t slot = (uint32_t)(id & SLOT_MASK);
  t->items[slot] = NULL;
  t->gens[slot]++;
  t->free_slots[t->nfree++] = slot;
}
