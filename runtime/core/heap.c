#include "heap.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* 16 bytes keep the payload as aligned as malloc's own. A free block's list link takes
   the place of `size`; `carved` survives it. */
typedef union header {
  struct {
    size_t size;
    size_t carved; /* cut from a load-time chunk (below): never handed to free() */
  };
  max_align_t align;
} header;

/* Small blocks are recycled through per-size free lists instead of going back to
   malloc: a request allocates and frees the same few hundred small objects each time.
   Under AddressSanitizer every block goes back to malloc, so a use after free shows. */
#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
enum { KEEP_BYTES = 0 };
#else
enum { KEEP_BYTES = 64 * 1024 };
#endif
enum { CLASS = 16, SMALL = 256, NCLASSES = SMALL / CLASS + 1 };
static void *free_lists[NCLASSES];
static uint32_t free_counts[NCLASSES];
/* How many blocks each class keeps: a table, so a free costs no division. */
#define KEEP(c) (KEEP_BYTES / (sizeof(header) + (c)*CLASS))
static const uint32_t keep_counts[NCLASSES] = {KEEP(0),  KEEP(1),  KEEP(2),  KEEP(3),  KEEP(4),  KEEP(5),
                                               KEEP(6),  KEEP(7),  KEEP(8),  KEEP(9),  KEEP(10), KEEP(11),
                                               KEEP(12), KEEP(13), KEEP(14), KEEP(15), KEEP(16)};
_Static_assert(NCLASSES == 17, "keep_counts lists one entry per class");
static uint64_t oom_count;

/* While the runtime loads (the web layer, the app), new small blocks are cut one after
   the other from 64 KiB chunks instead of coming from malloc one by one: nearly all of
   them live as long as the process (functions, shapes, atoms), and musl's malloc cost an
   eighth of start-up in them, plus a header and size-class slack per block. A carved
   block that is freed goes to its free list even past KEEP_BYTES (it cannot go back to
   free()); after the load (heap_loaded) new blocks come from malloc again, so a later
   peak goes back to it. */
enum { CHUNK = 64 * 1024 };
static bool carving = KEEP_BYTES > 0;
static char *carve_next, *carve_end;

static const JSMallocState *heap_state; /* the engine's accounting, seen on first malloc */

uint64_t heap_oom_count(void) {
  return oom_count;
}

size_t heap_used_bytes(void) {
  return heap_state ? heap_state->malloc_size : 0;
}

size_t heap_limit_bytes(void) {
  return heap_state ? heap_state->malloc_limit : 0;
}

size_t heap_cached_bytes(void) {
  size_t n = 0;
  for (size_t c = 0; c < NCLASSES; c++) n += free_counts[c] * (sizeof(header) + c * CLASS);
  return n;
}

static size_t class_of(size_t size) {
  return (size + CLASS - 1) / CLASS;
}

void heap_loaded(void) {
  carving = false;
}

/* Out of line: the hot path (a free list's block) stays as small as it was. */
__attribute__((noinline)) static header *fresh(size_t bytes) {
  header *h;
  if (carving) {
    if ((size_t)(carve_end - carve_next) < bytes) {
      char *chunk = malloc(CHUNK);
      if (!chunk) return NULL;
      carve_next = chunk;
      carve_end = chunk + CHUNK;
    }
    h = (header *)carve_next;
    carve_next += bytes;
    h->carved = 1;
    return h;
  }
  h = malloc(bytes);
  if (h) h->carved = 0;
  return h;
}

static header *raw_alloc(size_t size) {
  if (size <= SMALL) {
    size_t c = class_of(size);
    void *p = free_lists[c];
    if (p) {
      free_lists[c] = *(void **)p;
      free_counts[c]--;
      return p;
    }
    return fresh(sizeof(header) + c * CLASS);
  }
  return malloc(sizeof(header) + size); /* a large block's `carved` is never read */
}

static void raw_free(header *h) {
  if (h->size <= SMALL) {
    size_t c = class_of(h->size);
    if (free_counts[c] < keep_counts[c] || h->carved) {
      *(void **)h = free_lists[c];
      free_lists[c] = h;
      free_counts[c]++;
      return;
    }
  }
  free(h);
}

/* What a block of `size` costs against the limit: the same for the size and its class. */
static size_t cost(size_t size) {
  return sizeof(header) + (size <= SMALL ? class_of(size) * CLASS : size);
}

/* What the block holds, not what was asked: a small block has its whole class, so the
   engine's growing buffers (strings, arrays) take that slack and realloc less often; a
   realloc within the class moves nothing and the accounting is by class already. */
static size_t h_usable(const void *p) {
  size_t size = ((const header *)p - 1)->size;
  return size <= SMALL ? class_of(size) * CLASS : size;
}

static void *h_malloc(JSMallocState *s, size_t size) {
  heap_state = s;
  if (s->malloc_size + cost(size) > s->malloc_limit) {
    oom_count++;
    return NULL;
  }
  header *h = raw_alloc(size);
  if (!h) {
    oom_count++;
    return NULL;
  }
  h->size = size;
  s->malloc_count++;
  s->malloc_size += cost(size);
  return h + 1;
}

static void h_free(JSMallocState *s, void *p) {
  if (!p) return;
  header *h = (header *)p - 1;
  s->malloc_count--;
  s->malloc_size -= cost(h->size);
  raw_free(h);
}

static void *h_realloc(JSMallocState *s, void *p, size_t size) {
  if (!p) return size ? h_malloc(s, size) : NULL;
  if (size == 0) {
    h_free(s, p);
    return NULL;
  }
  header *h = (header *)p - 1;
  size_t old = h->size;
  if (s->malloc_size - cost(old) + cost(size) > s->malloc_limit) {
    oom_count++;
    return NULL;
  }
  if (old <= SMALL || size <= SMALL) {
    if (size <= SMALL && old <= SMALL && class_of(size) == class_of(old)) {
      h->size = size; /* same block class: nothing moves */
      return p;
    }
    void *q = h_malloc(s, size);
    if (!q) return NULL;
    /* The whole block: the engine may have written up to h_usable(p), past `old`. */
    size_t held = h_usable(p);
    memcpy(q, p, held < size ? held : size);
    h_free(s, p);
    return q;
  }
  header *n = realloc(h, sizeof(header) + size);
  if (!n) {
    oom_count++;
    return NULL;
  }
  n->size = size;
  s->malloc_size += cost(size) - cost(old);
  return n + 1;
}

const JSMallocFunctions heap_functions = {h_malloc, h_free, h_realloc, h_usable};
