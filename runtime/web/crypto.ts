// Web Crypto, the part servers use: crypto.getRandomValues and randomUUID on the
// core's getrandom(2), and crypto.subtle with SHA-1/256/384/512 digests and HMAC
// keys (import raw or JWK, generate, export, sign, verify). That covers Hono's
// etag, basicAuth, signed cookies and HS256/384/512 JWTs. Other algorithms reject
// with NotSupportedError; errors use Node's names and messages.
import { atob, btoa } from './base64.ts'
import { core } from './core.ts'
import type { HashName } from './crypto-hashes.ts'
import { DOMException } from './dom-exception.ts'

/* eslint-disable @typescript-eslint/no-explicit-any */

type Hashes = typeof import('./crypto-hashes.ts')
let hashModule: Hashes | undefined
// @noble/hashes is a lazy builtin with its own bytecode (scripts/runtime/lazy-builtins.ts):
// it is read and run on the first digest, not at every process start.
function hashes(): Hashes {
  return (hashModule ??= core.loadBuiltin('hashes') as Hashes)
}

const kCreate = Symbol('create')
const kBytes = Symbol('bytes')
const inspectCustom = Symbol.for('nodejs.util.inspect.custom')
const blockBits: Record<HashName, number> = { 'SHA-1': 512, 'SHA-256': 512, 'SHA-384': 1024, 'SHA-512': 1024 }
const usagesHmac = ['sign', 'verify']

function algorithmName(algorithm: unknown): string {
  const name = typeof algorithm === 'string' ? algorithm : (algorithm as { name?: unknown } | null)?.name
  if (typeof name !== 'string') throw new TypeError('Algorithm: name: Missing or not a string')
  return name.toUpperCase()
}

function hashName(algorithm: unknown): HashName {
  const name = algorithmName(algorithm)
  if (name in blockBits) return name as HashName
  throw new DOMException('Unrecognized algorithm name', 'NotSupportedError')
}

function hmacOnly(name: string): void {
  if (name !== 'HMAC')
    throw new DOMException(`${name} is not supported here: crypto.subtle implements digests and HMAC only`, 'NotSupportedError')
}

function bytesOf(data: unknown, method: string, nth: string): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0))
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength))
  throw new TypeError(
    `Failed to execute '${method}' on 'SubtleCrypto': ${nth} argument is not instance of ArrayBuffer, Buffer, TypedArray, or DataView.`,
  )
}

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
}

function base64url(bytes: Uint8Array): string {
  return btoa(core.latin1Decode(bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

function jwkAlg(hash: HashName): string {
  return hash === 'SHA-1' ? 'HS1' : 'HS' + hash.slice(4)
}

interface HmacAlgorithm {
  name: 'HMAC'
  hash: { name: HashName }
  length: number
}

export class CryptoKey {
  #algorithm: HmacAlgorithm
  #extractable: boolean
  #usages: string[]
  #bytes: Uint8Array

  constructor(key: unknown, algorithm: HmacAlgorithm, extractable: boolean, usages: string[], bytes: Uint8Array) {
    if (key !== kCreate) throw new TypeError('Illegal constructor')
    this.#algorithm = algorithm
    this.#extractable = extractable
    this.#usages = usages
    this.#bytes = bytes
  }
  get type(): string {
    return 'secret'
  }
  get extractable(): boolean {
    return this.#extractable
  }
  get algorithm(): HmacAlgorithm {
    return this.#algorithm
  }
  get usages(): string[] {
    return this.#usages
  }
  [kBytes](): Uint8Array {
    return this.#bytes
  }
  // What console.log shows, as in Node.
  [inspectCustom](depth: number, options: { depth?: number }, inspect: (v: unknown, o: object) => string): unknown {
    if (depth < 0) return this
    const fields = { type: this.type, extractable: this.#extractable, algorithm: this.#algorithm, usages: this.#usages }
    return `CryptoKey ${inspect(fields, { ...options, depth: (options.depth ?? 2) - 1 })}`
  }
}
Object.defineProperty(CryptoKey.prototype, Symbol.toStringTag, { value: 'CryptoKey', configurable: true })

function checkUsages(usages: unknown): string[] {
  const list = Array.from(usages as Iterable<unknown>, String)
  for (const u of list) if (usagesHmac.indexOf(u) < 0) throw new DOMException('Unsupported key usage for an HMAC key', 'SyntaxError')
  if (list.length === 0) throw new DOMException('Usages cannot be empty when importing a secret key.', 'SyntaxError')
  return list.filter((u, i) => list.indexOf(u) === i)
}

function hmacKey(algorithm: any, bytes: Uint8Array, extractable: boolean, usages: unknown, order: 'import' | 'generate'): CryptoKey {
  hmacOnly(algorithmName(algorithm))
  if (algorithm.hash === undefined) {
    throw new TypeError(
      "Failed to normalize algorithm: passed algorithm can not be converted to 'HmacImportParams' because 'hash' is required in 'HmacImportParams'.",
    )
  }
  const hash = { name: hashName(algorithm.hash) }
  const list = checkUsages(usages)
  if (bytes.length === 0) throw new DOMException('Zero-length key is not supported', 'DataError')
  const length = bytes.length * 8
  // Node accepts only the key's exact size, not the standard's "within the last byte".
  if (algorithm.length !== undefined && Number(algorithm.length) !== length) throw new DOMException('Invalid key length', 'DataError')
  // Node lists the members in this order for each operation; keep it so logs match.
  const alg = (order === 'import' ? { name: 'HMAC', hash, length } : { name: 'HMAC', length, hash }) as HmacAlgorithm
  return new CryptoKey(kCreate, alg, !!extractable, list, bytes)
}

function usableKey(key: unknown, algorithm: unknown, usage: string): CryptoKey {
  if (!(key instanceof CryptoKey)) throw new TypeError('The "key" argument must be an instance of CryptoKey.')
  if (algorithmName(algorithm) !== key.algorithm.name)
    throw new DOMException('The requested operation is not valid for the provided key', 'InvalidAccessError')
  if (key.usages.indexOf(usage) < 0) throw new DOMException(`Unable to use this key to ${usage}`, 'InvalidAccessError')
  return key
}

function notSupported(operation: string) {
  return async (): Promise<never> => {
    throw new DOMException(
      `crypto.subtle.${operation} is not supported here: crypto.subtle implements digests and HMAC only`,
      'NotSupportedError',
    )
  }
}

export class SubtleCrypto {
  constructor(key?: unknown) {
    if (key !== kCreate) throw new TypeError('Illegal constructor')
  }

  async digest(algorithm: unknown, data: unknown): Promise<ArrayBuffer> {
    const bytes = bytesOf(data, 'digest', '2nd')
    return arrayBufferOf(hashes().digest(hashName(algorithm), bytes))
  }

  async importKey(format: string, keyData: any, algorithm: any, extractable: boolean, usages: string[]): Promise<CryptoKey> {
    hmacOnly(algorithmName(algorithm))
    if (format === 'raw') return hmacKey(algorithm, bytesOf(keyData, 'importKey', '2nd'), extractable, usages, 'import')
    if (format !== 'jwk') throw new DOMException(`Unable to import an HMAC key with format ${String(format)}`, 'NotSupportedError')
    if (keyData === null || typeof keyData !== 'object' || keyData.kty !== 'oct' || typeof keyData.k !== 'string') {
      throw new DOMException('Invalid keyData: an HMAC JWK needs kty "oct" and a string k', 'DataError')
    }
    if (keyData.alg !== undefined && keyData.alg !== jwkAlg(hashName(algorithm.hash ?? ''))) {
      throw new DOMException('JWK "alg" does not match the requested algorithm', 'DataError')
    }
    if (keyData.ext === false && extractable) throw new DOMException('JWK "ext" Parameter and extractable mismatch', 'DataError')
    return hmacKey(algorithm, fromBase64url(keyData.k), extractable, usages, 'import')
  }

  async generateKey(algorithm: any, extractable: boolean, usages: string[]): Promise<CryptoKey> {
    hmacOnly(algorithmName(algorithm))
    const hash = hashName(algorithm.hash ?? '')
    const bits = algorithm.length === undefined ? blockBits[hash] : Number(algorithm.length)
    if (!(bits > 0)) throw new DOMException('Invalid key length', 'OperationError')
    const bytes = new Uint8Array(Math.ceil(bits / 8))
    core.getRandom(bytes)
    return hmacKey({ name: 'HMAC', hash, length: bits }, bytes, extractable, usages, 'generate')
  }

  async exportKey(format: string, key: CryptoKey): Promise<ArrayBuffer | JsonWebKey> {
    if (!(key instanceof CryptoKey)) throw new TypeError('The "key" argument must be an instance of CryptoKey.')
    if (!key.extractable) throw new DOMException('key is not extractable', 'InvalidAccessError')
    const bytes = key[kBytes]()
    if (format === 'raw') return arrayBufferOf(bytes.slice())
    if (format !== 'jwk') throw new DOMException(`Unable to export an HMAC key with format ${String(format)}`, 'NotSupportedError')
    return { key_ops: key.usages.slice(), ext: true, kty: 'oct', k: base64url(bytes), alg: jwkAlg(key.algorithm.hash.name) }
  }

  async sign(algorithm: unknown, key: CryptoKey, data: unknown): Promise<ArrayBuffer> {
    const k = usableKey(key, algorithm, 'sign')
    return arrayBufferOf(hashes().mac(k.algorithm.hash.name, k[kBytes](), bytesOf(data, 'sign', '3rd')))
  }

  async verify(algorithm: unknown, key: CryptoKey, signature: unknown, data: unknown): Promise<boolean> {
    const k = usableKey(key, algorithm, 'verify')
    const expected = hashes().mac(k.algorithm.hash.name, k[kBytes](), bytesOf(data, 'verify', '4th'))
    const given = bytesOf(signature, 'verify', '3rd')
    // Constant time in the signature's content, so a forger learns nothing from timing.
    let diff = expected.length ^ given.length
    for (let i = 0; i < expected.length; i++) diff |= expected[i] ^ (given[i] ?? 0)
    return diff === 0
  }
}
for (const operation of ['encrypt', 'decrypt', 'deriveBits', 'deriveKey', 'wrapKey', 'unwrapKey']) {
  Object.defineProperty(SubtleCrypto.prototype, operation, { value: notSupported(operation), writable: true, configurable: true })
}
Object.defineProperty(SubtleCrypto.prototype, Symbol.toStringTag, { value: 'SubtleCrypto', configurable: true })

const integerArrays = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
]
const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!.get!

// Built on the first randomUUID(), not at every process start.
let hex: string[] | undefined
// One getrandom(2) call serves 64 UUIDs.
const pool = new Uint8Array(16 * 64)
let poolOffset = pool.length

const subtle = new SubtleCrypto(kCreate)

export class Crypto {
  constructor(key?: unknown) {
    if (key !== kCreate) throw new TypeError('Illegal constructor')
  }

  get subtle(): SubtleCrypto {
    return subtle
  }

  getRandomValues<T extends ArrayBufferView | null>(array: T): T {
    if (integerArrays.indexOf(typedArrayTag.call(array)) < 0) {
      throw new DOMException('The data argument must be an integer-type TypedArray', 'TypeMismatchError')
    }
    if (array!.byteLength > 65536) throw new DOMException('The requested length exceeds 65,536 bytes', 'QuotaExceededError')
    core.getRandom(array!)
    return array
  }

  randomUUID(): `${string}-${string}-${string}-${string}-${string}` {
    if (!hex) {
      hex = []
      for (let i = 0; i < 256; i++) hex.push((i + 0x100).toString(16).slice(1))
    }
    const h = hex
    if (poolOffset === pool.length) {
      core.getRandom(pool)
      poolOffset = 0
    }
    const b = pool.subarray(poolOffset, (poolOffset += 16))
    b[6] = (b[6] & 0x0f) | 0x40
    b[8] = (b[8] & 0x3f) | 0x80
    return `${h[b[0]]}${h[b[1]]}${h[b[2]]}${h[b[3]]}-${h[b[4]]}${h[b[5]]}-${h[b[6]]}${h[b[7]]}-${h[b[8]]}${h[b[9]]}-${h[b[10]]}${h[b[11]]}${h[b[12]]}${h[b[13]]}${h[b[14]]}${h[b[15]]}`
  }
}
Object.defineProperty(Crypto.prototype, Symbol.toStringTag, { value: 'Crypto', configurable: true })

export const crypto = new Crypto(kCreate)
