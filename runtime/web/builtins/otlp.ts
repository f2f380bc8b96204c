// Built into the runtime as its own bytecode and evaluated only when an OTLP endpoint is
// set (runtime/shim/otlp-runtime.ts): a function that exports no traces pays nothing.
export * from '../../shim/otlp/index.ts'
