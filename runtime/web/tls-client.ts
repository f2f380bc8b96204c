// A TLS client session over any byte transport: the core's session (runtime/core/tls-js.c)
// encrypts and decrypts in memory, and this moves its bytes to and from the transport
// below. fetch runs it over a fresh TCP socket (http-connection.ts); a socket that
// upgrades with startTls() can run it over the connection it already has, since nothing
// here knows what the transport is.
import { core, type TlsHandle } from './core.ts'

/** What the session writes to and closes. */
export interface LowerTransport {
  write(bytes: ArrayBuffer): void
  close(): void
}

export interface TlsEvents {
  /** The handshake is done and the certificate verified: data can flow. */
  secure(): void
  data(plain: Uint8Array): void
  /** Exactly once: undefined for a clean end, else the error (Node's `code`). */
  close(err?: Error): void
}

const HANDSHAKING = 0,
  OPEN = 1,
  CLOSED = 2,
  FAILED = 3

export class TlsClient {
  private session: TlsHandle | null = null
  private state = HANDSHAKING
  private done = false

  /** `host` as the URL names it: a name is sent as SNI and checked, an IP literal is checked against the IP SANs. */
  constructor(
    private lower: LowerTransport,
    private host: string,
    private events: TlsEvents,
    private verify = true,
    /** Node's `ca` (trusted instead of the store) and `alpn: false` (none offered; the sockets'). */
    private options?: { ca?: string; alpn?: boolean },
  ) {}

  /** Starts the handshake; call once the transport below is connected. */
  start(): void {
    try {
      this.session = core.tlsNew(this.host, this.verify, this.options)
    } catch (err) {
      return this.finish(err as Error)
    }
    this.push(undefined, false)
  }

  /** Ciphertext from the transport. */
  receive(bytes: ArrayBuffer | Uint8Array): void {
    if (!this.done && this.session !== null) this.push(bytes, false)
  }

  /** The transport closed: with an error, or cleanly (which ends a handshake in progress with ECONNRESET, as Node). */
  lowerClosed(err?: Error): void {
    if (this.done) return
    if (err !== undefined || this.session === null) return this.finish(err)
    this.push(undefined, true)
    if (!this.done) this.finish()
  }

  write(bytes: string | Uint8Array): void {
    if (this.done || this.session === null || this.state !== OPEN) return
    let out: ArrayBuffer | null
    try {
      out = core.tlsWrite(this.session, bytes)
    } catch (err) {
      return this.fail(err as Error)
    }
    if (out !== null) this.lower.write(out)
  }

  /** Sends close_notify and closes the transport; the close event follows from the transport. */
  end(): void {
    if (this.session === null) return this.lower.close()
    const bye = core.tlsEnd(this.session)
    this.session = null
    if (bye !== null) this.lower.write(bye)
    this.lower.close()
  }

  /** Half-close: sends close_notify and ends the transport's writing side, reading on until the peer ends. */
  shutdown(): void {
    if (this.done || this.session === null || this.state !== OPEN) return this.end()
    const bye = core.tlsShutdown(this.session)
    if (bye !== null) this.lower.write(bye)
    this.lower.close()
  }

  info(): { protocol: string; alpnProtocol: string | false; cipher: string; authorizationError: string | null } | null {
    return this.session !== null && this.state === OPEN ? core.tlsInfo(this.session) : null
  }

  private push(bytes: ArrayBuffer | Uint8Array | undefined, eof: boolean): void {
    const [state, out, plain, err] = core.tlsPush(this.session!, bytes, eof)
    if (out !== null) this.lower.write(out)
    const was = this.state
    this.state = state
    if (was === HANDSHAKING && state === OPEN) this.events.secure()
    if (plain !== null && !this.done) this.events.data(new Uint8Array(plain))
    if (this.done) return
    if (state === FAILED) this.fail(err!)
    else if (state === CLOSED) {
      this.end()
      this.finish()
    }
  }

  private fail(err: Error): void {
    if (this.session !== null) core.tlsEnd(this.session)
    this.session = null
    this.lower.close()
    this.finish(err)
  }

  private finish(err?: Error): void {
    if (this.done) return
    this.done = true
    if (this.session !== null) {
      core.tlsEnd(this.session)
      this.session = null
    }
    this.events.close(err)
  }
}
