// CryptoKey: the key objects crypto.subtle hands out. What a key holds (bytes, a native
// handle, raw curve points) is its family's business (crypto-<family>.ts), kept behind a
// symbol-keyed method so scripts cannot reach it; the four attributes are read-only.
import { domError } from './crypto-native.ts'

export type KeyType = 'secret' | 'public' | 'private'
export type KeyUsage = 'encrypt' | 'decrypt' | 'sign' | 'verify' | 'deriveKey' | 'deriveBits' | 'wrapKey' | 'unwrapKey'
export const keyUsages: readonly KeyUsage[] = ['encrypt', 'decrypt', 'sign', 'verify', 'deriveKey', 'deriveBits', 'wrapKey', 'unwrapKey']

export interface KeyAlgorithm {
  name: string
  [member: string]: unknown
}

export interface CryptoKeyPair {
  publicKey: CryptoKey
  privateKey: CryptoKey
}

const kCreate = Symbol('create')
const kMaterial = Symbol('material')
const inspectCustom = Symbol.for('nodejs.util.inspect.custom')

export class CryptoKey {
  #type: KeyType
  #extractable: boolean
  #algorithm: KeyAlgorithm
  #usages: KeyUsage[]
  #material: unknown

  constructor(token: unknown, type: KeyType, extractable: boolean, algorithm: KeyAlgorithm, usages: KeyUsage[], material: unknown) {
    if (token !== kCreate) throw new TypeError('Illegal constructor')
    this.#type = type
    this.#extractable = extractable
    this.#algorithm = algorithm
    this.#usages = usages
    this.#material = material
  }
  get type(): KeyType {
    return this.#type
  }
  get extractable(): boolean {
    return this.#extractable
  }
  get algorithm(): KeyAlgorithm {
    return this.#algorithm
  }
  get usages(): KeyUsage[] {
    return this.#usages
  }
  [kMaterial](): unknown {
    return this.#material
  }
  // What console.log shows, as in Node.
  [inspectCustom](depth: number, options: { depth?: number }, inspect: (v: unknown, o: object) => string): unknown {
    if (depth < 0) return this
    const fields = { type: this.#type, extractable: this.#extractable, algorithm: this.#algorithm, usages: this.#usages }
    return `CryptoKey ${inspect(fields, { ...options, depth: (options.depth ?? 2) - 1 })}`
  }
}
Object.defineProperty(CryptoKey.prototype, Symbol.toStringTag, { value: 'CryptoKey', configurable: true })

export function isCryptoKey(value: unknown): value is CryptoKey {
  return value instanceof CryptoKey
}

export function createKey(type: KeyType, extractable: boolean, algorithm: KeyAlgorithm, usages: KeyUsage[], material: unknown): CryptoKey {
  return new CryptoKey(kCreate, type, extractable, algorithm, usages, material)
}

export function materialOf<T>(key: CryptoKey): T {
  return key[kMaterial]() as T
}

/** Throws SyntaxError(message) when a usage is not one of `allowed`. */
export function checkUsages(usages: readonly KeyUsage[], allowed: readonly KeyUsage[], message: string): void {
  for (const u of usages) if (allowed.indexOf(u) < 0) throw domError(message, 'SyntaxError')
}

/** The usages that are in `allowed`, once each, in `allowed`'s order (a generated pair's split). */
export function usagesIn(usages: readonly KeyUsage[], allowed: readonly KeyUsage[]): KeyUsage[] {
  return allowed.filter((u) => usages.indexOf(u) >= 0)
}
