// generateKeyPair(Sync) for rsa, ec, ed25519 and x25519, generateKey(Sync) for hmac and
// aes, diffieHellman on ECDH and X25519 KeyObjects, and createECDH: on the core's key
// generation and agreement (crypto-rsa.c, crypto-ec.c, crypto-ed25519.c).
import { Buffer } from '../buffer.ts'
import type { CurveName, KeyHandle } from '../../web/core.ts'
import { invalidArgType, invalidArgValue, validateFunction } from '../internal/errors.ts'
import { core } from '../internal/natives.ts'
import { type KeyObject, type Material, curveOf, isKeyObject, materialOf, newKey, okpPublic } from './keys.ts'
import { bufferTypes, cryptoError, native, output, toBytes } from './util.ts'

function invalidCurve(): Error {
  return cryptoError('ERR_CRYPTO_INVALID_CURVE', 'Invalid EC curve name', TypeError)
}

function randomPrivate(kind: 'ed25519' | 'x25519'): Uint8Array {
  const priv = new Uint8Array(32)
  core.getRandom(priv)
  // Clamped as RFC 7748 uses it, and as OpenSSL generates it.
  if (kind === 'x25519') ((priv[0] &= 248), (priv[31] = (priv[31] & 127) | 64))
  return priv
}

function generate(type: unknown, options: unknown): Material {
  if (typeof type !== 'string') throw invalidArgType('type', 'string', type)
  const o = (options ?? {}) as Record<string, unknown>
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw invalidArgType('options', 'object', options)
  if (type === 'rsa') {
    const { modulusLength, publicExponent = 0x10001 } = o
    if (typeof modulusLength !== 'number') throw invalidArgType('options.modulusLength', 'number', modulusLength)
    if (typeof publicExponent !== 'number') throw invalidArgType('options.publicExponent', 'number', publicExponent)
    return { kind: 'rsa', handle: native().rsaGenerate(modulusLength, publicExponent) }
  }
  if (type === 'ec') {
    if (typeof o.namedCurve !== 'string') throw invalidArgType('options.namedCurve', 'string', o.namedCurve)
    const curve = curveOf(o.namedCurve)
    if (!curve) throw invalidCurve()
    return { kind: 'ec', handle: native().ecGenerate(curve) }
  }
  if (type === 'ed25519' || type === 'x25519') {
    const priv = randomPrivate(type)
    return { kind: type, priv, pub: okpPublic(type, priv) }
  }
  throw invalidArgValue('type', type, 'must be a supported key type')
}

function publicMaterial(m: Material): Material {
  if (m.kind === 'rsa' || m.kind === 'ec') return { kind: m.kind, handle: native().keyPublic(m.handle) }
  if (m.kind === 'secret') return m
  return { kind: m.kind, pub: m.pub }
}

function encoded(key: KeyObject, encoding: unknown): unknown {
  if (encoding === undefined) return key
  if (typeof encoding !== 'object' || encoding === null) throw invalidArgType('options.publicKeyEncoding', 'object', encoding)
  return key.export(encoding)
}

type Pair = { publicKey: unknown; privateKey: unknown }

export function generateKeyPairSync(type: unknown, options?: unknown): Pair {
  const m = generate(type, options)
  const o = (options ?? {}) as Record<string, unknown>
  return {
    publicKey: encoded(newKey('public', publicMaterial(m)), o.publicKeyEncoding),
    privateKey: encoded(newKey('private', m), o.privateKeyEncoding),
  }
}

export function generateKeyPair(type: unknown, options: unknown, callback?: unknown): void {
  if (typeof options === 'function') ((callback = options), (options = undefined))
  validateFunction(callback, 'callback')
  let pair: Pair
  try {
    pair = generateKeyPairSync(type, options)
  } catch (err) {
    // Argument errors throw at once, as in Node; only the work's failures go to the callback.
    if ((err as { code?: string }).code?.startsWith('ERR_INVALID_ARG')) throw err
    setTimeout(() => (callback as (e: unknown) => void)(err), 0)
    return
  }
  setTimeout(() => (callback as (e: null, a: unknown, b: unknown) => void)(null, pair.publicKey, pair.privateKey), 0)
}

/** generateKeySync('hmac' | 'aes', { length }): a secret KeyObject of random bytes. */
export function generateKeySync(type: unknown, options: unknown): KeyObject {
  if (typeof type !== 'string') throw invalidArgType('type', 'string', type)
  if (typeof options !== 'object' || options === null) throw invalidArgType('options', 'object', options)
  const length = (options as { length?: unknown }).length
  if (typeof length !== 'number') throw invalidArgType('options.length', 'number', length)
  if (type === 'aes') {
    if (length !== 128 && length !== 192 && length !== 256) throw invalidArgValue('options.length', length, "must be one of: 128, 192, 256")
  } else if (type === 'hmac') {
    if (!Number.isInteger(length) || length < 8 || length > 2 ** 31 - 1) throw invalidArgValue('options.length', length)
  } else {
    throw invalidArgValue('type', type, "must be a supported key type")
  }
  const bytes = new Uint8Array(Math.floor(length / 8))
  for (let at = 0; at < bytes.length; at += 65536) core.getRandom(bytes.subarray(at, at + 65536))
  return newKey('secret', { kind: 'secret', bytes })
}

export function generateKey(type: unknown, options: unknown, callback: unknown): void {
  validateFunction(callback, 'callback')
  const key = generateKeySync(type, options)
  setTimeout(() => (callback as (e: null, k: KeyObject) => void)(null, key), 0)
}

export function diffieHellman(options: unknown): Buffer {
  if (typeof options !== 'object' || options === null) throw invalidArgType('options', 'object', options)
  const { privateKey, publicKey } = options as Record<string, unknown>
  if (!isKeyObject(privateKey)) throw invalidArgValue('options.privateKey', privateKey)
  if (!isKeyObject(publicKey)) throw invalidArgValue('options.publicKey', publicKey)
  if (privateKey.type !== 'private') {
    throw cryptoError('ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE', `Invalid key object type ${privateKey.type}, expected private.`, TypeError)
  }
  if (publicKey.type !== 'public' && publicKey.type !== 'private') {
    throw cryptoError('ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE', `Invalid key object type ${publicKey.type}, expected private or public.`, TypeError)
  }
  const a = materialOf(privateKey)
  const b = materialOf(publicKey)
  if (a.kind !== b.kind || (a.kind !== 'ec' && a.kind !== 'x25519')) {
    throw cryptoError('ERR_CRYPTO_INCOMPATIBLE_KEY', `Incompatible key types for Diffie-Hellman: ${a.kind} and ${b.kind}`)
  }
  const c = native()
  if (a.kind === 'x25519') return Buffer.from(c.x25519(a.priv!, (b as { pub: Uint8Array }).pub))
  return Buffer.from(c.ecdh((a as { handle: KeyHandle }).handle, c.keyPublic((b as { handle: KeyHandle }).handle)))
}

// --- createECDH: raw keys (points, private scalars) on P-256, P-384 and P-521
function pointFormat(point: Uint8Array, format: unknown): Uint8Array {
  if (format === undefined || format === 'uncompressed') return point
  if (format !== 'compressed' && format !== 'hybrid') throw cryptoError('ERR_CRYPTO_ECDH_INVALID_FORMAT', `Invalid ECDH format: ${format}`, TypeError)
  const out = format === 'hybrid' ? point.slice() : point.slice(0, 1 + (point.length - 1) / 2)
  out[0] = (format === 'hybrid' ? 6 : 2) + (point[point.length - 1] & 1)
  return out
}

const kState = Symbol('state')

export class ECDH {
  [kState]: { curve: CurveName; handle?: KeyHandle }

  constructor(curve: unknown) {
    if (typeof curve !== 'string') throw invalidArgType('curve', 'string', curve)
    const c = curveOf(curve)
    if (!c || curve.startsWith('P-')) throw invalidCurve()
    this[kState] = { curve: c }
  }

  static convertKey(key: unknown, curve: unknown, inputEncoding?: unknown, outputEncoding?: unknown, format?: unknown): Buffer | string {
    if (typeof curve !== 'string') throw invalidArgType('curve', 'string', curve)
    const c = curveOf(curve)
    if (!c) throw invalidCurve()
    const point = toBytes(key, 'key', inputEncoding, bufferTypes)
    return output(pointFormat(uncompressed(c, point), format), outputEncoding)
  }

  generateKeys(encoding?: unknown, format?: unknown): Buffer | string {
    this[kState].handle = native().ecGenerate(this[kState].curve)
    return this.getPublicKey(encoding, format)
  }

  computeSecret(otherPublicKey: unknown, inputEncoding?: unknown, outputEncoding?: unknown): Buffer | string {
    const s = this[kState]
    const point = toBytes(otherPublicKey, 'otherPublicKey', inputEncoding, bufferTypes)
    let peer: KeyHandle
    try {
      peer = native().ecImport(s.curve, uncompressed(s.curve, point))
    } catch {
      throw cryptoError('ERR_CRYPTO_ECDH_INVALID_PUBLIC_KEY', 'Public key is not valid for specified curve')
    }
    if (!s.handle) throw new Error('Failed to get ECDH private key')
    return output(native().ecdh(s.handle, peer), outputEncoding)
  }

  getPrivateKey(encoding?: unknown): Buffer | string {
    const s = this[kState]
    if (!s.handle) throw new Error('Failed to get ECDH private key')
    return output(native().keyComponents(s.handle).d, encoding)
  }

  getPublicKey(encoding?: unknown, format?: unknown): Buffer | string {
    const s = this[kState]
    if (!s.handle) throw new Error('Failed to get ECDH public key')
    return output(pointFormat(new Uint8Array(native().keyExport(native().keyPublic(s.handle), 'raw')), format), encoding)
  }

  setPrivateKey(key: unknown, encoding?: unknown): this {
    const s = this[kState]
    const d = toBytes(key, 'key', encoding, bufferTypes)
    const size = s.curve === 'P-256' ? 32 : s.curve === 'P-384' ? 48 : 66
    const padded = new Uint8Array(size)
    if (d.length > size) throw cryptoError('ERR_CRYPTO_INVALID_KEYTYPE', 'Private key is not valid for specified curve.')
    padded.set(d, size - d.length)
    try {
      s.handle = native().ecImport(s.curve, undefined, padded)
    } catch {
      throw cryptoError('ERR_CRYPTO_INVALID_KEYTYPE', 'Private key is not valid for specified curve.')
    }
    return this
  }
}

/** The uncompressed form of a point; the compressed forms cannot be read here (mbedTLS 3.6 has no point decompression). */
function uncompressed(curve: CurveName, point: Uint8Array): Uint8Array {
  if (point[0] === 4) return point
  if ((point[0] === 6 || point[0] === 7) && point.length > 1) {
    const p = point.slice()
    p[0] = 4
    return p
  }
  void curve
  throw cryptoError('ERR_CRYPTO_ECDH_INVALID_PUBLIC_KEY', 'Public key is not valid for specified curve')
}

export function createECDH(curve: unknown): ECDH {
  return new ECDH(curve)
}
