// Web Crypto: crypto.getRandomValues and randomUUID on the core's getrandom(2), and
// crypto.subtle (every algorithm of the spec but X448/Ed448, on mbedTLS and libsodium in
// the C core). SubtleCrypto and CryptoKey are a lazy builtin (runtime/web/builtins/subtle.ts)
// read on first use, so a function that never touches them does not load them at start.
import { core } from './core.ts'
import { domExceptionClass } from './dom-exception-class.ts'

type SubtleModule = typeof import('./builtins/subtle.ts')
let subtleModule: SubtleModule | undefined

/** The crypto.subtle builtin: SubtleCrypto, CryptoKey and the one subtle object. */
export function subtleBuiltin(): SubtleModule {
  if (!subtleModule) {
    const m = core.loadBuiltin('subtle') as SubtleModule
    m.setDOMException(domExceptionClass())
    subtleModule = m
  }
  return subtleModule
}

const kCreate = Symbol('create')

const integerArrays = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
]
const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!.get!

// Built on the first randomUUID(), not at every process start.
let hex: string[] | undefined
// One getrandom(2) call serves 64 UUIDs.
const pool = new Uint8Array(16 * 64)
let poolOffset = pool.length

export class Crypto {
  constructor(key?: unknown) {
    if (key !== kCreate) throw new TypeError('Illegal constructor')
  }

  get subtle(): unknown {
    return subtleBuiltin().subtle
  }

  getRandomValues<T extends ArrayBufferView | null>(array: T): T {
    if (integerArrays.indexOf(typedArrayTag.call(array)) < 0) {
      throw new (domExceptionClass())('The data argument must be an integer-type TypedArray', 'TypeMismatchError')
    }
    if (array!.byteLength > 65536) throw new (domExceptionClass())('The requested length exceeds 65,536 bytes', 'QuotaExceededError')
    core.getRandom(array!)
    return array
  }

  randomUUID(): `${string}-${string}-${string}-${string}-${string}` {
    if (!hex) {
      hex = []
      for (let i = 0; i < 256; i++) hex.push((i + 0x100).toString(16).slice(1))
    }
    const h = hex
    if (poolOffset === pool.length) {
      core.getRandom(pool)
      poolOffset = 0
    }
    const b = pool.subarray(poolOffset, (poolOffset += 16))
    b[6] = (b[6] & 0x0f) | 0x40
    b[8] = (b[8] & 0x3f) | 0x80
    return `${h[b[0]]}${h[b[1]]}${h[b[2]]}${h[b[3]]}-${h[b[4]]}${h[b[5]]}-${h[b[6]]}${h[b[7]]}-${h[b[8]]}${h[b[9]]}-${h[b[10]]}${h[b[11]]}${h[b[12]]}${h[b[13]]}${h[b[14]]}${h[b[15]]}`
  }
}
Object.defineProperty(Crypto.prototype, Symbol.toStringTag, { value: 'Crypto', configurable: true })

export const crypto = new Crypto(kCreate)
