// The event loop: epoll for file descriptors, a min-heap of timers on the monotonic
// clock, and tick hooks run at the end of every iteration (flushing output, freeing
// closed connections). Watchers and timers are embedded in their owners, so starting
// and stopping them never allocates. Unref'd ones do not keep the loop alive.
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <sys/epoll.h>

typedef struct loop_io loop_io;
typedef void loop_io_cb(loop_io *io, uint32_t events);
struct loop_io {
  int fd;
  uint32_t events;
  bool added, ref;
  loop_io_cb *cb;
};

typedef struct loop_timer loop_timer;
typedef void loop_timer_cb(loop_timer *t);
struct loop_timer {
  int64_t due;
  uint64_t seq;
  uint32_t index; /* position in the heap, LOOP_TIMER_IDLE when not started */
  bool ref;
  loop_timer_cb *cb;
};
#define LOOP_TIMER_IDLE UINT32_MAX

/** A tick hook returns true when it left work behind, so the next wait must not block. */
typedef bool loop_tick_fn(void);

void loop_init(void);
/** Monotonic nanoseconds, cached at the start of the iteration. */
int64_t loop_now(void);
/** Monotonic nanoseconds, read from the clock now. */
int64_t loop_clock(void);

void loop_io_init(loop_io *io, int fd, loop_io_cb *cb, bool ref);
/** Registers (or re-registers) interest in `events`; no syscall when unchanged. Returns -1 with errno. */
int loop_io_set(loop_io *io, uint32_t events);
void loop_io_stop(loop_io *io);
void loop_io_ref(loop_io *io, bool ref);

static inline void loop_timer_init(loop_timer *t, loop_timer_cb *cb, bool ref) {
  t->index = LOOP_TIMER_IDLE;
  t->cb = cb;
  t->ref = ref;
}
static inline bool loop_timer_active(const loop_timer *t) {
  return t->index != LOOP_TIMER_IDLE;
}
/** (Re)starts the timer `ms` milliseconds from now. Equal due times fire in start order. */
void loop_timer_start(loop_timer *t, double ms);
void loop_timer_stop(loop_timer *t);

void loop_add_tick(loop_tick_fn *fn);
/** True while a ref'd watcher or timer is active. */
bool loop_alive(void);
/** Waits for events (not at all when `block` is false), runs them, then due timers, then tick hooks. */
void loop_run_once(bool block);
