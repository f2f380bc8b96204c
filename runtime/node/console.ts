// node:console: the global console.
const c = globalThis.console
export const {
  log,
  info,
  debug,
  warn,
  error,
  dir,
  table,
  trace,
  assert,
  count,
  countReset,
  time,
  timeLog,
  timeEnd,
  group,
  groupCollapsed,
  groupEnd,
} = c
export default c
