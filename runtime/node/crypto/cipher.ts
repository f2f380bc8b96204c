// createCipheriv/createDecipheriv for aes-128/192/256 in gcm, cbc and ctr, on the core's
// streaming cipher state (crypto-aes.c): update() gives out what the mode can, final()
// the rest; GCM's setAAD, getAuthTag and setAuthTag, CBC's setAutoPadding. Not streams.
import type { Buffer } from '../buffer.ts'
import type { CipherState } from '../../web/core.ts'
import { invalidArgType } from '../internal/errors.ts'
import { binaryTypes, bufferTypes, cryptoError, native, output, secretKeyBytes, toBytes } from './util.ts'

type Mode = 'gcm' | 'cbc' | 'ctr'

const ciphers: Record<string, [number, Mode]> = {}
for (const bits of [128, 192, 256]) {
  for (const mode of ['gcm', 'cbc', 'ctr'] as const) ciphers[`aes-${bits}-${mode}`] = [bits / 8, mode]
  ciphers[`aes${bits}`] = [bits / 8, 'cbc']
  ciphers[`id-aes${bits}-gcm`] = [bits / 8, 'gcm']
}

/** getCiphers(), for the ciphers here, in Node's order. */
export const cipherNames = Object.keys(ciphers)
  .map((n) => (n.startsWith('id-') ? `id-aes${n.slice(6, 9)}-GCM` : n))
  .sort()

function invalidState(op?: string): Error {
  return cryptoError('ERR_CRYPTO_INVALID_STATE', op ? `Invalid state for operation ${op}` : 'Invalid state')
}

function authFailed(): Error {
  return new Error('Unsupported state or unable to authenticate data')
}

const kState = Symbol('state')

interface State {
  native: CipherState
  mode: Mode
  encrypt: boolean
  tagLength: number
  tag?: Uint8Array
  done: boolean
  started: boolean
}

function rethrow(err: unknown): never {
  const code = (err as { code?: string }).code
  if (code === 'ERR_CRYPTO_BAD_DECRYPT') throw cryptoError('ERR_OSSL_BAD_DECRYPT', 'error:1C800064:Provider routines::bad decrypt')
  if (code === 'ERR_CRYPTO_WRONG_FINAL_BLOCK_LENGTH')
    throw cryptoError('ERR_OSSL_WRONG_FINAL_BLOCK_LENGTH', 'error:1C80006B:Provider routines::wrong final block length')
  if (code === 'ERR_CRYPTO_AUTH_FAILED') throw authFailed()
  throw err
}

function keyBytes(key: unknown): Uint8Array {
  const secret = secretKeyBytes(key)
  if (secret) return secret
  if (typeof key !== 'string' && !ArrayBuffer.isView(key) && !(key instanceof ArrayBuffer)) {
    throw invalidArgType('key', ['string', ...binaryTypes, 'KeyObject', 'CryptoKey'], key)
  }
  return toBytes(key, 'key')
}

class CipherBase {
  [kState]: State

  constructor(encrypt: boolean, cipher: unknown, key: unknown, iv: unknown, options?: unknown) {
    if (typeof cipher !== 'string') throw invalidArgType('cipher', 'string', cipher)
    const k = keyBytes(key)
    if (iv !== null && typeof iv !== 'string' && !ArrayBuffer.isView(iv) && !(iv instanceof ArrayBuffer)) {
      throw invalidArgType('iv', ['string', ...binaryTypes], iv)
    }
    const ivBytes = iv === null ? new Uint8Array(0) : toBytes(iv, 'iv')
    const spec = ciphers[cipher.toLowerCase()]
    if (!spec) throw cryptoError('ERR_CRYPTO_UNKNOWN_CIPHER', 'Unknown cipher')
    const [keyLength, mode] = spec
    if (k.length !== keyLength) throw cryptoError('ERR_CRYPTO_INVALID_KEYLEN', 'Invalid key length', RangeError)
    if (mode === 'gcm' ? ivBytes.length === 0 || ivBytes.length > 16 : ivBytes.length !== 16) {
      throw cryptoError('ERR_CRYPTO_INVALID_IV', 'Invalid initialization vector', TypeError)
    }
    let tagLength = 16
    const authTagLength = (options as { authTagLength?: unknown } | undefined)?.authTagLength
    if (mode === 'gcm' && authTagLength !== undefined) {
      if (typeof authTagLength !== 'number' || [4, 8, 12, 13, 14, 15, 16].indexOf(authTagLength) < 0) {
        throw cryptoError('ERR_CRYPTO_INVALID_AUTH_TAG', `Invalid authentication tag length: ${authTagLength}`, TypeError)
      }
      tagLength = authTagLength
    }
    this[kState] = { native: native().cipherNew(mode, encrypt, k, ivBytes), mode, encrypt, tagLength, done: false, started: false }
  }

  update(data: unknown, inputEncoding?: unknown, outputEncoding?: unknown): Buffer | string {
    const s = this[kState]
    if (s.done) throw new Error('Trying to add data in unsupported state')
    const bytes = toBytes(data, 'data', inputEncoding, ['ArrayBuffer', ...bufferTypes])
    s.started = true
    let out: ArrayBuffer
    try {
      out = native().cipherUpdate(s.native, bytes)
    } catch (err) {
      rethrow(err)
    }
    return output(out, outputEncoding)
  }

  final(outputEncoding?: unknown): Buffer | string {
    const s = this[kState]
    if (s.done) throw invalidState()
    s.done = true
    if (s.mode === 'gcm' && !s.encrypt && !s.tag) {
      // Node fails a GCM decryption that was given no tag.
      throw authFailed()
    }
    let out: ArrayBuffer
    try {
      out = native().cipherFinal(s.native, s.encrypt ? undefined : s.tag)
    } catch (err) {
      rethrow(err)
    }
    if (s.mode === 'gcm' && s.encrypt) s.tag = new Uint8Array(native().cipherTag(s.native, s.tagLength))
    return output(out, outputEncoding)
  }

  setAutoPadding(autoPadding = true): this {
    const s = this[kState]
    if (s.done) throw invalidState('setAutoPadding')
    native().cipherPadding(s.native, !!autoPadding)
    return this
  }

  setAAD(buffer: unknown, options?: unknown): this {
    const s = this[kState]
    if (s.mode !== 'gcm' || s.done || s.started) throw invalidState('setAAD')
    void options
    native().cipherAad(s.native, toBytes(buffer, 'buffer', undefined, bufferTypes))
    return this
  }
}

export class Cipheriv extends CipherBase {
  constructor(cipher: unknown, key: unknown, iv: unknown, options?: unknown) {
    super(true, cipher, key, iv, options)
  }

  getAuthTag(): Buffer {
    const s = this[kState]
    if (s.mode !== 'gcm' || !s.done || !s.tag) throw invalidState('getAuthTag')
    return output(s.tag) as Buffer
  }
}

export class Decipheriv extends CipherBase {
  constructor(cipher: unknown, key: unknown, iv: unknown, options?: unknown) {
    super(false, cipher, key, iv, options)
  }

  setAuthTag(tagbuf: unknown, encoding?: unknown): this {
    const s = this[kState]
    if (s.mode !== 'gcm' || s.done || s.tag) throw invalidState('setAuthTag')
    const tag = toBytes(tagbuf, 'buffer', encoding, bufferTypes)
    if ([4, 8, 12, 13, 14, 15, 16].indexOf(tag.length) < 0) {
      throw cryptoError('ERR_CRYPTO_INVALID_AUTH_TAG', `Invalid authentication tag length: ${tag.length}`, TypeError)
    }
    s.tag = tag.slice()
    return this
  }
}

export function createCipheriv(cipher: unknown, key: unknown, iv: unknown, options?: unknown): Cipheriv {
  return new Cipheriv(cipher, key, iv, options)
}

export function createDecipheriv(cipher: unknown, key: unknown, iv: unknown, options?: unknown): Decipheriv {
  return new Decipheriv(cipher, key, iv, options)
}
