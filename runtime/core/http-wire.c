#include "http-wire.h"
#include "http-parser.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

const char *http_reason(int status) {
  switch (status) {
  case 100: return "Continue";
  case 101: return "Switching Protocols";
  case 200: return "OK";
  case 201: return "Created";
  case 202: return "Accepted";
  case 203: return "Non-Authoritative Information";
  case 204: return "No Content";
  case 205: return "Reset Content";
  case 206: return "Partial Content";
  case 207: return "Multi-Status";
  case 300: return "Multiple Choices";
  case 301: return "Moved Permanently";
  case 302: return "Found";
  case 303: return "See Other";
  case 304: return "Not Modified";
  case 307: return "Temporary Redirect";
  case 308: return "Permanent Redirect";
  case 400: return "Bad Request";
  case 401: return "Unauthorized";
  case 402: return "Payment Required";
  case 403: return "Forbidden";
  case 404: return "Not Found";
  case 405: return "Method Not Allowed";
  case 406: return "Not Acceptable";
  case 407: return "Proxy Authentication Required";
  case 408: return "Request Timeout";
  case 409: return "Conflict";
  case 410: return "Gone";
  case 411: return "Length Required";
  case 412: return "Precondition Failed";
  case 413: return "Payload Too Large";
  case 414: return "URI Too Long";
  case 415: return "Unsupported Media Type";
  case 416: return "Range Not Satisfiable";
  case 417: return "Expectation Failed";
  case 418: return "I'm a Teapot";
  case 421: return "Misdirected Request";
  case 422: return "Unprocessable Entity";
  case 423: return "Locked";
  case 424: return "Failed Dependency";
  case 425: return "Too Early";
  case 426: return "Upgrade Required";
  case 428: return "Precondition Required";
  case 429: return "Too Many Requests";
  case 431: return "Request Header Fields Too Large";
  case 451: return "Unavailable For Legal Reasons";
  case 500: return "Internal Server Error";
  case 501: return "Not Implemented";
  case 502: return "Bad Gateway";
  case 503: return "Service Unavailable";
  case 504: return "Gateway Timeout";
  case 505: return "HTTP Version Not Supported";
  case 506: return "Variant Also Negotiates";
  case 507: return "Insufficient Storage";
  case 508: return "Loop Detected";
  case 510: return "Not Extended";
  case 511: return "Network Authentication Required";
  default:
    return status < 200   ? "Informational"
           : status < 300 ? "Success"
           : status < 400 ? "Redirection"
           : status < 500 ? "Client Error"
                          : "Server Error";
  }
}

void http_write_status(buf *b, int status) {
  static int last_status;
  static char line[96];
  static size_t len;
  if (status != last_status) {
    len = (size_t)snprintf(line, sizeof line, "HTTP/1.1 %d %s\r\n", status, http_reason(status));
    last_status = status;
  }
  buf_append(b, line, len);
}

void http_write_date(buf *b) {
  static time_t cached = -1;
  static char line[48];
  time_t now = time(NULL);
  if (now != cached) {
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(line, sizeof line, "date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
    cached = now;
  }
  buf_append(b, line, 37);
}

void http_write_chunk(buf *b, const void *data, size_t len) {
  static const char hex[] = "0123456789abcdef";
  if (len == 0) return; /* a zero-size chunk would end the body */
  char size[20];
  int n = 0;
  for (size_t v = len; v; v >>= 4) n++;
  for (int i = n - 1, shift = 0; i >= 0; i--, shift += 4) size[i] = hex[(len >> shift) & 15];
  size[n] = '\r', size[n + 1] = '\n';
  buf_reserve(b, (size_t)n + 4 + len);
  buf_append(b, size, (size_t)n + 2);
  buf_append(b, data, len);
  buf_append(b, "\r\n", 2);
}

void http_write_json_head(buf *b, int status, size_t body_len) {
  http_write_status(b, status);
  buf_append_str(b, "content-type: application/json\r\ncontent-length: ");
  buf_append_uint(b, body_len);
  buf_append(b, "\r\n", 2);
  http_write_date(b);
}

static bool ieq(const char *a, size_t n, const char *lit) {
  return n == strlen(lit) && strncasecmp(a, lit, n) == 0;
}

http_header_kind http_header_classify(const char *name, size_t n) {
  // By length first: every response header of every request comes through here.
  switch (n) {
  case 4: return ieq(name, n, "date") ? HTTP_HEADER_DATE : HTTP_HEADER_OTHER;
  case 10: return ieq(name, n, "connection") || ieq(name, n, "keep-alive") ? HTTP_HEADER_FRAMING : HTTP_HEADER_OTHER;
  case 12:
    return ieq(name, n, "x-request-id")   ? HTTP_HEADER_REQUEST_ID
           : ieq(name, n, "content-type") ? HTTP_HEADER_CONTENT_TYPE
                                          : HTTP_HEADER_OTHER;
  case 14: return ieq(name, n, "content-length") ? HTTP_HEADER_CONTENT_LENGTH : HTTP_HEADER_OTHER;
  case 17: return ieq(name, n, "transfer-encoding") ? HTTP_HEADER_FRAMING : HTTP_HEADER_OTHER;
  default: return HTTP_HEADER_OTHER;
  }
}

int http_header_check(const char *name, size_t nlen, const char *value, size_t vlen) {
  if (nlen == 0) return HTTP_BAD_NAME;
  for (size_t j = 0; j < nlen; j++)
    if (!http_is_tchar((unsigned char)name[j])) return HTTP_BAD_NAME;
  for (size_t j = 0; j < vlen; j++) {
    unsigned char ch = (unsigned char)value[j];
    if ((ch < 0x20 && ch != '\t') || ch == 0x7F) return HTTP_BAD_VALUE; /* CR/LF would split the response */
  }
  return 0;
}
