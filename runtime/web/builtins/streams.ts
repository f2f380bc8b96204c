// Built into the runtime as its own bytecode and evaluated on first use (see
// scripts/runtime/lazy-builtins.ts): most functions never stream.
export * from 'web-streams-polyfill'
