// WebIDL conversions for SubtleCrypto's arguments and algorithm dictionaries, as the Web
// Crypto spec declares them, with the TypeError messages Node gives for the same mistakes
// ("Failed to execute 'sign' on 'SubtleCrypto': 3rd argument is not instance of ...").
// Dictionaries read their members in name order, as WebIDL says, so the first missing or
// wrong member is the one Node names too.
import type { CryptoKey } from './crypto-key.ts'
import { isCryptoKey } from './crypto-key.ts'

export interface Where {
  /** "Failed to execute 'sign' on 'SubtleCrypto'" or "Failed to normalize algorithm". */
  prefix: string
  /** "3rd argument", "'iv' of 'AesGcmParams' (passed algorithm)". */
  context: string
}

export type Converter<T = unknown> = (value: unknown, where: Where) => T

export function idlError(message: string, where: Where): TypeError {
  return new TypeError(`${where.prefix}: ${where.context ? where.context + ' ' : ''}${message}`)
}

export function requiredArguments(present: number, required: number, prefix: string): void {
  if (present < required) {
    throw idlError(`${required} argument${required === 1 ? '' : 's'} required, but only ${present} present.`, { prefix, context: '' })
  }
}

const ordinals = ['1st', '2nd', '3rd', '4th', '5th', '6th', '7th']
/** The context of the nth (1-based) argument of a SubtleCrypto method. */
export function argument(method: string, n: number): Where {
  return { prefix: `Failed to execute '${method}' on 'SubtleCrypto'`, context: `${ordinals[n - 1]} argument` }
}

function isSharedBuffer(buffer: unknown): boolean {
  return typeof SharedArrayBuffer === 'function' && buffer instanceof SharedArrayBuffer
}

/** BufferSource, as a Uint8Array over the same memory (callers use it before returning). */
export const bufferSource: Converter<Uint8Array> = (value, where) => {
  if (ArrayBuffer.isView(value)) {
    if (isSharedBuffer(value.buffer)) throw idlError('is a view on a SharedArrayBuffer, which is not allowed.', where)
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
  }
  if (value instanceof ArrayBuffer) return new Uint8Array(value)
  throw idlError('is not instance of ArrayBuffer, Buffer, TypedArray, or DataView.', where)
}

/** A copy of the bytes, for what a key or a normalized algorithm keeps. */
export function copyOf(bytes: Uint8Array): Uint8Array {
  return bytes.slice()
}

export const bigInteger: Converter<Uint8Array> = (value, where) => {
  if (!(value instanceof Uint8Array)) throw idlError('is not an Uint8Array object.', where)
  if (isSharedBuffer(value.buffer)) throw idlError('is a view on a SharedArrayBuffer, which is not allowed.', where)
  return value
}

function toNumber(value: unknown, where: Where): number {
  if (typeof value === 'bigint') throw idlError('is a BigInt and cannot be converted to a number.', where)
  if (typeof value === 'symbol') throw idlError('is a Symbol and cannot be converted to a number.', where)
  return Number(value)
}

/** [EnforceRange] unsigned integers of 8, 16 and 32 bits. */
export function enforceRange(bits: 8 | 16 | 32): Converter<number> {
  const max = 2 ** bits - 1
  return (value, where) => {
    const x = toNumber(value, where)
    if (!Number.isFinite(x)) throw idlError('is not a finite number.', where)
    const n = Math.trunc(x)
    if (n < 0 || n > max) throw idlError(`is outside the expected range of 0 to ${max}.`, where)
    return n === 0 ? 0 : n
  }
}

/** unsigned long without [EnforceRange]: modulo 2^32, NaN and infinities are 0. */
export const unsignedLong: Converter<number> = (value, where) => {
  const x = toNumber(value, where)
  if (!Number.isFinite(x) || x === 0) return 0
  const n = Math.trunc(x)
  return n >= 0 && n <= 0xffffffff ? n : ((n % 2 ** 32) + 2 ** 32) % 2 ** 32
}

export const domString: Converter<string> = (value, where) => {
  if (typeof value === 'symbol') throw idlError('is a Symbol and cannot be converted to a string.', where)
  return String(value)
}

export const boolean: Converter<boolean> = (value) => !!value

export function enumeration<T extends string>(name: string, values: readonly T[]): Converter<T> {
  return (value, where) => {
    const s = String(value)
    if (values.indexOf(s as T) < 0) throw idlError(`value '${s}' is not a valid enum value of type ${name}.`, where)
    return s as T
  }
}

export function sequence<T>(item: Converter<T>): Converter<T[]> {
  return (value, where) => {
    const iterator =
      value !== null && (typeof value === 'object' || typeof value === 'function') ? (value as any)[Symbol.iterator] : undefined
    if (typeof iterator !== 'function') throw idlError('can not be converted to sequence.', where)
    const out: T[] = []
    for (const v of value as Iterable<unknown>) out.push(item(v, { ...where, context: `${where.context}, index ${out.length}` }))
    return out
  }
}

export const cryptoKey: Converter<CryptoKey> = (value, where) => {
  if (!isCryptoKey(value)) throw idlError('is not of type CryptoKey.', where)
  return value
}

/** (object or DOMString), as AlgorithmIdentifier and HashAlgorithmIdentifier are. */
export const algorithmIdentifier: Converter<object | string> = (value, where) =>
  value !== null && (typeof value === 'object' || typeof value === 'function') ? (value as object) : domString(value, where)

export interface Member {
  key: string
  convert: Converter
  required?: boolean
}

export type Dictionary = (value: unknown, where: Where) => Record<string, any>

/** A dictionary type: its members (inherited ones included) are read in name order. */
export function dictionary(name: string, members: Member[]): Dictionary {
  const sorted = members.slice().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return (value, where) => {
    if (value !== undefined && value !== null && typeof value !== 'object' && typeof value !== 'function') {
      throw idlError('can not be converted to a dictionary', where)
    }
    const out: Record<string, any> = {}
    for (const m of sorted) {
      const v = value == null ? undefined : (value as any)[m.key]
      if (v !== undefined) {
        out[m.key] = m.convert(v, { prefix: where.prefix, context: `'${m.key}' of '${name}'${where.context ? ` (${where.context})` : ''}` })
      } else if (m.required) {
        throw idlError(`can not be converted to '${name}' because '${m.key}' is required in '${name}'.`, where)
      }
    }
    return out
  }
}

const jwkString = (key: string): Member => ({ key, convert: domString })

export const jsonWebKey = dictionary('JsonWebKey', [
  ...['kty', 'use', 'alg', 'crv', 'x', 'y', 'd', 'n', 'e', 'p', 'q', 'dp', 'dq', 'qi', 'k'].map(jwkString),
  { key: 'key_ops', convert: sequence(domString) },
  { key: 'ext', convert: boolean },
  { key: 'oth', convert: sequence(dictionary('RsaOtherPrimesInfo', ['r', 'd', 't'].map(jwkString))) },
])
