// Ed25519 and X25519 (RFC 8410 keys: import and export as raw, spki, pkcs8 or JWK with
// kty "OKP"; Ed25519 signatures by libsodium, X25519 secrets by mbedTLS; crypto-ed25519.c,
// crypto-ec.c). A key holds its raw 32-byte halves. SPKI and PKCS#8 for these curves
// have one fixed shape (a 12- or 16-byte header, then the key), written as OpenSSL does.
import type { Family } from './crypto-algorithm.ts'
import { exportError, importError } from './crypto-algorithm.ts'
import { checkPeers, truncateSecret } from './crypto-ec.ts'
import { type JsonWebKey, base64url, checkJwk, exportedJwk, fromBase64url } from './crypto-jwk.ts'
import { type CryptoKey, type KeyUsage, checkUsages, createKey, materialOf, usagesIn } from './crypto-key.ts'
import { callCore, dataError, domError, native } from './crypto-native.ts'
import { core } from './core.ts'

interface OkpKey {
  private?: Uint8Array
  public: Uint8Array
}

// The last byte of the algorithm OID 1.3.101.110 (X25519) / .112 (Ed25519).
const oidByte: Record<string, number> = { X25519: 0x6e, Ed25519: 0x70 }
const spkiHeader = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0, 0x03, 0x21, 0x00]
const pkcs8Header = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0, 0x04, 0x22, 0x04, 0x20]
const oidAt = { spki: 8, pkcs8: 11 }

function allowedUsages(name: string, type: 'public' | 'private'): KeyUsage[] {
  if (name === 'X25519') return type === 'public' ? [] : ['deriveKey', 'deriveBits']
  return type === 'public' ? ['verify'] : ['sign']
}

function publicOf(name: string, privateKey: Uint8Array): Uint8Array {
  const c = native()
  return new Uint8Array(name === 'Ed25519' ? c.ed25519Public(privateKey) : c.x25519Public(privateKey))
}

function okpKey(name: string, material: OkpKey, extractable: boolean, usages: KeyUsage[]): CryptoKey {
  return createKey(material.private ? 'private' : 'public', extractable, { name }, usages, material)
}

/** The key inside a fixed-shape DER; "Invalid key type" when it is the other curve's. */
function fromDer(name: string, format: 'spki' | 'pkcs8', der: Uint8Array): Uint8Array {
  const header = format === 'spki' ? spkiHeader : pkcs8Header
  let other = false
  let ok = der.length === header.length + 32
  for (let i = 0; ok && i < header.length; i++) {
    if (i === oidAt[format]) other = der[i] !== oidByte[name] && (der[i] === 0x6e || der[i] === 0x70)
    else ok = der[i] === header[i]
  }
  if (ok && other) throw dataError('Invalid key type')
  if (!ok || der[oidAt[format]] !== oidByte[name]) throw dataError('Invalid keyData')
  return der.slice(header.length)
}

function toDer(name: string, format: 'spki' | 'pkcs8', key: Uint8Array): ArrayBuffer {
  const header = format === 'spki' ? spkiHeader : pkcs8Header
  const out = new Uint8Array(header.length + 32)
  out.set(header)
  out[oidAt[format]] = oidByte[name]
  out.set(key, header.length)
  return out.buffer as ArrayBuffer
}

function importJwk(name: string, jwk: JsonWebKey, extractable: boolean, usages: KeyUsage[]): OkpKey {
  if (!jwk.kty) throw dataError('Invalid keyData')
  if (jwk.kty !== 'OKP') throw dataError('Invalid JWK "kty" Parameter')
  if (jwk.crv !== name) throw dataError('JWK "crv" Parameter and algorithm name mismatch')
  const isPrivate = jwk.d !== undefined
  checkUsages(usages, allowedUsages(name, isPrivate ? 'private' : 'public'), `Unsupported key usage for a ${name} key`)
  checkJwk(jwk, usages, extractable, name === 'X25519' ? 'enc' : 'sig')
  if (name === 'Ed25519' && jwk.alg !== undefined && jwk.alg !== 'EdDSA' && jwk.alg !== 'Ed25519') {
    throw dataError('JWK "alg" does not match the requested algorithm')
  }
  if (typeof jwk.x !== 'string') throw dataError('Invalid JWK')
  const pub = fromBase64url(jwk.x)
  if (pub.length !== 32) throw dataError('Invalid JWK')
  if (!isPrivate) return { public: pub }
  const priv = fromBase64url(jwk.d as string)
  if (priv.length !== 32) throw dataError('Invalid JWK')
  const derived = callCore(() => publicOf(name, priv))
  for (let i = 0; i < 32; i++) if (derived[i] !== pub[i]) throw dataError('Invalid keyData')
  return { private: priv, public: pub }
}

export const okp: Family = {
  generateKey(alg, extractable, usages) {
    checkUsages(
      usages,
      [...allowedUsages(alg.name, 'public'), ...allowedUsages(alg.name, 'private')],
      `Unsupported key usage for an ${alg.name} key`,
    )
    const priv = new Uint8Array(32)
    core.getRandom(priv)
    // Clamped as RFC 7748 uses it, and as OpenSSL generates it.
    if (alg.name === 'X25519') ((priv[0] &= 248), (priv[31] = (priv[31] & 127) | 64))
    const pub = publicOf(alg.name, priv)
    return {
      publicKey: okpKey(alg.name, { public: pub }, true, usagesIn(usages, allowedUsages(alg.name, 'public'))),
      privateKey: okpKey(alg.name, { private: priv, public: pub }, extractable, usagesIn(usages, allowedUsages(alg.name, 'private'))),
    }
  },

  importKey(format, data, alg, extractable, usages) {
    const name = alg.name
    const message = `Unsupported key usage for a ${name} key`
    let material: OkpKey
    if (format === 'jwk') {
      material = importJwk(name, data as JsonWebKey, extractable, usages)
    } else if (format === 'raw') {
      checkUsages(usages, allowedUsages(name, 'public'), message)
      const bytes = data as Uint8Array
      if (bytes.length !== 32) throw dataError(`${name} raw keys must be exactly 32-bytes`)
      material = { public: bytes.slice() }
    } else if (format === 'spki') {
      checkUsages(usages, allowedUsages(name, 'public'), message)
      material = { public: fromDer(name, 'spki', data as Uint8Array) }
    } else if (format === 'pkcs8') {
      checkUsages(usages, allowedUsages(name, 'private'), message)
      const priv = fromDer(name, 'pkcs8', data as Uint8Array)
      material = { private: priv, public: callCore(() => publicOf(name, priv)) }
    } else {
      throw importError(name, format)
    }
    return okpKey(name, material, extractable, usages)
  },

  exportKey(format, key) {
    const m = materialOf<OkpKey>(key)
    const name = key.algorithm.name
    if (format === 'raw' && !m.private) return m.public.slice().buffer as ArrayBuffer
    if (format === 'spki' && !m.private) return toDer(name, 'spki', m.public)
    if (format === 'pkcs8' && m.private) return toDer(name, 'pkcs8', m.private)
    if (format !== 'jwk') throw exportError(format, key)
    const members: Record<string, string> = { crv: name }
    if (m.private) members.d = base64url(m.private)
    members.x = base64url(m.public)
    members.kty = 'OKP'
    if (name === 'Ed25519') members.alg = 'Ed25519'
    return exportedJwk(key.usages, key.extractable, members)
  },

  sign(_alg, key, data) {
    const m = materialOf<OkpKey>(key)
    if (!m.private) throw domError('Key must be a private key', 'InvalidAccessError')
    return native().ed25519Sign(m.private, m.public, data)
  },

  verify(_alg, key, signature, data) {
    if (key.type !== 'public') throw domError('Key must be a public key', 'InvalidAccessError')
    return native().ed25519Verify(materialOf<OkpKey>(key).public, signature, data)
  },

  deriveBits(alg, key, length) {
    checkPeers(key, alg.public)
    const secret = callCore((c) => c.x25519(materialOf<OkpKey>(key).private!, materialOf<OkpKey>(alg.public).public))
    return truncateSecret(secret, length)
  },
}
