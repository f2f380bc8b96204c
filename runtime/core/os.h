// The process's life as JS sees it (process.on('SIGTERM'), process.on('exit'),
// process.exitCode): the core's exit paths ask os.c, which asks the callbacks the web
// layer registered with __core.onSignal and __core.onExit.
#pragma once
#include <stdbool.h>

/** Calls the signal callback with "SIGTERM" or "SIGINT"; true when JS listens for it. */
bool os_signal_event(int signo);
/** Calls the exit callback once, with `code`; returns the code to exit with (process.exitCode). */
int os_exit_code(int code);
