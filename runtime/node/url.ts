// node:url. URL and URLSearchParams are the runtime's (WHATWG); fileURLToPath and
// pathToFileURL are POSIX; the legacy parse/format/resolve come from the npm `url`
// package (a port of Node's legacy parser), its query strings through node:querystring.
import legacy from 'url/url.js'
import { invalidArgType, nodeError } from './internal/errors.ts'
import { resolve as resolvePath } from './path.ts'

type Legacy = {
  parse(url: string, parseQueryString?: boolean, slashesDenoteHost?: boolean): unknown
  format(url: unknown): string
  resolve(from: string, to: string): string
  resolveObject(from: string, to: string): unknown
  Url: new () => unknown
}
const lib = legacy as unknown as Legacy

export const URL = globalThis.URL
export const URLSearchParams = globalThis.URLSearchParams
export const Url = lib.Url
export const parse = lib.parse
export const resolve = lib.resolve
export const resolveObject = lib.resolveObject

/** url.format also takes a WHATWG URL (with Node's options), as in Node. */
export function format(url: unknown, options?: { auth?: boolean; fragment?: boolean; search?: boolean; unicode?: boolean }): string {
  if (url instanceof URL) {
    const u = new URL(url.href)
    if (options?.auth === false) {
      u.username = ''
      u.password = ''
    }
    if (options?.fragment === false) u.hash = ''
    if (options?.search === false) u.search = ''
    return u.href
  }
  if (typeof url === 'string') return lib.format(lib.parse(url))
  if (url === null || typeof url !== 'object') throw invalidArgType('urlObject', ['Object', 'string'], url)
  return lib.format(url)
}

export function fileURLToPath(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url
  if (!(u instanceof URL)) throw invalidArgType('path', ['string', 'URL'], url)
  if (u.protocol !== 'file:') throw nodeError(TypeError, 'ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file')
  if (u.hostname !== '') throw nodeError(TypeError, 'ERR_INVALID_FILE_URL_HOST', `File URL host must be "localhost" or empty on linux`)
  const path = u.pathname
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '%' && path[i + 1] === '2' && (path[i + 2] === 'f' || path[i + 2] === 'F'))
      throw nodeError(TypeError, 'ERR_INVALID_FILE_URL_PATH', 'File URL path must not include encoded / characters')
  }
  return decodeURIComponent(path)
}

export function pathToFileURL(path: string): URL {
  if (typeof path !== 'string') throw invalidArgType('path', 'string', path)
  let resolved = resolvePath(path)
  // Keep a trailing slash, which resolving drops.
  if (path.endsWith('/') && !resolved.endsWith('/')) resolved += '/'
  const encoded = resolved
    .replace(/%/g, '%25')
    .replace(/\\/g, '%5C')
    .replace(/\n/g, '%0A')
    .replace(/\r/g, '%0D')
    .replace(/\t/g, '%09')
    .replace(/#/g, '%23')
    .replace(/\?/g, '%3F')
  return new URL(`file://${encoded}`)
}

export function urlToHttpOptions(url: URL): Record<string, unknown> {
  const options: Record<string, unknown> = {
    protocol: url.protocol,
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    hash: url.hash,
    search: url.search,
    pathname: url.pathname,
    path: `${url.pathname || ''}${url.search || ''}`,
    href: url.href,
  }
  if (url.port !== '') options.port = Number(url.port)
  if (url.username || url.password) options.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
  return options
}

export function domainToASCII(domain: string): string {
  try {
    return new URL(`http://${domain}`).hostname
  } catch {
    return ''
  }
}

export function domainToUnicode(domain: string): string {
  return domain
}

export default {
  URL,
  URLSearchParams,
  Url,
  parse,
  format,
  resolve,
  resolveObject,
  fileURLToPath,
  pathToFileURL,
  urlToHttpOptions,
  domainToASCII,
  domainToUnicode,
}
