// connect() as Cloudflare Workers have it (`cloudflare:sockets`, also `scratchfn:sockets`):
// a TCP socket as a ReadableStream and a WritableStream of bytes, with `opened`, `closed`,
// `close()`, `startTls()` and `secureTransport`, and workerd's errors. Reads pause the
// socket while the readable's queue is full; writes resolve once the core holds less than
// its high-water mark. TLS ('on', 'starttls') goes through tls.ts.
import { Transport } from './transport.ts'
import { connectTimeoutMs, idleTimeoutMs } from './settings.ts'
import type { TlsSettings } from './tls.ts'

export interface SocketAddress {
  hostname: string
  port: number
}

export interface SocketOptions {
  secureTransport?: 'off' | 'on' | 'starttls'
  allowHalfOpen?: boolean
  highWaterMark?: number
}

export interface SocketInfo {
  remoteAddress?: string
  localAddress?: string
}

export interface TlsOptions {
  expectedServerHostname?: string
}

type Secure = 'off' | 'on' | 'starttls'

function parseSecureTransport(value: unknown): Secure {
  if (value === undefined) return 'off'
  if (value === 'off' || value === 'on' || value === 'starttls') return value
  throw new TypeError(`Unsupported value in secureTransport socket option: ${String(value)}`)
}

const validHost = /^[A-Za-z0-9._\-[\]:]+$/

function parseAddress(address: string | SocketAddress): { host: string; port: number } {
  let host: string
  let port: number
  if (typeof address === 'string') {
    const m = /^(\[[^\]]*\]|[^:/?#[\]]*)(?::(\d*))?$/.exec(address)
    if (m === null) throw new TypeError('Specified address could not be parsed.')
    if (m[1] === '' || m[1] === '[]') throw new TypeError('Specified address is missing hostname.')
    host = m[1]
    // As in workerd, which reads the string as the authority of an https: URL.
    port = m[2] ? Number(m[2]) : 443
    if (port > 65535) throw new TypeError('Specified address could not be parsed.')
  } else if (address !== null && typeof address === 'object') {
    host = String(address.hostname)
    port = Number(address.port)
  } else {
    throw new TypeError('Specified address could not be parsed.')
  }
  const shown = `${host}:${port}`
  if (shown.length > 255 || host === '' || !validHost.test(shown))
    throw new TypeError('Specified address is empty string, contains unsupported characters or is too long.')
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TypeError(`Specified port is out of range: ${port}`)
  return { host: host.startsWith('[') ? host.slice(1, -1) : host, port }
}

function connectionFailed(cause: Error | undefined): Error {
  // workerd's words; the operating system's reason (ECONNREFUSED, ENOTFOUND, ...) is the cause.
  return cause === undefined ? new Error('connection attempt failed') : new Error('connection attempt failed', { cause })
}

function bytesOf(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk)
  throw new TypeError('This TransformStream is being used as a byte stream, but received a value that is not a BufferSource.')
}

interface Deferred<T> {
  promise: Promise<T>
  resolve(v: T): void
  reject(e: unknown): void
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  // Nobody may ever look at these; an unobserved rejection is not an error of the function.
  promise.catch(() => {})
  return { promise, resolve, reject }
}

export class Socket {
  readonly readable: ReadableStream<Uint8Array>
  readonly writable: WritableStream<Uint8Array>
  readonly #opened = deferred<SocketInfo>()
  readonly #closed = deferred<void>()
  readonly #secure: Secure
  readonly #options: SocketOptions
  #transport: Transport
  #upgraded = false
  #isTls: boolean
  #readController: ReadableStreamDefaultController<Uint8Array> | null = null
  #readDone = false
  #writeDone = false
  #drainWaiter: (() => void) | null = null
  #open = false

  /** @internal Use connect(). */
  constructor(host: string, port: number, options: SocketOptions, tls: TlsSettings | null, adopt?: Transport) {
    this.#secure = parseSecureTransport(options.secureTransport)
    this.#options = options
    this.#isTls = tls !== null
    const hwm = options.highWaterMark !== undefined ? Number(options.highWaterMark) : 64 * 1024
    this.readable = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          this.#readController = c
        },
        pull: () => this.#transport.resume(),
        cancel: () => {
          this.#readDone = true
          this.#transport.close()
        },
      },
      { highWaterMark: hwm, size: (chunk) => chunk.byteLength },
    )
    this.writable = new WritableStream<Uint8Array>({
      write: (chunk) => {
        const bytes = bytesOf(chunk)
        if (this.#transport.write(bytes)) return
        return new Promise<void>((resolve) => {
          this.#drainWaiter = resolve
        })
      },
      close: () => {
        this.#writeDone = true
        this.#transport.end()
        if (this.#readDone) this.#transport.close()
      },
      abort: () => {
        this.#writeDone = true
        this.#transport.close()
      },
    })
    const events = {
      connect: () => {
        this.#open = true
        const info = this.#transport.addresses()
        const at = (address: string, p: number, family: number) => (family === 6 ? `[${address}]:${p}` : `${address}:${p}`)
        this.#opened.resolve(
          info === null ? {} : { remoteAddress: at(info[0], info[1], info[2]), localAddress: at(info[3], info[4], info[5]) },
        )
      },
      data: (bytes: Uint8Array) => {
        const c = this.#readController
        if (c === null || this.#readDone) return
        c.enqueue(bytes)
        if ((c.desiredSize ?? 1) <= 0) this.#transport.pause()
      },
      end: () => {
        if (!this.#readDone) {
          this.#readDone = true
          this.#readController?.close()
        }
        if (this.#writeDone) this.#transport.close()
        else if (!this.#options.allowHalfOpen) {
          // Our side follows once what was written has gone out, as workerd closes the writable.
          this.writable.close().catch(() => {})
        }
      },
      drain: () => {
        const w = this.#drainWaiter
        this.#drainWaiter = null
        w?.()
      },
      timeout: () => {
        const err = new Error(`socket idle for ${idleTimeoutMs()} ms (SCRATCHFN_SOCKET_IDLE_TIMEOUT_MS)`)
        ;(err as Error & { code: string }).code = 'ETIMEDOUT'
        this.#transport.fail(err)
      },
      close: (err?: Error) => this.#finish(err),
    }
    if (adopt) adopt.retarget(events)
    this.#transport = adopt ?? new Transport({ host, port, connectTimeoutMs: connectTimeoutMs(), tls, events })
    const idle = idleTimeoutMs()
    if (idle > 0) this.#transport.setTimeout(idle)
  }

  #finish(err?: Error): void {
    const c = this.#readController
    if (!this.#open) {
      const failure = connectionFailed(err)
      this.#opened.reject(failure)
      this.#closed.reject(failure)
      if (!this.#readDone) c?.error(failure)
    } else if (err !== undefined) {
      if (!this.#readDone) c?.error(err)
      this.#closed.reject(err)
    } else {
      if (!this.#readDone) c?.close()
      this.#closed.resolve()
    }
    this.#readDone = true
    this.#drainWaiter?.()
    this.#drainWaiter = null
  }

  get opened(): Promise<SocketInfo> {
    return this.#opened.promise
  }

  get closed(): Promise<void> {
    return this.#closed.promise
  }

  get upgraded(): boolean {
    return this.#upgraded
  }

  get secureTransport(): Secure {
    return this.#secure
  }

  /** Closes both directions at once; resolves with `closed`. */
  close(): Promise<void> {
    this.#readDone = true
    this.#writeDone = true
    this.#transport.close()
    return this.#closed.promise.catch(() => {})
  }

  /** Upgrades a 'starttls' socket to TLS: the returned socket carries the traffic from then on. */
  startTls(options: TlsOptions = {}): Socket {
    if (this.#isTls) throw new TypeError('Cannot startTls on a TLS socket.')
    if (this.#upgraded) throw new TypeError('startTls can only be called once.')
    if (this.#secure !== 'starttls')
      throw new TypeError("The `secureTransport` socket option must be set to 'starttls' for startTls to be used.")
    this.#upgraded = true
    const transport = this.#transport
    const secure = new Socket(transport.host, transport.port, { ...this.#options, secureTransport: 'on' }, {}, transport)
    transport.startTls({ servername: options.expectedServerHostname ?? transport.host }).then(
      () => {},
      (err: Error) => {
        secure.#opened.reject(err)
        secure.#closed.reject(err)
        transport.fail(err)
      },
    )
    return secure
  }
}

/** Opens a TCP connection to `address` ('host:port' or { hostname, port }). */
export function connect(address: string | SocketAddress, options: SocketOptions = {}): Socket {
  const { host, port } = parseAddress(address)
  const secure = parseSecureTransport(options?.secureTransport)
  return new Socket(host, port, options ?? {}, secure === 'on' ? { servername: host } : null)
}

export default { connect }
