// randomBytes, randomFill(Sync), randomInt, randomUUID and getRandomValues, on the core's
// getrandom(2) (the same source as crypto.getRandomValues; at most 64 KiB a call).
import { Buffer } from '../buffer.ts'
import { invalidArgType, outOfRange, validateFunction } from '../internal/errors.ts'
import { core } from '../internal/natives.ts'
import { binaryTypes, isAnyArrayBuffer, isView, viewBytes } from './util.ts'

const kMaxLength = 2 ** 31 - 1

function fill(bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; at += 65536) core.getRandom(bytes.subarray(at, Math.min(bytes.length, at + 65536)))
}

function checkSize(size: unknown): number {
  if (typeof size !== 'number') throw invalidArgType('size', 'number', size)
  if (!(size >= 0 && size <= kMaxLength)) throw outOfRange('size', `>= 0 && <= ${kMaxLength}`, size)
  return size
}

export function randomBytes(size: unknown, callback?: unknown): Buffer | undefined {
  const n = checkSize(size)
  if (callback !== undefined) validateFunction(callback, 'callback')
  const buf = Buffer.alloc(Math.floor(n))
  fill(buf)
  if (callback === undefined) return buf
  setTimeout(() => (callback as (e: null, b: Buffer) => void)(null, buf), 0)
  return undefined
}

function fillTarget(buf: unknown): Uint8Array {
  if (isView(buf)) return viewBytes(buf)
  if (isAnyArrayBuffer(buf)) return new Uint8Array(buf)
  throw invalidArgType('buf', binaryTypes, buf)
}

function range(bytes: Uint8Array, offset: unknown, size: unknown): Uint8Array {
  const elementSize = 1
  const max = bytes.length
  let o = 0
  if (offset !== undefined) {
    if (typeof offset !== 'number') throw invalidArgType('offset', 'number', offset)
    if (!(offset >= 0 && offset <= max) || !Number.isInteger(offset)) throw outOfRange('offset', `>= 0 && <= ${max}`, offset)
    o = offset * elementSize
  }
  let n = max - o
  if (size !== undefined) {
    if (typeof size !== 'number') throw invalidArgType('size', 'number', size)
    if (!(size >= 0 && size <= max - o)) throw outOfRange('size', `>= 0 && <= ${max - o}`, size)
    n = size
  }
  return bytes.subarray(o, o + n)
}

export function randomFillSync<T>(buf: T, offset?: unknown, size?: unknown): T {
  fill(range(fillTarget(buf), offset, size))
  return buf
}

export function randomFill(buf: unknown, offset?: unknown, size?: unknown, callback?: unknown): void {
  const bytes = fillTarget(buf)
  let cb = callback
  if (typeof offset === 'function') ((cb = offset), (offset = undefined), (size = undefined))
  else if (typeof size === 'function') ((cb = size), (size = undefined))
  validateFunction(cb, 'callback')
  fill(range(bytes, offset, size))
  setTimeout(() => (cb as (e: null, b: unknown) => void)(null, buf), 0)
}

// randomInt draws 48 bits at a time and rejects the top, unevenly covered, part (Node's way).
const RAND_MAX = 0xffff_ffff_ffff
const pool = new Uint8Array(6 * 1024)
let poolAt = pool.length

function next48(): number {
  if (poolAt === pool.length) {
    core.getRandom(pool)
    poolAt = 0
  }
  const b = pool
  const i = poolAt
  poolAt += 6
  return b[i] * 2 ** 40 + b[i + 1] * 2 ** 32 + b[i + 2] * 2 ** 24 + b[i + 3] * 2 ** 16 + b[i + 4] * 2 ** 8 + b[i + 5]
}

export function randomInt(min: unknown, max?: unknown, callback?: unknown): number | undefined {
  const minNotSpecified = typeof max === 'undefined' || typeof max === 'function'
  if (minNotSpecified) ((callback = max), (max = min), (min = 0))
  const isSync = typeof callback === 'undefined'
  if (!isSync) validateFunction(callback, 'callback')
  if (!Number.isSafeInteger(min)) throw invalidArgType('min', 'a safe integer', min)
  if (!Number.isSafeInteger(max)) throw invalidArgType('max', 'a safe integer', max)
  const lo = min as number
  const hi = max as number
  if (hi <= lo) {
    throw outOfRange('max', `greater than the value of "min" (${lo})`, hi)
  }
  const span = hi - lo
  if (!(span <= RAND_MAX)) throw outOfRange(`max${minNotSpecified ? '' : ' - min'}`, `<= ${RAND_MAX}`, span)
  const limit = RAND_MAX - (RAND_MAX % span)
  let x = next48()
  while (x >= limit) x = next48()
  const n = lo + (x % span)
  if (isSync) return n
  setTimeout(() => (callback as (e: undefined, n: number) => void)(undefined, n), 0)
  return undefined
}

export function randomUUID(options?: unknown): string {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw invalidArgType('options', 'object', options)
  return globalThis.crypto.randomUUID()
}

export function getRandomValues<T extends ArrayBufferView>(array: T): T {
  return globalThis.crypto.getRandomValues(array as ArrayBufferView as Uint8Array) as ArrayBufferView as T
}

