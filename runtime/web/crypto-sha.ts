// SHA digests and HMAC keys (generate; import and export as raw or JWK; sign, verify),
// on the core's mbedTLS (crypto-digest.c). A key holds its bytes.
import type { HashName } from './core.ts'
import type { Family, KeyFormat } from './crypto-algorithm.ts'
import { exportError, importError } from './crypto-algorithm.ts'
import { type JsonWebKey, base64url, checkJwk, exportedJwk, member } from './crypto-jwk.ts'
import { type CryptoKey, type KeyUsage, checkUsages, createKey, materialOf } from './crypto-key.ts'
import { dataError, domError, native, operationError } from './crypto-native.ts'
import type { Normalized } from './crypto-normalize.ts'
import { copyOf } from './crypto-webidl.ts'
import { core } from './core.ts'

export function digest(alg: Normalized, data: Uint8Array): ArrayBuffer {
  return native().digest(alg.name as HashName, data)
}

const blockBits: Record<HashName, number> = { 'SHA-1': 512, 'SHA-256': 512, 'SHA-384': 1024, 'SHA-512': 1024 }
const allowed: readonly KeyUsage[] = ['sign', 'verify']
const usageMessage = 'Unsupported key usage for an HMAC key'

function jwkAlg(hash: string): string {
  return hash === 'SHA-1' ? 'HS1' : `HS${hash.slice(4)}`
}

function hmacKey(
  hash: Normalized,
  length: number,
  bytes: Uint8Array,
  extractable: boolean,
  usages: KeyUsage[],
  order: 'import' | 'generate',
): CryptoKey {
  // Node lists the members in this order for each operation; keep it so logs match.
  const algorithm =
    order === 'import' ? { name: 'HMAC', hash: { name: hash.name }, length } : { name: 'HMAC', length, hash: { name: hash.name } }
  return createKey('secret', extractable, algorithm, usages, bytes)
}

export const hmac: Family = {
  generateKey(alg, extractable, usages) {
    checkUsages(usages, allowed, usageMessage)
    const hash = alg.hash!
    const bits = alg.length === undefined ? blockBits[hash.name as HashName] : alg.length
    if (bits % 8) throw new TypeError(`The property 'algorithm.length' must be a multiple of 8. Received ${bits}`)
    if (bits === 0) throw operationError()
    const bytes = new Uint8Array(bits / 8)
    core.getRandom(bytes)
    return hmacKey(hash, bits, bytes, extractable, usages, 'generate')
  },

  importKey(format: KeyFormat, data, alg, extractable, usages) {
    checkUsages(usages, allowed, usageMessage)
    let bytes: Uint8Array
    if (format === 'raw') {
      bytes = copyOf(data as Uint8Array)
    } else if (format === 'jwk') {
      const jwk = data as JsonWebKey
      if (!jwk.kty) throw dataError('Invalid keyData')
      if (jwk.kty !== 'oct') throw dataError('Invalid JWK "kty" Parameter')
      checkJwk(jwk, usages, extractable, 'sig')
      bytes = member(jwk, 'k')
      if (jwk.alg !== undefined && jwk.alg !== jwkAlg(alg.hash!.name)) throw dataError('JWK "alg" does not match the requested algorithm')
    } else {
      throw importError('HMAC', format)
    }
    if (bytes.length === 0) throw dataError('Zero-length key is not supported')
    const length = bytes.length * 8
    // Node accepts only the key's exact size, not the spec's "within the last byte".
    if (alg.length !== undefined && alg.length !== length) throw dataError('Invalid key length')
    return hmacKey(alg.hash!, length, bytes, extractable, usages, 'import')
  },

  exportKey(format, key) {
    const bytes = materialOf<Uint8Array>(key)
    if (format === 'raw') return bytes.slice().buffer as ArrayBuffer
    if (format !== 'jwk') throw exportError(format, key)
    const hash = (key.algorithm.hash as { name: string }).name
    return exportedJwk(key.usages, key.extractable, { kty: 'oct', k: base64url(bytes), alg: jwkAlg(hash) })
  },

  sign(_alg, key, data) {
    return native().hmac((key.algorithm.hash as { name: HashName }).name, materialOf<Uint8Array>(key), data)
  },

  verify(_alg, key, signature, data) {
    const c = native()
    return c.timingSafeEqual(c.hmac((key.algorithm.hash as { name: HashName }).name, materialOf<Uint8Array>(key), data), signature)
  },

  getKeyLength(alg) {
    if (alg.length === undefined) return blockBits[alg.hash!.name as HashName]
    if (alg.length !== 0) return alg.length
    throw domError('Invalid key length', 'OperationError')
  },
}
