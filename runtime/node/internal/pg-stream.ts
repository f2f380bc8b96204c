// What pg (node-postgres) gets for its lib/stream.js in an image bundle: its socket as a
// small EventEmitter on the runtime's transport (runtime/sockets/transport.ts), with just
// what pg's Connection uses (connect, write, end, destroy, setNoDelay, setKeepAlive,
// ref/unref, writable; the events connect, data, end, error, close). pg's own choice is
// net.Socket, a readable-stream Duplex: that brings 150 KB of bytecode into every function
// that talks to PostgreSQL, which QuickJS reads at each start. For sslmode, pg's
// getSecureStream upgrades the same socket in place (runtime/sockets/tls.ts), with
// node:tls's options (servername or host, rejectUnauthorized, ca).
import './capture-stack-trace.ts'
import { EventEmitter } from '../events.ts'
import { Buffer } from '../buffer.ts'
import { Transport } from '../../sockets/transport.ts'
import { connectTimeoutMs } from '../../sockets/settings.ts'
import type { TlsSettings } from '../../sockets/tls.ts'

type Err = Error & { code?: string; syscall?: string; address?: string; port?: number }

function nodeError(err: Err): Err {
  if (err.syscall === 'connect' && err.address !== undefined) err.message = `connect ${err.code} ${err.address}:${err.port}`
  return err
}

class PgSocket extends EventEmitter {
  writable = false
  #transport: Transport | null = null
  #noDelay = true
  #keepAlive: [boolean, number] | null = null
  #ref = true
  #drainCallbacks: (() => void)[] = []
  #secure = false

  connect(port: number, host: string): this {
    this.writable = true
    this.#transport = new Transport({
      host: host || 'localhost',
      port: Number(port),
      connectTimeoutMs: connectTimeoutMs(),
      tls: null,
      events: {
        connect: () => {
          // The second connect is the handshake's end: pg writes on without waiting for it.
          if (this.#secure) return void this.emit('secureConnect')
          this.#transport!.setOption('noDelay', this.#noDelay)
          if (this.#keepAlive) this.#transport!.setOption('keepAlive', ...this.#keepAlive)
          this.emit('connect')
        },
        data: (bytes) => this.emit('data', Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
        end: () => {
          this.emit('end')
          this.end()
        },
        drain: () => {
          for (const cb of this.#drainCallbacks.splice(0)) cb()
          this.emit('drain')
        },
        timeout: () => this.emit('timeout'),
        close: (err) => {
          this.writable = false
          for (const cb of this.#drainCallbacks.splice(0)) cb()
          if (err) this.emit('error', nodeError(err))
          this.emit('close', err !== undefined)
        },
      },
    })
    if (!this.#ref) this.#transport.ref(false)
    return this
  }

  /** Upgrades the connection to TLS (pg's sslmode, after the server's 'S'). */
  startTls(settings: TlsSettings): this {
    this.#secure = true
    this.#transport?.startTls(settings).catch(() => {})
    return this
  }

  write(data: Uint8Array | string, cb?: () => void): boolean {
    if (!this.#transport || !this.writable) return false
    const ok = this.#transport.write(data)
    if (cb) {
      if (ok) globalThis.process.nextTick(cb)
      else this.#drainCallbacks.push(cb)
    }
    return ok
  }

  end(): this {
    this.writable = false
    this.#transport?.end()
    return this
  }

  destroy(): this {
    this.writable = false
    this.#transport?.close()
    return this
  }

  setNoDelay(on = true): this {
    this.#noDelay = on
    return this
  }

  setKeepAlive(on = false, delayMs = 0): this {
    this.#keepAlive = [on, Math.floor(delayMs / 1000)]
    return this
  }

  ref(): this {
    this.#ref = true
    this.#transport?.ref(true)
    return this
  }

  unref(): this {
    this.#ref = false
    this.#transport?.ref(false)
    return this
  }
}

export function getStream(): PgSocket {
  return new PgSocket()
}

interface SecureStreamOptions {
  socket: PgSocket
  host?: string
  servername?: string
  rejectUnauthorized?: boolean
  ca?: string | Uint8Array | (string | Uint8Array)[]
  key?: unknown
  cert?: unknown
  ALPNProtocols?: unknown
}

const pem = (v: string | Uint8Array) => (typeof v === 'string' ? v : new TextDecoder().decode(v))

/** pg's tls.connect({ socket, ...config.ssl }): the same socket, upgraded (as pg's own Cloudflare stream does). */
export function getSecureStream(o: SecureStreamOptions): PgSocket {
  if (o.key !== undefined || o.cert !== undefined)
    throw new Error(
      'pg ssl: client certificates (ssl.key, ssl.cert) are not supported in scratchfn: the TLS client verifies the server only',
    )
  if (o.ALPNProtocols !== undefined)
    throw new Error('pg ssl: sslnegotiation=direct (ALPN) is not supported in scratchfn: use the default sslnegotiation=postgres')
  const ca = o.ca === undefined || o.ca === null ? undefined : Array.isArray(o.ca) ? o.ca.map(pem) : pem(o.ca)
  return o.socket.startTls({ servername: o.servername || o.host || 'localhost', rejectUnauthorized: o.rejectUnauthorized !== false, ca })
}
