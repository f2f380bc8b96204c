// Built into the runtime as its own bytecode and evaluated the first time a function
// imports node:async_hooks (see runtime/web/async-context.ts).
export { createAsyncContext } from '../async-context-frames.ts'
