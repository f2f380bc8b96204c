// fetch(): an HTTP/1.1 client over the core's TCP sockets, http:// and https:// (TLS 1.2
// and 1.3 in the core, certificates verified as Node verifies them: tls-client.ts).
// Connections are kept alive and reused per origin (http-pool.ts); a request that finds
// its pooled connection closed by the server is sent once more on a new one when it is
// idempotent. Bodies sent gzip or deflate are decoded (fetch-decode.ts), as Node's fetch
// does. Redirects are followed here; one exchange on the wire is http-exchange.ts.
import { core } from './core.ts'
import { readAll, sourceBytes, isStream, kUsed } from './body.ts'
import { decodeBody } from './fetch-decode.ts'
import { listGet } from './headers.ts'
import { Connection } from './http-connection.ts'
import { exchange, fetchFailed, kStale, type Head } from './http-exchange.ts'
import { idleMsFor, release, takeIdle } from './http-pool.ts'
import { Request, requestParts } from './request.ts'
import { fetchedResponse, type Response } from './response.ts'
import { href } from './url.ts'

const REDIRECT_STATUS = [301, 302, 303, 307, 308]
const MAX_REDIRECTS = 20
// Framing and connection headers are the client's to set, whatever the caller passed.
const OWN_HEADERS = ['connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade']

function timeoutMs(): number {
  const n = Number(core.env.SCRATCHFN_FETCH_TIMEOUT_MS)
  return n > 0 ? n : 30000
}

// Methods a server must treat the same when sent twice: safe to send again on a new connection.
const IDEMPOTENT = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']

interface Target {
  secure: boolean
  host: string
  port: number
  /** The Host header: host and any non-default port, as in the URL. */
  authority: string
  path: string
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

export async function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
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
  const ms = timeoutMs()
  for (let redirects = 0; ; redirects++) {
    const t = target(url)
    const expectsBody = method === 'POST' || method === 'PUT' || method === 'PATCH'
    const wire = headBytes(method, t, list, body !== null ? body.byteLength : expectsBody ? 0 : null)
    const head = await send(t, wire, body, method, signal, ms, `${method} ${url.replace(/#.*/, '')}`)
    const location = REDIRECT_STATUS.indexOf(head.status) >= 0 ? listGet(head.headers, 'location') : null
    if (location === null || parts.redirect === 'manual') {
      const decoded = head.body === null ? null : decodeBody(head.body, listGet(head.headers, 'content-encoding'))
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

/** One request on a pooled connection or a new one; sent once more on a new one when a pooled connection was stale. */
async function send(
  t: Target,
  wire: string | Uint8Array,
  body: Uint8Array | null,
  method: string,
  signal: AbortSignal | null,
  timeoutMs: number,
  describe: string,
): Promise<Head> {
  const key = `${t.secure ? 'https' : 'http'}://${t.host}:${t.port}`
  for (let attempt = 0; ; attempt++) {
    const pooled = attempt === 0 ? takeIdle(key) : null
    let conn: Connection
    try {
      conn = pooled ?? new Connection(key, t.secure, t.host, t.port)
    } catch (err) {
      throw fetchFailed(`cannot connect to ${t.host}:${t.port}: ${(err as Error).message}`, err)
    }
    try {
      return await exchange({
        conn,
        head: wire,
        body,
        noBody: method === 'HEAD',
        signal,
        timeoutMs,
        describe,
        finished: (reusable, keepAlive) => {
          if (reusable) release(conn, idleMsFor(keepAlive))
        },
      })
    } catch (err) {
      if (pooled !== null && (err as any)?.[kStale] === true && IDEMPOTENT.indexOf(method) >= 0) continue
      throw err
    }
  }
}
