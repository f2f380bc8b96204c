// Configuration from the environment and the fatal startup error: what every layer may
// need before any JS runs, so this header names no engine type.
#pragma once

/** Prints a one-line JSON error to stderr and exits 1. */
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** An integer from the environment; an unset or empty variable gives `def`, a bad one is fatal. */
long long env_int(const char *name, long long def, long long min, long long max);
