#include "buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) {
    static const char msg[] = "{\"level\":\"error\",\"msg\":\"scratchfn-runtime: out of native memory\"}\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(70);
  }
  return q;
}

void buf_grow(buf *b, size_t extra) {
  if (b->pos > 0) {
    memmove(b->data, b->data + b->pos, b->len - b->pos);
    b->len -= b->pos;
    b->pos = 0;
    if (b->cap - b->len >= extra) return;
  }
  size_t cap = b->cap ? b->cap : 256;
  while (cap - b->len < extra) cap *= 2;
  b->data = xrealloc(b->data, cap);
  b->cap = cap;
}

void buf_append_uint(buf *b, unsigned long long v) {
  char tmp[24];
  int n = 0;
  do tmp[sizeof tmp - ++n] = (char)('0' + v % 10);
  while ((v /= 10) != 0);
  buf_append(b, tmp + sizeof tmp - n, (size_t)n);
}

void buf_consume(buf *b, size_t n) {
  b->pos += n;
  if (b->pos >= b->len) b->pos = b->len = 0;
}

void buf_trim(buf *b, size_t keep) {
  if (b->cap > keep && buf_size(b) == 0) buf_free(b);
}

void buf_free(buf *b) {
  free(b->data);
  b->data = NULL;
  b->pos = b->len = b->cap = 0;
}
