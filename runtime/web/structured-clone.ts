// structuredClone (HTML Standard) for the data a server passes around: primitives,
// plain objects and arrays (holes and extra keys kept), Date, RegExp, Map, Set,
// ArrayBuffer and its views (shared buffers stay shared), boxed primitives and
// Errors, with cycles. Functions, symbols and objects with hidden state (Promise,
// WeakMap, ...) throw DataCloneError with Node's message. Other objects, class
// instances included, become plain objects of their own enumerable properties,
// as in Node. A `transfer` list is accepted but copies instead of detaching: the
// engine has no ArrayBuffer.prototype.transfer, so JavaScript cannot detach a buffer.
import { domExceptionClass } from './dom-exception-class.ts'

/* eslint-disable @typescript-eslint/no-explicit-any */

const errorTypes: Record<string, ErrorConstructor | undefined> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
}
const uncloneable = ['Promise', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'Generator', 'AsyncGenerator']
const toString = Object.prototype.toString

function fail(what: string): never {
  throw new (domExceptionClass())(`${what} could not be cloned.`, 'DataCloneError')
}

function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false })
}

function clone(value: any, memory: Map<object, unknown>): unknown {
  if (typeof value === 'symbol') fail(String(value))
  if (typeof value === 'function') fail(Function.prototype.toString.call(value))
  if (value === null || typeof value !== 'object') return value
  const seen = memory.get(value)
  if (seen !== undefined) return seen

  const tag = toString.call(value).slice(8, -1)
  let out: any
  switch (tag) {
    case 'Date':
      out = new Date(value.getTime())
      break
    case 'RegExp':
      out = new RegExp(value.source, value.flags)
      break
    case 'Boolean':
    case 'Number':
    case 'String':
    case 'BigInt':
      out = Object(value.valueOf())
      break
    case 'ArrayBuffer':
      out = value.slice(0)
      break
    case 'Map':
      out = new Map()
      memory.set(value, out)
      for (const [k, v] of value) out.set(clone(k, memory), clone(v, memory))
      return out
    case 'Set':
      out = new Set()
      memory.set(value, out)
      for (const v of value) out.add(clone(v, memory))
      return out
    case 'Error':
      return cloneError(value, memory)
    case 'Array':
      out = new Array(value.length)
      break
    default:
      if (ArrayBuffer.isView(value)) {
        const view = value as ArrayBufferView & { length?: number }
        const buffer = clone(view.buffer, memory) as ArrayBuffer
        const Ctor = view.constructor as new (b: ArrayBuffer, offset: number, length: number) => unknown
        out = tag === 'DataView' ? new DataView(buffer, view.byteOffset, view.byteLength) : new Ctor(buffer, view.byteOffset, view.length!)
        break
      }
      if (uncloneable.indexOf(tag) >= 0) fail(`#<${tag}>`)
      out = {}
  }
  memory.set(value, out)
  if (tag === 'Array' || out.constructor === Object) {
    for (const key of Object.keys(value)) out[key] = clone(value[key], memory)
  }
  return out
}

function cloneError(value: any, memory: Map<object, unknown>): unknown {
  const name = String(value.name)
  const Ctor = (Object.prototype.hasOwnProperty.call(errorTypes, name) && errorTypes[name]) || Error
  const out = Object.create(Ctor.prototype)
  memory.set(value, out)
  const own = (key: string) => Object.prototype.hasOwnProperty.call(value, key)
  if (own('message')) define(out, 'message', String(value.message))
  if (typeof value.stack === 'string') define(out, 'stack', value.stack)
  if (own('cause')) define(out, 'cause', clone(value.cause, memory))
  return out
}

export function structuredClone<T>(value: T, options?: { transfer?: unknown }): T {
  if (arguments.length === 0) throw new TypeError('The value argument must be specified')
  const transfer = options?.transfer
  if (transfer !== undefined && (transfer === null || typeof (transfer as any)[Symbol.iterator] !== 'function')) {
    throw new TypeError('Optional transferList argument must be an iterable')
  }
  return clone(value, new Map()) as T
}
