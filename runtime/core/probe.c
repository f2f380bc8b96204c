// [probe.c] `scratchfn-runtime --probe [PATH]`: the image's own health check. A
// FROM-scratch image has no shell, curl or wget for a Docker HEALTHCHECK, so the runtime
// binary doubles as the probe: a separate, short-lived process that asks the server in
// the same container for GET PATH (default /healthz) on 127.0.0.1:$PORT and exits 0 on a
// 2xx answer within SCRATCHFN_PROBE_TIMEOUT_MS (default 2000), else 1 after one line on
// stderr saying why. It starts no engine and blocks freely: it is its own process.
//
// What a pass means: /healthz is answered by the C core, outside JS, but on the event
// loop's one thread, the thread every handler runs on. While a handler spins (a sync or
// async endless loop) or the loop is stuck in a blocking call, nothing answers /healthz,
// so the probe times out and says so. That is the wedge worth restarting for; a handler
// that merely never answers gets 504 at SCRATCHFN_HANDLER_TIMEOUT_MS and leaves the loop
// free, so it does not fail the probe. A loop that the handler timeout interrupts
// recovers, and the container turns healthy again: the HEALTHCHECK's retries (see
// scripts/image/image-spec.ts) only mark it unhealthy when the loop stays blocked for
// several probes in a row.
#include "probe.h"
#include "util.h"
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static char target[300]; /* "GET http://HOST:PORT/PATH", for messages */

static int fail(const char *fmt, ...) {
  char why[400], line[800];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
  int n = snprintf(line, sizeof line, "scratchfn-runtime --probe: %s%s%s\n", target, *target ? ": " : "", why);
  if (write(2, line, n < (int)sizeof line ? (size_t)n : sizeof line - 1) < 0) return 1;
  return 1;
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for `events` until the deadline: 1 ready, 0 timed out. */
static int wait_for(int fd, short events, long long deadline) {
  for (;;) {
    long long left = deadline - now_ms();
    if (left <= 0) return 0;
    struct pollfd p = {.fd = fd, .events = events};
    int n = poll(&p, 1, (int)left);
    if (n > 0) return 1;
    if (n < 0 && errno != EINTR) return 1; /* the next call reports the error */
  }
}

int probe_main(int argc, char **argv) {
  const char *path = argc > 0 ? argv[0] : "/healthz";
  if (argc > 1) return fail("takes one PATH, got %d arguments", argc);
  if (path[0] != '/') return fail("PATH must start with '/', e.g. /healthz; got '%.100s'", path);
  for (const char *s = path; *s; s++)
    if ((unsigned char)*s <= ' ' || *s == 0x7f) return fail("PATH may not hold spaces or control characters");
  long long port = env_int("PORT", 8080, 1, 65535);
  long long timeout = env_int("SCRATCHFN_PROBE_TIMEOUT_MS", 2000, 1, 600000);
  /* The server's own address, or loopback when it listens on every interface. */
  const char *host = getenv("SCRATCHFN_HOST");
  if (!host || !*host || !strcmp(host, "0.0.0.0"))
    host = "127.0.0.1";
  else if (!strcmp(host, "::"))
    host = "::1";
  snprintf(target, sizeof target, "GET http://%s%s%s:%lld%.200s", strchr(host, ':') ? "[" : "", host,
           strchr(host, ':') ? "]" : "", port, path);
  long long deadline = now_ms() + timeout;

  char service[8];
  snprintf(service, sizeof service, "%lld", port);
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV}, *res;
  if (getaddrinfo(host, service, &hints, &res) != 0) return fail("cannot resolve SCRATCHFN_HOST '%s'", host);
  int fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int rc = fd < 0 ? -1 : connect(fd, res->ai_addr, res->ai_addrlen);
  freeaddrinfo(res);
  if (rc < 0 && errno == EINPROGRESS) {
    if (!wait_for(fd, POLLOUT, deadline)) return fail("no connection within %lld ms", timeout);
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    errno = err;
    rc = err ? -1 : 0;
  }
  if (rc < 0)
    return fail("cannot connect: %s (%s); is the server listening on $PORT?", strerror(errno), errno_code(errno));

  char request[512];
  int n = snprintf(request, sizeof request,
                   "GET %.300s HTTP/1.1\r\nhost: localhost\r\nuser-agent: scratchfn-probe\r\nconnection: close\r\n\r\n",
                   path);
  for (int sent = 0; sent < n;) {
    if (!wait_for(fd, POLLOUT, deadline)) return fail("could not send the request within %lld ms", timeout);
    ssize_t w = send(fd, request + sent, (size_t)(n - sent), MSG_NOSIGNAL);
    if (w < 0 && errno != EAGAIN && errno != EINTR) return fail("send failed: %s", strerror(errno));
    if (w > 0) sent += (int)w;
  }
  /* Only the status line matters: "HTTP/1.1 200 OK\r\n". */
  char head[64];
  size_t got = 0;
  while (got < sizeof head - 1 && !memchr(head, '\n', got)) {
    if (!wait_for(fd, POLLIN, deadline))
      return fail("no answer within %lld ms (SCRATCHFN_PROBE_TIMEOUT_MS): the event loop is blocked", timeout);
    ssize_t r = recv(fd, head + got, sizeof head - 1 - got, 0);
    if (r == 0) return fail("the server closed the connection without an answer");
    if (r < 0 && errno != EAGAIN && errno != EINTR) return fail("read failed: %s", strerror(errno));
    if (r > 0) got += (size_t)r;
  }
  close(fd);
  head[got] = 0;
  int status = 0;
  for (int i = 9; i < 12 && head[i] >= '0' && head[i] <= '9'; i++) status = status * 10 + head[i] - '0';
  if (strncmp(head, "HTTP/1.", 7) != 0 || head[8] != ' ' || status < 100)
    return fail("not an HTTP answer: '%.20s'", head);
  if (status < 200 || status > 299) return fail("answered %d", status);
  return 0;
}
