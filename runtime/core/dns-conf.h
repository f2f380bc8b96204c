// What the resolver reads from the system: /etc/resolv.conf (nameservers, search domains,
// ndots, timeout, attempts, as Kubernetes and podman write them) and /etc/hosts. Both are
// read once, at the first lookup; SCRATCHFN_RESOLV_CONF and SCRATCHFN_HOSTS name other
// files (tests point them at files they write). Without a resolv.conf, which a FROM-scratch
// image has only when the platform mounts one, the nameserver is 127.0.0.1, as in glibc and musl.
#pragma once
#include "dns-wire.h"
#include <netinet/in.h>
#include <stdbool.h>
#include <sys/socket.h>

#define DNS_MAX_NAMESERVERS 3
#define DNS_MAX_SEARCH 6

typedef struct dns_conf {
  struct sockaddr_storage ns[DNS_MAX_NAMESERVERS];
  socklen_t ns_len[DNS_MAX_NAMESERVERS];
  int nns;
  char search[DNS_MAX_SEARCH][DNS_NAME_MAX];
  int nsearch;
  int ndots, timeout_ms, attempts;
  bool rotate;
} dns_conf;

/**
 * Parses resolv.conf text into c (defaults first: ndots 1, timeout 5 s, attempts 2, capped
 * as glibc caps them). Besides the standard syntax a nameserver may carry a port,
 * `127.0.0.1:5353` or `[::1]:5353`, which tests use for a server on an unprivileged port.
 */
void dns_conf_parse(dns_conf *c, const char *text);
/** The process's configuration, read at the first call. */
const dns_conf *dns_conf_get(void);

/** Addresses of `name` in the hosts file, of family 4, 6 or both (0); returns how many (at most max). */
int dns_hosts_find(const char *name, int family, dns_addr *out, int max);
/** Parses hosts-file text (for tests of the parser): the same search over `text`. */
int dns_hosts_find_in(const char *text, const char *name, int family, dns_addr *out, int max);
