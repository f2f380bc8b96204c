// JSON Web Keys (RFC 7517) as crypto.subtle imports and exports them: base64url members,
// and the checks every family makes on import ("use", "key_ops", "ext"), with Node's
// DataError messages. Each family checks "kty", "alg" and its own members.
import type { KeyUsage } from './crypto-key.ts'
import { dataError } from './crypto-native.ts'

export interface JsonWebKey {
  kty?: string
  use?: string
  key_ops?: string[]
  alg?: string
  ext?: boolean
  crv?: string
  x?: string
  y?: string
  d?: string
  n?: string
  e?: string
  p?: string
  q?: string
  dp?: string
  dq?: string
  qi?: string
  k?: string
  [member: string]: unknown
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
let values: Int8Array | undefined

export function base64url(data: ArrayBuffer | Uint8Array): string {
  const b = data instanceof Uint8Array ? data : new Uint8Array(data)
  let out = ''
  let i = 0
  for (; i + 2 < b.length; i += 3) {
    const n = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2]
    out += alphabet[n >> 18] + alphabet[(n >> 12) & 63] + alphabet[(n >> 6) & 63] + alphabet[n & 63]
  }
  if (i < b.length) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8)
    out += alphabet[n >> 18] + alphabet[(n >> 12) & 63]
    if (i + 1 < b.length) out += alphabet[(n >> 6) & 63]
  }
  return out
}

/**
 * Decodes base64url as Node's Buffer does, leniently: '+' and '/' count too, other
 * characters are skipped, and a lone trailing character is dropped. A malformed member
 * then fails as a key of the wrong size, where Node fails it.
 */
export function fromBase64url(text: string): Uint8Array {
  if (!values) {
    values = new Int8Array(128).fill(-1)
    for (let i = 0; i < 64; i++) values[alphabet.charCodeAt(i)] = i
    values[43] = 62 // '+'
    values[47] = 63 // '/'
  }
  const out = new Uint8Array(Math.floor((text.length * 6) / 8))
  let bits = 0
  let acc = 0
  let o = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 61) break // '=' ends the data
    const v = c < 128 ? values[c] : -1
    if (v < 0) continue
    acc = ((acc << 6) | v) & 0xffffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (acc >> bits) & 0xff
    }
  }
  return out.subarray(0, o)
}

/** A required base64url member. */
export function member(jwk: JsonWebKey, name: string, message = 'Invalid keyData'): Uint8Array {
  const value = jwk[name]
  if (typeof value !== 'string') throw dataError(message)
  return fromBase64url(value)
}

/** The checks RFC 7517 and the Web Crypto spec ask of any imported JWK. */
export function checkJwk(jwk: JsonWebKey, usages: readonly KeyUsage[], extractable: boolean, use: 'sig' | 'enc'): void {
  if (usages.length > 0 && jwk.use !== undefined && jwk.use !== use) throw dataError('Invalid JWK "use" Parameter')
  if (jwk.key_ops !== undefined) {
    const ops = jwk.key_ops
    for (let i = 0; i < ops.length; i++) if (ops.indexOf(ops[i]) !== i) throw dataError('Duplicate key operation')
    for (const u of usages) if (ops.indexOf(u) < 0) throw dataError('Key operations and usage mismatch')
  }
  if (jwk.ext === false && extractable) throw dataError('JWK "ext" Parameter and extractable mismatch')
}

/** Node's member order for an exported JWK: key_ops and ext first, then the key's own. */
export function exportedJwk(usages: readonly KeyUsage[], extractable: boolean, members: Record<string, string>): JsonWebKey {
  return { key_ops: usages.slice(), ext: extractable, ...members }
}
