// Browsers and Node install Web APIs as writable, configurable, non-enumerable
// globals: apps may replace them, and `Object.keys(globalThis)` stays clean.

export function defineGlobal(name: string, value: unknown): void {
  // The runtime's bundle is minified, which renames classes and functions; a
  // global gets its name back, so `Headers.name` and inspect() output are right.
  if (typeof value === 'function' && value.name !== name) Object.defineProperty(value, 'name', { value: name, configurable: true })
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false })
}

export function defineGlobals(values: Record<string, unknown>): void {
  for (const name of Object.keys(values)) defineGlobal(name, values[name])
}

/**
 * Like defineGlobal, but `load` runs on the first read, and the property then
 * becomes a plain data property. Large polyfills installed this way cost an app
 * that never touches them nothing beyond reading their bytecode.
 */
export function defineLazyGlobal(name: string, load: () => unknown): void {
  Object.defineProperty(globalThis, name, {
    configurable: true,
    enumerable: false,
    get() {
      const value = load()
      defineGlobal(name, value)
      return value
    },
    set(value: unknown) {
      defineGlobal(name, value)
    },
  })
}
