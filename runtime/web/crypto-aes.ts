// AES-CTR, AES-CBC, AES-GCM and AES-KW keys (generate; import and export as raw or JWK)
// and their ciphers, on the core's mbedTLS (crypto-aes.c). A key holds its bytes.
import type { Family } from './crypto-algorithm.ts'
import { exportError, importError } from './crypto-algorithm.ts'
import { type JsonWebKey, base64url, checkJwk, exportedJwk, member } from './crypto-jwk.ts'
import { type CryptoKey, type KeyUsage, checkUsages, createKey, materialOf } from './crypto-key.ts'
import { callCore, dataError, operationError } from './crypto-native.ts'
import type { Normalized } from './crypto-normalize.ts'
import { copyOf } from './crypto-webidl.ts'
import { core } from './core.ts'

const tagLengths = [32, 64, 96, 104, 112, 120, 128]
const usageMessage = 'Unsupported key usage for an AES key'

function allowedUsages(name: string): KeyUsage[] {
  return name === 'AES-KW' ? ['wrapKey', 'unwrapKey'] : ['wrapKey', 'unwrapKey', 'encrypt', 'decrypt']
}

function jwkAlg(name: string, length: number): string {
  return `A${length}${name.slice(4)}`
}

function aesKey(name: string, bytes: Uint8Array, extractable: boolean, usages: KeyUsage[]): CryptoKey {
  return createKey('secret', extractable, { name, length: bytes.length * 8 }, usages, bytes)
}

function exactly(bytes: Uint8Array, size: number, what: string): Uint8Array {
  if (bytes.length !== size) throw operationError(`algorithm.${what} must contain exactly ${size} bytes`)
  return bytes
}

function cipher(encrypt: boolean, alg: Normalized, key: CryptoKey, data: Uint8Array): ArrayBuffer {
  const bytes = materialOf<Uint8Array>(key)
  switch (alg.name) {
    case 'AES-CBC':
      return callCore((c) => c.aesCbc(encrypt, bytes, exactly(alg.iv, 16, 'iv'), data))
    case 'AES-CTR':
      exactly(alg.counter, 16, 'counter')
      if (alg.length === 0 || alg.length > 128) throw operationError('AES-CTR algorithm.length must be between 1 and 128')
      return callCore((c) => c.aesCtr(bytes, alg.counter, alg.length, data))
    default: {
      const tagLength = alg.tagLength ?? 128
      if (tagLengths.indexOf(tagLength) < 0) throw operationError(`${tagLength} is not a valid AES-GCM tag length`)
      if (!encrypt && data.length < tagLength / 8) throw operationError('The provided data is too small.')
      return callCore((c) => c.aesGcm(encrypt, bytes, alg.iv, alg.additionalData, tagLength / 8, data))
    }
  }
}

export const aes: Family = {
  generateKey(alg, extractable, usages) {
    if (alg.length !== 128 && alg.length !== 192 && alg.length !== 256) throw operationError('AES key length must be 128, 192, or 256 bits')
    checkUsages(usages, allowedUsages(alg.name), usageMessage)
    const bytes = new Uint8Array(alg.length / 8)
    core.getRandom(bytes)
    return aesKey(
      alg.name,
      bytes,
      extractable,
      usages.filter((u, i) => usages.indexOf(u) === i),
    )
  },

  importKey(format, data, alg, extractable, usages) {
    checkUsages(usages, allowedUsages(alg.name), usageMessage)
    let bytes: Uint8Array
    if (format === 'raw') {
      bytes = copyOf(data as Uint8Array)
    } else if (format === 'jwk') {
      const jwk = data as JsonWebKey
      if (!jwk.kty) throw dataError('Invalid keyData')
      if (jwk.kty !== 'oct') throw dataError('Invalid JWK "kty" Parameter')
      checkJwk(jwk, usages, extractable, 'enc')
      bytes = member(jwk, 'k')
      if (bytes.length !== 16 && bytes.length !== 24 && bytes.length !== 32) throw dataError('Invalid key length')
      if (jwk.alg !== undefined && jwk.alg !== jwkAlg(alg.name, bytes.length * 8))
        throw dataError('JWK "alg" does not match the requested algorithm')
    } else {
      throw importError('AES', format)
    }
    if (bytes.length !== 16 && bytes.length !== 24 && bytes.length !== 32) throw dataError('Invalid key length')
    return aesKey(alg.name, bytes, extractable, usages)
  },

  exportKey(format, key) {
    const bytes = materialOf<Uint8Array>(key)
    if (format === 'raw') return bytes.slice().buffer as ArrayBuffer
    if (format !== 'jwk') throw exportError(format, key)
    return exportedJwk(key.usages, key.extractable, { kty: 'oct', k: base64url(bytes), alg: jwkAlg(key.algorithm.name, bytes.length * 8) })
  },

  encrypt: (alg, key, data) => cipher(true, alg, key, data),
  decrypt: (alg, key, data) => cipher(false, alg, key, data),
  wrapKey: (_alg, key, data) => callCore((c) => c.aesKw(true, materialOf<Uint8Array>(key), data)),
  unwrapKey: (_alg, key, data) => callCore((c) => c.aesKw(false, materialOf<Uint8Array>(key), data)),

  getKeyLength(alg) {
    if (alg.length !== 128 && alg.length !== 192 && alg.length !== 256) throw operationError('Invalid key length')
    return alg.length
  },
}
