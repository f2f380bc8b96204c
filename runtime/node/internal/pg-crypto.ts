// What pg (node-postgres) gets for node:crypto in an image bundle: the two things it uses,
// createHash('md5') for MD5 logins and webcrypto for SCRAM-SHA-256 (with PBKDF2 added), so
// a function on PostgreSQL does not carry every hash node:crypto offers.
import { md5 } from '@noble/hashes/legacy.js'
import { Buffer } from '../buffer.ts'
import { subtleWithPbkdf2 } from './webcrypto-pbkdf2.ts'

export function createHash(algorithm: string) {
  if (String(algorithm).toLowerCase() !== 'md5') throw new Error(`Digest method not supported: ${algorithm}`)
  const h = md5.create()
  return {
    update(data: string | Uint8Array, encoding?: BufferEncoding) {
      h.update(typeof data === 'string' ? Buffer.from(data, encoding ?? 'utf8') : data)
      return this
    },
    digest(encoding?: BufferEncoding) {
      const out = Buffer.from(h.digest())
      return encoding ? out.toString(encoding) : out
    },
  }
}

export const webcrypto = {
  subtle: subtleWithPbkdf2,
  getRandomValues: <T extends ArrayBufferView>(view: T): T => globalThis.crypto.getRandomValues(view as never) as T,
}
