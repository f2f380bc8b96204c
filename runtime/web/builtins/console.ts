// console, and the inspect and format behind it (and behind node:util), built into the
// runtime as their own bytecode and evaluated on first use (see
// scripts/runtime/lazy-builtins.ts): a function that never logs does not read them.
export { console, format } from '../console.ts'
export { inspect } from '../inspect.ts'
