// RSASSA-PKCS1-v1_5, RSA-PSS and RSA-OAEP keys (generate; import and export as spki,
// pkcs8 or JWK) and their operations, on the core's mbedTLS (crypto-rsa.c, crypto-keys.c).
// A key holds a native handle; Node's checks and messages, step by step.
import type { HashName, KeyHandle } from './core.ts'
import type { Family } from './crypto-algorithm.ts'
import { exportError, importError } from './crypto-algorithm.ts'
import { type JsonWebKey, base64url, checkJwk, exportedJwk, member } from './crypto-jwk.ts'
import { type CryptoKey, type KeyUsage, checkUsages, createKey, materialOf, usagesIn } from './crypto-key.ts'
import { callCore, dataError, domError, native, operationError } from './crypto-native.ts'
import type { Normalized } from './crypto-normalize.ts'

const hashBytes: Record<HashName, number> = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 }
const jwkNames: Record<string, [string, string, string]> = {
  // JWK "alg" per hash, for RSASSA-PKCS1-v1_5, RSA-PSS and RSA-OAEP
  'SHA-1': ['RS1', 'PS1', 'RSA-OAEP'],
  'SHA-256': ['RS256', 'PS256', 'RSA-OAEP-256'],
  'SHA-384': ['RS384', 'PS384', 'RSA-OAEP-384'],
  'SHA-512': ['RS512', 'PS512', 'RSA-OAEP-512'],
}
const schemeIndex: Record<string, number> = { 'RSASSA-PKCS1-v1_5': 0, 'RSA-PSS': 1, 'RSA-OAEP': 2 }

/** The hash a JWK "alg" names; like Node, any RSA (or HMAC) name of that hash is accepted. */
function hashOfJwkAlg(alg: string): string | undefined {
  for (const hash of Object.keys(jwkNames)) if (jwkNames[hash].indexOf(alg) >= 0 || alg === `HS${hash.slice(4)}`) return hash
  return alg === 'HS1' ? 'SHA-1' : undefined
}

function allowedUsages(name: string, type: 'public' | 'private'): KeyUsage[] {
  if (name === 'RSA-OAEP') return type === 'public' ? ['encrypt', 'wrapKey'] : ['decrypt', 'unwrapKey']
  return type === 'public' ? ['verify'] : ['sign']
}

function rsaKey(handle: KeyHandle, alg: Normalized, extractable: boolean, usages: KeyUsage[], publicExponent?: Uint8Array): CryptoKey {
  const info = native().keyInfo(handle)
  if (info.type !== 'RSA') throw dataError('Invalid key type')
  const algorithm = {
    name: alg.name,
    modulusLength: info.modulusLength,
    publicExponent: publicExponent ?? new Uint8Array(info.publicExponent),
    hash: { name: alg.hash!.name },
  }
  return createKey(info.private ? 'private' : 'public', extractable, algorithm, usages, handle)
}

function hashOf(key: CryptoKey): HashName {
  return (key.algorithm.hash as { name: HashName }).name
}

/** The unsigned 32-bit value of a big-endian BigInteger, or undefined when it is larger. */
function exponentOf(bytes: Uint8Array): number | undefined {
  let value = 0
  for (let i = 0; i < bytes.length; i++) {
    if (bytes.length - i > 4 && bytes[i] !== 0) return undefined
    value = value * 256 + bytes[i]
  }
  return value % 2 ** 32
}

export const rsa: Family = {
  generateKey(alg, extractable, usages) {
    const exponent = exponentOf(alg.publicExponent)
    if (exponent === undefined) throw operationError('The publicExponent must be equivalent to an unsigned 32-bit value')
    checkUsages(
      usages,
      [...allowedUsages(alg.name, 'public'), ...allowedUsages(alg.name, 'private')],
      'Unsupported key usage for a RSA key',
    )
    const privateUsages = usagesIn(usages, allowedUsages(alg.name, 'private'))
    // Checked by SubtleCrypto too, but before a key costs a prime search here.
    if (privateUsages.length === 0) throw domError('Usages cannot be empty when creating a key.', 'SyntaxError')
    const handle = callCore((c) => c.rsaGenerate(alg.modulusLength, exponent))
    const c = native()
    const publicKey = rsaKey(c.keyPublic(handle), alg, true, usagesIn(usages, allowedUsages(alg.name, 'public')), alg.publicExponent)
    const privateKey = rsaKey(handle, alg, extractable, privateUsages, alg.publicExponent)
    return { publicKey, privateKey }
  },

  importKey(format, data, alg, extractable, usages) {
    const message = `Unsupported key usage for an ${alg.name} key`
    if (format === 'spki' || format === 'pkcs8') {
      checkUsages(usages, allowedUsages(alg.name, format === 'spki' ? 'public' : 'private'), message)
      return rsaKey(
        callCore((c) => c.keyParse(data as Uint8Array, format)),
        alg,
        extractable,
        usages,
      )
    }
    if (format !== 'jwk') throw importError('RSA', format)
    const jwk = data as JsonWebKey
    if (!jwk.kty) throw dataError('Invalid keyData')
    if (jwk.kty !== 'RSA') throw dataError('Invalid JWK "kty" Parameter')
    const isPrivate = jwk.d !== undefined
    checkUsages(usages, allowedUsages(alg.name, isPrivate ? 'private' : 'public'), message)
    checkJwk(jwk, usages, extractable, alg.name === 'RSA-OAEP' ? 'enc' : 'sig')
    if (jwk.alg !== undefined && hashOfJwkAlg(jwk.alg) !== alg.hash!.name)
      throw dataError('JWK "alg" does not match the requested algorithm')
    const parts = (isPrivate ? ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] : ['n', 'e']).map((m) => member(jwk, m))
    const handle = callCore((c) => (c.rsaImport as (...a: Uint8Array[]) => KeyHandle)(...parts), 'Invalid JWK')
    return rsaKey(handle, alg, extractable, usages)
  },

  exportKey(format, key) {
    const handle = materialOf<KeyHandle>(key)
    if ((format === 'spki' && key.type === 'public') || (format === 'pkcs8' && key.type === 'private')) {
      return callCore((c) => c.keyExport(handle, format))
    }
    if (format !== 'jwk') throw exportError(format, key)
    const parts = native().keyComponents(handle)
    const members: Record<string, string> = { kty: 'RSA' }
    for (const m of ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi']) if (parts[m]) members[m] = base64url(parts[m])
    members.alg = jwkNames[hashOf(key)][schemeIndex[key.algorithm.name]]
    return exportedJwk(key.usages, key.extractable, members)
  },

  sign(alg, key, data) {
    if (key.type !== 'private') throw domError('Key must be a private key', 'InvalidAccessError')
    return callCore((c) => c.rsaSign(materialOf<KeyHandle>(key), hashOf(key), saltLength(alg, key), data))
  },

  verify(alg, key, signature, data) {
    if (key.type !== 'public') throw domError('Key must be a public key', 'InvalidAccessError')
    return callCore((c) => c.rsaVerify(materialOf<KeyHandle>(key), hashOf(key), saltLength(alg, key), signature, data))
  },

  encrypt(alg, key, data) {
    if (key.type !== 'public') throw domError('The requested operation is not valid for the provided key', 'InvalidAccessError')
    return callCore((c) => c.rsaEncrypt(materialOf<KeyHandle>(key), hashOf(key), alg.label, data))
  },

  decrypt(alg, key, data) {
    if (key.type !== 'private') throw domError('The requested operation is not valid for the provided key', 'InvalidAccessError')
    return callCore((c) => c.rsaDecrypt(materialOf<KeyHandle>(key), hashOf(key), alg.label, data))
  },
}

/** -1 for PKCS#1 v1.5; for PSS the salt length, which must leave room for the hash in the modulus. */
function saltLength(alg: Normalized, key: CryptoKey): number {
  if (alg.name !== 'RSA-PSS') return -1
  const max = Math.ceil(((key.algorithm.modulusLength as number) - 1) / 8) - hashBytes[hashOf(key)] - 2
  if (alg.saltLength > max) throw operationError()
  return alg.saltLength
}
