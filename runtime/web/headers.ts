// Headers (Fetch spec). The state is one flat [name, value, ...] array with lower-cased
// names, the same shape the C core hands over and takes back, so a request's headers
// and a response's headers cross the bridge without conversion. Request and Response
// share their list with the Headers object they expose, so `res.headers.set()` is seen
// by the shim. Written by hand: whatwg-fetch's Headers combines values on append (losing
// getSetCookie) and measured slower.

import { core } from './core.ts'

/** The flat list: [name, value, ...], names lower-cased. Shared with Request/Response. */
export const kList = Symbol('headers list')
const kImmutable = Symbol('headers immutable')
const kSorted = Symbol('headers sorted')

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
// NUL, CR, LF are forbidden in values; code units over 0xFF fail WebIDL's ByteString.
const BAD_VALUE = /[\0\n\r\u0100-\uffff]/
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g

export type HeadersInitLike = Headers | Iterable<Iterable<unknown>> | Record<string, unknown>

// Validating with a regular expression costs about 1 µs a call on QuickJS, several times
// the rest of a header's handling, and an app sets the same few names and values on
// every response. So what passed is remembered: a property lookup is under 0.1 µs.
// The caches are dropped whole when they grow, which bounds them without bookkeeping.
const CACHE_LIMIT = 512
let names: Record<string, string> = Object.create(null)
let nameCount = 0
let values: Record<string, string> = Object.create(null)
let valueCount = 0

export function normalizeName(name: unknown): string {
  const s = typeof name === 'string' ? name : `${name}`
  const known = names[s]
  if (known !== undefined) return known
  if (!TOKEN.test(s)) throw new TypeError(`Headers: "${s}" is an invalid header name.`)
  if (++nameCount > CACHE_LIMIT) {
    names = Object.create(null)
    nameCount = 1
  }
  return (names[s] = s.toLowerCase())
}

function isHttpWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13
}

export function normalizeValue(value: unknown): string {
  const raw = typeof value === 'string' ? value : `${value}`
  if (raw.length > 256) return checkValue(raw)
  const known = values[raw]
  if (known !== undefined) return known
  const s = checkValue(raw)
  if (++valueCount > CACHE_LIMIT) {
    values = Object.create(null)
    valueCount = 1
  }
  return (values[raw] = s)
}

function checkValue(raw: string): string {
  let s = raw
  const n = s.length
  if (n > 0 && (isHttpWhitespace(s.charCodeAt(0)) || isHttpWhitespace(s.charCodeAt(n - 1)))) s = s.replace(EDGE_WHITESPACE, '')
  if (BAD_VALUE.test(s)) throw new TypeError(`Headers: "${s}" is an invalid header value.`)
  return s
}

const ITERATOR: typeof Symbol.iterator = Symbol.iterator

/** Builds a validated flat list from any HeadersInit, without creating a Headers object. */
export function listFromInit(init: unknown): string[] {
  if (init instanceof Headers) return init[kList].slice()
  if (init === null || (typeof init !== 'object' && typeof init !== 'function')) {
    throw new TypeError('Headers: the init argument must be a sequence of pairs or a record.')
  }
  const iterator = (init as any)[ITERATOR]
  if (iterator === undefined) {
    // A record ({ 'Content-Type': ... }, what most apps and Hono's c.json pass): an ordinary
    // object is read in C, in the steps below, calling back into the normalizers only for
    // what is not a plain token and ASCII value (runtime/core/headers.c).
    const fromCore = core.headerRecord(init as object, normalizeName, normalizeValue)
    if (fromCore !== undefined) return fromCore
  }
  const list: string[] = []
  if (iterator !== undefined) {
    if (typeof iterator !== 'function') throw new TypeError('Headers: init is not iterable.')
    for (const pair of init as Iterable<unknown>) {
      const p = Array.isArray(pair) ? pair : typeof pair === 'object' && pair !== null ? Array.from(pair as Iterable<unknown>) : null
      if (p === null || p.length !== 2) throw new TypeError('Headers: each header pair must be an iterable of [name, value].')
      list.push(normalizeName(p[0]), normalizeValue(p[1]))
    }
    return list
  }
  // An index loop: for-of over an array goes through the iterator protocol, slower in QuickJS.
  // The caches are read here first: a hit then costs no call (an app sends the same few).
  const keys = Object.keys(init)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]
    const value = (init as Record<string, unknown>)[key]
    const name = names[key]
    const known = typeof value === 'string' ? values[value] : undefined
    list.push(name ?? normalizeName(key), known ?? normalizeValue(value))
  }
  return list
}

/** The combined value of `name` (already lower-cased), or null. */
export function listGet(list: string[], name: string): string | null {
  let out: string | null = null
  for (let i = 0; i < list.length; i += 2) {
    if (list[i] === name) out = out === null ? list[i + 1] : `${out}, ${list[i + 1]}`
  }
  return out
}

export function listHas(list: string[], name: string): boolean {
  for (let i = 0; i < list.length; i += 2) if (list[i] === name) return true
  return false
}

/** Replaces the first `name` entry in place and removes the rest, or appends. */
export function listSet(list: string[], name: string, value: string): void {
  let found = false
  for (let i = 0; i < list.length;) {
    if (list[i] !== name) i += 2
    else if (found) list.splice(i, 2)
    else {
      list[i + 1] = value
      found = true
      i += 2
    }
  }
  if (!found) list.push(name, value)
}

function listDelete(list: string[], name: string): void {
  for (let i = 0; i < list.length;) {
    if (list[i] === name) list.splice(i, 2)
    else i += 2
  }
}

/** "Sort and combine": names in code-unit order, values joined, set-cookie kept apart. */
function sortAndCombine(list: string[]): string[] {
  const names: string[] = []
  for (let i = 0; i < list.length; i += 2) if (names.indexOf(list[i]) < 0) names.push(list[i])
  names.sort()
  const out: string[] = []
  for (const name of names) {
    if (name === 'set-cookie') {
      for (let i = 0; i < list.length; i += 2) if (list[i] === name) out.push(name, list[i + 1])
    } else {
      out.push(name, listGet(list, name) as string)
    }
  }
  return out
}

// Set only around a call to `new Headers()` by headersFromList, so the public
// constructor can adopt a list without copying or validating it.
let adopting: string[] | null = null

export class Headers {
  declare [kList]: string[];
  /** Set (true) only on immutable headers: fewer fields make construction cheaper. */
  declare [kImmutable]?: boolean;
  declare [kSorted]?: { list: string[]; pairs: string[] }

  constructor(init?: HeadersInitLike) {
    if (adopting !== null) {
      this[kList] = adopting
      adopting = null
    } else {
      this[kList] = init === undefined ? [] : listFromInit(init)
    }
  }

  append(name: string, value: string): void {
    const n = normalizeName(name)
    const v = normalizeValue(value)
    this.#writable()
    this[kList].push(n, v)
  }

  delete(name: string): void {
    const n = normalizeName(name)
    this.#writable()
    listDelete(this[kList], n)
  }

  get(name: string): string | null {
    return listGet(this[kList], normalizeName(name))
  }

  getSetCookie(): string[] {
    const list = this[kList]
    const out: string[] = []
    for (let i = 0; i < list.length; i += 2) if (list[i] === 'set-cookie') out.push(list[i + 1])
    return out
  }

  has(name: string): boolean {
    return listHas(this[kList], normalizeName(name))
  }

  set(name: string, value: string): void {
    const n = normalizeName(name)
    const v = normalizeValue(value)
    this.#writable()
    listSet(this[kList], n, v)
  }

  forEach(callback: (value: string, name: string, headers: Headers) => void, thisArg?: unknown): void {
    if (typeof callback !== 'function') throw new TypeError('Headers.forEach: the callback must be a function.')
    // The sorted view is re-read each step: the spec lets the callback mutate the headers.
    for (let i = 0; ; i += 2) {
      const pairs = sortedPairs(this)
      if (i >= pairs.length) break
      callback.call(thisArg, pairs[i + 1], pairs[i], this)
    }
  }

  keys(): IterableIterator<string> {
    return new HeadersIterator(this, 0) as unknown as IterableIterator<string>
  }

  values(): IterableIterator<string> {
    return new HeadersIterator(this, 1) as unknown as IterableIterator<string>
  }

  entries(): IterableIterator<[string, string]> {
    return new HeadersIterator(this, 2) as unknown as IterableIterator<[string, string]>
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return new HeadersIterator(this, 2) as unknown as IterableIterator<[string, string]>
  }

  get [Symbol.toStringTag](): string {
    return 'Headers'
  }

  #writable(): void {
    if (this[kImmutable] === true) throw new TypeError('Headers: these headers are immutable.')
  }
}

/** The sorted and combined pairs, cached until the list changes. The list can change
 * behind the Headers object (Request/Response share it), so the cache keeps a copy to compare. */
function sortedPairs(headers: Headers): string[] {
  const list = headers[kList]
  const cache = headers[kSorted]
  if (cache !== undefined && sameList(cache.list, list)) return cache.pairs
  const pairs = sortAndCombine(list)
  headers[kSorted] = { list: list.slice(), pairs }
  return pairs
}

function sameList(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()))

class HeadersIterator {
  #headers: Headers
  #kind: number
  #index = 0

  constructor(headers: Headers, kind: number) {
    this.#headers = headers
    this.#kind = kind
  }

  next(): IteratorResult<unknown> {
    const pairs = sortedPairs(this.#headers)
    const i = this.#index
    if (i >= pairs.length) return { value: undefined, done: true }
    this.#index = i + 2
    const kind = this.#kind
    return { value: kind === 0 ? pairs[i] : kind === 1 ? pairs[i + 1] : [pairs[i], pairs[i + 1]], done: false }
  }

  get [Symbol.toStringTag](): string {
    return 'Headers Iterator'
  }
}
Object.setPrototypeOf(HeadersIterator.prototype, IteratorPrototype)

/** Wraps `list` (trusted: lower-cased, valid) without copying; mutations go to the same array. */
export function headersFromList(list: string[], immutable = false): Headers {
  adopting = list
  const h = new Headers()
  if (immutable) h[kImmutable] = true
  return h
}
