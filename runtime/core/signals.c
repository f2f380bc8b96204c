#include "signals.h"
#include "loop.h"
#include "util.h"
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

static loop_io io;
static signals_handler *on_signal;

static void on_readable(loop_io *w, uint32_t events) {
  struct signalfd_siginfo info;
  while (read(w->fd, &info, sizeof info) == sizeof info) on_signal((int)info.ssi_signo);
}

void signals_init(signals_handler *handler) {
  on_signal = handler;
  signal(SIGPIPE, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigprocmask(SIG_BLOCK, &set, NULL);
  int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) fatal("signalfd failed");
  // Unref'd: waiting for a signal alone must not keep a script running.
  loop_io_init(&io, fd, on_readable, false);
  loop_io_set(&io, EPOLLIN);
}
