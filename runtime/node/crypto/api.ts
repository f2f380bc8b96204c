// node:crypto's functions and classes, gathered from the files that make them (crypto.ts
// adds webcrypto and subtle; default.ts is what require('crypto') returns).
import { Cipheriv, Decipheriv, cipherNames, createCipheriv, createDecipheriv } from './cipher.ts'
import { Hash, Hmac, createHash, createHmac, hash } from './hash.ts'
import { hkdf, hkdfSync, pbkdf2, pbkdf2Sync, scrypt, scryptSync } from './kdf.ts'
import { ECDH, createECDH, diffieHellman, generateKey, generateKeyPair, generateKeyPairSync, generateKeySync } from './keygen.ts'
import { KeyObject, createPrivateKey, createPublicKey, createSecretKey } from './keys.ts'
import { getRandomValues, randomBytes, randomFill, randomFillSync, randomInt, randomUUID } from './random.ts'
import {
  RSA_PKCS1_PADDING,
  RSA_PKCS1_PSS_PADDING,
  RSA_PSS_SALTLEN_AUTO,
  RSA_PSS_SALTLEN_DIGEST,
  RSA_PSS_SALTLEN_MAX_SIGN,
  Sign,
  Verify,
  createSign,
  createVerify,
  sign,
  verify,
} from './sign.ts'
import { hashNames, native } from './util.ts'
import { nodeError } from '../internal/errors.ts'

export {
  Cipheriv,
  Decipheriv,
  ECDH,
  Hash,
  Hmac,
  KeyObject,
  Sign,
  Verify,
  createCipheriv,
  createDecipheriv,
  createECDH,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  createSign,
  createVerify,
  diffieHellman,
  generateKey,
  generateKeyPair,
  generateKeyPairSync,
  generateKeySync,
  getRandomValues,
  hash,
  hkdf,
  hkdfSync,
  pbkdf2,
  pbkdf2Sync,
  randomBytes,
  randomFill,
  randomFillSync,
  randomInt,
  randomUUID,
  scrypt,
  scryptSync,
  sign,
  verify,
}

export const constants = Object.freeze({
  RSA_PKCS1_PADDING,
  RSA_NO_PADDING: 3,
  RSA_PKCS1_OAEP_PADDING: 4,
  RSA_X931_PADDING: 5,
  RSA_PKCS1_PSS_PADDING,
  RSA_PSS_SALTLEN_DIGEST,
  RSA_PSS_SALTLEN_MAX_SIGN,
  RSA_PSS_SALTLEN_AUTO,
  POINT_CONVERSION_COMPRESSED: 2,
  POINT_CONVERSION_UNCOMPRESSED: 4,
  POINT_CONVERSION_HYBRID: 6,
})

export function getHashes(): string[] {
  return hashNames.slice()
}

export function getCiphers(): string[] {
  return cipherNames.slice()
}

export function getCurves(): string[] {
  return ['prime256v1', 'secp384r1', 'secp521r1']
}

export function timingSafeEqual(buf1: unknown, buf2: unknown): boolean {
  for (const [v, name] of [
    [buf1, 'buf1'],
    [buf2, 'buf2'],
  ] as const) {
    // Node's own wording for this one: no "Received ...".
    if (!ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer))
      throw nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "${name}" argument must be an instance of ArrayBuffer, Buffer, TypedArray, or DataView.`)
  }
  const a = buf1 as ArrayBufferView | ArrayBuffer
  const b = buf2 as ArrayBufferView | ArrayBuffer
  if (a.byteLength !== b.byteLength) throw nodeError(RangeError, 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH', 'Input buffers must have the same byte length')
  return native().timingSafeEqual(a, b)
}

export function getFips(): number {
  return 0
}
