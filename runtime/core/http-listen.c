// The listening socket and the graceful drain: readiness fails at once, requests still
// arriving (on open connections or new ones) are served with `connection: close` until
// the listener closes after the drain delay, then idle connections close, and the
// process exits when nothing is in flight (or when the grace runs out).
#include "http-listen.h"
#include "http-config.h"
#include "http-conn.h"
#include "http-pool.h"
#include "http-server.h"
#include "log.h"
#include "os.h"
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static loop_io listener;
static loop_timer backoff_timer, drain_timer, grace_timer;
static bool listening, drain_delay_over;
/* A descriptor held in reserve: out of descriptors, closing it lets one more connection
   in to be told 503 and closed, instead of waiting unanswered in the kernel's queue. */
static int spare_fd = -1;
static int64_t last_fd_warning;
static bool (*before_exit)(void);

void http_listen_before_exit(bool (*hook)(void)) {
  before_exit = hook;
}

/* Go does the same: the soft limit is often 1024 while the hard one is far higher, and
   each connection is a descriptor. */
static void raise_fd_limit(void) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return;
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
  }
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)http_cfg.max_connections + 16) {
    char msg[200];
    snprintf(msg, sizeof msg,
             "the file descriptor limit (%llu) is below SCRATCHFN_MAX_CONNECTIONS (%d): "
             "past it, new connections get 503",
             (unsigned long long)rl.rlim_cur, http_cfg.max_connections);
    log_begin("warn", msg, strlen(msg));
    log_end();
  }
}

static void resume_accepting(loop_timer *t) {
  if (listening) loop_io_set(&listener, EPOLLIN);
}

/* Out of descriptors: spend the spare one on the next connection in the queue, answer it
   503 and close it. The answer fits any socket buffer, so one non-blocking write sends it. */
static bool shed_one(int listen_fd) {
  static const char answer[] =
      "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: 33\r\n"
      "connection: close\r\n\r\n{\"error\":\"Service Unavailable\"}";
  if (spare_fd < 0) return false;
  close(spare_fd);
  spare_fd = -1;
  int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd >= 0) {
    (void)!write(fd, answer, sizeof answer - 1);
    shutdown(fd, SHUT_WR);
    char sink[4096]; /* what the client sent already: unread, close would send a reset */
    while (read(fd, sink, sizeof sink) > 0) {
    }
    close(fd);
    pool_count_refused();
  }
  spare_fd = eventfd(0, EFD_CLOEXEC);
  if (loop_now() - last_fd_warning > 1000000000) { /* one line a second, however many are shed */
    last_fd_warning = loop_now();
    log_error("accept: out of file descriptors; answering new connections 503 until some close", NULL);
  }
  return fd >= 0;
}

/* Accepts what is queued (up to a batch); returns how many connections it took in. */
static int accept_pending(int listen_fd) {
  int taken = 0;
  for (int i = 0; i < 128; i++) {
    int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      conn_accept(fd);
      taken++;
      continue;
    }
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if ((errno == EMFILE || errno == ENFILE) && shed_one(listen_fd)) continue;
    if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
      // No spare either: pause, or the level-triggered listener would spin.
      loop_io_stop(&listener);
      loop_timer_start(&backoff_timer, 100);
      log_error(errno == EMFILE || errno == ENFILE ? "accept: out of file descriptors, pausing 100 ms"
                                                   : "accept: out of memory, pausing 100 ms",
                NULL);
    }
    break;
  }
  return taken;
}

static void on_accept(loop_io *io, uint32_t events) {
  accept_pending(io->fd);
}

int http_listen(void) {
  http_config_load();
  raise_fd_limit();
  char port[8];
  snprintf(port, sizeof port, "%d", http_cfg.port);
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
  struct addrinfo *res;
  if (getaddrinfo(http_cfg.host, port, &hints, &res) != 0) return EADDRNOTAVAIL;
  int fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1, err = 0;
  if (fd < 0)
    err = errno;
  else if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
           bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, 1024) < 0)
    err = errno;
  freeaddrinfo(res);
  if (err) {
    if (fd >= 0) close(fd);
    return err;
  }
  loop_io_init(&listener, fd, on_accept, true);
  loop_timer_init(&backoff_timer, resume_accepting, true);
  if (loop_io_set(&listener, EPOLLIN) < 0) {
    err = errno;
    close(fd);
    return err;
  }
  listening = true;
  spare_fd = eventfd(0, EFD_CLOEXEC);
  return 0;
}

bool http_server_listening(void) {
  return listening;
}

/* Once the listener is closed: exit as soon as no connection owes a response or output. */
static void check_exit(void) {
  if (!drain_delay_over || conn_busy(true) > 0) return;
  if (before_exit && before_exit()) return;
  int code = os_exit_code(0); // process.on('exit') listeners, process.exitCode
  log_flush();
  exit(code);
}

/* After every iteration's connection work (the tick hooks run in order), so a response
   finished in it counts as done. */
static bool check_exit_tick(void) {
  check_exit();
  return false;
}

static void close_listener(loop_timer *t) {
  if (listening) {
    // Connections the kernel completed are in its queue; closing would reset them.
    for (int i = 0; i < 64 && accept_pending(listener.fd) > 0; i++) {
    }
    loop_io_stop(&listener);
    loop_timer_stop(&backoff_timer);
    close(listener.fd);
    listening = false;
  }
  drain_delay_over = true;
  check_exit();
}

static void grace_over(loop_timer *t) {
  char msg[128];
  snprintf(msg, sizeof msg, "drain: grace period over with %u connection(s) busy, exiting", conn_busy(false));
  log_error(msg, NULL);
  int code = os_exit_code(0);
  log_flush();
  exit(code);
}

void http_server_drain(void) {
  if (conn_draining) return;
  conn_start_draining();
  char msg[160];
  snprintf(msg, sizeof msg, "draining: readiness fails now, the listener closes in %.0f ms", http_cfg.drain_delay_ms);
  log_begin("info", msg, strlen(msg));
  log_end();
  // Idle keep-alive connections stay open until the listener closes: a request a client
  // sends on one meanwhile is served (with connection: close) rather than lost in a race
  // with the close.
  loop_timer_init(&drain_timer, close_listener, true);
  loop_timer_init(&grace_timer, grace_over, false);
  loop_timer_start(&drain_timer, http_cfg.drain_delay_ms);
  loop_timer_start(&grace_timer, http_cfg.grace_ms);
  loop_add_tick(check_exit_tick);
}
