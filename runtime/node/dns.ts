// node:dns on the runtime's resolver (runtime/core/dns-resolver.c, on the event loop):
// lookup as getaddrinfo answers it (hosts file, localhost, resolv.conf's search list and
// ndots), resolve4/resolve6/resolve for A and AAAA records (the name as given, with TTLs),
// Node's error codes and messages. Other record types, reverse lookups and setServers are
// not there: they say so.
import { core } from './internal/natives.ts'
import { isIP } from './internal/ip.ts'

type Family = 0 | 4 | 6
export interface LookupAddress {
  address: string
  family: number
}
export interface LookupOptions {
  family?: number | 'IPv4' | 'IPv6'
  all?: boolean
  hints?: number
  verbatim?: boolean
  order?: 'ipv4first' | 'ipv6first' | 'verbatim'
}
type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

export const ADDRCONFIG = 1024
export const V4MAPPED = 2048
export const ALL = 256
export const NODATA = 'ENODATA'
export const FORMERR = 'EFORMERR'
export const SERVFAIL = 'ESERVFAIL'
export const NOTFOUND = 'ENOTFOUND'
export const NOTIMP = 'ENOTIMP'
export const REFUSED = 'EREFUSED'
export const BADQUERY = 'EBADQUERY'
export const BADNAME = 'EBADNAME'
export const BADFAMILY = 'EBADFAMILY'
export const BADRESP = 'EBADRESP'
export const CONNREFUSED = 'ECONNREFUSED'
export const TIMEOUT = 'ETIMEOUT'
export const EOF = 'EOF'
export const CANCELLED = 'ECANCELLED'

let resultOrder: 'ipv4first' | 'ipv6first' | 'verbatim' = 'verbatim'
export const getDefaultResultOrder = () => resultOrder
export function setDefaultResultOrder(order: 'ipv4first' | 'ipv6first' | 'verbatim'): void {
  if (order !== 'ipv4first' && order !== 'ipv6first' && order !== 'verbatim') {
    throw Object.assign(new TypeError(`The argument 'dnsOrder' must be one of: 'verbatim', 'ipv4first', 'ipv6first'. Received '${order}'`), {
      code: 'ERR_INVALID_ARG_VALUE',
    })
  }
  resultOrder = order
}

function familyOf(value: unknown): Family {
  if (value === undefined || value === 0 || value === null) return 0
  if (value === 4 || value === 'IPv4') return 4
  if (value === 6 || value === 'IPv6') return 6
  throw Object.assign(new TypeError(`The property 'options.family' must be one of: 0, 4, 6. Received ${String(value)}`), {
    code: 'ERR_INVALID_ARG_VALUE',
  })
}

function checkName(hostname: unknown): string {
  if (typeof hostname !== 'string') {
    throw Object.assign(new TypeError(`The "hostname" argument must be of type string. Received ${String(hostname)}`), {
      code: 'ERR_INVALID_ARG_TYPE',
    })
  }
  return hostname
}

function lookupError(code: string, hostname: string): NodeJS.ErrnoException {
  // getaddrinfo's view: a name that does not resolve is ENOTFOUND, a resolver that failed EAI_AGAIN.
  const c = code === 'ENOTFOUND' || code === 'ENODATA' || code === 'EBADNAME' ? 'ENOTFOUND' : 'EAI_AGAIN'
  const err = new Error(`getaddrinfo ${c} ${hostname}`) as NodeJS.ErrnoException & { hostname: string }
  err.errno = c === 'ENOTFOUND' ? -3008 : -3001
  err.code = c
  err.syscall = 'getaddrinfo'
  err.hostname = hostname
  return err
}

function queryError(code: string, syscall: string, hostname: string): NodeJS.ErrnoException {
  const err = new Error(`${syscall} ${code} ${hostname}`) as NodeJS.ErrnoException & { hostname: string }
  err.errno = undefined
  err.code = code
  err.syscall = syscall
  err.hostname = hostname
  return err
}

function pairs(list: (string | number)[]): { address: string; family: number; ttl: number }[] {
  const out = []
  for (let i = 0; i < list.length; i += 3) out.push({ address: list[i] as string, family: list[i + 1] as number, ttl: list[i + 2] as number })
  return out
}

export function lookup(hostname: string, options: LookupOptions | number | LookupCallback, callback?: LookupCallback): void {
  const cb = (typeof options === 'function' ? options : callback) as LookupCallback
  if (typeof cb !== 'function') throw Object.assign(new TypeError('The "callback" argument must be of type function'), { code: 'ERR_INVALID_ARG_TYPE' })
  const opts: LookupOptions = typeof options === 'number' ? { family: options } : typeof options === 'object' && options !== null ? options : {}
  const family = familyOf(opts.family)
  const name = checkName(hostname)
  const order = opts.order ?? (opts.verbatim === true ? 'verbatim' : opts.verbatim === false ? 'ipv4first' : resultOrder)
  if (name === '') {
    globalThis.process.nextTick(() => (opts.all ? cb(null, []) : cb(null, null as unknown as string, family === 6 ? 6 : 4)))
    return
  }
  core.dnsLookup(name, family, (code, list) => {
    if (code !== null) return cb(lookupError(code, name), opts.all ? [] : (undefined as unknown as string))
    let found = pairs(list).map(({ address, family }) => ({ address, family }))
    if (order === 'ipv6first') found = [...found.filter((a) => a.family === 6), ...found.filter((a) => a.family === 4)]
    if (opts.all) return cb(null, found)
    cb(null, found[0].address, found[0].family)
  })
}

type ResolveCallback = (err: NodeJS.ErrnoException | null, addresses: unknown[]) => void

function resolveFamily(family: 4 | 6, syscall: string) {
  return (hostname: string, options: { ttl?: boolean } | ResolveCallback, callback?: ResolveCallback): void => {
    const cb = (typeof options === 'function' ? options : callback) as ResolveCallback
    const ttl = typeof options === 'object' && options !== null && options.ttl === true
    const name = checkName(hostname)
    core.dnsResolve(name, family, (code, list) => {
      if (code !== null) return cb(queryError(code, syscall, name), [])
      const found = pairs(list)
      cb(null, ttl ? found.map(({ address, ttl }) => ({ address, ttl })) : found.map((a) => a.address))
    })
  }
}

export const resolve4 = resolveFamily(4, 'queryA')
export const resolve6 = resolveFamily(6, 'queryAaaa')

function notSupported(what: string): () => never {
  return () => {
    throw Object.assign(new Error(`dns.${what} is not supported in scratchfn: its resolver answers A and AAAA queries (lookup, resolve4, resolve6)`), {
      code: 'ENOTIMP',
    })
  }
}

export function resolve(hostname: string, rrtype: string | ResolveCallback, callback?: ResolveCallback): void {
  const cb = (typeof rrtype === 'function' ? rrtype : callback) as ResolveCallback
  const type = typeof rrtype === 'string' ? rrtype : 'A'
  if (type === 'A') return resolve4(hostname, cb)
  if (type === 'AAAA') return resolve6(hostname, cb)
  notSupported(`resolve(name, '${type}')`)()
}

export const resolveAny = notSupported('resolveAny')
export const resolveCname = notSupported('resolveCname')
export const resolveMx = notSupported('resolveMx')
export const resolveNs = notSupported('resolveNs')
export const resolveTxt = notSupported('resolveTxt')
export const resolveSrv = notSupported('resolveSrv')
export const resolvePtr = notSupported('resolvePtr')
export const resolveNaptr = notSupported('resolveNaptr')
export const resolveSoa = notSupported('resolveSoa')
export const resolveCaa = notSupported('resolveCaa')
export const reverse = notSupported('reverse')
export const lookupService = notSupported('lookupService')
export const setServers = notSupported('setServers (the nameservers are resolv.conf\'s)')
export const getServers = (): string[] => []

export class Resolver {
  resolve = resolve
  resolve4 = resolve4
  resolve6 = resolve6
  getServers = getServers
  setServers = setServers
  cancel(): void {}
  setLocalAddress(): void {}
}

/** dns/promises: the same on promises. */
export function lookupPromise(hostname: string, options: LookupOptions | number = {}): Promise<LookupAddress | LookupAddress[]> {
  return new Promise((resolve, reject) =>
    lookup(hostname, options, (err, address, family) => {
      if (err) reject(err)
      else resolve(Array.isArray(address) ? address : { address, family: family! })
    }),
  )
}

const promisify =
  (fn: (name: string, opt: unknown, cb: ResolveCallback) => void) =>
  (name: string, opt?: unknown): Promise<unknown[]> =>
    new Promise((resolve, reject) => fn(name, opt ?? {}, (err, list) => (err ? reject(err) : resolve(list))))

export const promises = {
  lookup: lookupPromise,
  resolve: (name: string, rrtype = 'A') => promisify((n, t, cb) => resolve(n, t as string, cb))(name, rrtype),
  resolve4: promisify(resolve4 as never),
  resolve6: promisify(resolve6 as never),
  getServers,
  setServers,
  setDefaultResultOrder,
  getDefaultResultOrder,
  Resolver,
}

void isIP

export default {
  lookup,
  resolve,
  resolve4,
  resolve6,
  resolveAny,
  resolveCname,
  resolveMx,
  resolveNs,
  resolveTxt,
  resolveSrv,
  resolvePtr,
  resolveNaptr,
  resolveSoa,
  resolveCaa,
  reverse,
  lookupService,
  setServers,
  getServers,
  Resolver,
  getDefaultResultOrder,
  setDefaultResultOrder,
  promises,
  ADDRCONFIG,
  V4MAPPED,
  ALL,
  NODATA,
  FORMERR,
  SERVFAIL,
  NOTFOUND,
  NOTIMP,
  REFUSED,
  BADQUERY,
  BADNAME,
  BADFAMILY,
  BADRESP,
  CONNREFUSED,
  TIMEOUT,
  EOF,
  CANCELLED,
}
