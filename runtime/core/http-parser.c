#include "http-parser.h"
#include <string.h>

/* tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA,
   as a bitmap over 0x00-0x7F (four 32-bit words). */
static const uint32_t tchars[4] = {0x00000000, 0x03FF6CFA, 0xC7FFFFFE, 0x57FFFFFF};

bool http_is_tchar(unsigned char c) {
  return c < 128 && (tchars[c >> 5] >> (c & 31) & 1);
}

static bool is_ctl(unsigned char c) {
  return c < 0x20 || c == 0x7F;
}

static bool ieq(http_str s, const char *lit) {
  size_t n = strlen(lit);
  if (s.n != n) return false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s.p[i];
    if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != (unsigned char)lit[i]) return false;
  }
  return true;
}

/* method SP request-target SP HTTP-version */
static long parse_request_line(const char *p, size_t n, http_head *h) {
  size_t i = 0;
  while (i < n && http_is_tchar((unsigned char)p[i])) i++;
  if (i == 0 || i == n || p[i] != ' ') return -400;
  h->method = (http_str){p, i};
  size_t t = ++i;
  while (i < n && p[i] != ' ') {
    if (is_ctl((unsigned char)p[i])) return -400;
    i++;
  }
  if (i == t || i == n) return -400; /* no target, or HTTP/0.9 ("GET /") */
  h->target = (http_str){p + t, i - t};
  http_str v = {p + i + 1, n - i - 1};
  if (v.n == 8 && memcmp(v.p, "HTTP/1.", 7) == 0 && (v.p[7] == '0' || v.p[7] == '1')) {
    h->minor = v.p[7] - '0';
  } else if (v.n == 8 && memcmp(v.p, "HTTP/", 5) == 0 && v.p[5] >= '0' && v.p[5] <= '9' && v.p[6] == '.' &&
             v.p[7] >= '0' && v.p[7] <= '9') {
    return -505; /* well-formed but not 1.x, e.g. the HTTP/2 preface "PRI * HTTP/2.0" */
  } else {
    return -400;
  }
  return 0;
}

/* Origin-form stays; asterisk-form is for OPTIONS only; absolute-form becomes its path and query. */
static long reduce_target(http_head *h, char *line) {
  http_str t = h->target;
  if (t.p[0] == '/') return 0;
  if (t.n == 1 && t.p[0] == '*') return h->method.n == 7 && memcmp(h->method.p, "OPTIONS", 7) == 0 ? 0 : -400;
  size_t skip = 0;
  if (t.n > 7 && ieq((http_str){t.p, 7}, "http://"))
    skip = 7;
  else if (t.n > 8 && ieq((http_str){t.p, 8}, "https://"))
    skip = 8;
  else
    return -400;
  size_t i = skip;
  while (i < t.n && t.p[i] != '/' && t.p[i] != '?') i++;
  if (i == skip) return -400; /* no authority */
  if (i == t.n) {
    h->target = (http_str){"/", 1};
  } else if (t.p[i] == '?') {
    /* The authority is not needed any more: its last byte becomes the path "/". */
    line[(t.p - line) + i - 1] = '/';
    h->target = (http_str){t.p + i - 1, t.n - i + 1};
  } else {
    h->target = (http_str){t.p + i, t.n - i};
  }
  return 0;
}

static long parse_content_length(http_str v, http_head *h) {
  if (v.n == 0 || v.n > 19) return -400;
  uint64_t n = 0;
  for (size_t i = 0; i < v.n; i++) {
    if (v.p[i] < '0' || v.p[i] > '9') return -400;
    n = n * 10 + (uint64_t)(v.p[i] - '0');
  }
  if (h->has_content_length && h->content_length != n) return -400;
  h->has_content_length = true;
  h->content_length = n;
  return 0;
}

static void parse_connection(http_str v, bool *close, bool *keep_alive) {
  size_t i = 0;
  while (i < v.n) {
    while (i < v.n && (v.p[i] == ' ' || v.p[i] == '\t' || v.p[i] == ',')) i++;
    size_t s = i;
    while (i < v.n && v.p[i] != ',' && v.p[i] != ' ' && v.p[i] != '\t') i++;
    http_str tok = {v.p + s, i - s};
    if (ieq(tok, "close"))
      *close = true;
    else if (ieq(tok, "keep-alive"))
      *keep_alive = true;
  }
}

/* The header lines between the request line and the blank line ending at `end`. */
static long parse_headers(const char *p, const char *end, http_head *h) {
  bool close = false, keep_alive = false, te = false, te_bad = false;
  int hosts = 0;
  while (p < end) {
    /* Every LF in the head follows a CR (checked while scanning); a stray CR is a CTL. */
    const char *eol = (const char *)memchr(p, '\n', (size_t)(end - p)) - 1;
    if (*p == ' ' || *p == '\t') return -400; /* obs-fold */
    const char *c = p;
    while (c < eol && http_is_tchar((unsigned char)*c)) c++;
    if (c == p || c == eol || *c != ':') return -400;
    http_str name = {p, (size_t)(c - p)};
    const char *vs = c + 1, *ve = eol;
    while (vs < ve && (*vs == ' ' || *vs == '\t')) vs++;
    while (ve > vs && (ve[-1] == ' ' || ve[-1] == '\t')) ve--;
    for (const char *q = vs; q < ve; q++) {
      if (is_ctl((unsigned char)*q) && *q != '\t') return -400;
    }
    http_str value = {vs, (size_t)(ve - vs)};
    if (h->nheaders == HTTP_MAX_HEADERS) return -431;
    h->headers[h->nheaders++] = (http_header){name, value};
    long r = 0;
    switch (name.n) {
    case 4:
      if (ieq(name, "host")) hosts++;
      break;
    case 6:
      if (ieq(name, "expect") && ieq(value, "100-continue")) h->expect_continue = true;
      break;
    case 10:
      if (ieq(name, "connection")) parse_connection(value, &close, &keep_alive);
      break;
    case 12:
      if (ieq(name, "x-request-id") && !h->request_id.p) h->request_id = value;
      break;
    case 14:
      if (ieq(name, "content-length")) r = parse_content_length(value, h);
      break;
    case 17:
      if (ieq(name, "transfer-encoding")) {
        te_bad |= te || !ieq(value, "chunked");
        te = true;
      }
      break;
    }
    if (r < 0) return r;
    p = eol + 2;
  }
  if (te && h->has_content_length) return -400; /* request smuggling shape */
  if (te && te_bad) return -501;
  h->chunked = te;
  if (hosts > 1 || (h->minor == 1 && hosts == 0)) return -400;
  /* An HTTP/1.0 message with Transfer-Encoding has faulty framing (RFC 9112 section 6.1):
     serve it, but read nothing after it on this connection. */
  h->keep_alive = !close && (h->minor == 1 || keep_alive) && !(te && h->minor == 0);
  return 0;
}

long http_parse_head(char *buf, size_t len, size_t max_head, size_t *scan, http_head *h) {
  size_t start = 0;
  /* A few blank lines before the request line are ignored (RFC 9112 section 2.2). */
  while (start < 8 && start + 1 < len && buf[start] == '\r' && buf[start + 1] == '\n') start += 2;
  size_t pos = *scan > start ? *scan : start;
  for (;;) {
    const char *nl = memchr(buf + pos, '\n', len - pos);
    if (!nl) break;
    size_t end = (size_t)(nl - buf);
    if (end == 0 || buf[end - 1] != '\r') return -400; /* bare LF */
    size_t line_len = end - 1 - pos;
    if (pos == start) {
      if (line_len > HTTP_MAX_REQUEST_LINE) return -414;
      long r = parse_request_line(buf + start, line_len, h);
      if (r < 0) return r;
    } else if (line_len == 0) {
      size_t total = end + 1;
      if (total > max_head) return -431;
      memset(h, 0, offsetof(http_head, headers));
      const char *rl_end = (const char *)memchr(buf + start, '\n', total - start) - 1;
      long r = parse_request_line(buf + start, (size_t)(rl_end - buf - start), h);
      if (r == 0) r = reduce_target(h, buf);
      if (r == 0) r = parse_headers(rl_end + 2, buf + end - 1, h);
      if (r < 0) return r;
      h->length = total;
      return (long)total;
    }
    pos = end + 1;
  }
  *scan = pos;
  if (pos == start && len - start > HTTP_MAX_REQUEST_LINE) return -414;
  if (len > max_head) return -431;
  return 0;
}

/* chunk = chunk-size [ BWS ";" chunk-ext ] CRLF chunk-data CRLF; the body ends with a
   zero-size chunk, trailer fields (name ":" value lines, checked like headers and then
   dropped) and CRLF. Anything else is a 400: a lenient chunk parser is what request
   smuggling through a proxy that parses differently needs. */
enum {
  CH_SIZE,
  CH_SIZE_BWS,
  CH_EXT,
  CH_SIZE_LF,
  CH_DATA,
  CH_DATA_CR,
  CH_DATA_LF,
  CH_TRAILER_START,
  CH_TRAILER_NAME,
  CH_TRAILER_VALUE,
  CH_TRAILER_LF,
  CH_END_LF,
};
enum { MAX_CHUNK_LINE = 4096 };

void http_chunked_init(http_chunked *c, uint64_t max_body, size_t max_trailer) {
  memset(c, 0, sizeof *c);
  c->state = CH_SIZE;
  c->max_body = max_body;
  c->max_trailer = max_trailer;
}

static int hex_value(unsigned char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

/* One byte of everything but chunk data: 0 to go on, or minus the status to answer. */
static int chunked_byte(http_chunked *c, unsigned char ch) {
  switch (c->state) {
  case CH_SIZE: {
    int v = hex_value(ch);
    if (v >= 0) {
      if (++c->digits > 16) return -400; /* would overflow 64 bits */
      c->size = c->size << 4 | (uint64_t)v;
    } else if (c->digits == 0) {
      return -400;
    } else if (ch == ';') {
      c->state = CH_EXT;
      c->line_bytes = 0;
    } else if (ch == ' ' || ch == '\t') {
      c->state = CH_SIZE_BWS;
    } else if (ch == '\r') {
      c->state = CH_SIZE_LF;
    } else {
      return -400;
    }
    return 0;
  }
  case CH_SIZE_BWS: /* whitespace after the size may only lead to an extension */
    if (ch == ';')
      c->state = CH_EXT, c->line_bytes = 0;
    else if (ch != ' ' && ch != '\t')
      return -400;
    return 0;
  case CH_EXT: /* extensions are allowed and ignored */
    if (ch == '\r')
      c->state = CH_SIZE_LF;
    else if ((ch < 0x20 && ch != '\t') || ch == 0x7F || ++c->line_bytes > MAX_CHUNK_LINE)
      return -400;
    return 0;
  case CH_SIZE_LF:
    if (ch != '\n') return -400;
    if (c->size > c->max_body - c->total) return -413;
    c->state = c->size == 0 ? CH_TRAILER_START : CH_DATA;
    return 0;
  case CH_DATA_CR:
    if (ch != '\r') return -400;
    c->state = CH_DATA_LF;
    return 0;
  case CH_DATA_LF:
    if (ch != '\n') return -400;
    c->state = CH_SIZE;
    c->digits = 0;
    c->size = 0;
    return 0;
  case CH_TRAILER_START:
    if (ch == '\r') {
      c->state = CH_END_LF;
      return 0;
    }
    if (!http_is_tchar(ch)) return -400; /* obs-fold, or not a field name */
    c->state = CH_TRAILER_NAME;
    break;
  case CH_TRAILER_NAME:
    if (ch == ':')
      c->state = CH_TRAILER_VALUE;
    else if (!http_is_tchar(ch))
      return -400;
    break;
  case CH_TRAILER_VALUE:
    if (ch == '\r') {
      c->state = CH_TRAILER_LF;
      return 0;
    }
    if ((ch < 0x20 && ch != '\t') || ch == 0x7F) return -400;
    break;
  case CH_TRAILER_LF:
    if (ch != '\n') return -400;
    c->state = CH_TRAILER_START;
    return 0;
  default: return -400;
  }
  /* A trailer byte: trailers count against the header limit. */
  return ++c->trailer_bytes > c->max_trailer ? -431 : 0;
}

int http_chunked_decode(http_chunked *c, const char *in, size_t len, size_t *used, char *out, size_t *out_len) {
  size_t i = 0;
  int result = 0;
  while (i < len && result == 0) {
    if (c->state == CH_DATA) {
      size_t n = len - i < c->size ? len - i : (size_t)c->size;
      memcpy(out + *out_len, in + i, n);
      *out_len += n;
      c->size -= n;
      c->total += n;
      i += n;
      if (c->size == 0) c->state = CH_DATA_CR;
      continue;
    }
    unsigned char ch = (unsigned char)in[i++];
    if (c->state == CH_END_LF)
      result = ch == '\n' ? 1 : -400;
    else
      result = chunked_byte(c, ch);
  }
  *used = i;
  return result;
}
