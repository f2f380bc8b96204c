// The HTTP server's limits and settings, read from the environment once when it starts
// serving. The bottom of the HTTP core: every layer above reads them, none writes them.
#pragma once
#include <stdbool.h>
#include <stddef.h>

typedef struct http_config {
  char host[256];
  int port;
  size_t max_header_bytes, max_body_bytes;
  double header_timeout_ms, body_timeout_ms, idle_timeout_ms, handler_timeout_ms;
  double drain_delay_ms, grace_ms;
  int max_connections;
  bool access_log;
} http_config;

extern http_config http_cfg;

/** Reads http_cfg from SCRATCHFN_* and PORT; a bad value is fatal, naming the variable. */
void http_config_load(void);
