// Bytecode files as the runtime reads them: the app (main.c) and its chunks (modules.c)
// pass the same checks, so a stale chunk is refused with the same words as a stale app.bin.
#pragma once
#include "buf.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Reads the whole file into out (appending); false with errno set when it cannot. */
bool bytecode_read_file(const char *path, buf *out);
/** False, with why filled in, when the code is bytecode of another engine version. */
bool bytecode_version_ok(const uint8_t *code, size_t len, char *why, size_t size);
