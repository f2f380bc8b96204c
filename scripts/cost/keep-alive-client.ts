// One keep-alive connection that sends the same request over and over, one at a time:
// the next request leaves only once the previous response arrived whole, so the server
// reads each request in one piece and its instruction count does not depend on timing.
// (Pipelining would let the number of requests per read vary with the machine's load.)
import { connect, type Socket } from 'node:net'

export interface KeepAliveClient {
  /** Sends the request `count` times; resolves with the statuses that were not the expected one. */
  send(count: number): Promise<number[]>
  close(): void
}

export interface ConnectOptions {
  port: number
  /** The raw request, sent as is each time. */
  request: string
  /** Give up connecting after this long. */
  timeoutMs: number
  /** Why the server is gone, once it is: connecting stops with that reason. */
  exited: () => string | undefined
}

const HEAD_END = Buffer.from('\r\n\r\n')
const LAST_CHUNK = Buffer.from('\r\n0\r\n\r\n')

/** Connects as soon as the server listens (a refused connection costs the server nothing). */
export async function connectWhenListening(options: ConnectOptions): Promise<KeepAliveClient> {
  const deadline = Date.now() + options.timeoutMs
  for (;;) {
    const gone = options.exited()
    if (gone !== undefined) throw new Error(gone)
    const socket = await tryConnect(options.port)
    if (socket) return client(socket, options.request)
    if (Date.now() > deadline) throw new Error(`nothing listened on port ${options.port} within ${options.timeoutMs / 1000} s`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

function tryConnect(port: number): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.setNoDelay(true)
    socket.once('connect', () => {
      socket.removeAllListeners('error')
      resolve(socket)
    })
    socket.once('error', () => {
      socket.destroy()
      resolve(null)
    })
  })
}

function client(socket: Socket, request: string): KeepAliveClient {
  let pending: Buffer = Buffer.alloc(0)
  let waiter: ((status: number) => void) | null = null
  let failure: Error | null = null
  const fail = (err: Error) => {
    failure ??= err
    if (waiter) waiter(-1)
  }
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk
    const status = completeResponse(pending)
    if (status === null || !waiter) return
    pending = Buffer.alloc(0)
    const w = waiter
    waiter = null
    w(status.status)
  })
  socket.on('error', fail)
  socket.on('close', () => fail(new Error('the server closed the keep-alive connection')))
  const once = () =>
    new Promise<number>((resolve) => {
      if (failure) return resolve(-1)
      waiter = resolve
      socket.write(request)
    })
  return {
    async send(count) {
      const wrong: number[] = []
      for (let i = 0; i < count; i++) {
        const status = await once()
        if (failure) throw failure
        if (status !== 200) wrong.push(status)
      }
      return wrong
    },
    close() {
      socket.removeAllListeners('close')
      socket.destroy()
    },
  }
}

/** The status once `data` holds one whole response (Content-Length or chunked), else null. */
function completeResponse(data: Buffer): { status: number } | null {
  const headEnd = data.indexOf(HEAD_END)
  if (headEnd < 0) return null
  const head = data.subarray(0, headEnd).toString('latin1')
  const status = Number(head.slice(9, 12))
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)
  const bodyStart = headEnd + 4
  if (length) return data.length >= bodyStart + Number(length[1]) ? { status } : null
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    // From the head's own CRLF, so an empty body (just the last chunk) matches too.
    return data.subarray(headEnd + 2).indexOf(LAST_CHUNK) >= 0 ? { status } : null
  }
  return { status } // no body (204, 304)
}
