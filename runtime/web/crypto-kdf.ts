// HKDF and PBKDF2: their keys (raw import only, never extractable) and deriveBits, on
// the core's mbedTLS (crypto-kdf.c). A key holds its bytes.
import type { HashName } from './core.ts'
import type { Family } from './crypto-algorithm.ts'
import { importError } from './crypto-algorithm.ts'
import { checkUsages, createKey, materialOf } from './crypto-key.ts'
import { callCore, domError, operationError } from './crypto-native.ts'
import type { Normalized } from './crypto-normalize.ts'
import { copyOf } from './crypto-webidl.ts'

function bytesOf(length: number | null): number {
  if (length === null) throw operationError('length cannot be null')
  if (length % 8) throw operationError('length must be a multiple of 8')
  return length / 8
}

export const kdf: Family = {
  importKey(format, data, alg, extractable, usages) {
    if (extractable) throw domError(`${alg.name} keys are not extractable`, 'SyntaxError')
    checkUsages(usages, ['deriveKey', 'deriveBits'], `Unsupported key usage for a ${alg.name} key`)
    if (format !== 'raw') throw importError(alg.name, format)
    return createKey('secret', false, { name: alg.name }, usages, copyOf(data as Uint8Array))
  },

  deriveBits(alg: Normalized, key, length) {
    const bytes = bytesOf(length)
    const hash = alg.hash!.name as HashName
    const secret = materialOf<Uint8Array>(key)
    if (alg.name === 'HKDF') return callCore((c) => c.hkdf(hash, secret, alg.salt, alg.info, bytes))
    if (alg.iterations === 0) throw operationError('iterations cannot be zero')
    return callCore((c) => c.pbkdf2(hash, secret, alg.salt, alg.iterations, bytes))
  },

  getKeyLength: () => null,
}
