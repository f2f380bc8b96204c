// The engine host: one JSRuntime and JSContext with the heap limit, stack limit,
// handler deadline and promise-rejection tracking the loop relies on. Every entry from
// the loop into JS goes through host_call (or host_call_in), which arms the deadline,
// sets the async context, reports what was thrown and drains the promise jobs afterwards.
#pragma once
#include "quickjs.h"
#include <stdbool.h>
#include <stdint.h>

extern JSRuntime *host_rt;
extern JSContext *host_ctx;

/** Creates the runtime and context. In script mode errors go to stderr and end the process. */
void host_init(bool script_mode);
bool host_script_mode(void);

/** Restarts the deadline (SCRATCHFN_HANDLER_TIMEOUT_MS) for the JS about to run. */
void host_arm_deadline(void);
/**
 * Calls fn, reports an exception, then drains promise jobs. Returns false when fn threw.
 * fn runs with no async context (AsyncLocalStorage has no store): a request starts clean.
 */
bool host_call(JSValueConst fn, JSValueConst this_obj, int argc, JSValueConst *argv);
/**
 * host_call with `async_context` current while fn runs: a callback the loop delivers
 * (a timer, a socket's data) runs in the context JS was in when it asked for it, which
 * the caller captured then with JS_GetAsyncContext (and frees when done with it).
 */
bool host_call_in(JSValueConst async_context, JSValueConst fn, JSValueConst this_obj, int argc, JSValueConst *argv);
/** True when the last exception host_call reported was the deadline's interrupt. */
bool host_last_interrupted(void);
/** Runs promise jobs until none is left, then reports rejections nobody handled. */
void host_drain_jobs(void);
/** Takes the pending exception and reports it (serve mode: JSON line; script mode: stderr, exit 1). */
void host_report_exception(const char *context);
/** Reports a thrown or rejected value as host_report_exception does. */
void host_report(JSValueConst exc, const char *context);
/** Formats an exception as "message" and "stack" (either may be NULL); free both with js_free. */
void host_describe(JSValueConst exc, char **message, char **stack);

/** Allocations the heap limit refused since start. */
uint64_t host_oom_count(void);
/** JS runs the handler timeout interrupted since start. */
uint64_t host_interrupt_count(void);
