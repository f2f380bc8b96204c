// createSign/createVerify and sign/verify: RSA PKCS#1 v1.5 and PSS, ECDSA (DER, or
// ieee-p1363's r || s as the core gives it), Ed25519 (sign(null, ...)), on the core's
// rsaSign/ecdsaSign/ed25519Sign (crypto-rsa.c, crypto-ec.c, crypto-ed25519.c).
import { Buffer } from '../buffer.ts'
import type { DigestName } from '../../web/core.ts'
import { invalidArgType, invalidArgValue } from '../internal/errors.ts'
import { type KeyObject, asymmetricKey, isKeyObject, materialOf, publicOf } from './keys.ts'
import { bufferTypes, cryptoError, digestBytes, digestOf, native, output, toBytes } from './util.ts'

export const RSA_PKCS1_PADDING = 1
export const RSA_PKCS1_PSS_PADDING = 6
export const RSA_PSS_SALTLEN_DIGEST = -1
export const RSA_PSS_SALTLEN_MAX_SIGN = -2
export const RSA_PSS_SALTLEN_AUTO = -2

interface SignOptions {
  padding?: number
  saltLength?: number
  dsaEncoding?: 'der' | 'ieee-p1363'
}

function invalidDigest(): Error {
  return cryptoError('ERR_CRYPTO_INVALID_DIGEST', 'Invalid digest', TypeError)
}

function opensslInvalidDigest(): Error {
  return cryptoError('ERR_OSSL_INVALID_DIGEST', 'error:1C80007A:Provider routines::invalid digest')
}

function wrongType(actual: string, expected: string): Error {
  return cryptoError('ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE', `Invalid key object type ${actual}, expected ${expected}.`, TypeError)
}

function options(key: unknown): SignOptions {
  if (typeof key !== 'object' || key === null || isKeyObject(key) || ArrayBuffer.isView(key)) return {}
  const { padding, saltLength, dsaEncoding } = key as Record<string, unknown>
  if (padding !== undefined && typeof padding !== 'number') throw invalidArgValue('options.padding', padding)
  if (saltLength !== undefined && typeof saltLength !== 'number') throw invalidArgValue('options.saltLength', saltLength)
  if (dsaEncoding !== undefined && dsaEncoding !== 'der' && dsaEncoding !== 'ieee-p1363') throw invalidArgValue('options.dsaEncoding', dsaEncoding)
  return { padding, saltLength, dsaEncoding } as SignOptions
}

function privateKey(key: unknown): KeyObject {
  const k = asymmetricKey(key, true)
  if (k.type !== 'private') throw wrongType(k.type, 'private')
  return k
}

function publicKey(key: unknown): KeyObject {
  const k = asymmetricKey(key, false)
  if (k.type === 'secret') throw wrongType('secret', 'public or private')
  return k.type === 'private' ? publicOf(materialOf(k)) : k
}

function pssSalt(key: KeyObject, digest: DigestName, salt: number | undefined, signing: boolean): number {
  if (salt === RSA_PSS_SALTLEN_DIGEST) return digestBytes[digest]
  if (salt === undefined || salt === RSA_PSS_SALTLEN_MAX_SIGN) {
    if (!signing) return -2
    const bits = key.asymmetricKeyDetails!.modulusLength as number
    return Math.ceil((bits - 1) / 8) - digestBytes[digest] - 2
  }
  return salt
}

// --- ECDSA signatures: DER SEQUENCE { INTEGER r, INTEGER s } <-> r || s
function derInteger(bytes: Uint8Array): number[] {
  let i = 0
  while (i < bytes.length - 1 && bytes[i] === 0) i++
  const v = Array.from(bytes.subarray(i))
  if (v[0] & 0x80) v.unshift(0)
  return [0x02, v.length, ...v]
}

function toDer(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2
  const body = [...derInteger(raw.subarray(0, half)), ...derInteger(raw.subarray(half))]
  const head = body.length < 128 ? [0x30, body.length] : [0x30, 0x81, body.length]
  return new Uint8Array([...head, ...body])
}

function fromDer(der: Uint8Array, half: number): Uint8Array | undefined {
  let at = 0
  if (der[at++] !== 0x30) return undefined
  let len = der[at++]
  if (len === 0x81) len = der[at++]
  else if (len > 0x80) return undefined
  if (at + len !== der.length) return undefined
  const out = new Uint8Array(2 * half)
  for (let k = 0; k < 2; k++) {
    if (der[at++] !== 0x02) return undefined
    let n = der[at++]
    if (at + n > der.length || n === 0) return undefined
    while (n > 1 && der[at] === 0) ((at += 1), (n -= 1))
    if (n > half) return undefined
    out.set(der.subarray(at, at + n), k * half + half - n)
    at += n
  }
  return at === der.length ? out : undefined
}

function curveHalf(key: KeyObject): number {
  const curve = key.asymmetricKeyDetails!.namedCurve
  return curve === 'prime256v1' ? 32 : curve === 'secp384r1' ? 48 : 66
}

function signWith(digest: DigestName | null, data: Uint8Array, key: KeyObject, opts: SignOptions, oneShot: boolean): Uint8Array {
  const m = materialOf(key)
  const c = native()
  if (m.kind === 'ed25519') {
    if (digest !== null) throw oneShot ? opensslInvalidDigest() : cryptoError('ERR_CRYPTO_UNSUPPORTED_OPERATION', 'Unsupported crypto operation')
    return new Uint8Array(c.ed25519Sign(m.priv!, m.pub, data))
  }
  if (m.kind !== 'rsa' && m.kind !== 'ec') throw cryptoError('ERR_CRYPTO_UNSUPPORTED_OPERATION', 'Unsupported crypto operation')
  const d = digest ?? 'SHA-256'
  if (m.kind === 'rsa') {
    const salt = opts.padding === RSA_PKCS1_PSS_PADDING ? pssSalt(key, d, opts.saltLength, true) : -1
    return new Uint8Array(c.rsaSign(m.handle, d, salt, data))
  }
  const raw = new Uint8Array(c.ecdsaSign(m.handle, d, data))
  return opts.dsaEncoding === 'ieee-p1363' ? raw : toDer(raw)
}

function verifyWith(digest: DigestName | null, data: Uint8Array, key: KeyObject, signature: Uint8Array, opts: SignOptions, oneShot: boolean): boolean {
  const m = materialOf(key)
  const c = native()
  if (m.kind === 'ed25519') {
    if (digest !== null) throw oneShot ? opensslInvalidDigest() : cryptoError('ERR_CRYPTO_UNSUPPORTED_OPERATION', 'Unsupported crypto operation')
    return c.ed25519Verify(m.pub, signature, data)
  }
  if (m.kind !== 'rsa' && m.kind !== 'ec') throw cryptoError('ERR_CRYPTO_UNSUPPORTED_OPERATION', 'Unsupported crypto operation')
  const d = digest ?? 'SHA-256'
  if (m.kind === 'rsa') {
    const salt = opts.padding === RSA_PKCS1_PSS_PADDING ? pssSalt(key, d, opts.saltLength, false) : -1
    return c.rsaVerify(m.handle, d, salt, signature, data)
  }
  const raw = opts.dsaEncoding === 'ieee-p1363' ? signature : fromDer(signature, curveHalf(key))
  return raw !== undefined && c.ecdsaVerify(m.handle, d, raw, data)
}

function digestArg(algorithm: unknown, oneShot: boolean): DigestName | null {
  if (oneShot && (algorithm === null || algorithm === undefined)) return null
  if (typeof algorithm !== 'string') throw invalidArgType('algorithm', 'string', algorithm)
  const d = digestOf(algorithm)
  if (!d) throw invalidDigest()
  return d
}

const kState = Symbol('state')

class Signer {
  [kState]: { digest: DigestName; chunks: Uint8Array[] }

  constructor(algorithm: unknown) {
    this[kState] = { digest: digestArg(algorithm, false)!, chunks: [] }
  }

  update(data: unknown, encoding?: unknown): this {
    this[kState].chunks.push(toBytes(data, 'data', encoding, bufferTypes).slice())
    return this
  }

  protected data(): Uint8Array {
    return Buffer.concat(this[kState].chunks)
  }
}

export class Sign extends Signer {
  sign(key: unknown, outputEncoding?: unknown): Buffer | string {
    if (key === undefined || key === null) throw cryptoError('ERR_CRYPTO_SIGN_KEY_REQUIRED', 'No key provided to sign')
    return output(signWith(this[kState].digest, this.data(), privateKey(key), options(key), false), outputEncoding)
  }
}

export class Verify extends Signer {
  verify(key: unknown, signature: unknown, signatureEncoding?: unknown): boolean {
    const sig = toBytes(signature, 'signature', signatureEncoding ?? 'utf8', ['ArrayBuffer', ...bufferTypes])
    return verifyWith(this[kState].digest, this.data(), publicKey(key), sig, options(key), false)
  }
}

export function createSign(algorithm: unknown, _options?: unknown): Sign {
  return new Sign(algorithm)
}

export function createVerify(algorithm: unknown, _options?: unknown): Verify {
  return new Verify(algorithm)
}

function later<T>(callback: unknown, work: () => T): T | undefined {
  if (callback === undefined) return work()
  if (typeof callback !== 'function') throw invalidArgType('callback', 'function', callback)
  let result: T
  try {
    result = work()
  } catch (err) {
    setTimeout(() => callback(err), 0)
    return undefined
  }
  setTimeout(() => callback(null, result), 0)
  return undefined
}

export function sign(algorithm: unknown, data: unknown, key: unknown, callback?: unknown): Buffer | undefined {
  const d = digestArg(algorithm, true)
  const bytes = toBytes(data, 'data', undefined, ['ArrayBuffer', ...bufferTypes])
  const k = privateKey(key)
  return later(callback, () => Buffer.from(signWith(d, bytes, k, options(key), true)))
}

export function verify(algorithm: unknown, data: unknown, key: unknown, signature: unknown, callback?: unknown): boolean | undefined {
  const d = digestArg(algorithm, true)
  const bytes = toBytes(data, 'data', undefined, ['ArrayBuffer', ...bufferTypes])
  const k = publicKey(key)
  const sig = toBytes(signature, 'signature', undefined, ['ArrayBuffer', ...bufferTypes])
  return later(callback, () => verifyWith(d, bytes, k, sig, options(key), true))
}
