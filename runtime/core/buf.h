// Growable byte buffers for socket input and output. Bytes live in [pos, len): reads
// consume from the front by moving pos, so the common whole-buffer case never memmoves.
#pragma once
#include <stddef.h>

typedef struct buf {
  char *data;
  size_t pos, len, cap;
} buf;

static inline size_t buf_size(const buf *b) {
  return b->len - b->pos;
}
static inline char *buf_head(const buf *b) {
  return b->data + b->pos;
}
static inline char *buf_tail(const buf *b) {
  return b->data + b->len;
}

/** The slow path of buf_reserve: compacts, then grows. */
void buf_grow(buf *b, size_t extra);

// Inline: every response and log line is built from a few dozen appends, most of them
// literals whose length and copy the compiler then folds.

/** Makes room for `extra` more bytes at the tail (compacting first). Aborts when memory runs out. */
static inline void buf_reserve(buf *b, size_t extra) {
  if (b->cap - b->len < extra) buf_grow(b, extra);
}
static inline void buf_append(buf *b, const void *data, size_t n) {
  buf_reserve(b, n);
  __builtin_memcpy(b->data + b->len, data, n);
  b->len += n;
}
static inline void buf_append_str(buf *b, const char *s) {
  buf_append(b, s, __builtin_strlen(s));
}
void buf_append_uint(buf *b, unsigned long long v);
void buf_consume(buf *b, size_t n);
static inline void buf_clear(buf *b) {
  b->pos = b->len = 0;
}
/** Releases the memory when the buffer grew past `keep`, so pooled connections stay small. */
void buf_trim(buf *b, size_t keep);
void buf_free(buf *b);

/** malloc/realloc that exit with a log line instead of returning NULL: the core has no way to go on. */
void *xrealloc(void *p, size_t n);
