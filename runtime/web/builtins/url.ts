// Built into the runtime as its own bytecode and evaluated on first use (see
// scripts/runtime/lazy-builtins.ts). core-js installs URL and URLSearchParams on globalThis.
import 'core-js/actual/url'
import 'core-js/actual/url-search-params'
