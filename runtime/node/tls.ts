// node:tls: not yet. Drivers (pg, ioredis, node-redis, mysql2) import it at the top of a
// module even when they never use TLS, so the build cannot refuse it without refusing
// them: it bundles, and connect() fails the way a failed connection does, saying why.
// The runtime's TLS client (runtime/sockets/tls.ts) will take its place.
import { Socket } from './net.ts'

export const NOT_YET =
  "not yet (TLS comes with the runtime's TLS client): connect with net (plain TCP), e.g. to a database on the cluster network, or through a TLS sidecar"

function notYet(what: string): Error {
  return Object.assign(new Error(`tls.${what}: ${NOT_YET}`), { code: 'ERR_TLS_NOT_AVAILABLE' })
}

export class TLSSocket extends Socket {
  constructor() {
    super()
    throw notYet('TLSSocket')
  }
}

/** Returns a socket that fails with the reason on the next tick, as a refused connection would. */
export function connect(): Socket {
  const socket = new Socket()
  globalThis.process.nextTick(() => socket.destroy(notYet('connect()')))
  return socket
}

export function createSecureContext(): never {
  throw notYet('createSecureContext()')
}

export function createServer(): never {
  throw new Error('tls.createServer: scratchfn functions cannot listen: the function already is the HTTP server')
}

export const DEFAULT_MIN_VERSION = 'TLSv1.2'
export const DEFAULT_MAX_VERSION = 'TLSv1.3'
export const rootCertificates: string[] = []
export const checkServerIdentity = (): undefined => undefined

export default { TLSSocket, connect, createSecureContext, createServer, DEFAULT_MIN_VERSION, DEFAULT_MAX_VERSION, rootCertificates, checkServerIdentity }
