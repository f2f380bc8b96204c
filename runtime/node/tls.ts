// node:tls, the client side: connect() and TLSSocket, a net.Socket whose transport runs
// the runtime's TLS client (runtime/sockets/tls.ts: mbedTLS in the core, certificates
// verified as fetch verifies them, Node's error codes). Options: servername, host,
// rejectUnauthorized, ca (trusted instead of the defaults, as in Node), socket (upgrade a
// connected net.Socket). No client certificates, ALPN, sessions or secure contexts, and no
// servers: each says so.
import { Socket, type SocketConstructorOptions, type TcpConnectOptions } from './net.ts'
import type { TlsSettings } from '../sockets/tls.ts'

type Pem = string | Uint8Array

export interface ConnectionOptions extends Partial<TcpConnectOptions>, SocketConstructorOptions {
  socket?: Socket
  servername?: string
  rejectUnauthorized?: boolean
  ca?: Pem | Pem[]
  ALPNProtocols?: unknown[]
  checkServerIdentity?: unknown
  [other: string]: unknown
}

function unsupported(what: string): Error {
  return Object.assign(
    new Error(
      `tls: ${what} is not supported in scratchfn (the TLS client verifies the server; it has no client certificates, ALPN or sessions)`,
    ),
    {
      code: 'ERR_TLS_OPTION_UNSUPPORTED',
    },
  )
}

function pem(value: Pem): string {
  return typeof value === 'string' ? value : new TextDecoder().decode(value)
}

/** Node's options as the transport's TLS settings; what cannot be honoured throws. */
function settingsOf(o: ConnectionOptions): TlsSettings {
  for (const key of ['key', 'cert', 'pfx'] as const) if (o[key] !== undefined) throw unsupported(`the ${key} option (client certificates)`)
  if (Array.isArray(o.ALPNProtocols) && o.ALPNProtocols.length > 0) throw unsupported('ALPNProtocols')
  const ca = o.ca === undefined || o.ca === null ? undefined : Array.isArray(o.ca) ? o.ca.map(pem) : pem(o.ca)
  // Node checks the name against servername, else the host (an IP literal: the IP SANs).
  return { servername: o.servername || o.host || 'localhost', rejectUnauthorized: o.rejectUnauthorized !== false, ca }
}

export class TLSSocket extends Socket {
  readonly encrypted = true
  authorized = false
  authorizationError: string | null = null
  alpnProtocol: string | false | null = null
  #settings: TlsSettings | null = null
  #wrapped: Socket | null = null

  constructor(socket?: Socket, options: ConnectionOptions = {}) {
    super(options)
    if (socket === undefined) return
    const transport = socket._handOver()
    if (transport === null) throw unsupported('a socket that is not connected yet (tls.connect({ socket }) upgrades a connected one)')
    this.#wrapped = socket
    this._adopt(transport, settingsOf({ host: transport.host, ...options }))
  }

  /** @internal */
  _setSettings(settings: TlsSettings): void {
    this.#settings = settings
  }

  protected override _tlsSettings(): TlsSettings | null {
    return this.#settings
  }

  protected override _connected(): void {
    const info = this._transport()?.tlsInfo() ?? null
    this.authorizationError = info?.authorizationError ?? null
    this.authorized = info !== null && this.authorizationError === null
    this.alpnProtocol = info?.alpnProtocol ?? false
    if (this.#wrapped === null) super._connected()
    this.emit('secureConnect')
  }

  /** The socket given to tls.connect({ socket }) closes just before this one, as in Node (pg waits for its 'close'). */
  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.#wrapped?.destroy()
    super._destroy(err, cb)
  }

  getProtocol(): string | null {
    return this._transport()?.tlsInfo()?.protocol ?? null
  }

  getCipher(): { name: string; standardName: string; version: string } | undefined {
    const info = this._transport()?.tlsInfo()
    return info ? { name: info.cipher, standardName: info.cipher, version: info.protocol } : undefined
  }

  getPeerCertificate(): Record<string, never> {
    throw unsupported('getPeerCertificate()')
  }
}

function normalize(args: unknown[]): [ConnectionOptions, (() => void) | undefined] {
  const last = args[args.length - 1]
  const cb = typeof last === 'function' ? (last as () => void) : undefined
  const list = cb ? args.slice(0, -1) : args
  if (list[0] !== null && typeof list[0] === 'object') return [{ ...(list[0] as ConnectionOptions) }, cb]
  const [port, second, third] = list
  const host = typeof second === 'string' ? second : undefined
  const rest = (typeof second === 'object' && second !== null ? second : third) as ConnectionOptions | undefined
  return [{ ...rest, port: port as number, ...(host !== undefined ? { host } : {}) }, cb]
}

/** tls.connect(options[, cb]) or (port[, host][, options][, cb]): a TLSSocket, 'secureConnect' once verified. */
export function connect(...args: unknown[]): TLSSocket {
  const [options, cb] = normalize(args)
  let socket: TLSSocket
  if (options.socket !== undefined) {
    socket = new TLSSocket(options.socket, options)
  } else {
    const settings = settingsOf(options)
    socket = new TLSSocket(undefined, options)
    socket._setSettings(settings)
    socket.connect(options)
  }
  if (cb) socket.once('secureConnect', cb)
  return socket
}

export function createSecureContext(): never {
  throw unsupported('createSecureContext() (pass servername, ca and rejectUnauthorized to tls.connect)')
}

export function createServer(): never {
  throw new Error('tls.createServer: scratchfn functions cannot listen: the function already is the HTTP server')
}

export const DEFAULT_MIN_VERSION = 'TLSv1.2'
export const DEFAULT_MAX_VERSION = 'TLSv1.3'
export const rootCertificates: string[] = []
export const checkServerIdentity = (): undefined => undefined

export default {
  TLSSocket,
  connect,
  createSecureContext,
  createServer,
  DEFAULT_MIN_VERSION,
  DEFAULT_MAX_VERSION,
  rootCertificates,
  checkServerIdentity,
}
