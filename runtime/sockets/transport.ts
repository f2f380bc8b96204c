// One client socket on the core (runtime/core/tcp.c), for connect() (connect.ts) and
// node:net (runtime/node/net.ts): the core's handlers become one events object, writes
// report backpressure against a high-water mark, and TLS goes through tls.ts, the one
// place a TLS module plugs in ('on' right after the TCP connect, 'starttls' on request).
// Bundled into the functions that use sockets, like the node: modules.
import type { SocketInfo } from '../web/core.ts'
import { core } from '../node/internal/natives.ts'
import { startTlsOn, type TlsClient, type TlsSettings } from './tls.ts'

export interface TransportEvents {
  /** Connected (and, with TLS on, the handshake done). */
  connect(): void
  data(bytes: Uint8Array): void
  /** The peer ended its side; writes may go on. */
  end(): void
  /** Everything written so far left the process. */
  drain(): void
  /** No traffic for the setTimeout time. */
  timeout(): void
  /** Exactly once: undefined for a clean close, else the error (`.code` set). */
  close(err?: Error): void
}

export interface TransportOptions {
  host: string
  port: number
  /** Fail with ETIMEDOUT when the lookup and connect together take longer (0: no limit). */
  connectTimeoutMs: number
  /** TLS from the start (secureTransport 'on', tls.connect), or null. */
  tls: TlsSettings | null
  events: TransportEvents
}

/** Bytes the core may hold for a socket before write() reports backpressure. */
export const HIGH_WATER_MARK = 64 * 1024

export class Transport {
  readonly host: string
  readonly port: number
  private id: number
  private events: TransportEvents
  private buffered = 0
  private closed = false
  private info: SocketInfo | null = null
  /** Why the transport is being closed, when the core cannot know (a failed TLS step). */
  private closeError: Error | null = null
  /** The TLS session once started: the core's bytes are its ciphertext from then on. */
  private tls: TlsClient | null = null
  private tlsState: 'off' | 'starting' | 'handshaking' | 'open' = 'off'
  /** Ciphertext that came while the TLS client loaded, and plaintext written before it was secure. */
  private early: { cipher: ArrayBuffer[]; end: boolean; plain: (Uint8Array | string)[]; ended: boolean; lowerEnded: boolean } = {
    cipher: [],
    end: false,
    plain: [],
    ended: false,
    lowerEnded: false,
  }

  constructor(o: TransportOptions) {
    this.host = o.host
    this.port = o.port
    this.events = o.events
    // Bytes written while the TCP connect and the handshake run wait for the session.
    if (o.tls !== null) this.tlsState = 'starting'
    const handlers = {
      onConnect: () => {
        this.info = core.sockInfo(this.id)
        if (o.tls === null) return this.events.connect()
        this.startTls(o.tls).catch(() => {})
      },
      onData: (chunk: ArrayBuffer) => {
        if (this.tlsState === 'off') this.events.data(new Uint8Array(chunk))
        else if (this.tls !== null) this.tls.receive(chunk)
        else this.early.cipher.push(chunk)
      },
      onEnd: () => {
        if (this.tlsState === 'off') this.events.end()
        else if (this.tls !== null) this.tls.lowerClosed()
        else this.early.end = true
      },
      onDrain: () => {
        this.buffered = 0
        this.events.drain()
      },
      onTimeout: () => this.events.timeout(),
      onClose: (err?: Error) => {
        this.closed = true
        this.tls?.lowerClosed(err)
        this.events.close(err ?? this.closeError ?? undefined)
      },
    }
    const options = o.connectTimeoutMs > 0 ? { connectTimeoutMs: o.connectTimeoutMs } : undefined
    this.id = core.connect(o.host, o.port, handlers, options)
  }

  /** Queues bytes; false once the core holds HIGH_WATER_MARK or more: wait for the drain event. */
  write(bytes: Uint8Array | string): boolean {
    if (this.closed) return false
    if (this.tlsState === 'off') this.buffered = core.sockWrite(this.id, bytes)
    else if (this.tlsState === 'open') this.tls!.write(bytes)
    else this.early.plain.push(bytes)
    return this.buffered < HIGH_WATER_MARK
  }

  get bufferedBytes(): number {
    return this.buffered
  }

  /** Half-close once the queued bytes are out. */
  end(): void {
    if (this.closed) return
    // Before the handshake is done the end waits, like the writes, for the session.
    if (this.tlsState === 'starting' || this.tlsState === 'handshaking') {
      this.early.ended = true
      return
    }
    // TLS: close_notify, then the TCP half-close (as Node's TLSSocket.end).
    if (this.tls !== null) this.tls.shutdown()
    else core.sockEnd(this.id)
  }

  close(): void {
    if (!this.closed) core.sockClose(this.id)
  }

  /** Closes with this error reaching the close event. */
  fail(err: Error): void {
    this.closeError ??= err
    this.close()
  }

  pause(): void {
    if (!this.closed) core.sockPause(this.id, true)
  }

  resume(): void {
    if (!this.closed) core.sockPause(this.id, false)
  }

  setTimeout(ms: number): void {
    if (!this.closed) core.sockSetTimeout(this.id, ms)
  }

  setOption(name: 'noDelay' | 'keepAlive', on: boolean, delaySeconds = 0): boolean {
    return !this.closed && core.sockSetOption(this.id, name, on, delaySeconds)
  }

  ref(on: boolean): void {
    if (!this.closed) core.sockRef(this.id, on)
  }

  /** The addresses, once connected. */
  addresses(): SocketInfo | null {
    return this.info
  }

  /** Hands the events to a new owner (the socket startTls() returns). */
  retarget(events: TransportEvents): void {
    this.events = events
  }

  /** The TLS session's protocol, ALPN, cipher and verdict, once secure. */
  tlsInfo(): ReturnType<TlsClient['info']> {
    return this.tls?.info() ?? null
  }

  /**
   * Runs the TLS handshake over the open connection (secureTransport 'on', startTls(),
   * tls.connect); the connect event follows once it is secure, else the transport closes
   * with the error (Node's code), which the promise also rejects with.
   */
  startTls(settings: TlsSettings): Promise<void> {
    this.tlsState = 'starting'
    return new Promise<void>((resolve, reject) => {
      const lower = {
        write: (bytes: ArrayBuffer) => {
          if (!this.closed) this.buffered = core.sockWrite(this.id, bytes)
        },
        close: () => {
          if (!this.closed && !this.early.lowerEnded) core.sockEnd(this.id)
          this.early.lowerEnded = true
        },
      }
      const events = {
        secure: () => {
          this.tlsState = 'open'
          for (const bytes of this.early.plain.splice(0)) this.tls!.write(bytes)
          resolve()
          this.events.connect()
          if (this.early.ended) this.end()
        },
        data: (plain: Uint8Array) => this.events.data(plain),
        close: (err?: Error) => {
          if (this.tlsState !== 'open') {
            const failure =
              err ??
              Object.assign(new Error('Client network socket disconnected before secure TLS connection was established'), {
                code: 'ECONNRESET',
              })
            reject(failure)
            return this.fail(failure)
          }
          if (err !== undefined) this.fail(err)
          else this.events.end()
        },
      }
      startTlsOn(lower, this.host, settings, events).then(
        (client) => {
          this.tls = client
          if (this.tlsState === 'starting') this.tlsState = 'handshaking'
          for (const chunk of this.early.cipher.splice(0)) client.receive(chunk)
          if (this.early.end) client.lowerClosed()
          if (this.closed) client.lowerClosed(this.closeError ?? undefined)
        },
        (err: Error) => {
          reject(err)
          this.fail(err)
        },
      )
    })
  }
}
