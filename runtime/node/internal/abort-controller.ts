// What readable-stream imports as the npm package `abort-controller`: the runtime's own.
export const AbortController = globalThis.AbortController
export const AbortSignal = globalThis.AbortSignal
export default AbortController
