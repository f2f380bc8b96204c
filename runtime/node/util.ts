// node:util. format and inspect are the runtime's console formatter (runtime/web/inspect.ts),
// so util.inspect(x) prints what console.log(x) prints; it knows depth, showHidden,
// breakLength and maxArrayLength, not colors, compact, sorted or getters.
import { deepEqual } from './internal/deep-equal.ts'
import { invalidArgType, nodeError, validateFunction } from './internal/errors.ts'
import { deprecate } from './internal/deprecate.ts'
export { deprecate }
import { web } from './internal/natives.ts'
import types from './util/types.ts'

/* eslint-disable @typescript-eslint/no-explicit-any */
type Fn = (...args: any[]) => any

export interface InspectOptions {
  depth?: number | null
  showHidden?: boolean
  breakLength?: number
  maxArrayLength?: number | null
  colors?: boolean
  compact?: boolean | number
  sorted?: boolean
  getters?: boolean
}

const defaultOptions: InspectOptions = { depth: 2, showHidden: false, breakLength: 128, maxArrayLength: 100, colors: false }

export function inspect(value: unknown, opts?: InspectOptions | boolean, depth?: number | null): string {
  const o: InspectOptions =
    typeof opts === 'object' && opts !== null ? opts : { showHidden: Boolean(opts), ...(depth !== undefined ? { depth } : {}) }
  const d = o.depth === null ? Infinity : (o.depth ?? defaultOptions.depth ?? 2)
  const max = o.maxArrayLength === null ? Infinity : (o.maxArrayLength ?? defaultOptions.maxArrayLength ?? 100)
  return web.inspect(value, {
    depth: d,
    showHidden: o.showHidden ?? defaultOptions.showHidden,
    ...(o.breakLength !== undefined ? { breakLength: o.breakLength } : {}),
    maxArrayLength: max,
  })
}
inspect.custom = Symbol.for('nodejs.util.inspect.custom') as symbol
inspect.defaultOptions = defaultOptions

export function format(...args: unknown[]): string {
  return web.format(args)
}

export function formatWithOptions(inspectOptions: InspectOptions, ...args: unknown[]): string {
  if (inspectOptions === null || typeof inspectOptions !== 'object') throw invalidArgType('inspectOptions', 'object', inspectOptions)
  return web.format(args)
}

const kCustomPromisified = Symbol.for('nodejs.util.promisify.custom')

export function promisify(original: Fn): Fn {
  validateFunction(original, 'original')
  const custom = (original as any)[kCustomPromisified]
  if (custom) {
    validateFunction(custom, 'util.promisify.custom')
    return Object.defineProperty(custom, kCustomPromisified, { value: custom, enumerable: false, writable: false, configurable: true })
  }
  function fn(this: unknown, ...args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      args.push((err: unknown, ...values: unknown[]) => (err ? reject(err) : resolve(values[0])))
      Reflect.apply(original, this, args)
    })
  }
  Object.setPrototypeOf(fn, Object.getPrototypeOf(original))
  Object.defineProperty(fn, kCustomPromisified, { value: fn, enumerable: false, writable: false, configurable: true })
  const descriptors = Object.getOwnPropertyDescriptors(original)
  return Object.defineProperties(fn, descriptors)
}
promisify.custom = kCustomPromisified as symbol

export function callbackify(original: Fn): Fn {
  validateFunction(original, 'original')
  function callbackified(this: unknown, ...args: unknown[]): void {
    const maybeCb = args.pop()
    validateFunction(maybeCb, 'last argument')
    const cb = (maybeCb as Fn).bind(this)
    Reflect.apply(original, this, args).then(
      (ret: unknown) => globalThis.process.nextTick(cb, null, ret),
      (rej: unknown) => {
        const reason = rej
          ? rej
          : Object.assign(nodeError(Error, 'ERR_FALSY_VALUE_REJECTION', 'Promise was rejected with falsy value'), { reason: rej })
        globalThis.process.nextTick(cb, reason)
      },
    )
  }
  const descriptors = Object.getOwnPropertyDescriptors(original)
  if (typeof descriptors.length?.value === 'number') descriptors.length.value++
  if (typeof descriptors.name?.value === 'string') descriptors.name.value += 'Callbackified'
  Object.defineProperties(callbackified, descriptors)
  Object.setPrototypeOf(callbackified, Object.getPrototypeOf(original))
  return callbackified
}

export function inherits(ctor: Fn, superCtor: Fn): void {
  if (ctor === undefined || ctor === null) throw invalidArgType('ctor', 'Function', ctor)
  if (superCtor === undefined || superCtor === null) throw invalidArgType('superCtor', 'Function', superCtor)
  if (superCtor.prototype === undefined) throw invalidArgType('superCtor.prototype', 'Object', superCtor.prototype)
  Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true })
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype)
}


export function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  return deepEqual(a, b, true)
}

const debugEnv = `${globalThis.process?.env?.NODE_DEBUG ?? ''}`
  .split(/[\s,]+/)
  .filter(Boolean)
  .map((s) => new RegExp(`^${s.replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i'))

/** NODE_DEBUG=name,other turns these on; each line goes to stderr as `NAME PID: message`. */
export function debuglog(section: string, cb?: (fn: Fn) => void): Fn & { enabled: boolean } {
  const enabled = debugEnv.some((re) => re.test(section))
  const name = section.toUpperCase()
  const log = Object.assign(
    (...args: unknown[]) => {
      if (enabled) globalThis.process.stderr.write(`${name} ${globalThis.process.pid}: ${web.format(args)}\n`)
    },
    { enabled },
  )
  if (cb) cb(log)
  return log
}
export const debug = debuglog

export function toUSVString(s: string): string {
  return `${s}`.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
}

// eslint-disable-next-line no-control-regex
const ansi =
  /[\u001B\u009B][[\]()#;?]*(?:(?:(?:(?:;[-a-zA-Z\d/#&.:=?%@~_]+)*|[a-zA-Z\d]+(?:;[-a-zA-Z\d/#&.:=?%@~_]*)*)?\u0007)|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PR-TZcf-ntqry=><~]))/g

export function stripVTControlCharacters(str: string): string {
  return `${str}`.replace(ansi, '')
}

export function getSystemErrorName(code: number): string {
  return `Unknown system error ${code}`
}

export function aborted(signal: AbortSignal, _resource: unknown): Promise<void> {
  if (signal.aborted) return Promise.resolve()
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
}

export const TextEncoder = globalThis.TextEncoder
export const TextDecoder = globalThis.TextDecoder
export { types }

// The deprecated type checks, still used by older packages.
export const isArray = Array.isArray
export const isBoolean = (v: unknown): boolean => typeof v === 'boolean'
export const isBuffer = (v: unknown): boolean => (v as { constructor?: { isBuffer?: Fn } })?.constructor?.isBuffer?.(v) === true
export const isDate = types.isDate
export const isError = (v: unknown): boolean => v instanceof Error
export const isFunction = (v: unknown): boolean => typeof v === 'function'
export const isNull = (v: unknown): boolean => v === null
export const isNullOrUndefined = (v: unknown): boolean => v == null
export const isNumber = (v: unknown): boolean => typeof v === 'number'
export const isObject = (v: unknown): boolean => v !== null && typeof v === 'object'
export const isPrimitive = (v: unknown): boolean => v === null || (typeof v !== 'object' && typeof v !== 'function')
export const isRegExp = types.isRegExp
export const isString = (v: unknown): boolean => typeof v === 'string'
export const isSymbol = (v: unknown): boolean => typeof v === 'symbol'
export const isUndefined = (v: unknown): boolean => v === undefined

export default {
  inspect,
  format,
  formatWithOptions,
  promisify,
  callbackify,
  inherits,
  deprecate,
  isDeepStrictEqual,
  debuglog,
  debug,
  toUSVString,
  stripVTControlCharacters,
  getSystemErrorName,
  aborted,
  TextEncoder,
  TextDecoder,
  types,
  isArray,
  isBoolean,
  isBuffer,
  isDate,
  isError,
  isFunction,
  isNull,
  isNullOrUndefined,
  isNumber,
  isObject,
  isPrimitive,
  isRegExp,
  isString,
  isSymbol,
  isUndefined,
}
