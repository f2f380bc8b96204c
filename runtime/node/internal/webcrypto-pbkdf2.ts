// The runtime's crypto.subtle with PBKDF2-SHA-256 added (on @noble/hashes) where it has
// none, which PostgreSQL's SCRAM-SHA-256 login needs (pg derives its key through Web
// Crypto). Other hashes, and everything else, go to the runtime's own subtle; only SHA-256
// is carried, to keep functions on PostgreSQL small.
import { sha256 } from '@noble/hashes/sha2.js'
import { pbkdf2 as noblePbkdf2 } from '@noble/hashes/pbkdf2.js'

type Input = ArrayBufferView | ArrayBuffer
const native = globalThis.crypto.subtle
const rawKeys = new WeakMap<object, Uint8Array>()
const algName = (a: unknown) => (typeof a === 'string' ? a : (a as { name: string }).name).toUpperCase()
const bytes = (d: Input) => (d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength))

export const subtleWithPbkdf2: SubtleCrypto = Object.create(native, {
  importKey: {
    value(format: string, keyData: Input, algorithm: unknown, extractable: boolean, usages: string[]) {
      if (format === 'raw' && algName(algorithm) === 'PBKDF2') {
        const key = { type: 'secret', extractable: false, algorithm: { name: 'PBKDF2' }, usages }
        rawKeys.set(key, bytes(keyData).slice())
        return Promise.resolve(key)
      }
      return native.importKey(format as never, keyData as never, algorithm as never, extractable, usages as never)
    },
  },
  deriveBits: {
    value(algorithm: { name: string; hash: unknown; salt: Input; iterations: number }, key: object, length: number) {
      const raw = rawKeys.get(key)
      if (raw === undefined) return native.deriveBits(algorithm as never, key as never, length)
      if (algName(algorithm.hash) !== 'SHA-256') return Promise.reject(new TypeError(`PBKDF2 here derives with SHA-256 only, not ${algName(algorithm.hash)}`))
      const out = noblePbkdf2(sha256, raw, bytes(algorithm.salt), { c: algorithm.iterations, dkLen: length / 8 })
      return Promise.resolve(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength))
    },
  },
})
