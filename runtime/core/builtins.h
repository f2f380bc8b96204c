// The table that scripts/runtime/lazy-builtins.ts generates into builtins-bytecode.c.
#pragma once
#include <stdint.h>

typedef struct {
  const char *name;
  const uint8_t *code;
  uint32_t size;
} scratchfn_builtin;

extern const scratchfn_builtin scratchfn_builtins[];
extern const unsigned scratchfn_builtins_count;
