#include "http-config.h"
#include "env.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

http_config http_cfg;

void http_config_load(void) {
  const char *host = getenv("SCRATCHFN_HOST");
  snprintf(http_cfg.host, sizeof http_cfg.host, "%s", host && *host ? host : "0.0.0.0");
  http_cfg.port = (int)env_int("PORT", 8080, 0, 65535);
  http_cfg.max_header_bytes = (size_t)env_int("SCRATCHFN_MAX_HEADER_BYTES", 16384, 256, 1 << 24);
  http_cfg.max_body_bytes = (size_t)env_int("SCRATCHFN_MAX_BODY_BYTES", 1048576, 0, 1LL << 40);
  http_cfg.header_timeout_ms = (double)env_int("SCRATCHFN_HEADER_TIMEOUT_MS", 10000, 1, 86400000);
  http_cfg.body_timeout_ms = (double)env_int("SCRATCHFN_BODY_TIMEOUT_MS", 30000, 1, 86400000);
  http_cfg.idle_timeout_ms = (double)env_int("SCRATCHFN_IDLE_TIMEOUT_MS", 5000, 1, 86400000);
  http_cfg.handler_timeout_ms = (double)env_int("SCRATCHFN_HANDLER_TIMEOUT_MS", 30000, 1, 86400000);
  http_cfg.drain_delay_ms = (double)env_int("SCRATCHFN_DRAIN_DELAY_MS", 500, 0, 86400000);
  http_cfg.grace_ms = (double)env_int("SCRATCHFN_GRACE_MS", 25000, 0, 86400000);
  http_cfg.max_connections = (int)env_int("SCRATCHFN_MAX_CONNECTIONS", 1024, 1, 1000000);
  const char *access = getenv("SCRATCHFN_ACCESS_LOG");
  http_cfg.access_log = !(access && strcmp(access, "0") == 0);
}
