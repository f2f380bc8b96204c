// What pg (node-postgres) gets for its lib/stream.js in an image bundle: its socket as a
// small EventEmitter on the runtime's transport (runtime/sockets/transport.ts), with just
// what pg's Connection uses (connect, write, end, destroy, setNoDelay, setKeepAlive,
// ref/unref, writable; the events connect, data, end, error, close). pg's own choice is
// net.Socket, a readable-stream Duplex: that brings 150 KB of bytecode into every function
// that talks to PostgreSQL, which QuickJS reads at each start. TLS says "not yet".
import './capture-stack-trace.ts'
import { EventEmitter } from '../events.ts'
import { Buffer } from '../buffer.ts'
import { Transport } from '../../sockets/transport.ts'
import { connectTimeoutMs } from '../../sockets/settings.ts'

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

  connect(port: number, host: string): this {
    this.writable = true
    this.#transport = new Transport({
      host: host || 'localhost',
      port: Number(port),
      connectTimeoutMs: connectTimeoutMs(),
      tls: null,
      events: {
        connect: () => {
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

export function getSecureStream(): PgSocket {
  const socket = new PgSocket()
  globalThis.process.nextTick(() => {
    const err = Object.assign(
      new Error("tls.connect(): not yet (TLS comes with the runtime's TLS client): connect with sslmode=disable, e.g. to a database on the cluster network, or through a TLS sidecar"),
      { code: 'ERR_TLS_NOT_AVAILABLE' },
    )
    socket.emit('error', err)
    socket.emit('close', true)
  })
  return socket
}
