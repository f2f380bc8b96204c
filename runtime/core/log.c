#include "log.h"
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FLUSH_AT (64 * 1024)

static buf out;

void log_write_fd(int fd, const void *data, size_t n) {
  const char *p = data;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w > 0) {
      p += w;
      n -= (size_t)w;
    } else if (w < 0 && errno == EAGAIN) {
      struct pollfd pfd = {.fd = fd, .events = POLLOUT};
      poll(&pfd, 1, 1000);
    } else if (w < 0 && errno == EINTR) {
      continue;
    } else {
      return; // stdout closed: nothing sensible left to do with the bytes
    }
  }
}

bool log_flush(void) {
  if (buf_size(&out) > 0) log_write_fd(1, buf_head(&out), buf_size(&out));
  buf_clear(&out);
  buf_trim(&out, 1 << 20);
  return false;
}

void log_stdout(const void *data, size_t n) {
  buf_append(&out, data, n);
  if (buf_size(&out) >= FLUSH_AT) log_flush();
}

void log_append_time(buf *b) {
  static time_t cached_sec = -1;
  static char prefix[24];
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  if (ts.tv_sec != cached_sec) {
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    strftime(prefix, sizeof prefix, "%Y-%m-%dT%H:%M:%S", &tm);
    cached_sec = ts.tv_sec;
  }
  int ms = (int)(ts.tv_nsec / 1000000);
  char tail[6] = {'.', (char)('0' + ms / 100), (char)('0' + ms / 10 % 10), (char)('0' + ms % 10), 'Z', 0};
  buf_append(b, prefix, 19); /* YYYY-MM-DDTHH:MM:SS */
  buf_append(b, tail, 5);
}

/** Length of the valid UTF-8 sequence at p, or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *p, size_t n) {
  unsigned char c = p[0];
  size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  if (c < 0xC2 || c > 0xF4 || n < len) return 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c == 0xE0)
    lo = 0xA0;
  else if (c == 0xED)
    hi = 0x9F;
  else if (c == 0xF0)
    lo = 0x90;
  else if (c == 0xF4)
    hi = 0x8F;
  if (p[1] < lo || p[1] > hi) return 0;
  for (size_t i = 2; i < len; i++)
    if ((p[i] & 0xC0) != 0x80) return 0;
  return len;
}

/* Bytes JSON strings spell otherwise: controls, '"', '\\', DEL, and everything from 0x80
   (checked as UTF-8). */
static const unsigned char json_special[256] = {
    [0 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x7f ... 0xff] = 1,
};

void json_append_str(buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *p = (const unsigned char *)s;
  // Most strings (methods, paths, ids) need no escape: one copy.
  size_t plain = 0;
  while (plain < n && !json_special[p[plain]]) plain++;
  buf_reserve(b, n + 2);
  if (plain == n) {
    char *t = buf_tail(b);
    t[0] = '"';
    __builtin_memcpy(t + 1, s, n);
    t[n + 1] = '"';
    b->len += n + 2;
    return;
  }
  buf_append(b, "\"", 1);
  size_t run = 0; // bytes copied verbatim in one go
  for (size_t i = 0; i < n;) {
    unsigned char c = p[i];
    size_t len = 1;
    const char *esc = NULL;
    char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
    if (c >= 0x80) {
      len = utf8_seq(p + i, n - i);
      if (len == 0) {
        esc = "\\ufffd";
        len = 1;
      }
    } else if (c == '"')
      esc = "\\\"";
    else if (c == '\\')
      esc = "\\\\";
    else if (c == '\n')
      esc = "\\n";
    else if (c == '\r')
      esc = "\\r";
    else if (c == '\t')
      esc = "\\t";
    else if (c < 0x20 || c == 0x7f)
      esc = u;
    if (esc) {
      buf_append(b, s + i - run, run);
      run = 0;
      buf_append(b, esc, esc == u ? 6 : strlen(esc));
    } else {
      run += len;
    }
    i += len;
  }
  buf_append(b, s + n - run, run);
  buf_append(b, "\"", 1);
}

buf *log_begin(const char *level, const char *msg, size_t msg_len) {
  buf_append(&out, "{\"time\":\"", 9);
  log_append_time(&out);
  buf_append(&out, "\",\"level\":\"", 11);
  buf_append_str(&out, level);
  buf_append(&out, "\",\"msg\":", 8);
  json_append_str(&out, msg, msg_len);
  return &out;
}

void log_field_str(const char *key, const char *s, size_t n) {
  size_t k = strlen(key);
  buf_reserve(&out, k + 4);
  char *t = buf_tail(&out);
  t[0] = ',';
  t[1] = '"';
  __builtin_memcpy(t + 2, key, k);
  t[k + 2] = '"';
  t[k + 3] = ':';
  out.len += k + 4;
  json_append_str(&out, s, n);
}

void log_end(void) {
  buf_append(&out, "}\n", 2);
  if (buf_size(&out) >= FLUSH_AT) log_flush();
}

void log_field_trace(const char *trace_id, const char *span_id) {
  buf_append_str(&out, ",\"trace_id\":\"");
  buf_append(&out, trace_id, 32);
  buf_append_str(&out, "\",\"span_id\":\"");
  buf_append(&out, span_id, 16);
  buf_append(&out, "\"", 1);
}

static const char *request_id, *request_trace_id, *request_span_id;
static size_t request_id_len;

void log_set_request(const char *id, size_t n, const char *trace_id, const char *span_id) {
  request_id = id;
  request_id_len = id ? n : 0;
  request_trace_id = id ? trace_id : NULL;
  request_span_id = id ? span_id : NULL;
}

void log_error(const char *msg, const char *stack) {
  log_begin("error", msg, strlen(msg));
  if (request_id_len) log_field_str("request_id", request_id, request_id_len);
  if (request_trace_id) log_field_trace(request_trace_id, request_span_id);
  if (stack && *stack) log_field_str("stack", stack, strlen(stack));
  log_end();
}
