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

/**
 * defineLazyGlobal for each of `names`, read from what `load` returns. The getters are made
 * here, in a small frame, not at the web layer's top level, whose hundreds of captured
 * variables make each closure made there slower to create.
 */
export function defineLazyGlobals<M>(names: readonly (keyof M & string)[], load: () => M): void {
  for (const name of names) defineLazyGlobal(name, () => load()[name])
}

/** A lazily evaluated module: call it to load; `ifLoaded()` answers without loading. */
export interface LazyModule<M> {
  (): M
  /** The module if something loaded it already: nothing can be an instance of its classes before. */
  ifLoaded(): M | undefined
}

/**
 * A module of the web layer evaluated on first use: `load` is `() => require('./x.ts')`,
 * which esbuild turns into a call of the module's initializer. The exports named in
 * `globals` get their names back as soon as the module loads (not only when their global is
 * read), since other modules may hand out its instances first (a DOMException from an
 * AbortSignal). The result is kept: esbuild's require() copies the exports on every call.
 */
export function lazyModule<M extends object>(load: () => M, globals: readonly (keyof M & string)[] = []): LazyModule<M> {
  let loaded: M | undefined
  const get = () => {
    if (loaded !== undefined) return loaded
    loaded = load()
    for (const name of globals) {
      const value = loaded[name] as unknown
      if (typeof value === 'function' && value.name !== name) Object.defineProperty(value, 'name', { value: name, configurable: true })
    }
    return loaded
  }
  return Object.assign(get, { ifLoaded: () => loaded })
}

/**
 * Gives a lazy builtin's classes and functions their global names back when it is
 * evaluated (its bundle is minified), before any of its instances can be handed out.
 */
export function nameExports(values: Record<string, unknown>): void {
  for (const name of Object.keys(values)) {
    const value = values[name]
    if (typeof value === 'function' && value.name !== name) Object.defineProperty(value, 'name', { value: name, configurable: true })
  }
}
