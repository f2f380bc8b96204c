// Built into the runtime as its own bytecode and evaluated on the first digest or
// HMAC (see scripts/runtime/lazy-builtins.ts).
export * from '../crypto-hashes.ts'
