// createHash, createHmac and hash(): incremental digests on the core's native hash state
// (crypto-digest.c), fed as update() is called. Not streams here: no pipe() or write().
import type { Buffer } from '../buffer.ts'
import type { DigestName, HashState } from '../../web/core.ts'
import { invalidArgType } from '../internal/errors.ts'
import { bufferTypes, cryptoError, digestOf, invalidDigest, native, output, secretKeyBytes, toBytes } from './util.ts'

const kState = Symbol('state')

function finalized(): Error {
  return cryptoError('ERR_CRYPTO_HASH_FINALIZED', 'Digest already called')
}

function data(value: unknown, encoding: unknown): Uint8Array {
  return toBytes(value, 'data', encoding, bufferTypes)
}

export class Hash {
  [kState]: { state: HashState; algorithm: DigestName; done: boolean }

  constructor(algorithm: unknown, _options?: unknown, from?: Hash) {
    if (from) {
      this[kState] = { state: native().hashCopy(from[kState].state), algorithm: from[kState].algorithm, done: false }
      return
    }
    if (typeof algorithm !== 'string') throw invalidArgType('algorithm', 'string', algorithm)
    const d = digestOf(algorithm)
    if (!d) throw new Error('Digest method not supported')
    this[kState] = { state: native().hashNew(d), algorithm: d, done: false }
  }

  update(value: unknown, encoding?: unknown): this {
    const s = this[kState]
    if (s.done) throw finalized()
    native().hashUpdate(s.state, data(value, encoding))
    return this
  }

  digest(encoding?: unknown): Buffer | string {
    const s = this[kState]
    if (s.done) throw finalized()
    s.done = true
    return output(native().hashDigest(s.state), encoding)
  }

  copy(options?: unknown): Hash {
    if (this[kState].done) throw finalized()
    return new Hash(undefined, options, this)
  }
}

export class Hmac {
  [kState]: { state: HashState; done: boolean }

  constructor(hmac: unknown, key: unknown, _options?: unknown) {
    if (typeof hmac !== 'string') throw invalidArgType('hmac', 'string', hmac)
    const d = digestOf(hmac)
    if (!d) throw invalidDigest(hmac)
    const bytes = hmacKey(key)
    this[kState] = { state: native().hashNew(d, bytes), done: false }
  }

  update(value: unknown, encoding?: unknown): this {
    const s = this[kState]
    if (s.done) throw finalized()
    native().hashUpdate(s.state, data(value, encoding))
    return this
  }

  /** A second digest() gives an empty result, as in Node. */
  digest(encoding?: unknown): Buffer | string {
    const s = this[kState]
    if (s.done) return output(new Uint8Array(0), encoding)
    s.done = true
    return output(native().hashDigest(s.state), encoding)
  }
}

function hmacKey(key: unknown): Uint8Array {
  const secret = secretKeyBytes(key)
  if (secret) return secret
  if (typeof key === 'string' || ArrayBuffer.isView(key) || key instanceof ArrayBuffer) return toBytes(key, 'key')
  throw invalidArgType('key', ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView', 'KeyObject', 'CryptoKey'], key)
}

export function createHash(algorithm: unknown, options?: unknown): Hash {
  return new Hash(algorithm, options)
}

export function createHmac(hmac: unknown, key: unknown, options?: unknown): Hmac {
  return new Hmac(hmac, key, options)
}

/** crypto.hash(algorithm, data[, outputEncoding]): one-shot, hex by default (Node 20.12). */
export function hash(algorithm: unknown, input: unknown, outputEncoding: unknown = 'hex'): Buffer | string {
  if (typeof algorithm !== 'string') throw invalidArgType('algorithm', 'string', algorithm)
  if (typeof input !== 'string' && !ArrayBuffer.isView(input)) throw invalidArgType('data', ['Buffer', 'TypedArray', 'DataView', 'string'], input)
  if (typeof outputEncoding !== 'string') throw invalidArgType('outputEncoding', 'string', outputEncoding)
  const d = digestOf(algorithm)
  if (!d) throw new Error('Digest method not supported')
  return output(native().digest(d, toBytes(input, 'data')), outputEncoding)
}
