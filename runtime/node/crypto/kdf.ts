// pbkdf2, hkdf and scrypt with their Sync forms, on the core's (crypto-kdf.c; PBKDF2 and
// HKDF are the ones crypto.subtle derives with).
import { Buffer } from '../buffer.ts'
import { invalidArgType, outOfRange, validateFunction } from '../internal/errors.ts'
import { binaryTypes, cryptoError, digestBytes, digestOf, invalidDigest, later, native, secretKeyBytes, toBytes } from './util.ts'

const kMaxInt32 = 2 ** 31 - 1

function byteSource(value: unknown, name: string): Uint8Array {
  if (typeof value === 'string' || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return toBytes(value, name)
  throw invalidArgType(name, ['string', ...binaryTypes], value)
}

function int32(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value)
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value)
  if (value < min || value > kMaxInt32) throw outOfRange(name, `>= ${min} && <= ${kMaxInt32}`, value)
  return value
}

function pbkdf2Job(password: unknown, salt: unknown, iterations: unknown, keylen: unknown, digest: unknown): () => Buffer {
  if (typeof digest !== 'string') throw invalidArgType('digest', 'string', digest)
  const p = byteSource(password, 'password')
  const s = byteSource(salt, 'salt')
  const n = int32(iterations, 'iterations', 1)
  const len = int32(keylen, 'keylen', 0)
  const d = digestOf(digest)
  if (!d) throw invalidDigest(digest)
  return () => Buffer.from(native().pbkdf2(d, p, s, n, len))
}

export function pbkdf2Sync(password: unknown, salt: unknown, iterations: unknown, keylen: unknown, digest: unknown): Buffer {
  return pbkdf2Job(password, salt, iterations, keylen, digest)()
}

export function pbkdf2(password: unknown, salt: unknown, iterations: unknown, keylen: unknown, digest: unknown, callback: unknown): void {
  if (typeof digest === 'function') ((callback = digest), (digest = undefined))
  const job = pbkdf2Job(password, salt, iterations, keylen, digest)
  validateFunction(callback, 'callback')
  later(callback as (e: Error | null, r?: Buffer) => void, job)
}

function hkdfJob(digest: unknown, ikm: unknown, salt: unknown, info: unknown, keylen: unknown): () => ArrayBuffer {
  if (typeof digest !== 'string') throw invalidArgType('digest', 'string', digest)
  const key = secretKeyBytes(ikm) ?? byteSource(ikm, 'ikm')
  const s = byteSource(salt, 'salt')
  const i = byteSource(info, 'info')
  if (typeof keylen !== 'number') throw invalidArgType('length', 'number', keylen)
  if (!Number.isInteger(keylen)) throw outOfRange('length', 'an integer', keylen)
  if (keylen < 0 || keylen > 2 ** 32) throw outOfRange('length', `>= 0 && <= ${2 ** 32}`, keylen)
  if (i.length > 1024) throw outOfRange('info', 'must not contain more than 1024 bytes', i.length)
  const d = digestOf(digest)
  if (!d) throw invalidDigest(digest)
  if (keylen > 255 * digestBytes[d]) throw cryptoError('ERR_CRYPTO_INVALID_KEYLEN', 'Invalid key length', RangeError)
  return () => native().hkdf(d, key, s, i, keylen)
}

export function hkdfSync(digest: unknown, ikm: unknown, salt: unknown, info: unknown, keylen: unknown): ArrayBuffer {
  return hkdfJob(digest, ikm, salt, info, keylen)()
}

export function hkdf(digest: unknown, ikm: unknown, salt: unknown, info: unknown, keylen: unknown, callback: unknown): void {
  const job = hkdfJob(digest, ikm, salt, info, keylen)
  validateFunction(callback, 'callback')
  later(callback as (e: Error | null, r?: ArrayBuffer) => void, job)
}

interface ScryptParams {
  N: number
  r: number
  p: number
  maxmem: number
}

function invalidScrypt(reason?: string): Error {
  return cryptoError('ERR_CRYPTO_INVALID_SCRYPT_PARAMS', `Invalid scrypt params${reason ? `: ${reason}` : ''}`, RangeError)
}

function scryptParams(options: unknown): ScryptParams {
  const o = (options ?? {}) as Record<string, unknown>
  if (typeof o !== 'object') throw invalidArgType('options', 'object', options)
  const pick = (long: string, short: string, fallback: number): number => {
    const a = o[long]
    const b = o[short]
    if (a !== undefined && b !== undefined) throw cryptoError('ERR_INCOMPATIBLE_OPTION_PAIR', `Option "${long}" cannot be used in combination with option "${short}"`, TypeError)
    const v = a ?? b
    if (v === undefined) return fallback
    if (typeof v !== 'number') throw invalidArgType(a !== undefined ? long : short, 'number', v)
    return v
  }
  const N = pick('cost', 'N', 16384)
  const r = pick('blockSize', 'r', 8)
  const p = pick('parallelization', 'p', 1)
  const maxmem = typeof o.maxmem === 'number' ? o.maxmem : 32 << 20
  // OpenSSL's checks: N a power of two above 1, and the memory the mix takes within maxmem.
  if (!(N > 1 && (N & (N - 1)) === 0) || !(r >= 1) || !(p >= 1) || !Number.isInteger(r) || !Number.isInteger(p)) throw invalidScrypt()
  if (p * r > 2 ** 30 - 1) throw invalidScrypt()
  if (128 * N * r + 128 * r * p + 256 * r > maxmem) throw invalidScrypt('error:030000AC:digital envelope routines::memory limit exceeded')
  return { N, r, p, maxmem }
}

function scryptJob(password: unknown, salt: unknown, keylen: unknown, options: unknown): () => Buffer {
  const pw = byteSource(password, 'password')
  const s = byteSource(salt, 'salt')
  const len = int32(keylen, 'keylen', 0)
  const { N, r, p } = scryptParams(options)
  return () => Buffer.from(native().scrypt(pw, s, N, r, p, len))
}

export function scryptSync(password: unknown, salt: unknown, keylen: unknown, options?: unknown): Buffer {
  return scryptJob(password, salt, keylen, options)()
}

export function scrypt(password: unknown, salt: unknown, keylen: unknown, options: unknown, callback?: unknown): void {
  if (typeof options === 'function') ((callback = options), (options = undefined))
  const job = scryptJob(password, salt, keylen, options)
  validateFunction(callback, 'callback')
  later(callback as (e: Error | null, r?: Buffer) => void, job)
}
