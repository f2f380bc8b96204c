// Request (Fetch spec). The shim makes one per incoming request with requestFromCore(),
// which stores what the C core parsed (method, URL string, flat header list, body bytes)
// and builds nothing else: Headers, the AbortSignal and a body stream appear only when
// read. `new Request(input, init)` follows the spec, including a Request made from
// another Request with a new URL, as Hono's mount() and app.request() do.
import { cloneBody, extractBody, kHeaderList, kHeaders, kSource, kUsed, mixBody, type Body, type Source } from './body.ts'
import { headersFromList, listFromInit, normalizeName, type Headers } from './headers.ts'
import { href } from './url.ts'

const kMethod = Symbol('request method')
const kUrl = Symbol('request url')
const kSignal = Symbol('request signal')
const kOptions = Symbol('request options')

/** The request's fields that only echo what was set; null means all defaults. */
interface Options {
  cache: string
  credentials: string
  integrity: string
  keepalive: boolean
  mode: string
  redirect: string
  referrer: string
  referrerPolicy: string
}

const DEFAULTS: Options = {
  cache: 'default',
  credentials: 'same-origin',
  integrity: '',
  keepalive: false,
  mode: 'cors',
  redirect: 'follow',
  referrer: 'about:client',
  referrerPolicy: '',
}

const NORMALIZED = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']
const ENUMS: Record<string, string[]> = {
  cache: ['default', 'no-store', 'reload', 'no-cache', 'force-cache', 'only-if-cached'],
  credentials: ['omit', 'same-origin', 'include'],
  mode: ['same-origin', 'no-cors', 'cors'],
  redirect: ['follow', 'error', 'manual'],
  referrerPolicy: [
    '',
    'no-referrer',
    'no-referrer-when-downgrade',
    'same-origin',
    'origin',
    'strict-origin',
    'origin-when-cross-origin',
    'strict-origin-when-cross-origin',
    'unsafe-url',
  ],
}

function normalizeMethod(method: unknown): string {
  const m = `${method}`
  normalizeName(m) // a method is a token: same rule, same TypeError
  const upper = m.toUpperCase()
  if (upper === 'CONNECT' || upper === 'TRACE' || upper === 'TRACK') throw new TypeError(`Request: '${m}' HTTP method is unsupported.`)
  return NORMALIZED.indexOf(upper) >= 0 ? upper : m
}

function parseInput(input: string): string {
  const url = href(input)
  if (url === null) throw new TypeError(`Failed to parse URL from ${input}`)
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(url))
    throw new TypeError(`Request cannot be constructed from a URL that includes credentials: ${input}`)
  return url
}

/** A signal that aborts when `source` does (made lazily, when `.signal` is read). */
function follow(source: AbortSignal | null): AbortSignal {
  const controller = new AbortController()
  if (source !== null) {
    if (source.aborted) controller.abort(source.reason)
    else source.addEventListener('abort', () => controller.abort(source.reason), { once: true })
  }
  return controller.signal
}

// The Body members are copied onto Request.prototype by mixBody below.
export interface Request extends Body {}

export class Request {
  declare [kMethod]: string;
  declare [kUrl]: string;
  /** The request's own signal, or `[source]` until it is first read; unset means no source. */
  declare [kSignal]?: AbortSignal | [AbortSignal | null];
  /** Unset while every option has its default. */
  declare [kOptions]?: Options

  constructor(input: RequestInfo | URL, init?: RequestInit) {
    let from: Request | null = null
    let url: string
    if (input instanceof Request) {
      from = input
      url = input[kUrl]
    } else {
      url = parseInput(`${input}`)
    }
    let method = from === null ? 'GET' : from[kMethod]
    let options = from === null ? undefined : from[kOptions]
    let signal: AbortSignal | null = from === null ? null : signalSource(from)
    let headers: string[] | null = null
    let body: Source = null
    let initBody: unknown = undefined

    if (init !== undefined && init !== null) {
      if (typeof init !== 'object') throw new TypeError('Request: the init argument must be an object.')
      // A Request passed as init (Hono's mount does this) gives its parts directly,
      // without turning its body into a stream.
      if (init instanceof Request) {
        method = init[kMethod]
        headers = init[kHeaderList].slice()
        initBody = init[kSource]
        signal = signalSource(init)
        options = init[kOptions]
      } else {
        if (init.method !== undefined) method = normalizeMethod(init.method)
        if (init.headers !== undefined) headers = listFromInit(init.headers)
        initBody = init.body
        if (init.signal !== undefined) {
          if (init.signal !== null && typeof (init.signal as any).addEventListener !== 'function')
            throw new TypeError("Request: 'signal' is not an AbortSignal.")
          signal = init.signal
        }
        options = readOptions(init, options)
        if ((init as any).window !== undefined && (init as any).window !== null) throw new TypeError("Request: 'window' can only be null.")
      }
    }

    const list = headers ?? (from === null ? [] : from[kHeaderList].slice())
    if (initBody !== undefined && initBody !== null) {
      body = extractBody(initBody, list)
    } else if (from !== null && from[kSource] !== null) {
      if (from[kUsed] === true) throw new TypeError('Cannot construct a Request with a Request object that has already been used.')
      body = from[kSource]
      // The new request takes the body over, as the spec's "proxy" of the input's body does.
      from[kUsed] = true
    }
    if (body !== null && (method === 'GET' || method === 'HEAD')) throw new TypeError('Request with GET/HEAD method cannot have body.')

    this[kSource] = body
    this[kHeaderList] = list
    this[kMethod] = method
    this[kUrl] = url
    if (signal !== null) this[kSignal] = [signal]
    if (options !== undefined) this[kOptions] = options
  }

  get headers(): Headers {
    return this[kHeaders] ?? (this[kHeaders] = headersFromList(this[kHeaderList]))
  }

  get method(): string {
    return this[kMethod]
  }
  get url(): string {
    return this[kUrl]
  }
  get destination(): string {
    return ''
  }
  get referrer(): string {
    return (this[kOptions] ?? DEFAULTS).referrer
  }
  get referrerPolicy(): string {
    return (this[kOptions] ?? DEFAULTS).referrerPolicy
  }
  get mode(): string {
    return (this[kOptions] ?? DEFAULTS).mode
  }
  get credentials(): string {
    return (this[kOptions] ?? DEFAULTS).credentials
  }
  get cache(): string {
    return (this[kOptions] ?? DEFAULTS).cache
  }
  get redirect(): string {
    return (this[kOptions] ?? DEFAULTS).redirect
  }
  get integrity(): string {
    return (this[kOptions] ?? DEFAULTS).integrity
  }
  get keepalive(): boolean {
    return (this[kOptions] ?? DEFAULTS).keepalive
  }
  get isReloadNavigation(): boolean {
    return false
  }
  get isHistoryNavigation(): boolean {
    return false
  }
  get duplex(): string {
    return 'half'
  }

  get signal(): AbortSignal {
    const s = this[kSignal]
    if (s !== undefined && !Array.isArray(s)) return s
    return (this[kSignal] = follow(s === undefined ? null : s[0]))
  }

  clone(): Request {
    if (this.bodyUsed) throw new TypeError('Request.clone: the body has already been used.')
    const copy = makeRequest(this[kMethod], this[kUrl], this[kHeaderList].slice(), null, this.signal)
    if (this[kOptions] !== undefined) copy[kOptions] = this[kOptions]
    cloneBody(this, copy)
    return copy
  }

  get [Symbol.toStringTag](): string {
    return 'Request'
  }
}

mixBody(Request)

function signalSource(r: Request): AbortSignal | null {
  const s = r[kSignal]
  return s === undefined ? null : Array.isArray(s) ? s[0] : s
}

function readOptions(init: RequestInit, base: Options | undefined): Options | undefined {
  let out = base
  for (const key of ['cache', 'credentials', 'mode', 'redirect', 'referrerPolicy'] as const) {
    const value = init[key]
    if (value === undefined) continue
    const s = `${value}`
    if (ENUMS[key].indexOf(s) < 0) {
      if (key === 'mode' && s === 'navigate') throw new TypeError("Request: mode 'navigate' cannot be set.")
      throw new TypeError(`Request: '${s}' is not a valid value for ${key}.`)
    }
    ;(out ??= { ...DEFAULTS })[key] = s
  }
  if (init.integrity !== undefined) (out ??= { ...DEFAULTS }).integrity = `${init.integrity}`
  if (init.keepalive !== undefined) (out ??= { ...DEFAULTS }).keepalive = Boolean(init.keepalive)
  if (init.referrer !== undefined) {
    const r = `${init.referrer}`
    const value = r === '' ? '' : r === 'about:client' ? r : href(r)
    if (value === null) throw new TypeError(`Request: referrer "${r}" is not a valid URL.`)
    ;(out ??= { ...DEFAULTS }).referrer = value
  }
  return out
}

function makeRequest(method: string, url: string, headers: string[], body: Source, signal: AbortSignal | undefined): Request {
  const r = Object.create(Request.prototype) as Request
  r[kSource] = body
  r[kHeaderList] = headers
  r[kMethod] = method
  r[kUrl] = url
  if (signal !== undefined) r[kSignal] = signal
  return r
}

/**
 * What the core needs to make each served request's Request itself (serve's `request`
 * option, runtime/core/http-objects.h): the prototype and the fields makeRequest sets, in
 * its order. The core trusts what it parsed (lower-cased names) and gives the body as a
 * Uint8Array or null.
 */
export function requestFields(): { prototype: object; source: symbol; headers: symbol; method: symbol; url: symbol } {
  return { prototype: Request.prototype, source: kSource, headers: kHeaderList, method: kMethod, url: kUrl }
}

/** What fetch() sends: the request's parts without building Headers or a stream. */
export function requestParts(r: Request): {
  method: string
  url: string
  headers: string[]
  body: Source
  redirect: string
  signal: AbortSignal | null
} {
  return { method: r[kMethod], url: r[kUrl], headers: r[kHeaderList], body: r[kSource], redirect: r.redirect, signal: signalSource(r) }
}
