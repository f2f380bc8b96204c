// node:perf_hooks: the runtime's performance (now() and timeOrigin).
export const performance = globalThis.performance
export default { performance }
