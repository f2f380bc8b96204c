// DNS messages (RFC 1035): a query for one name and type, and the A/AAAA records of a
// response. No sockets, no loop, no engine: the resolver (dns-resolver.c) sends what this
// builds and hands back what arrives, so the parser can be tested and fuzzed on bytes alone.
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_TYPE_A 1
#define DNS_TYPE_AAAA 28
#define DNS_RCODE_NOERROR 0
#define DNS_RCODE_SERVFAIL 2
#define DNS_RCODE_NXDOMAIN 3
#define DNS_RCODE_REFUSED 5
/** A name is at most 253 characters as text, 255 bytes on the wire. */
#define DNS_NAME_MAX 254
/** A query is the 12-byte header, the name and 4 bytes of type and class. */
#define DNS_QUERY_MAX (12 + 256 + 4)

typedef struct dns_addr {
  int family; /* 4 or 6 */
  uint8_t bytes[16];
  uint32_t ttl;
} dns_addr;

/** Writes a recursive query for `name` (no trailing dot); returns its length, or -1 for a malformed name. */
int dns_build_query(uint8_t *out, uint16_t id, const char *name, uint16_t type);

typedef struct dns_reply {
  int rcode;
  bool truncated;
  int count; /* records of the asked type stored in addrs */
} dns_reply;

/**
 * Reads a response to the query (id, name, type): 0 with *reply filled, or -1 when it is
 * malformed or answers another question (a stray or forged datagram, to be ignored).
 * Records of the asked type go to addrs, at most max of them; CNAMEs are followed by
 * taking every record of that type in the answer section, as resolvers do.
 */
int dns_parse_reply(const uint8_t *msg, size_t len, uint16_t id, const char *name, uint16_t type, dns_reply *reply,
                    dns_addr *addrs, int max);
