// node:net, the client side: Socket (a Duplex from readable-stream on the runtime's
// sockets, runtime/sockets/transport.ts), connect/createConnection, isIP/isIPv4/isIPv6.
// What pg, ioredis, node-redis and mysql2 use: connect, write with backpressure, end,
// destroy, setTimeout, setNoDelay, setKeepAlive, ref/unref, the addresses, and the events
// 'lookup', 'connect', 'ready', 'data', 'end', 'close', 'error', 'timeout', 'drain'.
// Errors carry Node's messages and fields (code, errno, syscall, address, port).
// No servers: the function already is the server.
import './internal/capture-stack-trace.ts'
import { Duplex } from './stream.ts'
import { Buffer } from './buffer.ts'
import { isIP, isIPv4, isIPv6 } from './internal/ip.ts'
import { Transport } from '../sockets/transport.ts'
import type { TlsSettings } from '../sockets/tls.ts'
import { connectTimeoutMs } from '../sockets/settings.ts'

export { isIP, isIPv4, isIPv6 }

type Callback = (err?: Error | null) => void
type LookupFn = (
  host: string,
  options: { family?: number; all?: boolean },
  cb: (err: Error | null, address: string, family: number) => void,
) => void

export interface SocketConstructorOptions {
  allowHalfOpen?: boolean
  readable?: boolean
  writable?: boolean
  signal?: AbortSignal
  highWaterMark?: number
}

export interface TcpConnectOptions {
  port: number | string
  host?: string
  family?: number
  lookup?: LookupFn
  timeout?: number
  noDelay?: boolean
  keepAlive?: boolean
  keepAliveInitialDelay?: number
  path?: string
  localAddress?: string
  localPort?: number
}

/** Node's form of the core's errors: "connect ECONNREFUSED 127.0.0.1:5432", "read ECONNRESET". */
function nodeError(err: Error & { code?: string; syscall?: string; address?: string; port?: number }): Error {
  if (err.syscall === 'connect' && err.address !== undefined) err.message = `connect ${err.code} ${err.address}:${err.port}`
  else if (err.syscall === 'read' || err.syscall === 'write') err.message = `${err.syscall} ${err.code}`
  if (err.code === 'ENOTFOUND' && (err as { errno?: number }).errno === undefined) (err as { errno?: number }).errno = -3008
  if (err.code === 'EAI_AGAIN' && (err as { errno?: number }).errno === undefined) (err as { errno?: number }).errno = -3001
  return err
}

function invalidArg(name: string, value: unknown, expected: string): TypeError {
  const err = new TypeError(
    `The "${name}" argument must be ${expected}. Received ${typeof value === 'string' ? `type string ('${value}')` : String(value)}`,
  )
  ;(err as TypeError & { code: string }).code = 'ERR_INVALID_ARG_TYPE'
  return err
}

function badPort(port: unknown): RangeError {
  const err = new RangeError(
    `Port should be >= 0 and < 65536. Received ${typeof port === 'string' ? `type string ('${port}')` : `type number (${String(port)})`}.`,
  )
  ;(err as RangeError & { code: string }).code = 'ERR_SOCKET_BAD_PORT'
  return err
}

function normalizeConnectArgs(args: unknown[]): [TcpConnectOptions, (() => void) | undefined] {
  const last = args[args.length - 1]
  const cb = typeof last === 'function' ? (last as () => void) : undefined
  const list = cb ? args.slice(0, -1) : args
  const first = list[0]
  if (first !== null && typeof first === 'object') return [first as TcpConnectOptions, cb]
  if (typeof first === 'string' && !/^\d+$/.test(first)) return [{ path: first } as TcpConnectOptions, cb]
  return [{ port: first as number, host: list[1] as string | undefined }, cb]
}

export class Socket extends Duplex {
  connecting = false
  bytesRead = 0
  timeout: number | undefined = undefined
  remoteAddress: string | undefined = undefined
  remotePort: number | undefined = undefined
  remoteFamily: string | undefined = undefined
  localAddress: string | undefined = undefined
  localPort: number | undefined = undefined
  localFamily: string | undefined = undefined
  #transport: Transport | null = null
  #written = 0
  #pendingWrite: Callback | null = null
  #pendingDestroy: { err: Error | null; cb: Callback } | null = null
  #settings: { noDelay?: boolean; keepAlive?: [boolean, number]; timeout?: number; ref: boolean } = { ref: true }
  #closed = false

  constructor(options: SocketConstructorOptions = {}) {
    super({
      allowHalfOpen: options.allowHalfOpen ?? false,
      readableHighWaterMark: options.highWaterMark,
      writableHighWaterMark: options.highWaterMark,
      signal: options.signal,
      emitClose: false,
      decodeStrings: true,
      autoDestroy: true,
    })
  }

  get pending(): boolean {
    return this.#transport === null || this.connecting
  }

  get readyState(): 'opening' | 'open' | 'readOnly' | 'writeOnly' | 'closed' {
    if (this.connecting) return 'opening'
    if (this.#transport === null || this.#closed) return 'closed'
    const r = this.readable as boolean
    const w = this.writable as boolean
    return r && w ? 'open' : r ? 'readOnly' : w ? 'writeOnly' : 'closed'
  }

  get bytesWritten(): number {
    return this.#written
  }

  get bufferSize(): number {
    return (this.writableLength as number) + (this.#transport?.bufferedBytes ?? 0)
  }

  connect(...args: unknown[]): this {
    const [options, cb] = normalizeConnectArgs(args)
    if (options.path !== undefined) {
      throw new Error(`net: Unix domain sockets (${options.path}) are not available in scratchfn: connect to a host and port`)
    }
    const port = typeof options.port === 'string' && /^\d+$/.test(options.port) ? Number(options.port) : options.port
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
      if (port === undefined) throw invalidArg('options.port', port, 'of type number')
      throw badPort(options.port)
    }
    const host = options.host || 'localhost'
    if (typeof host !== 'string') throw invalidArg('options.host', host, 'of type string')
    if (cb) this.once('connect', cb)
    if (options.timeout !== undefined) this.setTimeout(options.timeout)
    if (options.noDelay) this.setNoDelay(true)
    if (options.keepAlive) this.setKeepAlive(true, (options.keepAliveInitialDelay ?? 0) / 1000)
    this.connecting = true
    if (typeof options.lookup === 'function' && isIP(host) === 0) {
      options.lookup(host, { family: options.family, all: false }, (err, address) => {
        this.emit('lookup', err, address, isIP(address), host)
        if (err) return this.destroy(err)
        if (!this.destroyed) this.#open(address, port)
      })
    } else {
      this.#open(host, port)
    }
    return this
  }

  #open(host: string, port: number): void {
    this.#transport = new Transport({ host, port, connectTimeoutMs: connectTimeoutMs(), tls: this._tlsSettings(), events: this.#events() })
    const s = this.#settings
    if (s.timeout !== undefined) this.#transport.setTimeout(s.timeout)
    if (!s.ref) this.#transport.ref(false)
  }

  /** @internal TLS from the start (node:tls's TLSSocket), else null. */
  protected _tlsSettings(): TlsSettings | null {
    return null
  }

  /** @internal Hands the open connection to a TLSSocket (tls.connect({ socket })): this socket goes quiet and closes with it. */
  _handOver(): Transport | null {
    const t = this.#transport
    if (t === null || this.#closed) return null
    this.#transport = null
    this.#closed = true
    return t
  }

  /** @internal Takes over `transport` (open: the connect event comes from its startTls) and secures it. */
  protected _adopt(transport: Transport, settings: TlsSettings): void {
    this.connecting = true
    this.#transport = transport
    transport.retarget(this.#events())
    transport.resume()
    transport.startTls(settings).catch(() => {})
  }

  /** @internal The transport, for the TLS session's details. */
  protected _transport(): Transport | null {
    return this.#transport
  }

  #events(): ConstructorParameters<typeof Transport>[0]['events'] {
    return {
      connect: () => this.#onConnect(),
      data: (bytes) => {
        this.bytesRead += bytes.byteLength
        const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
        if (!this.push(buf)) this.#transport?.pause()
      },
      end: () => this.push(null),
      drain: () => {
        const cb = this.#pendingWrite
        this.#pendingWrite = null
        cb?.()
      },
      timeout: () => this.emit('timeout'),
      close: (err) => this.#onClose(err),
    }
  }

  #onConnect(): void {
    this.connecting = false
    const info = this.#transport!.addresses()
    if (info !== null) {
      ;[this.remoteAddress, this.remotePort] = [info[0], info[1]]
      this.remoteFamily = info[2] === 6 ? 'IPv6' : 'IPv4'
      ;[this.localAddress, this.localPort] = [info[3], info[4]]
      this.localFamily = info[5] === 6 ? 'IPv6' : 'IPv4'
    }
    const s = this.#settings
    if (s.noDelay !== undefined) this.#transport!.setOption('noDelay', s.noDelay)
    if (s.keepAlive !== undefined) this.#transport!.setOption('keepAlive', s.keepAlive[0], s.keepAlive[1])
    this._connected()
  }

  /** @internal What a connection announces (a TLSSocket adds 'secureConnect'). */
  protected _connected(): void {
    this.emit('connect')
    this.emit('ready')
  }

  #onClose(err?: Error): void {
    this.#closed = true
    this.connecting = false
    const pending = this.#pendingDestroy
    this.#pendingDestroy = null
    if (pending !== null) return pending.cb(pending.err)
    if (err !== undefined) return void this.destroy(nodeError(err))
    // Closed cleanly under us (the peer ended and so did we): what was read is all there is.
    if (!this.readableEnded) this.push(null)
    this.destroy()
  }

  _read(): void {
    this.#transport?.resume()
  }

  _write(chunk: Buffer | string, encoding: string, cb: Callback): void {
    if (this.#transport === null || this.#closed) {
      // Node queues writes made before connect(); after a close they fail.
      if (this.#closed) return cb(Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' }))
      this.once('connect', () => this._write(chunk, encoding, cb))
      return
    }
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding as BufferEncoding) : chunk
    this.#written += bytes.byteLength
    if (this.#transport.write(bytes)) cb()
    else this.#pendingWrite = cb
  }

  _final(cb: Callback): void {
    if (this.#transport === null) {
      this.once('connect', () => this._final(cb))
      return
    }
    this.#transport.end()
    cb()
  }

  _destroy(err: Error | null, cb: Callback): void {
    this.connecting = false
    // 'close' (with hadError) follows the descriptor's close and the 'error' event, as in Node.
    const done: Callback = (e) => {
      cb(e)
      globalThis.process.nextTick(() => this.emit('close', e != null))
    }
    const t = this.#transport
    if (t === null || this.#closed) return done(err)
    this.#pendingDestroy = { err, cb: done }
    t.close()
  }

  setTimeout(ms: number, cb?: () => void): this {
    if (typeof ms !== 'number' || ms < 0 || !Number.isFinite(ms)) throw invalidArg('msecs', ms, 'of type number')
    this.timeout = ms
    this.#settings.timeout = ms
    this.#transport?.setTimeout(ms)
    if (cb) {
      if (ms === 0) this.off('timeout', cb)
      else this.once('timeout', cb)
    }
    return this
  }

  setNoDelay(noDelay = true): this {
    this.#settings.noDelay = noDelay
    if (this.#transport !== null && !this.connecting) this.#transport.setOption('noDelay', noDelay)
    return this
  }

  setKeepAlive(enable = false, initialDelayMs = 0): this {
    const seconds = Math.floor(initialDelayMs / 1000)
    this.#settings.keepAlive = [enable, seconds]
    if (this.#transport !== null && !this.connecting) this.#transport.setOption('keepAlive', enable, seconds)
    return this
  }

  address(): { address: string; family: string; port: number } | Record<string, never> {
    if (this.localAddress === undefined) return {}
    return { address: this.localAddress, family: this.localFamily!, port: this.localPort! }
  }

  ref(): this {
    this.#settings.ref = true
    this.#transport?.ref(true)
    return this
  }

  unref(): this {
    this.#settings.ref = false
    this.#transport?.ref(false)
    return this
  }

  resetAndDestroy(): this {
    return this.destroy() as this
  }

  destroySoon(): void {
    if (this.writable) this.end()
    if (this.writableFinished) this.destroy()
    else this.once('finish', () => this.destroy())
  }
}

export function connect(...args: unknown[]): Socket {
  const [options] = normalizeConnectArgs(args)
  const socket = new Socket(options as SocketConstructorOptions)
  return socket.connect(...args)
}
export const createConnection = connect

function noServers(what: string): never {
  throw new Error(
    `net.${what}: scratchfn functions cannot listen: the function already is the HTTP server (its Hono app, on $PORT); net is for outgoing connections (net.connect)`,
  )
}

export function createServer(): never {
  noServers('createServer()')
}

export class Server {
  constructor() {
    noServers('Server')
  }
}

export class Stream extends Socket {}

let autoSelectFamily = false
export const getDefaultAutoSelectFamily = () => autoSelectFamily
export const setDefaultAutoSelectFamily = (v: boolean) => {
  autoSelectFamily = Boolean(v)
}

export default {
  Socket,
  Stream,
  Server,
  connect,
  createConnection,
  createServer,
  isIP,
  isIPv4,
  isIPv6,
  getDefaultAutoSelectFamily,
  setDefaultAutoSelectFamily,
}
