#include "bytecode.h"
#include <errno.h>
#include <stdio.h>

extern const uint8_t scratchfn_web[];

bool bytecode_read_file(const char *path, buf *out) {
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  size_t n;
  do {
    buf_reserve(out, 65536);
    n = fread(buf_tail(out), 1, 65536, f);
    out->len += n;
  } while (n > 0);
  int failed = ferror(f);
  fclose(f);
  if (failed) errno = EIO;
  return !failed;
}

/* Bytecode starts with the engine's format version (a small number; 2 for QuickJS
   2021-03-27): the embedded web layer was written by this very engine, so its first byte
   is the version this runtime reads. Anything else that is no small number is left to
   JS_ReadObject, which says it is not bytecode at all. */
bool bytecode_version_ok(const uint8_t *code, size_t len, char *why, size_t size) {
  if (len == 0 || code[0] == scratchfn_web[0] || code[0] > 63) return true;
  snprintf(why, size,
           "it is bytecode version %d, and this runtime (QuickJS %s) reads version %d; rebuild the image with this "
           "runtime (npm run build)",
           code[0], ENGINE_VERSION, scratchfn_web[0]);
  return false;
}
