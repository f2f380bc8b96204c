// SubtleCrypto, as the Web Crypto spec defines its twelve methods: convert the arguments
// (WebIDL), normalize the algorithm, check the key against the operation, then hand the
// work to the algorithm's family (crypto-<family>.ts), which calls the C core. Everything
// runs before the method returns its promise, so the caller's buffers are read as they
// were at the call. Errors, their order and their messages follow Node's.
import { core } from './core.ts'
import type { Family, KeyFormat } from './crypto-algorithm.ts'
import { keyFormats } from './crypto-algorithm.ts'
import { aes } from './crypto-aes.ts'
import { ec } from './crypto-ec.ts'
import type { JsonWebKey } from './crypto-jwk.ts'
import { kdf } from './crypto-kdf.ts'
import { type CryptoKey, type CryptoKeyPair, type KeyUsage, isCryptoKey, keyUsages } from './crypto-key.ts'
import { dataError, domError } from './crypto-native.ts'
import { type Normalized, normalizeAlgorithm } from './crypto-normalize.ts'
import { okp } from './crypto-okp.ts'
import { rsa } from './crypto-rsa.ts'
import { digest, hmac } from './crypto-sha.ts'
import {
  algorithmIdentifier,
  argument,
  boolean,
  bufferSource,
  cryptoKey,
  enumeration,
  jsonWebKey,
  requiredArguments,
  sequence,
  unsignedLong,
} from './crypto-webidl.ts'

const families: Record<string, Family> = {
  'RSASSA-PKCS1-v1_5': rsa,
  'RSA-PSS': rsa,
  'RSA-OAEP': rsa,
  ECDSA: ec,
  ECDH: ec,
  Ed25519: okp,
  X25519: okp,
  'AES-CTR': aes,
  'AES-CBC': aes,
  'AES-GCM': aes,
  'AES-KW': aes,
  HMAC: hmac,
  HKDF: kdf,
  PBKDF2: kdf,
}

const keyFormat = enumeration<KeyFormat>('KeyFormat', keyFormats)
const usageList = sequence(enumeration<KeyUsage>('KeyUsage', keyUsages))
const kCreate = Symbol('create')
const prefix = (method: string) => `Failed to execute '${method}' on 'SubtleCrypto'`

function family(alg: Normalized): Family {
  const f = families[alg.name]
  if (!f) throw domError('Unrecognized algorithm name', 'NotSupportedError')
  return f
}

function checkThis(self: unknown): void {
  if (self !== subtle) throw new TypeError('Value of "this" must be of type SubtleCrypto')
}

function hasUsage(key: CryptoKey, usage: KeyUsage): boolean {
  return key.usages.indexOf(usage) >= 0
}

function importNormalized(
  format: KeyFormat,
  data: Uint8Array | JsonWebKey,
  alg: Normalized,
  extractable: boolean,
  usages: KeyUsage[],
): CryptoKey {
  const f = family(alg)
  if (!f.importKey) throw domError('Unrecognized algorithm name', 'NotSupportedError')
  const key = f.importKey(format, data, alg, extractable, usages)
  if ((key.type === 'secret' || key.type === 'private') && key.usages.length === 0) {
    throw domError(`Usages cannot be empty when importing a ${key.type} key.`, 'SyntaxError')
  }
  return key
}

function exportChecked(format: KeyFormat, key: CryptoKey): ArrayBuffer | JsonWebKey {
  if (!key.extractable) throw domError('key is not extractable', 'InvalidAccessError')
  return families[key.algorithm.name].exportKey!(format, key)
}

/** encrypt, decrypt and their use by wrapKey and unwrapKey (AES-KW has its own wrap). */
function cipher(encrypt: boolean, alg: Normalized, key: CryptoKey, data: Uint8Array, usage: KeyUsage): ArrayBuffer {
  if (key.algorithm.name !== alg.name || !hasUsage(key, usage)) {
    throw domError('The requested operation is not valid for the provided key', 'InvalidAccessError')
  }
  const f = family(alg)
  const run = alg.name === 'AES-KW' ? (encrypt ? f.wrapKey : f.unwrapKey) : encrypt ? f.encrypt : f.decrypt
  if (!run || (alg.name === 'AES-KW' && usage !== 'wrapKey' && usage !== 'unwrapKey')) {
    throw domError('Unrecognized algorithm name', 'NotSupportedError')
  }
  return run(alg, key, data)
}

function derive(alg: Normalized, key: CryptoKey, length: number | null): ArrayBuffer {
  return family(alg).deriveBits!(alg, key, length)
}

function signOrVerify(alg: Normalized, key: CryptoKey, usage: 'sign' | 'verify'): Family {
  if (!hasUsage(key, usage) || alg.name !== key.algorithm.name) throw domError(`Unable to use this key to ${usage}`, 'InvalidAccessError')
  return family(alg)
}

function cipherMethod(
  self: unknown,
  method: 'encrypt' | 'decrypt',
  count: number,
  algorithm: unknown,
  key: unknown,
  data: unknown,
): ArrayBuffer {
  checkThis(self)
  requiredArguments(count, 3, prefix(method))
  const alg = algorithmIdentifier(algorithm, argument(method, 1))
  const k = cryptoKey(key, argument(method, 2))
  const bytes = bufferSource(data, argument(method, 3))
  return cipher(method === 'encrypt', normalizeAlgorithm(alg, method), k, bytes, method)
}

export class SubtleCrypto {
  constructor(token?: unknown) {
    if (token !== kCreate) throw new TypeError('Illegal constructor')
  }

  async digest(algorithm: unknown, data: unknown): Promise<ArrayBuffer> {
    checkThis(this)
    requiredArguments(arguments.length, 2, prefix('digest'))
    const alg = algorithmIdentifier(algorithm, argument('digest', 1))
    const bytes = bufferSource(data, argument('digest', 2))
    return digest(normalizeAlgorithm(alg, 'digest'), bytes)
  }

  async generateKey(algorithm: unknown, extractable: unknown, keyUsages: unknown): Promise<CryptoKey | CryptoKeyPair> {
    checkThis(this)
    requiredArguments(arguments.length, 3, prefix('generateKey'))
    const alg = algorithmIdentifier(algorithm, argument('generateKey', 1))
    const ext = boolean(extractable, argument('generateKey', 2))
    const usages = usageList(keyUsages, argument('generateKey', 3))
    const normalized = normalizeAlgorithm(alg, 'generateKey')
    const result = family(normalized).generateKey!(normalized, ext, usages)
    const checked = isCryptoKey(result) ? (result.type === 'public' ? undefined : result) : result.privateKey
    if (checked && checked.usages.length === 0) throw domError('Usages cannot be empty when creating a key.', 'SyntaxError')
    return result
  }

  async importKey(format: unknown, keyData: unknown, algorithm: unknown, extractable: unknown, keyUsages: unknown): Promise<CryptoKey> {
    checkThis(this)
    requiredArguments(arguments.length, 4, prefix('importKey'))
    const f = keyFormat(format, argument('importKey', 1))
    const data =
      f === 'jwk' ? (jsonWebKey(keyData, argument('importKey', 2)) as JsonWebKey) : bufferSource(keyData, argument('importKey', 2))
    const alg = algorithmIdentifier(algorithm, argument('importKey', 3))
    const ext = boolean(extractable, argument('importKey', 4))
    const usages = usageList(keyUsages, argument('importKey', 5))
    return importNormalized(f, data, normalizeAlgorithm(alg, 'importKey'), ext, usages)
  }

  async exportKey(format: unknown, key: unknown): Promise<ArrayBuffer | JsonWebKey> {
    checkThis(this)
    requiredArguments(arguments.length, 2, prefix('exportKey'))
    const f = keyFormat(format, argument('exportKey', 1))
    return exportChecked(f, cryptoKey(key, argument('exportKey', 2)))
  }

  async sign(algorithm: unknown, key: unknown, data: unknown): Promise<ArrayBuffer> {
    checkThis(this)
    requiredArguments(arguments.length, 3, prefix('sign'))
    const alg = algorithmIdentifier(algorithm, argument('sign', 1))
    const k = cryptoKey(key, argument('sign', 2))
    const bytes = bufferSource(data, argument('sign', 3))
    const normalized = normalizeAlgorithm(alg, 'sign')
    return signOrVerify(normalized, k, 'sign').sign!(normalized, k, bytes)
  }

  async verify(algorithm: unknown, key: unknown, signature: unknown, data: unknown): Promise<boolean> {
    checkThis(this)
    requiredArguments(arguments.length, 4, prefix('verify'))
    const alg = algorithmIdentifier(algorithm, argument('verify', 1))
    const k = cryptoKey(key, argument('verify', 2))
    const sig = bufferSource(signature, argument('verify', 3))
    const bytes = bufferSource(data, argument('verify', 4))
    const normalized = normalizeAlgorithm(alg, 'verify')
    return signOrVerify(normalized, k, 'verify').verify!(normalized, k, sig, bytes)
  }

  async encrypt(algorithm: unknown, key: unknown, data: unknown): Promise<ArrayBuffer> {
    return cipherMethod(this, 'encrypt', arguments.length, algorithm, key, data)
  }

  async decrypt(algorithm: unknown, key: unknown, data: unknown): Promise<ArrayBuffer> {
    return cipherMethod(this, 'decrypt', arguments.length, algorithm, key, data)
  }

  async deriveBits(algorithm: unknown, baseKey: unknown, length: unknown = null): Promise<ArrayBuffer> {
    checkThis(this)
    requiredArguments(arguments.length, 2, prefix('deriveBits'))
    const alg = algorithmIdentifier(algorithm, argument('deriveBits', 1))
    const key = cryptoKey(baseKey, argument('deriveBits', 2))
    const bits = length === null ? null : unsignedLong(length, argument('deriveBits', 3))
    const normalized = normalizeAlgorithm(alg, 'deriveBits')
    if (!hasUsage(key, 'deriveBits')) throw domError('baseKey does not have deriveBits usage', 'InvalidAccessError')
    if (key.algorithm.name !== normalized.name) throw domError('Key algorithm mismatch', 'InvalidAccessError')
    return derive(normalized, key, bits)
  }

  async deriveKey(
    algorithm: unknown,
    baseKey: unknown,
    derivedKeyType: unknown,
    extractable: unknown,
    keyUsages: unknown,
  ): Promise<CryptoKey> {
    checkThis(this)
    requiredArguments(arguments.length, 5, prefix('deriveKey'))
    const alg = algorithmIdentifier(algorithm, argument('deriveKey', 1))
    const key = cryptoKey(baseKey, argument('deriveKey', 2))
    const derivedAlg = algorithmIdentifier(derivedKeyType, argument('deriveKey', 3))
    const ext = boolean(extractable, argument('deriveKey', 4))
    const usages = usageList(keyUsages, argument('deriveKey', 5))
    const normalized = normalizeAlgorithm(alg, 'deriveBits')
    const importAlg = normalizeAlgorithm(derivedAlg, 'importKey')
    if (!hasUsage(key, 'deriveKey')) throw domError('baseKey does not have deriveKey usage', 'InvalidAccessError')
    if (key.algorithm.name !== normalized.name) throw domError('Key algorithm mismatch', 'InvalidAccessError')
    const lengthAlg = normalizeAlgorithm(derivedAlg, 'get key length')
    const length = family(lengthAlg).getKeyLength!(lengthAlg)
    const bits = derive(normalized, key, length)
    return importNormalized('raw', new Uint8Array(bits), importAlg, ext, usages)
  }

  async wrapKey(format: unknown, key: unknown, wrappingKey: unknown, wrapAlgorithm: unknown): Promise<ArrayBuffer> {
    checkThis(this)
    requiredArguments(arguments.length, 4, prefix('wrapKey'))
    const f = keyFormat(format, argument('wrapKey', 1))
    const k = cryptoKey(key, argument('wrapKey', 2))
    const wrapping = cryptoKey(wrappingKey, argument('wrapKey', 3))
    const alg = algorithmIdentifier(wrapAlgorithm, argument('wrapKey', 4))
    const normalized = wrapOrCipher(alg, 'wrapKey', 'encrypt')
    const exported = exportChecked(f, k)
    let bytes: Uint8Array
    if (f === 'jwk') {
      let json = JSON.stringify(exported)
      // AES-KW takes whole 8-byte blocks, and JSON may end in spaces (the spec's note).
      if (normalized.name === 'AES-KW' && json.length % 8 !== 0) json += ' '.repeat(8 - (json.length % 8))
      bytes = new Uint8Array(core.utf8Encode(json))
    } else {
      bytes = new Uint8Array(exported as ArrayBuffer)
    }
    return cipher(true, normalized, wrapping, bytes, 'wrapKey')
  }

  async unwrapKey(
    format: unknown,
    wrappedKey: unknown,
    unwrappingKey: unknown,
    unwrapAlgorithm: unknown,
    unwrappedKeyAlgorithm: unknown,
    extractable: unknown,
    keyUsages: unknown,
  ): Promise<CryptoKey> {
    checkThis(this)
    requiredArguments(arguments.length, 7, prefix('unwrapKey'))
    const f = keyFormat(format, argument('unwrapKey', 1))
    const wrapped = bufferSource(wrappedKey, argument('unwrapKey', 2))
    const unwrapping = cryptoKey(unwrappingKey, argument('unwrapKey', 3))
    const alg = algorithmIdentifier(unwrapAlgorithm, argument('unwrapKey', 4))
    const keyAlg = algorithmIdentifier(unwrappedKeyAlgorithm, argument('unwrapKey', 5))
    const ext = boolean(extractable, argument('unwrapKey', 6))
    const usages = usageList(keyUsages, argument('unwrapKey', 7))
    const normalized = wrapOrCipher(alg, 'unwrapKey', 'decrypt')
    const plain = new Uint8Array(cipher(false, normalized, unwrapping, wrapped, 'unwrapKey'))
    let data: Uint8Array | JsonWebKey = plain
    if (f === 'jwk') {
      try {
        data = JSON.parse(core.utf8Decode(plain, true, false))
      } catch {
        throw dataError('Invalid wrapped JWK key')
      }
      data = jsonWebKey(data, argument('importKey', 2)) as JsonWebKey
    }
    return importNormalized(f, data, normalizeAlgorithm(keyAlg, 'importKey'), ext, usages)
  }
}
Object.defineProperty(SubtleCrypto.prototype, Symbol.toStringTag, { value: 'SubtleCrypto', configurable: true })

export const subtle = new SubtleCrypto(kCreate)

/** The spec's step for (un)wrapKey: the algorithm as a wrap algorithm (AES-KW), else as a cipher. */
function wrapOrCipher(alg: unknown, op: 'wrapKey' | 'unwrapKey', cipherOp: 'encrypt' | 'decrypt'): Normalized {
  try {
    return normalizeAlgorithm(alg, op)
  } catch {
    return normalizeAlgorithm(alg, cipherOp)
  }
}
