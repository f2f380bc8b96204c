// Request ids: a client's X-Request-Id is kept when it is safe to log and echo, else the
// server makes one. Pure functions, so every layer can use them.
#pragma once
#include "http-parser.h"
#include <stdbool.h>
#include <stdint.h>

enum { HTTP_REQUEST_ID_MAX = 128, HTTP_REQUEST_ID_GENERATED = 32 };

/** 1 to 128 of [A-Za-z0-9._-]. */
bool http_request_id_valid(http_str s);
/** Writes HTTP_REQUEST_ID_GENERATED random hex digits. */
void http_request_id_generate(char *out);
/** 64 random bits from the same generator (unique, not secret): trace and span ids. */
uint64_t http_random_u64(void);
