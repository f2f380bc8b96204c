#include "http-access-log.h"
#include "http-config.h"
#include "log.h"
#include <string.h>

void http_access_log(const conn *c) {
  if (!http_cfg.access_log || buf_size(&c->meta) == 0) return;
  const char *method = buf_head(&c->meta);
  size_t method_len = strlen(method);
  const char *path = method + method_len + 1;
  size_t path_len = buf_size(&c->meta) - method_len - 1;
  buf *b = log_begin("info", "request", 7);
  log_field_str("method", method, method_len);
  log_field_str("path", path, path_len);
  // Formatted by hand: printf's float path showed up in profiles of busy servers.
  uint64_t us = (uint64_t)(loop_clock() - c->started) / 1000;
  char frac[4] = {(char)('0' + us / 100 % 10), (char)('0' + us / 10 % 10), (char)('0' + us % 10), 0};
  buf_append_str(b, ",\"status\":");
  buf_append_uint(b, (unsigned)c->status);
  buf_append_str(b, ",\"duration_ms\":");
  buf_append_uint(b, us / 1000);
  buf_append(b, ".", 1);
  buf_append(b, frac, 3);
  buf_append_str(b, ",\"bytes\":");
  buf_append_uint(b, c->body_bytes_out);
  log_field_str("request_id", c->request_id, c->request_id_len);
  log_field_trace(c->trace.trace_id, c->trace.span_id);
  log_end();
}
