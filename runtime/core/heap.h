// The JS heap's allocator: QuickJS's accounting (so JS_SetMemoryLimit works) plus a
// count of the allocations the limit refused. Sizes live in a small header, because
// musl's malloc_usable_size is slow and QuickJS asks on every malloc and free.
#pragma once
#include "quickjs.h"
#include <stddef.h>
#include <stdint.h>

extern const JSMallocFunctions heap_functions;
/** Allocations refused since start (over the limit, or no memory at all). */
uint64_t heap_oom_count(void);
/** Bytes the JS heap holds now, as counted against the limit. */
size_t heap_used_bytes(void);
/** The limit (JS_SetMemoryLimit), once the engine allocated through us. */
size_t heap_limit_bytes(void);
/** Bytes of freed small blocks kept for reuse. */
size_t heap_cached_bytes(void);
/** The load is over: new small blocks come from malloc from now on (see heap.c). */
void heap_loaded(void);
