// KeyObject and createSecretKey/createPublicKey/createPrivateKey: keys from PEM, DER
// (spki, pkcs8, pkcs1, sec1) and JWK, exported in the same forms. RSA and EC keys are the
// core's native handles (crypto-keys.c, the ones crypto.subtle's CryptoKeys hold);
// Ed25519 and X25519 keys are their raw 32-byte halves, as crypto.subtle keeps them; a
// secret key is its bytes. PEM is only base64 armour around DER, done here with Buffer.
import { Buffer } from '../buffer.ts'
import type { CurveName, KeyHandle } from '../../web/core.ts'
import { invalidArgType, invalidArgValue } from '../internal/errors.ts'
import { web } from '../internal/natives.ts'
import { binaryTypes, cryptoError, isAnyArrayBuffer, isView, kKeyType, kMaterial, native, toBytes, viewBytes } from './util.ts'

export type KeyType = 'secret' | 'public' | 'private'
export type AsymmetricType = 'rsa' | 'ec' | 'ed25519' | 'x25519'

export type Material =
  | { kind: 'secret'; bytes: Uint8Array }
  | { kind: 'rsa'; handle: KeyHandle }
  | { kind: 'ec'; handle: KeyHandle }
  | { kind: 'ed25519'; priv?: Uint8Array; pub: Uint8Array }
  | { kind: 'x25519'; priv?: Uint8Array; pub: Uint8Array }

const kCreate = Symbol('create')

export const curveNames: Record<CurveName, string> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' }
const curveAliases: Record<string, CurveName> = {
  'P-256': 'P-256',
  prime256v1: 'P-256',
  secp256r1: 'P-256',
  'P-384': 'P-384',
  secp384r1: 'P-384',
  'P-521': 'P-521',
  secp521r1: 'P-521',
}

/** The core's curve for a Node or JWK curve name. */
export function curveOf(name: unknown): CurveName | undefined {
  return typeof name === 'string' ? curveAliases[name] : undefined
}

function unsupported(): Error {
  return cryptoError('ERR_OSSL_UNSUPPORTED', 'error:1E08010C:DECODER routines::unsupported')
}

function wrongKeyType(actual: string, expected: string): Error {
  return cryptoError('ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE', `Invalid key object type ${actual}, expected ${expected}.`, TypeError)
}

export class KeyObject {
  [kKeyType]: KeyType
  declare [kMaterial]: Material

  constructor(type: unknown, material: unknown) {
    if (type !== 'secret' && type !== 'public' && type !== 'private') throw invalidArgValue('type', type)
    if (typeof material !== 'object' || material === null || !(kCreate in material)) throw invalidArgType('handle', 'object', material)
    this[kKeyType] = type
    // Hidden from inspection, as Node hides its handle.
    Object.defineProperty(this, kMaterial, { value: (material as { [kCreate]: Material })[kCreate] })
  }

  get type(): KeyType {
    return this[kKeyType]
  }

  get symmetricKeySize(): number | undefined {
    const m = this[kMaterial]
    return m.kind === 'secret' ? m.bytes.length : undefined
  }

  get asymmetricKeyType(): AsymmetricType | undefined {
    const m = this[kMaterial]
    return m.kind === 'secret' ? undefined : m.kind
  }

  get asymmetricKeyDetails(): Record<string, unknown> | undefined {
    const m = this[kMaterial]
    if (m.kind === 'secret') return undefined
    if (m.kind === 'ed25519' || m.kind === 'x25519') return {}
    const info = native().keyInfo(m.handle)
    if (info.type === 'EC') return { namedCurve: curveNames[info.curve] }
    let e = 0n
    for (const b of new Uint8Array(info.publicExponent)) e = (e << 8n) | BigInt(b)
    return { modulusLength: info.modulusLength, publicExponent: e }
  }

  export(options?: unknown): Buffer | string | Record<string, string> {
    return exportKey(this, options)
  }

  equals(other: unknown): boolean {
    if (!isKeyObject(other)) throw invalidArgType('otherKeyObject', 'KeyObject', other)
    if (other.type !== this.type || other.asymmetricKeyType !== this.asymmetricKeyType) return false
    const a = canonical(this)
    const b = canonical(other)
    return a.length === b.length && native().timingSafeEqual(a, b)
  }

  static from(key: unknown): KeyObject {
    const subtle = web.subtle()
    if (!subtle.isCryptoKey(key)) throw invalidArgType('key', 'CryptoKey', key)
    return fromCryptoKey(key as { type: KeyType; algorithm: { name: string } }, subtle.materialOf(key))
  }
}
Object.defineProperty(KeyObject.prototype, Symbol.toStringTag, { value: 'KeyObject', configurable: true })

export class SecretKeyObject extends KeyObject {}
export class PublicKeyObject extends KeyObject {}
export class PrivateKeyObject extends KeyObject {}

export function newKey(type: KeyType, material: Material): KeyObject {
  const C = type === 'secret' ? SecretKeyObject : type === 'public' ? PublicKeyObject : PrivateKeyObject
  return new C(type, { [kCreate]: material })
}

export function isKeyObject(v: unknown): v is KeyObject {
  return v instanceof KeyObject
}

export function materialOf(key: KeyObject): Material {
  return key[kMaterial]
}

function fromCryptoKey(key: { type: KeyType; algorithm: { name: string } }, material: unknown): KeyObject {
  const name = key.algorithm.name
  if (key.type === 'secret') return newKey('secret', { kind: 'secret', bytes: material as Uint8Array })
  if (name === 'Ed25519' || name === 'X25519') {
    const m = material as { private?: Uint8Array; public: Uint8Array }
    return newKey(key.type, { kind: name === 'Ed25519' ? 'ed25519' : 'x25519', priv: m.private, pub: m.public })
  }
  return newKey(key.type, { kind: name === 'ECDSA' || name === 'ECDH' ? 'ec' : 'rsa', handle: material as KeyHandle })
}

/** The bytes two keys of one type are compared by. */
function canonical(key: KeyObject): Uint8Array {
  const m = key[kMaterial]
  if (m.kind === 'secret') return m.bytes
  if (m.kind === 'rsa' || m.kind === 'ec') return new Uint8Array(native().keyExport(m.handle, key.type === 'private' ? 'pkcs8' : 'spki'))
  return key.type === 'private' ? m.priv! : m.pub
}

// --- Ed25519 and X25519 in DER: one fixed shape each (RFC 8410), as OpenSSL writes them.
const okpOid: Record<string, number> = { x25519: 0x6e, ed25519: 0x70 }
const spkiHeader = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0, 0x03, 0x21, 0x00]
const pkcs8Header = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0, 0x04, 0x22, 0x04, 0x20]

function okpFromDer(der: Uint8Array, isPrivate: boolean): Material | undefined {
  const header = isPrivate ? pkcs8Header : spkiHeader
  const oidAt = isPrivate ? 11 : 8
  if (der.length !== header.length + 32) return undefined
  for (let i = 0; i < header.length; i++) if (i !== oidAt && der[i] !== header[i]) return undefined
  const kind = der[oidAt] === 0x70 ? 'ed25519' : der[oidAt] === 0x6e ? 'x25519' : undefined
  if (!kind) return undefined
  const raw = der.slice(header.length)
  return isPrivate ? { kind, priv: raw, pub: okpPublic(kind, raw) } : { kind, pub: raw }
}

export function okpPublic(kind: 'ed25519' | 'x25519', priv: Uint8Array): Uint8Array {
  const c = native()
  return new Uint8Array(kind === 'ed25519' ? c.ed25519Public(priv) : c.x25519Public(priv))
}

function okpToDer(kind: 'ed25519' | 'x25519', raw: Uint8Array, isPrivate: boolean): Uint8Array {
  const header = isPrivate ? pkcs8Header : spkiHeader
  const out = new Uint8Array(header.length + 32)
  out.set(header)
  out[isPrivate ? 11 : 8] = okpOid[kind]
  out.set(raw, header.length)
  return out
}

// --- parsing
type DerType = 'spki' | 'pkcs8' | 'pkcs1' | 'sec1'

/** Which DER a PEM label holds, and whether it is a private key. */
const pemLabels: Record<string, [DerType, boolean]> = {
  'PUBLIC KEY': ['spki', false],
  'RSA PUBLIC KEY': ['pkcs1', false],
  'PRIVATE KEY': ['pkcs8', true],
  'RSA PRIVATE KEY': ['pkcs1', true],
  'EC PRIVATE KEY': ['sec1', true],
}

function parseDer(der: Uint8Array, type: DerType, isPrivate: boolean): { material: Material; isPrivate: boolean } {
  if (type === 'spki' || type === 'pkcs8') {
    const okp = okpFromDer(der, isPrivate)
    if (okp) return { material: okp, isPrivate }
  }
  let handle: KeyHandle
  try {
    handle = native().keyParse(der, type, isPrivate)
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_CRYPTO_INVALID_KEY') throw unsupported()
    throw err
  }
  return { material: { kind: native().keyInfo(handle).type === 'RSA' ? 'rsa' : 'ec', handle }, isPrivate }
}

function parsePem(text: string): { material: Material; isPrivate: boolean } {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \1-----/.exec(text)
  const label = m && pemLabels[m[1]]
  if (!m || !label) throw unsupported()
  return parseDer(Buffer.from(m[2].replace(/\s+/g, ''), 'base64'), label[0], label[1])
}

function parseJwk(jwk: unknown, wantPrivate: boolean): { material: Material; isPrivate: boolean } {
  if (typeof jwk !== 'object' || jwk === null) throw invalidArgType('key.key', 'object', jwk)
  const j = jwk as Record<string, unknown>
  const member = (name: string) => {
    const v = j[name]
    if (typeof v !== 'string') throw invalidArgType(`key.${name}`, 'string', v)
    return Buffer.from(v, 'base64url')
  }
  const invalid = () => cryptoError('ERR_CRYPTO_INVALID_JWK', 'Invalid JWK data', TypeError)
  const isPrivate = wantPrivate || false
  if (j.kty === 'RSA') {
    const parts = (isPrivate ? ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] : ['n', 'e']).map(member)
    try {
      return { material: { kind: 'rsa', handle: (native().rsaImport as (...a: Uint8Array[]) => KeyHandle)(...parts) }, isPrivate }
    } catch {
      throw invalid()
    }
  }
  if (j.kty === 'EC') {
    const curve = curveOf(j.crv)
    if (typeof j.crv !== 'string') throw invalidArgType('key.crv', 'string', j.crv)
    if (!curve) throw invalidArgValue('key.crv', j.crv, "must be one of: 'P-256', 'secp256k1', 'P-384', 'P-521'")
    const x = member('x')
    const y = member('y')
    const point = new Uint8Array(1 + x.length + y.length)
    point[0] = 4
    point.set(x, 1)
    point.set(y, 1 + x.length)
    try {
      return { material: { kind: 'ec', handle: native().ecImport(curve, point, isPrivate ? member('d') : undefined) }, isPrivate }
    } catch {
      throw invalid()
    }
  }
  if (j.kty === 'OKP') {
    const kind = j.crv === 'Ed25519' ? 'ed25519' : j.crv === 'X25519' ? 'x25519' : undefined
    if (typeof j.crv !== 'string') throw invalidArgType('key.crv', 'string', j.crv)
    if (!kind) throw invalidArgValue('key.crv', j.crv, "must be one of: 'Ed25519', 'Ed448', 'X25519', 'X448'")
    const pub = member('x')
    if (pub.length !== 32) throw invalid()
    if (!isPrivate) return { material: { kind, pub }, isPrivate }
    const priv = member('d')
    if (priv.length !== 32) throw invalid()
    return { material: { kind, priv, pub: okpPublic(kind, priv) }, isPrivate }
  }
  if (typeof j.kty !== 'string') throw invalidArgType('key.kty', 'string', j.kty)
  throw invalidArgValue('key.kty', j.kty, "must be one of: 'RSA', 'EC', 'OKP'")
}

const keyInputTypes = ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView', 'KeyObject', 'CryptoKey']

/** A KeyObject for any asymmetric key argument: KeyObject, CryptoKey, PEM, or { key, format, type, encoding }. */
export function asymmetricKey(key: unknown, wantPrivate: boolean, argName = 'key'): KeyObject {
  if (isKeyObject(key)) return key
  if (typeof key === 'object' && key !== null && !isView(key) && !isAnyArrayBuffer(key)) {
    if (web.subtle().isCryptoKey(key)) return KeyObject.from(key)
    return fromOptions(key as Record<string, unknown>, wantPrivate)
  }
  if (typeof key === 'string' || isView(key) || isAnyArrayBuffer(key)) return fromParsed(parsePem(pemText(key)), wantPrivate)
  throw invalidArgType(argName, keyInputTypes, key)
}

function pemText(key: string | ArrayBufferView | ArrayBuffer, encoding?: unknown): string {
  if (typeof key === 'string') return key
  return Buffer.from(toBytes(key, 'key', encoding)).toString('latin1')
}

function fromOptions(o: Record<string, unknown>, wantPrivate: boolean): KeyObject {
  const data = o.key
  if (isKeyObject(data)) return data
  if (typeof data === 'object' && data !== null && !isView(data) && !isAnyArrayBuffer(data) && web.subtle().isCryptoKey(data)) {
    return KeyObject.from(data)
  }
  const format = o.format ?? 'pem'
  if (format === 'jwk') return fromParsed(parseJwk(data, wantPrivate && (data as { d?: unknown })?.d !== undefined), wantPrivate)
  if (typeof data !== 'string' && !isView(data) && !isAnyArrayBuffer(data)) {
    throw invalidArgType('key.key', ['string', ...binaryTypes], data)
  }
  if (format === 'pem') return fromParsed(parsePem(pemText(data, o.encoding)), wantPrivate)
  if (format !== 'der') throw invalidArgValue('key.format', format)
  const type = o.type
  const der = typeof data === 'string' ? Buffer.from(data, (o.encoding as BufferEncoding) ?? 'utf8') : isView(data) ? viewBytes(data) : new Uint8Array(data)
  if (wantPrivate) {
    if (type !== 'pkcs1' && type !== 'pkcs8' && type !== 'sec1') throw invalidArgValue('options.type', type)
    return fromParsed(parseDer(der, type, true), true)
  }
  // A public key may be read from its private key's DER too, as Node does.
  if (type === 'spki' || (type === 'pkcs1' && !looksPrivatePkcs1(der))) return fromParsed(parseDer(der, type, false), false)
  if (type === 'pkcs1' || type === 'pkcs8' || type === 'sec1') return fromParsed(parseDer(der, type, true), false)
  throw invalidArgValue('options.type', type)
}

/** An RSAPrivateKey opens with INTEGER version 0 then INTEGER n; an RSAPublicKey with INTEGER n (large). */
function looksPrivatePkcs1(der: Uint8Array): boolean {
  let at = der[1] & 0x80 ? 2 + (der[1] & 0x7f) : 2
  return der[at] === 0x02 && der[at + 1] === 0x01 && der[at + 2] === 0x00
}

function fromParsed(parsed: { material: Material; isPrivate: boolean }, wantPrivate: boolean): KeyObject {
  // OpenSSL's decoder, asked for a private key in a public one, reports this (as in Node 20).
  if (wantPrivate && !parsed.isPrivate)
    throw cryptoError('ERR_OSSL_EVP_MEMORY_LIMIT_EXCEEDED', 'error:030000AC:digital envelope routines::memory limit exceeded')
  if (!wantPrivate && parsed.isPrivate) return publicOf(parsed.material)
  return newKey(parsed.isPrivate ? 'private' : 'public', parsed.material)
}

/** The public half of a private key's material, as a public KeyObject. */
export function publicOf(m: Material): KeyObject {
  if (m.kind === 'secret') throw wrongKeyType('secret', 'private')
  if (m.kind === 'rsa' || m.kind === 'ec') return newKey('public', { kind: m.kind, handle: native().keyPublic(m.handle) })
  return newKey('public', { kind: m.kind, pub: m.pub })
}

export function createSecretKey(key: unknown, encoding?: unknown): KeyObject {
  if (typeof key !== 'string' && !isView(key) && !isAnyArrayBuffer(key)) throw invalidArgType('key', binaryTypes, key)
  const bytes = toBytes(key, 'key', encoding)
  return newKey('secret', { kind: 'secret', bytes: bytes.slice() })
}

export function createPublicKey(key: unknown): KeyObject {
  if (isKeyObject(key)) {
    if (key.type === 'private') return publicOf(materialOf(key))
    if (key.type === 'secret') throw invalidArgType('key', ['string', ...binaryTypes], key)
    throw wrongKeyType(key.type, 'private')
  }
  return asymmetricKey(key, false)
}

export function createPrivateKey(key: unknown): KeyObject {
  if (isKeyObject(key)) {
    if (key.type !== 'private') throw invalidArgType('key', ['string', ...binaryTypes], key)
    return key
  }
  if (key === null || (typeof key !== 'object' && typeof key !== 'string')) {
    if (!isView(key) && !isAnyArrayBuffer(key)) throw invalidArgType('key', keyInputTypes, key)
  }
  return asymmetricKey(key, true)
}

// --- export
function pem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64')
  let body = ''
  for (let i = 0; i < b64.length; i += 64) body += `${b64.slice(i, i + 64)}\n`
  return `-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`
}

function b64u(bytes: ArrayBuffer | Uint8Array): string {
  return Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('base64url')
}

function exportJwk(key: KeyObject): Record<string, string> {
  const m = key[kMaterial]
  if (m.kind === 'secret') return { kty: 'oct', k: b64u(m.bytes) }
  if (m.kind === 'ed25519' || m.kind === 'x25519') {
    const crv = m.kind === 'ed25519' ? 'Ed25519' : 'X25519'
    return key.type === 'private' ? { crv, d: b64u(m.priv!), x: b64u(m.pub), kty: 'OKP' } : { crv, x: b64u(m.pub), kty: 'OKP' }
  }
  const parts = native().keyComponents(m.handle)
  if (m.kind === 'rsa') {
    const out: Record<string, string> = { kty: 'RSA' }
    for (const name of ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi']) if (parts[name]) out[name] = b64u(parts[name])
    return out
  }
  const info = native().keyInfo(m.handle) as { curve: CurveName }
  const out: Record<string, string> = { kty: 'EC', x: b64u(parts.x), y: b64u(parts.y), crv: info.curve }
  if (parts.d) out.d = b64u(parts.d)
  return out
}

function incompatible(type: string, forKeys: string): Error {
  return cryptoError('ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS', `The selected key encoding ${type} can only be used for ${forKeys} keys.`)
}

function exportKey(key: KeyObject, options: unknown): Buffer | string | Record<string, string> {
  const m = key[kMaterial]
  if (m.kind === 'secret') {
    const format = (options as { format?: unknown } | undefined)?.format
    if (format === 'jwk') return exportJwk(key)
    if (format !== undefined && format !== 'buffer') throw invalidArgValue('options.format', format, "must be one of: undefined, 'buffer', 'jwk'")
    return Buffer.from(m.bytes)
  }
  if (typeof options !== 'object' || options === null) throw invalidArgType('options', 'object', options)
  const { format, type, cipher } = options as Record<string, unknown>
  if (format === 'jwk') return exportJwk(key)
  const isPrivate = key.type === 'private'
  const allowed = isPrivate ? ['pkcs1', 'pkcs8', 'sec1'] : ['pkcs1', 'spki']
  if (typeof type !== 'string' || allowed.indexOf(type) < 0) throw invalidArgValue('options.type', type)
  if (format !== 'pem' && format !== 'der') throw invalidArgValue('options.format', format)
  if (cipher !== undefined) throw cryptoError('ERR_FEATURE_UNAVAILABLE_ON_PLATFORM', 'Encrypted private keys are not supported by scratchfn', TypeError)
  if (type === 'pkcs1' && m.kind !== 'rsa') throw incompatible('pkcs1', 'RSA')
  if (type === 'sec1' && m.kind !== 'ec') throw incompatible('sec1', 'EC')
  let der: Uint8Array
  if (m.kind === 'ed25519' || m.kind === 'x25519') der = okpToDer(m.kind, isPrivate ? m.priv! : m.pub, isPrivate)
  else der = new Uint8Array(native().keyExport(m.handle, type as DerType))
  if (format === 'der') return Buffer.from(der)
  const label =
    type === 'spki' ? 'PUBLIC KEY' : type === 'pkcs8' ? 'PRIVATE KEY' : type === 'sec1' ? 'EC PRIVATE KEY' : isPrivate ? 'RSA PRIVATE KEY' : 'RSA PUBLIC KEY'
  return pem(label, der)
}
