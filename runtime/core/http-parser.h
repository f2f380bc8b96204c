// The HTTP/1.1 request parser: pure C, no I/O and no JS, so a fuzzer can drive it.
// Errors come back as the status the server should answer with (400, 413, 414, 431,
// 501, 505); the caller then closes the connection.
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
  HTTP_MAX_HEADERS = 100,
  HTTP_MAX_REQUEST_LINE = 8192,
};

typedef struct http_str {
  const char *p;
  size_t n;
} http_str;

typedef struct http_header {
  http_str name, value; /* value without surrounding whitespace; name as sent */
} http_header;

typedef struct http_head {
  http_str method;
  http_str target; /* origin-form: path and query (absolute-form reduced to it) */
  int minor;       /* HTTP/1.<minor>, 0 or 1 */
  size_t length;   /* bytes of the head, including blank lines skipped before it */
  uint64_t content_length;
  bool has_content_length, chunked, expect_continue;
  bool keep_alive;     /* after the version and Connection header */
  http_str request_id; /* the first X-Request-Id, if any */
  int nheaders;
  http_header headers[HTTP_MAX_HEADERS]; /* last, so resetting the rest is cheap */
} http_head;

/* Parses the head at the start of buf. Returns the head's length once it is complete,
   0 when more bytes are needed, or minus the status to answer. A bad request line is
   reported as soon as its line ends, before the rest of the head arrives. *scan keeps
   the search position between calls (start it at 0 for each new head). An absolute-form
   target may be rewritten in place. */
long http_parse_head(char *buf, size_t len, size_t max_head, size_t *scan, http_head *h);

typedef struct http_chunked {
  int state;
  int digits;
  uint64_t size;  /* of the current chunk, then what is left of it */
  uint64_t total; /* decoded bytes so far */
  uint64_t max_body;
  size_t line_bytes; /* of the current size/extension or trailer line */
  size_t trailer_bytes;
  size_t max_trailer;
} http_chunked;

void http_chunked_init(http_chunked *c, uint64_t max_body, size_t max_trailer);
/* Decodes up to len bytes of chunked body from in, appending data to out (which must
   have room for len bytes) and adding its length to *out_len. Sets *used to the bytes
   consumed (through the bad byte on an error). Returns 1 when the body (with trailers) is complete, 0 when more is
   needed, or minus the status to answer. */
int http_chunked_decode(http_chunked *c, const char *in, size_t len, size_t *used, char *out, size_t *out_len);

/** True for a tchar (RFC 9110 token character). */
bool http_is_tchar(unsigned char c);
