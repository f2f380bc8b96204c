// Defaults for the sanitize build (runtime/Makefile VARIANT=sanitize); empty otherwise.
// Leak checking is off: the runtime exits (after a drain, or at the grace period) with
// its JS heap and connections still allocated, on purpose, and LeakSanitizer would turn
// every such exit 0 into a failure. Any other report aborts, so a test sees it.
#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if __has_feature(address_sanitizer)
const char *__asan_default_options(void);
const char *__asan_default_options(void) {
  return "detect_leaks=0:abort_on_error=1:print_summary=1";
}
#endif
