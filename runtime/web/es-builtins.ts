// Language built-ins that QuickJS 2021-03-27 predates (ES2022/ES2023), measured by
// probing the engine: `at`, `Object.hasOwn`, `findLast`/`findLastIndex`, the
// change-by-copy array methods, and the `cause` option of the Error constructors.
// Hono calls `.at()` while registering routes and @noble/hashes calls
// `Object.hasOwn` at load, so this module must run before any other.
// Everything is installed only where missing, non-enumerable like the real ones.
// Methods are written as object-literal members so their `name` survives minifying.

/* eslint-disable @typescript-eslint/no-explicit-any */

function install(target: object, methods: Record<string, unknown>): void {
  for (const name of Object.keys(methods)) {
    if (name in target) continue
    Object.defineProperty(target, name, { value: methods[name], writable: true, configurable: true, enumerable: false })
  }
}

function toIntegerOrInfinity(value: unknown): number {
  const n = Math.trunc(Number(value))
  return n !== n ? 0 : n
}

function lengthOf(o: any): number {
  const n = toIntegerOrInfinity(o.length)
  return n > 0 ? Math.min(n, Number.MAX_SAFE_INTEGER) : 0
}

function relativeIndex(index: unknown, length: number): number {
  const k = toIntegerOrInfinity(index)
  return k < 0 ? k + length : k
}

function callable(fn: unknown): (...args: any[]) => unknown {
  if (typeof fn !== 'function') throw new TypeError(`${String(fn)} is not a function`)
  return fn as (...args: any[]) => unknown
}

function thisObject(self: unknown, method: string): any {
  if (self === null || self === undefined) throw new TypeError(`${method} called on null or undefined`)
  return Object(self)
}

// The same code serves arrays and typed arrays; typed arrays reject growing anyway.
const indexed = {
  at(this: any, index: number): unknown {
    const o = thisObject(this, 'at')
    const len = lengthOf(o)
    const k = relativeIndex(index, len)
    return k < 0 || k >= len ? undefined : o[k]
  },
  findLast(this: any, predicate: (v: unknown, i: number, o: unknown) => unknown, thisArg?: unknown): unknown {
    const o = thisObject(this, 'findLast')
    const fn = callable(predicate)
    for (let i = lengthOf(o) - 1; i >= 0; i--) if (fn.call(thisArg, o[i], i, o)) return o[i]
    return undefined
  },
  findLastIndex(this: any, predicate: (v: unknown, i: number, o: unknown) => unknown, thisArg?: unknown): number {
    const o = thisObject(this, 'findLastIndex')
    const fn = callable(predicate)
    for (let i = lengthOf(o) - 1; i >= 0; i--) if (fn.call(thisArg, o[i], i, o)) return i
    return -1
  },
}

const arrayCopies = {
  toReversed(this: any): unknown[] {
    const o = thisObject(this, 'toReversed')
    const len = lengthOf(o)
    const out = new Array(len)
    for (let i = 0; i < len; i++) out[i] = o[len - 1 - i]
    return out
  },
  toSorted(this: any, compare?: (a: any, b: any) => number): unknown[] {
    if (compare !== undefined) callable(compare)
    return Array.prototype.slice.call(thisObject(this, 'toSorted')).sort(compare)
  },
  toSpliced(this: any, start: number, skip?: number, ...items: unknown[]): unknown[] {
    const copy = Array.prototype.slice.call(thisObject(this, 'toSpliced'))
    if (arguments.length === 0) return copy
    if (arguments.length === 1) copy.splice(start)
    else copy.splice(start, skip as number, ...items)
    return copy
  },
  with(this: any, index: number, value: unknown): unknown[] {
    const copy = Array.prototype.slice.call(thisObject(this, 'with'))
    const k = relativeIndex(index, copy.length)
    if (k < 0 || k >= copy.length) throw new RangeError('Invalid index : ' + String(index))
    copy[k] = value
    return copy
  },
}

install(Array.prototype, indexed)
install(Array.prototype, arrayCopies)
install(Object.getPrototypeOf(Uint8Array.prototype), indexed)
install(String.prototype, {
  at(this: any, index: number): string | undefined {
    thisObject(this, 'String.prototype.at')
    const s = String(this)
    const k = relativeIndex(index, s.length)
    return k < 0 || k >= s.length ? undefined : s[k]
  },
})
install(Object, {
  hasOwn(o: unknown, key: PropertyKey): boolean {
    return Object.prototype.hasOwnProperty.call(thisObject(o, 'Object.hasOwn'), key)
  },
})

// Error `cause` (ES2022) needs new constructors: each wrapper builds the native
// error with the caller's new.target, so subclasses (Hono's HTTPException passes
// `{ cause }` to super) and errors the engine throws itself share one prototype
// and `instanceof` holds both ways.
function supportsCause(): boolean {
  return 'cause' in new Error('', { cause: 0 } as ErrorOptions)
}

function wrapError(name: string, causeArg: number, parent: unknown): unknown {
  const Native = (globalThis as any)[name]
  if (typeof Native !== 'function') return parent
  const Wrapped = function (this: unknown, ...args: unknown[]) {
    const error = Reflect.construct(Native, args.slice(0, causeArg), new.target || Wrapped)
    const options = args[causeArg] as { cause?: unknown } | undefined
    if (options !== null && typeof options === 'object' && 'cause' in options) {
      Object.defineProperty(error, 'cause', { value: options.cause, writable: true, configurable: true, enumerable: false })
    }
    // Hide this wrapper and Reflect.construct, the first two frames, as V8 would.
    const stack = error.stack
    if (typeof stack === 'string' && stack.slice(0, stack.indexOf('\n')).indexOf('construct (native)') !== -1) {
      error.stack = stack.slice(stack.indexOf('\n', stack.indexOf('\n') + 1) + 1)
    }
    return error
  }
  Object.defineProperty(Wrapped, 'name', { value: name, configurable: true })
  Object.defineProperty(Wrapped, 'length', { value: Native.length, configurable: true })
  Object.defineProperty(Wrapped, 'prototype', { value: Native.prototype, writable: false, enumerable: false, configurable: false })
  Object.defineProperty(Native.prototype, 'constructor', { value: Wrapped, writable: true, configurable: true, enumerable: false })
  if (parent) Object.setPrototypeOf(Wrapped, parent as object)
  Object.defineProperty(globalThis, name, { value: Wrapped, writable: true, configurable: true, enumerable: false })
  return Wrapped
}

if (!supportsCause()) {
  const BaseError = wrapError('Error', 1, undefined)
  for (const name of ['EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError']) {
    wrapError(name, 1, BaseError)
  }
  wrapError('AggregateError', 2, BaseError)
}
