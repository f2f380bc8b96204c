// fetch(): an HTTP/1.1 client over the core's TCP sockets, http:// and https:// (TLS 1.2
// and 1.3 in the core, certificates verified as Node verifies them: tls-client.ts).
// Requests, redirects and responses are handled here; the wire side (http-client.ts: the
// keep-alive pool, connections, TLS, one exchange, body decoding) is a lazy builtin that a
// function which never fetches never reads, so it costs nothing at start.
import { core } from './core.ts'
import { readAll, sourceBytes, isStream, kUsed } from './body.ts'
import { fetchFailed } from './fetch-error.ts'
import type { Target } from './http-client.ts'
import { listGet } from './headers.ts'
import { Request, requestParts } from './request.ts'
import { fetchedResponse, type Response } from './response.ts'
import { traceOutgoing, type ClientSpan } from './trace-context.ts'
import { streams } from './streams.ts'
import { href } from './url.ts'

type HttpClient = typeof import('./builtins/http-client.ts')
let client: HttpClient | undefined

/** The wire side (connections, TLS, the pool, body decoding): a lazy builtin, read on the first fetch. */
function httpClient(): HttpClient {
  if (client === undefined) {
    // Every answer's body is a stream, so the polyfill loads with the first fetch anyway;
    // loading it from here first makes this layer's stand-ins (instanceof ReadableStream)
    // know it, not only the builtin's own copy of streams.ts.
    streams()
    client = core.loadBuiltin('http-client') as HttpClient
  }
  return client
}

const REDIRECT_STATUS = [301, 302, 303, 307, 308]
const MAX_REDIRECTS = 20
// Framing and connection headers are the client's to set, whatever the caller passed.
const OWN_HEADERS = ['connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade']

function timeoutMs(): number {
  const n = Number(core.env.SCRATCHFN_FETCH_TIMEOUT_MS)
  return n > 0 ? n : 30000
}

function target(url: string): Target {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?([^#]*)/i.exec(url)
  const scheme = m === null ? url.slice(0, url.indexOf(':')) : m[1].toLowerCase()
  if (m === null || (scheme !== 'http' && scheme !== 'https'))
    throw fetchFailed(`the ${scheme}: scheme is not supported; use http:// or https:// (${url})`)
  const secure = scheme === 'https'
  const host = m[2].startsWith('[') ? m[2].slice(1, -1) : m[2]
  const port = m[3] ? Number(m[3]) : secure ? 443 : 80
  const path = m[4] === '' ? '/' : m[4][0] === '?' ? `/${m[4]}` : m[4]
  return { secure, host, port, authority: m[3] ? `${m[2]}:${m[3]}` : m[2], path }
}

function headBytes(method: string, t: Target, list: string[], bodyLength: number | null): string | Uint8Array {
  let head = `${method} ${t.path} HTTP/1.1\r\n`
  if (listGet(list, 'host') === null) head += `host: ${t.authority}\r\n`
  head += 'connection: keep-alive\r\n'
  if (listGet(list, 'accept') === null) head += 'accept: */*\r\n'
  // What Node's fetch asks for over http (over https it adds br, which the runtime lacks).
  if (listGet(list, 'accept-encoding') === null) head += 'accept-encoding: gzip, deflate\r\n'
  if (listGet(list, 'user-agent') === null) head += 'user-agent: scratchfn\r\n'
  for (let i = 0; i < list.length; i += 2) {
    if (OWN_HEADERS.indexOf(list[i]) < 0) head += `${list[i]}: ${list[i + 1]}\r\n`
  }
  if (bodyLength !== null) head += `content-length: ${bodyLength}\r\n`
  head += '\r\n'
  // Header values are bytes (Latin-1); a string would go out as UTF-8.
  if (!/[\x80-\xff]/.test(head)) return head
  const bytes = new Uint8Array(head.length)
  for (let i = 0; i < head.length; i++) bytes[i] = head.charCodeAt(i)
  return bytes
}

function origin(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url)
  return m === null ? url : m[0].toLowerCase()
}

/** The call's client span, for the failure path (tracing: runtime/web/trace-context.ts). */
interface Traced {
  span: ClientSpan | null
}

export function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const traced: Traced = { span: null }
  return send(input, init, traced).catch((err) => {
    traced.span?.end(0, err)
    throw err
  })
}

async function send(input: RequestInfo | URL, init: RequestInit | undefined, traced: Traced): Promise<Response> {
  const request = new Request(input, init)
  const parts = requestParts(request)
  const signal = parts.signal
  if (signal !== null && signal.aborted) throw signal.reason
  if (request.bodyUsed) throw fetchFailed('the request body has already been used')
  let body: Uint8Array | null = null
  if (parts.body !== null) {
    ;(request as any)[kUsed] = true
    // A function's outgoing bodies are small: buffering gives a Content-Length, which
    // every server accepts, where chunked uploads are not.
    body = isStream(parts.body) ? await readAll(parts.body) : sourceBytes(parts.body)
  }
  let method = parts.method
  let url = parts.url
  let list = parts.headers.slice()
  traced.span = traceOutgoing(method, url, list) // the one place trace context goes out
  const ms = timeoutMs()
  for (let redirects = 0; ; redirects++) {
    const t = target(url)
    const expectsBody = method === 'POST' || method === 'PUT' || method === 'PATCH'
    const wire = headBytes(method, t, list, body !== null ? body.byteLength : expectsBody ? 0 : null)
    const head = await httpClient().send(t, wire, body, method, signal, ms, `${method} ${url.replace(/#.*/, '')}`)
    const location = REDIRECT_STATUS.indexOf(head.status) >= 0 ? listGet(head.headers, 'location') : null
    if (location === null || parts.redirect === 'manual') {
      traced.span?.end(head.status)
      const decoded = head.body === null ? null : httpClient().decodeBody(head.body, listGet(head.headers, 'content-encoding'))
      return fetchedResponse(head.status, head.statusText, head.headers, decoded, url.replace(/#.*/, ''), redirects > 0)
    }
    head.body?.cancel().catch(() => {})
    if (parts.redirect === 'error') throw fetchFailed(`redirect to ${location} refused: the request's redirect mode is 'error'`)
    if (redirects >= MAX_REDIRECTS) throw fetchFailed(`more than ${MAX_REDIRECTS} redirects, last to ${location}`)
    const next = href(location, url)
    if (next === null) throw fetchFailed(`the redirect location is not a URL: ${location}`)
    if (
      ((head.status === 301 || head.status === 302) && method === 'POST') ||
      (head.status === 303 && method !== 'GET' && method !== 'HEAD')
    ) {
      method = 'GET'
      body = null
      list = dropHeaders(list, ['content-encoding', 'content-language', 'content-location', 'content-type', 'content-length'])
    }
    if (origin(next) !== origin(url)) list = dropHeaders(list, ['authorization', 'cookie', 'proxy-authorization', 'host'])
    url = next
  }
}

function dropHeaders(list: string[], names: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < list.length; i += 2) if (names.indexOf(list[i]) < 0) out.push(list[i], list[i + 1])
  return out
}
