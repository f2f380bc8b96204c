// One client connection for fetch: a TCP socket of the core (runtime/core/tcp.c), with TLS
// on it for https (tls-client.ts). Its events go to whoever holds it now: an exchange
// (http-exchange.ts) while a request runs, the pool (http-pool.ts) while it idles.
import { core } from './core.ts'
import { TlsClient } from './tls-client.ts'

export interface ConnectionEvents {
  /** Connected, and for https the handshake done and the certificate verified. */
  open(): void
  data(bytes: Uint8Array): void
  /** Exactly once: undefined for a clean close, else the error (`.code` as Node's). */
  close(err?: Error): void
}

const ignore: ConnectionEvents = { open() {}, data() {}, close() {} }

export class Connection {
  /** Connected (and secured): requests can be written. */
  opened = false
  closed = false
  /** Requests this connection carried, the current one included. */
  uses = 0
  /** For the pool: when it went idle, and its idle timer. */
  idleSince = 0
  idleTimer = 0
  events: ConnectionEvents = ignore
  private sock = -1
  private tls: TlsClient | null = null

  constructor(
    /** 'http://host:port' or 'https://host:port': the pool's key. */
    readonly key: string,
    secure: boolean,
    host: string,
    port: number,
  ) {
    const closed = (err?: Error) => {
      if (this.closed) return
      this.closed = true
      this.events.close(err)
    }
    if (secure) {
      this.tls = new TlsClient({ write: (bytes) => core.sockWrite(this.sock, bytes), close: () => core.sockClose(this.sock) }, host, {
        secure: () => {
          this.opened = true
          this.events.open()
        },
        data: (bytes) => this.events.data(bytes),
        close: closed,
      })
    }
    const tls = this.tls
    const handlers =
      tls === null
        ? {
            onConnect: () => {
              this.opened = true
              this.events.open()
            },
            onData: (chunk: ArrayBuffer) => this.events.data(new Uint8Array(chunk)),
            onClose: closed,
          }
        : {
            onConnect: () => tls.start(),
            onData: (chunk: ArrayBuffer) => tls.receive(chunk),
            onClose: (err?: Error) => tls.lowerClosed(err),
          }
    this.sock = core.connect(host, port, handlers)
  }

  write(bytes: string | Uint8Array): void {
    if (this.closed) return
    if (this.tls !== null) this.tls.write(bytes)
    else core.sockWrite(this.sock, bytes)
  }

  close(): void {
    if (this.closed) return
    if (this.tls !== null) this.tls.end()
    else core.sockClose(this.sock)
  }

  /** Whether the socket keeps the process alive: an idle pooled one does not, as in Node. */
  ref(on: boolean): void {
    if (!this.closed) core.sockRef(this.sock, on)
  }
}
