// What the node:crypto files share: the C core's crypto functions (the ones crypto.subtle
// uses, runtime/core/crypto-*.c), bytes in and out as Node takes and gives them, digest
// names, and Node's coded errors for crypto.
import { Buffer } from '../buffer.ts'
import type { CryptoCore, DigestName } from '../../web/core.ts'
import { normalizeEncoding } from '../internal/encodings.ts'
import { invalidArgType, nodeError } from '../internal/errors.ts'
import { core, web } from '../internal/natives.ts'

let functions: CryptoCore | undefined

export function native(): CryptoCore {
  return (functions ??= core.crypto())
}

/** Where a KeyObject (keys.ts) keeps its material and type: here, so that the parts that
 * only take secret keys (HMAC, ciphers, HKDF) need not bundle KeyObject itself. */
export const kMaterial = Symbol('kMaterial')
export const kKeyType = Symbol('kKeyType')

/** A secret KeyObject's or a secret CryptoKey's bytes; undefined for anything else that is not a key. */
export function secretKeyBytes(key: unknown): Uint8Array | undefined {
  if (typeof key !== 'object' || key === null || isView(key) || isAnyArrayBuffer(key)) return undefined
  let type: string
  let material: { kind?: string; bytes?: Uint8Array }
  if (kMaterial in key) {
    type = (key as unknown as { [kKeyType]: string })[kKeyType]
    material = (key as unknown as { [kMaterial]: typeof material })[kMaterial]
  } else {
    const subtle = web.subtle()
    if (!subtle.isCryptoKey(key)) return undefined
    type = (key as { type: string }).type
    material = { bytes: subtle.materialOf<Uint8Array>(key) }
  }
  if (type !== 'secret') throw cryptoError('ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE', `Invalid key object type ${type}, expected secret.`, TypeError)
  return material.bytes
}

export const bufferTypes = ['Buffer', 'TypedArray', 'DataView']
export const binaryTypes = ['ArrayBuffer', 'Buffer', 'TypedArray', 'DataView']

export function isView(v: unknown): v is ArrayBufferView {
  return ArrayBuffer.isView(v)
}

export function isAnyArrayBuffer(v: unknown): v is ArrayBuffer {
  return v instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer)
}

/** The bytes of a view, as a Uint8Array over the same memory. */
export function viewBytes(v: ArrayBufferView): Uint8Array {
  return v instanceof Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
}

/**
 * A string (in `encoding`, UTF-8 by default), a view or an ArrayBuffer as bytes, which
 * Node takes for data, keys, salts; anything else is ERR_INVALID_ARG_TYPE naming `types`.
 */
export function toBytes(value: unknown, name: string, encoding?: unknown, types: string[] = binaryTypes): Uint8Array {
  if (typeof value === 'string') return Buffer.from(value, normalizeEncoding(encoding) ?? 'utf8')
  if (isView(value)) return viewBytes(value)
  if (isAnyArrayBuffer(value) && types.indexOf('ArrayBuffer') >= 0) return new Uint8Array(value)
  throw invalidArgType(name, ['string', ...types], value)
}

/** A result as Node hands it out: a Buffer, or a string when an encoding is named. */
export function output(data: ArrayBuffer | Uint8Array, encoding?: unknown): Buffer | string {
  const buf = data instanceof ArrayBuffer ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  const enc = encoding === undefined || encoding === 'buffer' ? undefined : normalizeEncoding(encoding)
  return enc === undefined ? buf : buf.toString(enc)
}

export function cryptoError(code: string, message: string, Base: new (m?: string) => Error = Error): Error {
  return nodeError(Base, code, message)
}

// Node's digest names (OpenSSL's, any case), for the digests the core has.
const digests: Record<string, DigestName> = {
  md5: 'MD5',
  'rsa-md5': 'MD5',
  md5withrsaencryption: 'MD5',
  sha1: 'SHA-1',
  'sha-1': 'SHA-1',
  'rsa-sha1': 'SHA-1',
  sha1withrsaencryption: 'SHA-1',
  'ecdsa-with-sha1': 'SHA-1',
}
for (const bits of ['224', '256', '384', '512']) {
  const name = `SHA-${bits}` as DigestName
  for (const alias of [`sha${bits}`, `sha-${bits}`, `sha2-${bits}`, `rsa-sha${bits}`, `sha${bits}withrsaencryption`, `ecdsa-with-sha${bits}`])
    digests[alias] = name
}

/** The core's name of a Node digest name, or undefined. */
export function digestOf(name: unknown): DigestName | undefined {
  return typeof name === 'string' ? digests[name.toLowerCase()] : undefined
}

/** Node's getHashes(), for the digests here. */
export const hashNames = [
  'RSA-MD5',
  'RSA-SHA1',
  'RSA-SHA224',
  'RSA-SHA256',
  'RSA-SHA384',
  'RSA-SHA512',
  'md5',
  'md5WithRSAEncryption',
  'sha1',
  'sha1WithRSAEncryption',
  'sha224',
  'sha224WithRSAEncryption',
  'sha256',
  'sha256WithRSAEncryption',
  'sha384',
  'sha384WithRSAEncryption',
  'sha512',
  'sha512WithRSAEncryption',
]

export const digestBytes: Record<DigestName, number> = { MD5: 16, 'SHA-1': 20, 'SHA-224': 28, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 }

/** TypeError ERR_CRYPTO_INVALID_DIGEST, as pbkdf2, hkdf and createHmac throw it. */
export function invalidDigest(name: unknown, withName = true): Error {
  return cryptoError('ERR_CRYPTO_INVALID_DIGEST', withName ? `Invalid digest: ${name}` : 'Invalid digest', TypeError)
}

/** Runs `work` on the next turn and hands its result or error to the Node-style callback. */
export function later<T>(callback: (err: Error | null, result?: T) => void, work: () => T): void {
  setTimeout(() => {
    let result: T
    try {
      result = work()
    } catch (err) {
      callback(err as Error)
      return
    }
    callback(null, result)
  }, 0)
}
