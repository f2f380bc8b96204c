// Response (Fetch spec). The body is stored as given, so the shim can send a string or
// bytes answer in one native call (responseParts) with no stream and no Headers object.
import {
  cloneBody,
  extractBody,
  isStream,
  kHeaderList,
  kHeaders,
  kSource,
  kStream,
  kUsed,
  mixBody,
  type Body,
  type Source,
  type Stream,
} from './body.ts'
import { kBytes } from './blob.ts'
import { headersFromList, listFromInit, listHas, type Headers } from './headers.ts'
import { href } from './url.ts'

const kStatus = Symbol('response status')
const kStatusText = Symbol('response status text')
const kMeta = Symbol('response meta')

type ResponseType = 'basic' | 'cors' | 'default' | 'error' | 'opaque' | 'opaqueredirect'

const REDIRECT_STATUS = [301, 302, 303, 307, 308]
const REASON_PHRASE = /^[\t\x20-\x7e\x80-\xff]*$/

/** WebIDL `unsigned short`: modulo 2^16, so -1 is 65535 and fails the range check. */
function toStatus(value: unknown): number {
  const n = Math.trunc(Number(value))
  return Number.isFinite(n) ? ((n % 65536) + 65536) % 65536 : 0
}

/** What only fetched, redirect and error responses differ in. */
interface Meta {
  type: ResponseType
  url: string
  redirected: boolean
  immutable: boolean
}

const DEFAULT_META: Meta = { type: 'default', url: '', redirected: false, immutable: false }

// The Body members are copied onto Response.prototype by mixBody below.
export interface Response extends Body {}

export class Response {
  // Fields beyond source, headers and status are set only when they differ from the
  // default: each property set costs time on every response in QuickJS.
  declare [kStatus]: number;
  declare [kStatusText]?: string;
  declare [kMeta]?: Meta

  constructor(body?: BodyInit | null, init?: ResponseInit) {
    let status = 200
    let statusText = ''
    let list: string[]
    if (init !== undefined && init !== null) {
      if (typeof init !== 'object') throw new TypeError('Response: the init argument must be an object.')
      if (init.status !== undefined) {
        status = toStatus(init.status)
        if (status < 200 || status > 599) throw new RangeError(`init["status"] must be in the range of 200 to 599, inclusive.`)
      }
      if (init.statusText !== undefined) {
        statusText = `${init.statusText}`
        if (!REASON_PHRASE.test(statusText)) throw new TypeError('Response: invalid statusText.')
      }
      list = init.headers === undefined ? [] : listFromInit(init.headers)
    } else {
      list = []
    }
    let source: Source = null
    if (body !== undefined && body !== null) {
      // The null-body statuses in 200-599 (101 and 103 are refused above).
      if (status === 204 || status === 205 || status === 304)
        throw new TypeError('Response constructor: Invalid response status code ' + status)
      if (typeof body === 'string') {
        // extractBody's first case, inline: most bodies are strings.
        source = body
        if (!listHas(list, 'content-type')) list.push('content-type', 'text/plain;charset=UTF-8')
      } else {
        source = extractBody(body, list)
      }
    }
    this[kSource] = source
    this[kHeaderList] = list
    this[kStatus] = status
    if (statusText !== '') this[kStatusText] = statusText
  }

  static error(): Response {
    return makeResponse(0, '', [], null, { type: 'error', url: '', redirected: false, immutable: true })
  }

  static redirect(url: string | URL, status = 302): Response {
    const location = href(`${url}`)
    if (location === null) throw new TypeError(`Failed to parse URL from ${url}`)
    const s = toStatus(status)
    if (REDIRECT_STATUS.indexOf(s) < 0) throw new RangeError(`Invalid status code ${status}`)
    return makeResponse(s, '', ['location', location], null, { type: 'default', url: '', redirected: false, immutable: true })
  }

  static json(data: unknown, init?: ResponseInit): Response {
    const text = JSON.stringify(data)
    if (text === undefined) throw new TypeError('Response.json: the data is not JSON serializable.')
    const list = init?.headers === undefined ? [] : listFromInit(init.headers)
    if (!listHas(list, 'content-type')) list.push('content-type', 'application/json')
    return new Response(text, { status: init?.status, statusText: init?.statusText, headers: headersFromList(list) })
  }

  get type(): ResponseType {
    return (this[kMeta] ?? DEFAULT_META).type
  }
  get url(): string {
    return (this[kMeta] ?? DEFAULT_META).url
  }
  get redirected(): boolean {
    return (this[kMeta] ?? DEFAULT_META).redirected
  }
  get status(): number {
    return this[kStatus]
  }
  get ok(): boolean {
    return this[kStatus] >= 200 && this[kStatus] <= 299
  }
  get statusText(): string {
    return this[kStatusText] ?? ''
  }

  get headers(): Headers {
    return this[kHeaders] ?? (this[kHeaders] = headersFromList(this[kHeaderList], (this[kMeta] ?? DEFAULT_META).immutable))
  }

  clone(): Response {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.')
    const copy = makeResponse(this[kStatus], this.statusText, this[kHeaderList].slice(), null, this[kMeta])
    cloneBody(this, copy)
    return copy
  }

  get [Symbol.toStringTag](): string {
    return 'Response'
  }
}

mixBody(Response)

function makeResponse(status: number, statusText: string, list: string[], body: Source, meta: Meta | undefined): Response {
  const r = Object.create(Response.prototype) as Response
  r[kSource] = body
  r[kHeaderList] = list
  r[kStatus] = status
  if (statusText !== '') r[kStatusText] = statusText
  if (meta !== undefined) r[kMeta] = meta
  return r
}

/** fetch()'s responses: immutable headers, a streamed body, the final URL. */
export function fetchedResponse(
  status: number,
  statusText: string,
  list: string[],
  body: Stream | null,
  url: string,
  redirected: boolean,
): Response {
  return makeResponse(status, statusText, list, body, { type: 'basic', url, redirected, immutable: true })
}

/**
 * What the core reads to answer a returned Response in one call (serve's `response`
 * option, runtime/core/http-objects.h): the prototype and the fields of the body, headers
 * and status. A body made into a stream (`stream` set) is the shim's to send.
 */
export function responseFields(): { prototype: object; source: symbol; headers: symbol; status: symbol; stream: symbol } {
  return { prototype: Response.prototype, source: kSource, headers: kHeaderList, status: kStatus, stream: kStream }
}

export interface ResponseParts {
  status: number
  statusText: string
  /** Flat [name, value, ...], names lower-cased; the response's own list, not a copy. */
  headers: string[]
  body: string | Uint8Array | Stream | null
}

// One object for every call: the shim reads it at once, and a request then makes none.
const parts: ResponseParts = { status: 0, statusText: '', headers: [], body: null }

/**
 * What the shim sends. A string or bytes body comes back as it was given, so it goes out
 * in one native write; only a stream body needs chunked output. Throws a TypeError for
 * anything that is not one of this runtime's Responses. The result is the same object on
 * every call, so read it before the next.
 */
export function responseParts(res: unknown): ResponseParts {
  if (!(res instanceof Response)) {
    throw new TypeError(
      `the handler returned ${res === null ? 'null' : typeof res === 'object' ? 'an object that is not a Response' : typeof res}, not a Response`,
    )
  }
  const source = res[kSource]
  let body: string | Uint8Array | Stream | null
  const made = res[kStream]
  if (res[kUsed] === true && made !== undefined) body = made
  else if (source === null || typeof source === 'string' || source instanceof Uint8Array) body = source
  else if (isStream(source)) body = source
  else body = source[kBytes]
  parts.status = res[kStatus]
  parts.statusText = res[kStatusText] ?? ''
  parts.headers = res[kHeaderList]
  parts.body = body
  return parts
}
