// The global `process`, built into the runtime as its own bytecode and evaluated on first
// use (see scripts/runtime/lazy-builtins.ts): functions that read process.env load it
// while they load, the others never.
export { process } from '../process.ts'
