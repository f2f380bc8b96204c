// The hash functions behind crypto.subtle. crypto.ts loads this module as a lazy
// builtin on first use, so @noble/hashes is evaluated only by apps that hash.
import { hmac } from '@noble/hashes/hmac.js'
import { sha1 } from '@noble/hashes/legacy.js'
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js'

export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512'

export const hashes = { 'SHA-1': sha1, 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 }

export function digest(name: HashName, data: Uint8Array): Uint8Array {
  return hashes[name](data)
}

export function mac(name: HashName, key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(hashes[name], key, data)
}
