// ECDSA and ECDH keys on P-256, P-384 and P-521 (generate; import and export as raw,
// spki, pkcs8 or JWK), ECDSA signatures and ECDH secrets, on the core's mbedTLS
// (crypto-ec.c, crypto-keys.c). A key holds a native handle.
import type { CurveName, HashName, KeyHandle } from './core.ts'
import type { Family } from './crypto-algorithm.ts'
import { exportError, importError } from './crypto-algorithm.ts'
import { type JsonWebKey, base64url, checkJwk, exportedJwk, member } from './crypto-jwk.ts'
import { type CryptoKey, type KeyUsage, checkUsages, createKey, materialOf, usagesIn } from './crypto-key.ts'
import { callCore, dataError, domError, native, operationError } from './crypto-native.ts'
import type { Normalized } from './crypto-normalize.ts'

const curves: readonly CurveName[] = ['P-256', 'P-384', 'P-521']
const jwkAlgs: Record<CurveName, string> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }

function curveOf(alg: Normalized): CurveName {
  if (curves.indexOf(alg.namedCurve) < 0) throw domError('Unrecognized namedCurve', 'NotSupportedError')
  return alg.namedCurve
}

function allowedUsages(name: string, type: 'public' | 'private'): KeyUsage[] {
  if (name === 'ECDH') return type === 'public' ? [] : ['deriveKey', 'deriveBits']
  return type === 'public' ? ['verify'] : ['sign']
}

function ecKey(handle: KeyHandle, name: string, curve: CurveName, extractable: boolean, usages: KeyUsage[]): CryptoKey {
  const info = native().keyInfo(handle)
  if (info.type !== 'EC') throw dataError('Invalid key type')
  if (info.curve !== curve) throw dataError('Named curve mismatch')
  return createKey(info.private ? 'private' : 'public', extractable, { name, namedCurve: curve }, usages, handle)
}

function importJwk(jwk: JsonWebKey, alg: Normalized, curve: CurveName, extractable: boolean, usages: KeyUsage[]): CryptoKey {
  if (!jwk.kty) throw dataError('Invalid keyData')
  if (jwk.kty !== 'EC') throw dataError('Invalid JWK "kty" Parameter')
  if (jwk.crv !== curve) throw dataError('JWK "crv" does not match the requested algorithm')
  const isPrivate = jwk.d !== undefined
  checkUsages(usages, allowedUsages(alg.name, isPrivate ? 'private' : 'public'), `Unsupported key usage for a ${alg.name} key`)
  checkJwk(jwk, usages, extractable, alg.name === 'ECDH' ? 'enc' : 'sig')
  if (alg.name === 'ECDSA' && jwk.alg !== undefined && jwk.alg !== jwkAlgs[curve]) {
    throw dataError('JWK "alg" does not match the requested algorithm')
  }
  const x = member(jwk, 'x')
  const y = member(jwk, 'y')
  const point = new Uint8Array(1 + x.length + y.length)
  point[0] = 4
  point.set(x, 1)
  point.set(y, 1 + x.length)
  const d = isPrivate ? member(jwk, 'd') : undefined
  return ecKey(
    callCore((c) => c.ecImport(curve, point, d)),
    alg.name,
    curve,
    extractable,
    usages,
  )
}

export const ec: Family = {
  generateKey(alg, extractable, usages) {
    const curve = curveOf(alg)
    checkUsages(
      usages,
      [...allowedUsages(alg.name, 'public'), ...allowedUsages(alg.name, 'private')],
      `Unsupported key usage for an ${alg.name} key`,
    )
    const handle = callCore((c) => c.ecGenerate(curve))
    const publicKey = ecKey(native().keyPublic(handle), alg.name, curve, true, usagesIn(usages, allowedUsages(alg.name, 'public')))
    const privateKey = ecKey(handle, alg.name, curve, extractable, usagesIn(usages, allowedUsages(alg.name, 'private')))
    return { publicKey, privateKey }
  },

  importKey(format, data, alg, extractable, usages) {
    const curve = curveOf(alg)
    if (format === 'jwk') return importJwk(data as JsonWebKey, alg, curve, extractable, usages)
    const type = format === 'pkcs8' ? 'private' : 'public'
    if (format !== 'raw' && format !== 'spki' && format !== 'pkcs8') throw importError('EC', format)
    checkUsages(usages, allowedUsages(alg.name, type), `Unsupported key usage for a ${alg.name} key`)
    const bytes = data as Uint8Array
    const handle = callCore((c) => (format === 'raw' ? c.ecImport(curve, bytes) : c.keyParse(bytes, format)))
    return ecKey(handle, alg.name, curve, extractable, usages)
  },

  exportKey(format, key) {
    const handle = materialOf<KeyHandle>(key)
    if (((format === 'spki' || format === 'raw') && key.type === 'public') || (format === 'pkcs8' && key.type === 'private')) {
      return callCore((c) => c.keyExport(handle, format as 'spki' | 'pkcs8' | 'raw'))
    }
    if (format !== 'jwk') throw exportError(format, key)
    const parts = native().keyComponents(handle)
    const members: Record<string, string> = {
      kty: 'EC',
      x: base64url(parts.x),
      y: base64url(parts.y),
      crv: key.algorithm.namedCurve as string,
    }
    if (parts.d) members.d = base64url(parts.d)
    return exportedJwk(key.usages, key.extractable, members)
  },

  sign(alg, key, data) {
    if (key.type !== 'private') throw domError('Key must be a private key', 'InvalidAccessError')
    return callCore((c) => c.ecdsaSign(materialOf<KeyHandle>(key), alg.hash!.name as HashName, data))
  },

  verify(alg, key, signature, data) {
    if (key.type !== 'public') throw domError('Key must be a public key', 'InvalidAccessError')
    return callCore((c) => c.ecdsaVerify(materialOf<KeyHandle>(key), alg.hash!.name as HashName, signature, data))
  },

  deriveBits(alg, key, length) {
    checkPeers(key, alg.public)
    if (key.algorithm.namedCurve !== alg.public.algorithm.namedCurve) throw domError('Named curve mismatch', 'InvalidAccessError')
    return truncateSecret(
      callCore((c) => c.ecdh(materialOf<KeyHandle>(key), materialOf<KeyHandle>(alg.public))),
      length,
    )
  },
}

/** ECDH's and X25519's checks of the peer's public key against the base key. */
export function checkPeers(key: CryptoKey, peer: CryptoKey): void {
  const name = peer.algorithm.name
  if (name !== 'ECDH' && name !== 'X25519' && name !== 'X448')
    throw domError('Keys must be ECDH, X25519, or X448 keys', 'InvalidAccessError')
  if (key.type !== 'private') throw domError('baseKey must be a private key', 'InvalidAccessError')
  if (peer.type !== 'public') throw domError('algorithm.public must be a public key', 'InvalidAccessError')
  if (name !== key.algorithm.name) throw domError('The public and private keys must be of the same type', 'InvalidAccessError')
}

/** The first ceil(length / 8) bytes of a shared secret (all of it for null), as Node gives them. */
export function truncateSecret(secret: ArrayBuffer, length: number | null): ArrayBuffer {
  if (length === null) return secret
  const bytes = Math.ceil(length / 8)
  if (bytes > secret.byteLength) throw operationError('derived bit length is too small')
  return bytes === secret.byteLength ? secret : secret.slice(0, bytes)
}
