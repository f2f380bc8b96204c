// URL and URLSearchParams come from core-js (`core-js/actual/url`, 51 KB minified): it
// runs on QuickJS, which has no URL of its own (url-polyfill never defined URL on QuickJS 2021,
// and whatwg-url fails at load).
// Evaluating it costs about 1 ms and 1 MB of heap, so it is installed on first use,
// through lazy globals (index.ts), from a lazy builtin with its own bytecode
// (scripts/runtime/lazy-builtins.ts): a function that never touches URL pays neither.
// Request and Response.redirect() parse the common absolute URLs without it (see href()).
import { core } from './core.ts'

type URLClasses = { URL: typeof globalThis.URL; URLSearchParams: typeof globalThis.URLSearchParams }

let loaded: URLClasses | null = null

export function urlClasses(): URLClasses {
  if (loaded !== null) return loaded
  const g = globalThis as any
  // core-js installs only where no URL exists: drop the getters first.
  delete g.URL
  delete g.URLSearchParams
  // core-js wraps global fetch and Request when it sees a Headers class, to serialise its
  // URLSearchParams bodies; ours already do that, so hide Headers while it loads.
  const headers = Object.getOwnPropertyDescriptor(g, 'Headers')
  if (headers) delete g.Headers
  try {
    core.loadBuiltin('url')
  } finally {
    if (headers) Object.defineProperty(g, 'Headers', headers)
  }
  loaded = { URL: g.URL, URLSearchParams: g.URLSearchParams }
  return loaded
}

/** True for a URLSearchParams instance, without loading core-js to find out. */
export function isURLSearchParams(value: unknown): value is URLSearchParams {
  return loaded !== null && value instanceof loaded.URLSearchParams
}

// An absolute http(s) URL that the WHATWG parser would return unchanged, apart from an
// empty path becoming "/". Anything else (upper case, default port, dot segments, %2e,
// userinfo, IP forms other than dotted decimal, IDNA, characters the parser escapes)
// goes to the full parser. Host labels must start with a letter so no label reads as
// an IPv4 number (0x7f, 127.1).
const SIMPLE =
  /^(https?):\/\/((?:[a-z][a-z0-9-]*)(?:\.[a-z][a-z0-9-]*)*|(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))(?::([1-9]\d{0,4}))?([/?][A-Za-z0-9\-._~!$&()*+,;=:@/%?]*)?(#[A-Za-z0-9\-._~!$&()*+,;=:@/%?]*)?$/
const DOT_SEGMENT = /\/\.|%2e/i

/**
 * Parses `input` (against `base`) and returns its href, or null when it is not a URL.
 * Simple absolute http(s) URLs skip core-js entirely.
 */
export function href(input: string, base?: string): string | null {
  if (base === undefined) {
    const m = SIMPLE.exec(input)
    if (m !== null && !/(^|\.)xn--/.test(m[2])) {
      const port = m[3]
      const path = m[4]
      const okPort = port === undefined || (Number(port) <= 65535 && port !== (m[1] === 'http' ? '80' : '443'))
      const pathOnly = path === undefined ? '' : path.split('?')[0]
      if (okPort && !DOT_SEGMENT.test(pathOnly)) {
        if (path === undefined) return `${m[1]}://${m[2]}${port ? ':' + port : ''}/${m[5] ?? ''}`
        return path[0] === '?' ? `${m[1]}://${m[2]}${port ? ':' + port : ''}/${path}${m[5] ?? ''}` : input
      }
    }
  }
  const { URL } = urlClasses()
  try {
    return new URL(input, base).href
  } catch {
    return null
  }
}
