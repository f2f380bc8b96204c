// HTTP/1.1 wire format for responses: status lines, header lines, the Date header, chunk
// framing. Pure functions over a buf: no connection, no I/O, no JS. The layers above
// decide what to write; this one only knows how it is spelled.
#pragma once
#include "buf.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** The reason phrase for a status, or its class's name for one without a registered phrase. */
const char *http_reason(int status);
/** "HTTP/1.1 <status> <reason>\r\n" (the last line is cached: most responses share a status). */
void http_write_status(buf *b, int status);
/** "date: <IMF-fixdate>\r\n", formatted once a second. */
void http_write_date(buf *b);
/** One chunk of a chunked body; nothing for len 0, since a zero-size chunk would end the body. */
void http_write_chunk(buf *b, const void *data, size_t len);
/** status, content-type: application/json, content-length and date: the head of the core's own answers. */
void http_write_json_head(buf *b, int status, size_t body_len);

/** What a response header set by the handler means for the framing the core owns. */
typedef enum {
  HTTP_HEADER_OTHER,
  HTTP_HEADER_CONTENT_LENGTH,
  HTTP_HEADER_FRAMING, /* transfer-encoding, connection, keep-alive: the core's alone */
  HTTP_HEADER_DATE,
  HTTP_HEADER_REQUEST_ID,
  HTTP_HEADER_CONTENT_TYPE,
} http_header_kind;
http_header_kind http_header_classify(const char *name, size_t n);

/** 0 for a header that may go on the wire, HTTP_BAD_NAME (not a token), HTTP_BAD_VALUE (a control byte). */
enum { HTTP_BAD_NAME = 1, HTTP_BAD_VALUE = 2 };
int http_header_check(const char *name, size_t nlen, const char *value, size_t vlen);

static inline void http_write_header(buf *b, const char *name, size_t nlen, const char *value, size_t vlen) {
  buf_reserve(b, nlen + vlen + 4);
  buf_append(b, name, nlen);
  buf_append(b, ": ", 2);
  buf_append(b, value, vlen);
  buf_append(b, "\r\n", 2);
}
static inline void http_write_content_length(buf *b, uint64_t n) {
  buf_append(b, "content-length: ", 16);
  buf_append_uint(b, n);
  buf_append(b, "\r\n", 2);
}
static inline void http_write_request_id(buf *b, const char *id, size_t n) {
  buf_append(b, "x-request-id: ", 14);
  buf_append(b, id, n);
  buf_append(b, "\r\n", 2);
}
/** The connection header and the blank line that ends a head. */
static inline void http_write_head_end(buf *b, bool keep_alive) {
  buf_append_str(b, keep_alive ? "connection: keep-alive\r\n\r\n" : "connection: close\r\n\r\n");
}
static inline void http_write_chunked_header(buf *b) {
  buf_append_str(b, "transfer-encoding: chunked\r\n");
}
static inline void http_write_last_chunk(buf *b) {
  buf_append(b, "0\r\n\r\n", 5);
}
static inline void http_write_continue(buf *b) {
  buf_append_str(b, "HTTP/1.1 100 Continue\r\n\r\n");
}
