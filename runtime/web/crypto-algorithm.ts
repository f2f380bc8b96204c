// What each algorithm family (crypto-sha.ts, crypto-rsa.ts, crypto-ec.ts, crypto-okp.ts,
// crypto-aes.ts, crypto-kdf.ts) provides to SubtleCrypto (crypto-subtle.ts), which has
// already converted the arguments, normalized the algorithm and checked that the key
// suits the operation by name and usage. Families do the rest of the spec's steps.
import { domError } from './crypto-native.ts'
import type { DOMException } from './dom-exception.ts'
import type { CryptoKey, CryptoKeyPair, KeyUsage } from './crypto-key.ts'
import type { JsonWebKey } from './crypto-jwk.ts'
import type { Normalized } from './crypto-normalize.ts'

export type KeyFormat = 'raw' | 'spki' | 'pkcs8' | 'jwk'
export const keyFormats: readonly KeyFormat[] = ['raw', 'pkcs8', 'spki', 'jwk']

export interface Family {
  generateKey?(alg: Normalized, extractable: boolean, usages: KeyUsage[]): CryptoKey | CryptoKeyPair
  importKey?(format: KeyFormat, data: Uint8Array | JsonWebKey, alg: Normalized, extractable: boolean, usages: KeyUsage[]): CryptoKey
  /** The key is extractable; a format the key has no form in throws (see exportError). */
  exportKey?(format: KeyFormat, key: CryptoKey): ArrayBuffer | JsonWebKey
  sign?(alg: Normalized, key: CryptoKey, data: Uint8Array): ArrayBuffer
  verify?(alg: Normalized, key: CryptoKey, signature: Uint8Array, data: Uint8Array): boolean
  encrypt?(alg: Normalized, key: CryptoKey, data: Uint8Array): ArrayBuffer
  decrypt?(alg: Normalized, key: CryptoKey, data: Uint8Array): ArrayBuffer
  /** AES-KW only; the others wrap with encrypt. */
  wrapKey?(alg: Normalized, key: CryptoKey, data: Uint8Array): ArrayBuffer
  unwrapKey?(alg: Normalized, key: CryptoKey, data: Uint8Array): ArrayBuffer
  deriveBits?(alg: Normalized, key: CryptoKey, length: number | null): ArrayBuffer
  /** The length a derived key of this algorithm needs, or null when any will do. */
  getKeyLength?(alg: Normalized): number | null
}

/** Node's message for a format the key has no form in (it says "raw" for spki too). */
export function exportError(format: KeyFormat, key: CryptoKey): DOMException {
  return domError(`Unable to export a ${format === 'pkcs8' ? 'pkcs8' : 'raw'} ${key.algorithm.name} ${key.type} key`, 'InvalidAccessError')
}

/** Node's message for a format an algorithm cannot import. */
export function importError(what: string, format: KeyFormat): DOMException {
  return domError(`Unable to import ${what} key with format ${format}`, 'NotSupportedError')
}
