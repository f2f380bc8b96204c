// node:crypto, the part database and cache drivers use: createHash and createHmac (md5,
// sha1, sha256, sha384, sha512 on @noble/hashes, bundled only into functions that import
// this), randomBytes, randomUUID, randomInt, timingSafeEqual, pbkdf2/pbkdf2Sync, and
// webcrypto/subtle (the runtime's Web Crypto, with PBKDF2 added where it lacks it, which
// PostgreSQL's SCRAM login needs). Ciphers, signatures, key objects and the rest are not
// here: they throw, saying to use crypto.subtle.
import { md5, sha1 } from '@noble/hashes/legacy.js'
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js'
import { hmac } from '@noble/hashes/hmac.js'
import { pbkdf2 as noblePbkdf2 } from '@noble/hashes/pbkdf2.js'
import { Buffer } from './buffer.ts'
import { subtleWithPbkdf2 } from './internal/webcrypto-pbkdf2.ts'

type Input = string | ArrayBufferView | ArrayBuffer
type Hash = typeof sha256
const hashes = { md5, sha1, sha256, sha384, sha512 } as unknown as Record<string, Hash>
const aliases: Record<string, string> = { 'sha-1': 'sha1', 'sha-256': 'sha256', 'sha-384': 'sha384', 'sha-512': 'sha512', rsa_sha256: 'sha256' }

function hashOf(algorithm: string): Hash {
  const name = String(algorithm).toLowerCase()
  const h = hashes[aliases[name] ?? name]
  if (!h) throw Object.assign(new Error(`Digest method not supported: ${algorithm} (scratchfn's node:crypto has md5, sha1, sha256, sha384, sha512)`), { code: 'ERR_CRYPTO_INVALID_DIGEST' })
  return h
}

function bytes(data: Input, encoding?: BufferEncoding): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, encoding ?? 'utf8')
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

function output(digest: Uint8Array, encoding?: BufferEncoding): Buffer | string {
  const buf = Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength)
  return encoding === undefined || (encoding as string) === 'buffer' ? buf : buf.toString(encoding)
}

class Digest {
  #state: { update(b: Uint8Array): unknown; digest(): Uint8Array }
  #done = false
  constructor(state: { update(b: Uint8Array): unknown; digest(): Uint8Array }) {
    this.#state = state
  }
  update(data: Input, encoding?: BufferEncoding): this {
    if (this.#done) throw Object.assign(new Error('Digest already called'), { code: 'ERR_CRYPTO_HASH_FINALIZED' })
    this.#state.update(bytes(data, encoding))
    return this
  }
  digest(encoding?: BufferEncoding): Buffer | string {
    if (this.#done) throw Object.assign(new Error('Digest already called'), { code: 'ERR_CRYPTO_HASH_FINALIZED' })
    this.#done = true
    return output(this.#state.digest(), encoding)
  }
}

export class Hash_ extends Digest {}
export class Hmac extends Digest {}

export function createHash(algorithm: string): Digest {
  return new Digest(hashOf(algorithm).create())
}

export function createHmac(algorithm: string, key: Input): Digest {
  return new Digest(hmac.create(hashOf(algorithm), bytes(key)))
}

export function getHashes(): string[] {
  return Object.keys(hashes)
}

export function randomBytes(size: number, cb?: (err: Error | null, buf: Buffer) => void): Buffer {
  const buf = Buffer.alloc(size)
  for (let i = 0; i < size; i += 65536) globalThis.crypto.getRandomValues(buf.subarray(i, Math.min(size, i + 65536)))
  if (cb) globalThis.process.nextTick(() => cb(null, buf))
  return buf
}

export const randomUUID = (): string => globalThis.crypto.randomUUID()
export const getRandomValues = <T extends ArrayBufferView>(view: T): T => globalThis.crypto.getRandomValues(view as never) as T

export function randomInt(min: number, max?: number, cb?: (err: Error | null, n: number) => void): number {
  if (max === undefined || typeof max === 'function') {
    cb = max as never
    max = min
    min = 0
  }
  const range = max - min
  if (!Number.isSafeInteger(range) || range <= 0) throw new RangeError(`The value of "max" is out of range. It must be greater than the value of "min" (${min}). Received ${max}`)
  const limit = 2 ** 48 - (2 ** 48 % range)
  let n: number
  do {
    const b = randomBytes(6)
    n = b.readUIntBE(0, 6)
  } while (n >= limit)
  const value = min + (n % range)
  if (cb) globalThis.process.nextTick(() => cb!(null, value))
  return value
}

export function timingSafeEqual(a: ArrayBufferView, b: ArrayBufferView): boolean {
  const x = bytes(a)
  const y = bytes(b)
  if (x.byteLength !== y.byteLength) throw Object.assign(new RangeError('Input buffers must have the same byte length'), { code: 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH' })
  let diff = 0
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i]
  return diff === 0
}

export function pbkdf2Sync(password: Input, salt: Input, iterations: number, keylen: number, digest: string): Buffer {
  const key = noblePbkdf2(hashOf(digest), bytes(password), bytes(salt), { c: iterations, dkLen: keylen })
  return output(key) as Buffer
}

export function pbkdf2(password: Input, salt: Input, iterations: number, keylen: number, digest: string, cb: (err: Error | null, key?: Buffer) => void): void {
  let key: Buffer
  try {
    key = pbkdf2Sync(password, salt, iterations, keylen, digest)
  } catch (err) {
    return globalThis.process.nextTick(() => cb(err as Error))
  }
  globalThis.process.nextTick(() => cb(null, key))
}

export const subtle: SubtleCrypto = subtleWithPbkdf2
export const webcrypto = {
  subtle,
  getRandomValues,
  randomUUID,
  CryptoKey: (globalThis as { CryptoKey?: unknown }).CryptoKey,
}

function unsupported(name: string): () => never {
  return () => {
    throw Object.assign(new Error(`crypto.${name} is not available in scratchfn's node:crypto: use crypto.subtle (Web Crypto)`), { code: 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM' })
  }
}

export const createCipheriv = unsupported('createCipheriv')
export const createDecipheriv = unsupported('createDecipheriv')
export const createSign = unsupported('createSign')
export const createVerify = unsupported('createVerify')
export const createPrivateKey = unsupported('createPrivateKey')
export const createPublicKey = unsupported('createPublicKey')
export const createSecretKey = unsupported('createSecretKey')
export const generateKeyPairSync = unsupported('generateKeyPairSync')
export const generateKeyPair = unsupported('generateKeyPair')
export const scryptSync = unsupported('scryptSync')
export const scrypt = unsupported('scrypt')
export const publicEncrypt = unsupported('publicEncrypt')
export const privateDecrypt = unsupported('privateDecrypt')
export const getCiphers = (): string[] => []
export const constants = {}

export default {
  createHash,
  createHmac,
  getHashes,
  randomBytes,
  randomUUID,
  randomInt,
  getRandomValues,
  timingSafeEqual,
  pbkdf2,
  pbkdf2Sync,
  subtle,
  webcrypto,
  createCipheriv,
  createDecipheriv,
  createSign,
  createVerify,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  generateKeyPair,
  scryptSync,
  scrypt,
  publicEncrypt,
  privateDecrypt,
  getCiphers,
  constants,
}
