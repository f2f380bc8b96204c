// The Web Crypto spec's "normalize an algorithm": which algorithms each operation
// supports, and the parameter dictionary each one takes there. A name matches
// case-insensitively and comes back in its registered spelling; a hash member is itself
// normalized as a digest. Unknown names are NotSupportedError, malformed parameters
// TypeError, both with Node's messages.
import { domError } from './crypto-native.ts'
import {
  algorithmIdentifier,
  bigInteger,
  bufferSource,
  cryptoKey,
  dictionary,
  domString,
  enforceRange,
  type Dictionary,
  type Member,
  type Where,
} from './crypto-webidl.ts'

export type Operation =
  | 'digest'
  | 'generateKey'
  | 'importKey'
  | 'sign'
  | 'verify'
  | 'encrypt'
  | 'decrypt'
  | 'deriveBits'
  | 'get key length'
  | 'wrapKey'
  | 'unwrapKey'

/** A normalized algorithm: its registered name and its converted parameters. */
export interface Normalized {
  name: string
  hash?: Normalized
  [member: string]: any
}

const name: Member = { key: 'name', convert: domString, required: true }
const hash: Member = { key: 'hash', convert: algorithmIdentifier, required: true }
const required = (key: string, convert: Member['convert']): Member => ({ key, convert, required: true })
const params = (dict: string, ...members: Member[]) => dictionary(dict, [name, ...members])

const rsaKeyGen = params('RsaHashedKeyGenParams', required('modulusLength', enforceRange(32)), required('publicExponent', bigInteger), hash)
const ecKeyGen = params('EcKeyGenParams', required('namedCurve', domString))
const aesKeyGen = params('AesKeyGenParams', required('length', enforceRange(16)))
const hmacKeyGen = params('HmacKeyGenParams', hash, { key: 'length', convert: enforceRange(32) })
const rsaImport = params('RsaHashedImportParams', hash)
const ecImport = params('EcKeyImportParams', required('namedCurve', domString))
const hmacImport = params('HmacImportParams', hash, { key: 'length', convert: enforceRange(32) })
const rsaPss = params('RsaPssParams', required('saltLength', enforceRange(32)))
const ecdsa = params('EcdsaParams', hash)
const rsaOaep = params('RsaOaepParams', { key: 'label', convert: bufferSource })
const aesCbc = params('AesCbcParams', required('iv', bufferSource))
const aesGcm = params(
  'AesGcmParams',
  required('iv', bufferSource),
  { key: 'tagLength', convert: enforceRange(8) },
  { key: 'additionalData', convert: bufferSource },
)
const aesCtr = params('AesCtrParams', required('counter', bufferSource), required('length', enforceRange(8)))
const ecdh = params('EcdhKeyDeriveParams', required('public', cryptoKey))
const hkdf = params('HkdfParams', hash, required('salt', bufferSource), required('info', bufferSource))
const pbkdf2 = params('Pbkdf2Params', hash, required('iterations', enforceRange(32)), required('salt', bufferSource))
const aesDerived = params('AesDerivedKeyParams', required('length', enforceRange(16)))

const signing = { 'RSASSA-PKCS1-v1_5': null, 'RSA-PSS': rsaPss, ECDSA: ecdsa, HMAC: null, Ed25519: null }
const ciphers = { 'RSA-OAEP': rsaOaep, 'AES-CBC': aesCbc, 'AES-GCM': aesGcm, 'AES-CTR': aesCtr }

const registry: Record<Operation, Record<string, Dictionary | null>> = {
  digest: { 'SHA-1': null, 'SHA-256': null, 'SHA-384': null, 'SHA-512': null },
  generateKey: {
    'RSASSA-PKCS1-v1_5': rsaKeyGen,
    'RSA-PSS': rsaKeyGen,
    'RSA-OAEP': rsaKeyGen,
    ECDSA: ecKeyGen,
    ECDH: ecKeyGen,
    'AES-CTR': aesKeyGen,
    'AES-CBC': aesKeyGen,
    'AES-GCM': aesKeyGen,
    'AES-KW': aesKeyGen,
    HMAC: hmacKeyGen,
    Ed25519: null,
    X25519: null,
  },
  importKey: {
    'RSASSA-PKCS1-v1_5': rsaImport,
    'RSA-PSS': rsaImport,
    'RSA-OAEP': rsaImport,
    ECDSA: ecImport,
    ECDH: ecImport,
    HMAC: hmacImport,
    HKDF: null,
    PBKDF2: null,
    'AES-CTR': null,
    'AES-CBC': null,
    'AES-GCM': null,
    'AES-KW': null,
    Ed25519: null,
    X25519: null,
  },
  sign: signing,
  verify: signing,
  encrypt: ciphers,
  decrypt: ciphers,
  deriveBits: { HKDF: hkdf, PBKDF2: pbkdf2, ECDH: ecdh, X25519: ecdh },
  'get key length': {
    'AES-CBC': aesDerived,
    'AES-CTR': aesDerived,
    'AES-GCM': aesDerived,
    'AES-KW': aesDerived,
    HMAC: hmacImport,
    HKDF: null,
    PBKDF2: null,
  },
  wrapKey: { 'AES-KW': null },
  unwrapKey: { 'AES-KW': null },
}

const where: Where = { prefix: 'Failed to normalize algorithm', context: 'passed algorithm' }
const algorithm = dictionary('Algorithm', [name])

export function normalizeAlgorithm(alg: unknown, op: Operation): Normalized {
  if (typeof alg === 'string') return normalizeAlgorithm({ name: alg }, op)
  const wanted = (algorithm(alg, where).name as string).toUpperCase()
  const registered = registry[op]
  let found: string | undefined
  for (const key of Object.keys(registered)) if (key.toUpperCase() === wanted) found = key
  if (found === undefined) throw domError('Unrecognized algorithm name', 'NotSupportedError')
  const dict = registered[found]
  if (dict === null) return { name: found }
  const normalized = dict(alg, where) as Normalized
  normalized.name = found
  if (normalized.hash !== undefined) normalized.hash = normalizeAlgorithm(normalized.hash, 'digest')
  return normalized
}
