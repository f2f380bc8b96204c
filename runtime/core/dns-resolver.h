// Asynchronous name resolution on the event loop: numeric addresses, localhost (RFC 6761),
// the hosts file, then DNS over UDP (TCP when a reply is truncated) to the nameservers of
// resolv.conf, through its search list and ndots. No thread and no blocking call: a slow
// nameserver delays only the lookups waiting for it. No JS: tcp.c and dns.c call it.
#pragma once
#include "dns-wire.h"

/** How a lookup ended; dns_status_code names each as Node's dns module does. */
typedef enum dns_status {
  DNS_OK = 0,
  DNS_NOTFOUND, /* no such name (NXDOMAIN), or none of the candidates had records */
  DNS_NODATA,   /* the name exists without records of the asked type (only when not searching) */
  DNS_SERVFAIL,
  DNS_REFUSED,
  DNS_TIMEOUT,
  DNS_CONNREFUSED, /* no nameserver listens */
  DNS_BADNAME,
  DNS_NOMEM,
} dns_status;

/** ENOTFOUND, ENODATA, ESERVFAIL, EREFUSED, ETIMEOUT, ECONNREFUSED, EBADNAME, ENOMEM. */
const char *dns_status_code(dns_status status);

#define DNS_MAX_ADDRS 32
/** Use the hosts file and localhost, and the search list: getaddrinfo's way. Without it the name is asked as given (node:dns resolve4/6). */
#define DNS_LOOKUP 1

typedef struct dns_query dns_query;
/** Called once from the loop, never inside dns_start; IPv4 addresses come before IPv6 ones. */
typedef void dns_done_cb(void *ud, dns_status status, const dns_addr *addrs, int n);

/** Starts resolving `name` for family 4, 6 or both (0). Returns NULL only when out of memory. */
dns_query *dns_start(const char *name, int family, unsigned flags, dns_done_cb *cb, void *ud);
/** Stops a query whose callback has not run; it never runs then. */
void dns_cancel(dns_query *q);
/** Writes the address as text (at least 46 bytes). */
void dns_addr_text(const dns_addr *a, char *out, size_t size);
