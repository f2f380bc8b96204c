#include "dns-resolver.h"
#include "dns-conf.h"
#include "loop.h"
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

/** One record type of the candidate name being asked: its query, and a TCP exchange when the UDP reply was truncated.
 */
typedef struct dns_sub {
  loop_io tcp; /* first, so the io callback finds the sub */
  dns_query *q;
  uint16_t type, id;
  bool done, over_tcp;
  uint8_t out[2 + DNS_QUERY_MAX];
  size_t out_len, out_sent;
  uint8_t *in;
  size_t in_len, in_need;
} dns_sub;

struct dns_query {
  loop_io udp;
  loop_timer timer; /* the try's timeout; once finished, the delivery */
  dns_done_cb *cb;
  void *ud;
  const dns_conf *conf;
  unsigned flags;
  char names[1 + DNS_MAX_SEARCH][DNS_NAME_MAX];
  int nnames, name_i;
  int try_i, tries, first_ns;
  dns_sub subs[2];
  int nsubs;
  dns_addr addrs[DNS_MAX_ADDRS];
  int naddrs;
  dns_status status, last_error;
  bool nodata, finished;
};

const char *dns_status_code(dns_status status) {
  switch (status) {
  case DNS_OK: return "OK";
  case DNS_NOTFOUND: return "ENOTFOUND";
  case DNS_NODATA: return "ENODATA";
  case DNS_SERVFAIL: return "ESERVFAIL";
  case DNS_REFUSED: return "EREFUSED";
  case DNS_TIMEOUT: return "ETIMEOUT";
  case DNS_CONNREFUSED: return "ECONNREFUSED";
  case DNS_BADNAME: return "EBADNAME";
  default: return "ENOMEM";
  }
}

void dns_addr_text(const dns_addr *a, char *out, size_t size) {
  if (!inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->bytes, out, (socklen_t)size)) snprintf(out, size, "?");
}

static void close_io(loop_io *io) {
  if (io->fd < 0) return;
  loop_io_stop(io);
  close(io->fd);
  io->fd = -1;
}

static void close_tcp(dns_sub *s) {
  close_io(&s->tcp);
  free(s->in);
  s->in = NULL;
  s->over_tcp = false;
}

static void close_all(dns_query *q) {
  close_io(&q->udp);
  for (int i = 0; i < q->nsubs; i++) close_tcp(&q->subs[i]);
}

static void deliver(loop_timer *t) {
  dns_query *q = (dns_query *)((char *)t - offsetof(dns_query, timer));
  // IPv4 first: containers often have an IPv6 address but no IPv6 route out.
  dns_addr sorted[DNS_MAX_ADDRS];
  int n = 0;
  for (int fam = 4; fam <= 6; fam += 2)
    for (int i = 0; i < q->naddrs; i++)
      if (q->addrs[i].family == fam) sorted[n++] = q->addrs[i];
  dns_done_cb *cb = q->cb;
  void *ud = q->ud;
  dns_status status = q->status;
  free(q);
  cb(ud, status, sorted, status == DNS_OK ? n : 0);
}

/** Ends the query; the callback runs from the loop, so no io callback ever sees a freed query. */
static void finish(dns_query *q, dns_status status) {
  if (q->finished) return;
  q->finished = true;
  q->status = status;
  close_all(q);
  loop_timer_start(&q->timer, 0);
}

static void start_try(dns_query *q);
static void start_name(dns_query *q);

static void next_try(dns_query *q) {
  if (++q->try_i >= q->tries) return finish(q, q->last_error ? q->last_error : DNS_TIMEOUT);
  start_try(q);
}

static void next_name(dns_query *q) {
  if (++q->name_i >= q->nnames) return finish(q, q->nodata && !(q->flags & DNS_LOOKUP) ? DNS_NODATA : DNS_NOTFOUND);
  start_name(q);
}

static const struct sockaddr *current_ns(dns_query *q, socklen_t *len) {
  int i = (q->first_ns + q->try_i) % q->conf->nns;
  *len = q->conf->ns_len[i];
  return (const struct sockaddr *)&q->conf->ns[i];
}

static uint16_t random_id(void) {
  uint16_t id = 0;
  if (getrandom(&id, sizeof id, GRND_NONBLOCK) != sizeof id) id = (uint16_t)(loop_clock() ^ (loop_clock() >> 16));
  return id;
}

static void on_reply(dns_query *q, dns_sub *s, const uint8_t *msg, size_t len) {
  dns_reply r;
  if (dns_parse_reply(msg, len, s->id, q->names[q->name_i], s->type, &r, q->addrs + q->naddrs,
                      DNS_MAX_ADDRS - q->naddrs) < 0)
    return; /* not ours: keep waiting */
  if (r.truncated && !s->over_tcp) {
    // Over TCP to the same nameserver, within the same try's time.
    socklen_t len;
    const struct sockaddr *ns = current_ns(q, &len);
    int fd = socket(ns->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || (connect(fd, ns, len) < 0 && errno != EINPROGRESS)) {
      if (fd >= 0) close(fd);
      q->last_error = DNS_SERVFAIL;
      return next_try(q);
    }
    s->over_tcp = true;
    int n = dns_build_query(s->out + 2, s->id, q->names[q->name_i], s->type);
    s->out[0] = (uint8_t)(n >> 8), s->out[1] = (uint8_t)n;
    s->out_len = (size_t)n + 2, s->out_sent = 0, s->in_len = 0, s->in_need = 2;
    loop_io_init(&s->tcp, fd, s->tcp.cb, true);
    loop_io_set(&s->tcp, EPOLLOUT);
    return;
  }
  switch (r.rcode) {
  case DNS_RCODE_NXDOMAIN: return next_name(q);
  case DNS_RCODE_NOERROR:
    q->naddrs += r.count;
    s->done = true;
    if (s->over_tcp) close_tcp(s);
    for (int i = 0; i < q->nsubs; i++)
      if (!q->subs[i].done) return;
    if (q->naddrs > 0) return finish(q, DNS_OK);
    q->nodata = true;
    return next_name(q);
  case DNS_RCODE_REFUSED: q->last_error = DNS_REFUSED; return next_try(q);
  default: q->last_error = DNS_SERVFAIL; return next_try(q);
  }
}

static void on_udp(loop_io *io, uint32_t events) {
  dns_query *q = (dns_query *)io;
  uint8_t msg[4096];
  while (!q->finished && q->udp.fd >= 0) {
    ssize_t n = recv(q->udp.fd, msg, sizeof msg, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return;
      // ECONNREFUSED: nothing listens there (an ICMP port unreachable came back).
      q->last_error = errno == ECONNREFUSED ? DNS_CONNREFUSED : DNS_SERVFAIL;
      return next_try(q);
    }
    int try_before = q->try_i, name_before = q->name_i;
    uint16_t id = n >= 2 ? (uint16_t)(msg[0] << 8 | msg[1]) : 0;
    for (int i = 0; i < q->nsubs; i++) {
      dns_sub *s = &q->subs[i];
      if (!s->done && !s->over_tcp && s->id == id) {
        on_reply(q, s, msg, (size_t)n);
        break;
      }
    }
    // A new try or name replaced the socket; its datagrams are read by its own events.
    if (q->try_i != try_before || q->name_i != name_before) return;
  }
}

static void on_tcp(loop_io *io, uint32_t events) {
  dns_sub *s = (dns_sub *)io;
  dns_query *q = s->q;
  if (q->finished) return;
  if (s->out_sent < s->out_len) {
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(io->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
    ssize_t n = err ? -1 : send(io->fd, s->out + s->out_sent, s->out_len - s->out_sent, MSG_NOSIGNAL);
    if (n < 0 && (err || (errno != EAGAIN && errno != EINTR))) {
      q->last_error = (err ? err : errno) == ECONNREFUSED ? DNS_CONNREFUSED : DNS_SERVFAIL;
      return next_try(q);
    }
    if (n > 0) s->out_sent += (size_t)n;
    if (s->out_sent == s->out_len) loop_io_set(io, EPOLLIN | EPOLLRDHUP);
    return;
  }
  for (;;) {
    if (!s->in) s->in = malloc(2 + 65535);
    if (!s->in) return finish(q, DNS_NOMEM);
    ssize_t n = read(io->fd, s->in + s->in_len, s->in_need - s->in_len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    if (n <= 0) {
      q->last_error = DNS_SERVFAIL;
      return next_try(q);
    }
    s->in_len += (size_t)n;
    if (s->in_len < s->in_need) continue;
    if (s->in_need == 2) {
      s->in_need = 2 + (size_t)(s->in[0] << 8 | s->in[1]);
      if (s->in_need > 2) continue;
    }
    int try_before = q->try_i;
    on_reply(q, s, s->in + 2, s->in_need - 2);
    // A reply that was not ours ends this exchange: ask again.
    if (!q->finished && q->try_i == try_before && s->over_tcp && !s->done) {
      q->last_error = DNS_SERVFAIL;
      next_try(q);
    }
    return;
  }
}

static void start_try(dns_query *q) {
  close_all(q);
  loop_timer_start(&q->timer, q->conf->timeout_ms);
  socklen_t len;
  const struct sockaddr *ns = current_ns(q, &len);
  int fd = socket(ns->sa_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return finish(q, DNS_NOMEM);
  // Connected, so only this nameserver's datagrams arrive and a refusal reads as ECONNREFUSED.
  if (connect(fd, ns, len) < 0) {
    close(fd);
    q->last_error = DNS_CONNREFUSED;
    return next_try(q);
  }
  loop_io_init(&q->udp, fd, on_udp, true);
  loop_io_set(&q->udp, EPOLLIN);
  for (int i = 0; i < q->nsubs; i++) {
    dns_sub *s = &q->subs[i];
    if (s->done) continue;
    uint8_t msg[DNS_QUERY_MAX];
    s->id = random_id();
    int n = dns_build_query(msg, s->id, q->names[q->name_i], s->type);
    send(fd, msg, (size_t)n, MSG_NOSIGNAL); /* a lost datagram is what the timeout is for */
  }
}

static void start_name(dns_query *q) {
  q->try_i = 0;
  q->naddrs = 0;
  for (int i = 0; i < q->nsubs; i++) q->subs[i].done = false;
  start_try(q);
}

static void on_timeout(loop_timer *t) {
  dns_query *q = (dns_query *)((char *)t - offsetof(dns_query, timer));
  if (q->finished) return deliver(t);
  if (!q->last_error) q->last_error = DNS_TIMEOUT;
  next_try(q);
}

static bool is_localhost(const char *host, size_t n) {
  return (n == 9 && strncasecmp(host, "localhost", 9) == 0) ||
         (n > 10 && strncasecmp(host + n - 10, ".localhost", 10) == 0);
}

static bool valid_name(const char *name, size_t n) {
  if (n == 0 || n > DNS_NAME_MAX - 1) return false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)name[i];
    if (c <= ' ' || c >= 0x7f || c == '/' || c == '\\') return false;
    if (c == '.' && (i == 0 || name[i - 1] == '.')) return false;
  }
  return true;
}

static void add_candidate(dns_query *q, const char *name, size_t n, const char *domain) {
  size_t d = domain ? strlen(domain) : 0;
  if (n + (d ? d + 1 : 0) > DNS_NAME_MAX - 1) return;
  memcpy(q->names[q->nnames], name, n);
  if (d) {
    q->names[q->nnames][n] = '.';
    memcpy(q->names[q->nnames] + n + 1, domain, d);
  }
  q->names[q->nnames][n + (d ? d + 1 : 0)] = 0;
  q->nnames++;
}

static int literal(const char *name, int family, dns_addr *a) {
  memset(a, 0, sizeof *a);
  if (inet_pton(AF_INET, name, a->bytes) == 1)
    a->family = 4;
  else if (inet_pton(AF_INET6, name, a->bytes) == 1)
    a->family = 6;
  else
    return -1;
  return family == 0 || family == a->family ? 1 : 0;
}

dns_query *dns_start(const char *name, int family, unsigned flags, dns_done_cb *cb, void *ud) {
  static unsigned rotation;
  dns_query *q = calloc(1, sizeof *q);
  if (!q) return NULL;
  q->cb = cb, q->ud = ud, q->flags = flags;
  q->udp.fd = -1;
  loop_timer_init(&q->timer, on_timeout, true);
  int lit = literal(name, family, &q->addrs[0]);
  if (lit >= 0) {
    q->naddrs = lit;
    finish(q, lit ? DNS_OK : DNS_NOTFOUND);
    return q;
  }
  size_t n = strlen(name);
  bool absolute = n > 1 && name[n - 1] == '.';
  if (absolute) n--;
  if (!valid_name(name, n)) {
    finish(q, DNS_BADNAME);
    return q;
  }
  if (flags & DNS_LOOKUP) {
    char plain[DNS_NAME_MAX];
    memcpy(plain, name, n);
    plain[n] = 0;
    q->naddrs = dns_hosts_find(plain, family, q->addrs, DNS_MAX_ADDRS);
    // A scratch image has no hosts file, and localhost is loopback whatever DNS says (RFC 6761).
    if (q->naddrs == 0 && is_localhost(plain, n)) {
      if (family != 6)
        q->addrs[q->naddrs].family = 4, q->addrs[q->naddrs++].bytes[0] = 127, q->addrs[q->naddrs - 1].bytes[3] = 1;
      if (family != 4) q->addrs[q->naddrs].family = 6, q->addrs[q->naddrs++].bytes[15] = 1;
    }
    if (q->naddrs > 0) {
      finish(q, DNS_OK);
      return q;
    }
  }
  q->conf = dns_conf_get();
  int dots = 0;
  for (size_t i = 0; i < n; i++) dots += name[i] == '.';
  bool search = (flags & DNS_LOOKUP) && !absolute && q->conf->nsearch > 0;
  if (!search || dots >= q->conf->ndots) add_candidate(q, name, n, NULL);
  if (search)
    for (int i = 0; i < q->conf->nsearch; i++) add_candidate(q, name, n, q->conf->search[i]);
  if (search && dots < q->conf->ndots) add_candidate(q, name, n, NULL);
  if (q->nnames == 0) {
    finish(q, DNS_BADNAME);
    return q;
  }
  if (family != 6) q->subs[q->nsubs++].type = DNS_TYPE_A;
  if (family != 4) q->subs[q->nsubs++].type = DNS_TYPE_AAAA;
  for (int i = 0; i < q->nsubs; i++) {
    q->subs[i].q = q;
    q->subs[i].tcp.fd = -1;
    q->subs[i].tcp.cb = on_tcp;
  }
  q->tries = q->conf->attempts * q->conf->nns;
  q->first_ns = q->conf->rotate ? (int)(rotation++ % (unsigned)q->conf->nns) : 0;
  start_name(q);
  return q;
}

void dns_cancel(dns_query *q) {
  if (!q) return;
  close_all(q);
  loop_timer_stop(&q->timer);
  free(q);
}
