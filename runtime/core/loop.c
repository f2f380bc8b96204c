#include "loop.h"
#include "buf.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 256
#define MAX_TICKS  8

static struct {
  int epfd;
  int64_t now;
  int refs;
  loop_timer **heap;
  uint32_t count, cap;
  uint64_t seq;
  loop_tick_fn *ticks[MAX_TICKS];
  int nticks;
  bool spin;
} L;

int64_t loop_clock(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t loop_now(void) {
  return L.now;
}

void loop_init(void) {
  L.epfd = epoll_create1(EPOLL_CLOEXEC);
  if (L.epfd < 0) abort();
  L.now = loop_clock();
}

void loop_io_init(loop_io *io, int fd, loop_io_cb *cb, bool ref) {
  io->fd = fd;
  io->events = 0;
  io->added = false;
  io->ref = ref;
  io->cb = cb;
}

int loop_io_set(loop_io *io, uint32_t events) {
  if (io->added && io->events == events) return 0;
  struct epoll_event ev = {.events = events, .data.ptr = io};
  if (epoll_ctl(L.epfd, io->added ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, io->fd, &ev) < 0) return -1;
  if (!io->added && io->ref) L.refs++;
  io->added = true;
  io->events = events;
  return 0;
}

void loop_io_stop(loop_io *io) {
  if (!io->added) return;
  epoll_ctl(L.epfd, EPOLL_CTL_DEL, io->fd, NULL);
  io->added = false;
  if (io->ref) L.refs--;
}

void loop_io_ref(loop_io *io, bool ref) {
  if (io->added && io->ref != ref) L.refs += ref ? 1 : -1;
  io->ref = ref;
}

static bool timer_less(const loop_timer *a, const loop_timer *b) {
  return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static void heap_place(uint32_t i, loop_timer *t) {
  L.heap[i] = t;
  t->index = i;
}

static void sift_up(uint32_t i) {
  loop_timer *t = L.heap[i];
  while (i > 0) {
    uint32_t parent = (i - 1) / 2;
    if (!timer_less(t, L.heap[parent])) break;
    heap_place(i, L.heap[parent]);
    i = parent;
  }
  heap_place(i, t);
}

static void sift_down(uint32_t i) {
  loop_timer *t = L.heap[i];
  for (;;) {
    uint32_t child = 2 * i + 1;
    if (child >= L.count) break;
    if (child + 1 < L.count && timer_less(L.heap[child + 1], L.heap[child])) child++;
    if (!timer_less(L.heap[child], t)) break;
    heap_place(i, L.heap[child]);
    i = child;
  }
  heap_place(i, t);
}

void loop_timer_stop(loop_timer *t) {
  if (!loop_timer_active(t)) return;
  uint32_t i = t->index;
  loop_timer *last = L.heap[--L.count];
  t->index = LOOP_TIMER_IDLE;
  if (t->ref) L.refs--;
  if (last == t) return;
  heap_place(i, last);
  sift_up(i);
  sift_down(last->index);
}

void loop_timer_start(loop_timer *t, double ms) {
  loop_timer_stop(t);
  if (!(ms > 0)) ms = 0;
  if (ms > 1e12) ms = 1e12;
  // From the clock, not the iteration's time: code may have run long since the wait ended.
  t->due = loop_clock() + (int64_t)(ms * 1e6);
  t->seq = L.seq++;
  if (L.count == L.cap) {
    L.cap = L.cap ? L.cap * 2 : 64;
    L.heap = xrealloc(L.heap, L.cap * sizeof *L.heap);
  }
  heap_place(L.count++, t);
  sift_up(t->index);
  if (t->ref) L.refs++;
}

void loop_add_tick(loop_tick_fn *fn) {
  if (L.nticks < MAX_TICKS) L.ticks[L.nticks++] = fn;
}

bool loop_alive(void) {
  return L.refs > 0;
}

static int wait_timeout(bool block) {
  if (!block || L.spin) return 0;
  if (L.count == 0) return -1;
  int64_t wait = L.heap[0]->due - loop_clock();
  if (wait <= 0) return 0;
  double ms = ceil((double)wait / 1e6);
  return ms > 86400000 ? 86400000 : (int)ms;
}

static void run_timers(void) {
  // Timers started by these callbacks wait for the next iteration, even at zero delay.
  uint64_t limit = L.seq;
  while (L.count > 0 && L.heap[0]->due <= L.now && L.heap[0]->seq < limit) {
    loop_timer *t = L.heap[0];
    loop_timer_stop(t);
    t->cb(t);
  }
}

void loop_run_once(bool block) {
  struct epoll_event events[MAX_EVENTS];
  int n = epoll_wait(L.epfd, events, MAX_EVENTS, wait_timeout(block));
  if (n < 0 && errno != EINTR) abort();
  L.now = loop_clock();
  for (int i = 0; i < n; i++) {
    loop_io *io = events[i].data.ptr;
    // An earlier callback in this batch may have stopped it; owners free only in tick hooks.
    if (io->added) io->cb(io, events[i].events);
  }
  run_timers();
  L.spin = false;
  for (int i = 0; i < L.nticks; i++) {
    if (L.ticks[i]()) L.spin = true;
  }
}
