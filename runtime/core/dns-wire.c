#include "dns-wire.h"
#include <string.h>
#include <strings.h>

int dns_build_query(uint8_t *out, uint16_t id, const char *name, uint16_t type) {
  size_t n = strlen(name);
  if (n == 0 || n > DNS_NAME_MAX - 1) return -1;
  uint8_t *p = out;
  *p++ = id >> 8, *p++ = id & 0xff;
  *p++ = 0x01, *p++ = 0x00; /* RD: recursion desired */
  *p++ = 0, *p++ = 1;       /* one question */
  memset(p, 0, 6), p += 6;
  for (const char *label = name;;) {
    const char *dot = strchr(label, '.');
    size_t len = dot ? (size_t)(dot - label) : strlen(label);
    if (len == 0 || len > 63) return -1;
    *p++ = (uint8_t)len;
    memcpy(p, label, len), p += len;
    if (!dot) break;
    label = dot + 1;
  }
  *p++ = 0;
  *p++ = type >> 8, *p++ = type & 0xff;
  *p++ = 0, *p++ = 1; /* class IN */
  return (int)(p - out);
}

/** Skips a possibly compressed name at *pos; -1 when it runs off the message. */
static int skip_name(const uint8_t *msg, size_t len, size_t *pos) {
  size_t p = *pos;
  while (p < len) {
    uint8_t b = msg[p];
    if (b == 0) {
      *pos = p + 1;
      return 0;
    }
    if ((b & 0xc0) == 0xc0) {
      if (p + 2 > len) return -1;
      *pos = p + 2;
      return 0;
    }
    if (b & 0xc0) return -1;
    p += 1 + b;
  }
  return -1;
}

/** Whether the uncompressed question name at pos equals `name`, ignoring case. */
static bool question_is(const uint8_t *msg, size_t len, size_t pos, const char *name) {
  const char *want = name;
  while (pos < len) {
    uint8_t n = msg[pos++];
    if (n == 0) return *want == 0;
    if (n & 0xc0 || pos + n > len) return false;
    if (want != name) {
      if (*want != '.') return false;
      want++;
    }
    if (strlen(want) < n || strncasecmp((const char *)msg + pos, want, n) != 0) return false;
    want += n;
    pos += n;
  }
  return false;
}

static uint16_t u16(const uint8_t *p) {
  return (uint16_t)(p[0] << 8 | p[1]);
}

int dns_parse_reply(const uint8_t *msg, size_t len, uint16_t id, const char *name, uint16_t type, dns_reply *reply,
                    dns_addr *addrs, int max) {
  if (len < 12 || u16(msg) != id || !(msg[2] & 0x80)) return -1; /* not the answer to our id */
  if (u16(msg + 4) != 1) return -1;
  reply->rcode = msg[3] & 0x0f;
  reply->truncated = (msg[2] & 0x02) != 0;
  reply->count = 0;
  size_t pos = 12;
  if (!question_is(msg, len, pos, name)) return -1;
  if (skip_name(msg, len, &pos) < 0 || pos + 4 > len) return -1;
  if (u16(msg + pos) != type || u16(msg + pos + 2) != 1) return -1;
  pos += 4;
  unsigned answers = u16(msg + 6);
  for (unsigned i = 0; i < answers; i++) {
    if (skip_name(msg, len, &pos) < 0 || pos + 10 > len) return reply->truncated ? 0 : -1;
    uint16_t rtype = u16(msg + pos), rclass = u16(msg + pos + 2), rdlen = u16(msg + pos + 8);
    uint32_t ttl = (uint32_t)msg[pos + 4] << 24 | (uint32_t)msg[pos + 5] << 16 | (uint32_t)msg[pos + 6] << 8 | msg[pos + 7];
    pos += 10;
    if (pos + rdlen > len) return reply->truncated ? 0 : -1;
    size_t want = type == DNS_TYPE_A ? 4 : 16;
    if (rtype == type && rclass == 1 && rdlen == want && reply->count < max) {
      dns_addr *a = &addrs[reply->count++];
      a->family = type == DNS_TYPE_A ? 4 : 6;
      memset(a->bytes, 0, sizeof a->bytes);
      memcpy(a->bytes, msg + pos, want);
      a->ttl = ttl > 0x7fffffff ? 0 : ttl; /* RFC 2181: a TTL with the top bit set means zero */
    }
    pos += rdlen;
  }
  return 0;
}
