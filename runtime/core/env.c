#include "env.h"
#include "log.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void fatal(const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  log_flush();
  buf b = {0};
  buf_append_str(&b, "{\"time\":\"");
  log_append_time(&b);
  buf_append_str(&b, "\",\"level\":\"error\",\"msg\":");
  json_append_str(&b, msg, strlen(msg));
  buf_append_str(&b, "}\n");
  log_write_fd(2, buf_head(&b), buf_size(&b));
  exit(1);
}

long long env_int(const char *name, long long def, long long min, long long max) {
  const char *s = getenv(name);
  if (!s || !*s) return def;
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || *end || v < min || v > max)
    fatal("%s must be an integer from %lld to %lld, not '%s'", name, min, max, s);
  return v;
}
