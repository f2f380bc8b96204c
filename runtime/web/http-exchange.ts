// One HTTP/1.1 request/response exchange on a connection (http-connection.ts), new or
// from the pool, for fetch(). Resolves once the response head has arrived; the body
// follows as a ReadableStream fed straight from the connection (Content-Length, chunked,
// or until close). When the response ends cleanly and both sides allow it, the
// connection is handed back (`finished`) to carry the next request.
import { core } from './core.ts'
import { concatBytes } from './blob.ts'
import { fetchFailed } from './fetch-error.ts'
import { listGet } from './headers.ts'
import type { Connection } from './http-connection.ts'
import { ReadableStream } from './streams.ts'
import type { Stream } from './body.ts'

export interface Exchange {
  conn: Connection
  head: string | Uint8Array
  body: Uint8Array | null
  /** A HEAD request: the response has no body whatever its headers say. */
  noBody: boolean
  signal: AbortSignal | null
  /** Until the head arrives, then the longest silence allowed while the body streams. */
  timeoutMs: number
  /** For messages: "GET http://host/path". */
  describe: string
  /**
   * Called once when the exchange is over: reusable when the response ended cleanly and
   * neither side asked to close, with the idle time the server's Keep-Alive header allows.
   */
  finished(reusable: boolean, keepAlive: string | null): void
}

export interface Head {
  status: number
  statusText: string
  headers: string[]
  body: Stream | null
  /** HTTP/1.1 (not 1.0): the connection may stay open. */
  persistent: boolean
}

/** The error when a pooled connection turned out closed before any byte of the answer: the request may be sent again. */
export const kStale = Symbol('stale connection')

// Body framing, and where a chunked body is (plain numbers: cheaper than strings to compare).
const LENGTH = 0,
  CHUNKED = 1,
  CLOSE = 2
const SIZE = 0,
  DATA = 1,
  DATA_END = 2,
  TRAILER = 3

/** Node's cause for a server that closes the connection cleanly before the answer is complete. */
function otherSideClosed(): Error {
  const cause = new Error('other side closed')
  cause.name = 'SocketError'
  ;(cause as any).code = 'UND_ERR_SOCKET'
  return cause
}

function indexOfCrlf(bytes: Uint8Array, from: number): number {
  for (let i = from; i + 1 < bytes.length; i++) if (bytes[i] === 13 && bytes[i + 1] === 10) return i
  return -1
}

function parseHead(text: string): Head | null {
  const lines = text.split('\r\n')
  const m = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/.exec(lines[0])
  if (m === null) return null
  const headers: string[] = []
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':')
    if (colon <= 0) return null
    headers.push(lines[i].slice(0, colon).trim().toLowerCase(), lines[i].slice(colon + 1).trim())
  }
  return { status: Number(m[2]), statusText: m[3] ?? '', headers, body: null, persistent: m[1] === '1' }
}

export function exchange(x: Exchange): Promise<Head> {
  return new Promise<Head>((resolve, reject) => {
    const conn = x.conn
    let timer = 0
    let finished = false
    let pending: Uint8Array | null = null
    let controller: ReadableStreamDefaultController<Uint8Array> | null = null
    let framing = CLOSE
    let remaining = 0
    let chunkState = SIZE
    let received = false
    let reusable = false
    let keepAlive: string | null = null

    /** Ends the exchange: the connection goes back to the pool when reusable, else it is closed. */
    const cleanup = (reuse: boolean) => {
      finished = true
      if (timer) core.clearTimer(timer)
      x.signal?.removeEventListener('abort', onAbort)
      if (!reuse) conn.close()
      x.finished(reuse, keepAlive)
    }
    const fail = (err: unknown) => {
      if (finished) return
      cleanup(false)
      if (controller === null) reject(err)
      else controller.error(err)
    }
    const done = () => {
      if (finished) return
      cleanup(reusable)
      controller?.close()
    }
    const arm = () => {
      if (timer) core.clearTimer(timer)
      timer = core.setTimer(x.timeoutMs, () => {
        timer = 0
        if (!conn.opened) {
          // As Node's fetch: the connect (and TLS handshake) took too long.
          const cause = new Error(`Connect Timeout Error (${x.describe}, timeout: ${x.timeoutMs}ms)`)
          cause.name = 'ConnectTimeoutError'
          ;(cause as any).code = 'UND_ERR_CONNECT_TIMEOUT'
          const err = fetchFailed(
            `could not connect within ${x.timeoutMs} ms (${x.describe}); the limit is SCRATCHFN_FETCH_TIMEOUT_MS`,
            cause,
          )
          ;(err as any).code = 'ETIMEDOUT'
          return fail(err)
        }
        const phase = controller === null ? 'no response' : 'the response body stalled'
        const err = fetchFailed(`${phase} within ${x.timeoutMs} ms (${x.describe}); the limit is SCRATCHFN_FETCH_TIMEOUT_MS`)
        ;(err as any).code = 'ETIMEDOUT'
        fail(err)
      })
    }
    const onAbort = () => fail(x.signal!.reason)

    const emit = (bytes: Uint8Array) => {
      if (bytes.byteLength > 0) controller!.enqueue(bytes)
    }

    const feedBody = (data: Uint8Array) => {
      if (framing === CLOSE) return emit(data)
      if (framing === LENGTH) {
        const n = Math.min(remaining, data.byteLength)
        emit(data.subarray(0, n))
        remaining -= n
        if (remaining === 0) done()
        return
      }
      let buf = pending === null ? data : concatBytes([pending, data])
      pending = null
      let i = 0
      while (i < buf.length && !finished) {
        if (chunkState === DATA) {
          const n = Math.min(remaining, buf.length - i)
          emit(buf.subarray(i, i + n))
          i += n
          remaining -= n
          if (remaining === 0) chunkState = DATA_END
          continue
        }
        if (chunkState === DATA_END) {
          if (buf.length - i < 2) break
          if (buf[i] !== 13 || buf[i + 1] !== 10) return fail(fetchFailed(`bad chunked encoding from ${x.describe}`))
          i += 2
          chunkState = SIZE
          continue
        }
        const eol = indexOfCrlf(buf, i)
        if (eol < 0) break
        const line = core.latin1Decode(buf.subarray(i, eol))
        i = eol + 2
        if (chunkState === TRAILER) {
          if (line === '') return done()
          continue
        }
        const size = line.split(';')[0].trim()
        if (!/^[0-9a-fA-F]{1,8}$/.test(size)) return fail(fetchFailed(`bad chunk size "${line}" from ${x.describe}`))
        remaining = parseInt(size, 16)
        chunkState = remaining === 0 ? TRAILER : DATA
      }
      if (i < buf.length) pending = buf.slice(i)
    }

    const feedHead = (data: Uint8Array) => {
      let buf = pending === null ? data : concatBytes([pending, data])
      pending = null
      for (;;) {
        const text = core.latin1Decode(buf)
        const end = text.indexOf('\r\n\r\n')
        if (end < 0) {
          if (buf.byteLength > 65536) return fail(fetchFailed(`response head over 64 KB from ${x.describe}`))
          pending = buf
          return
        }
        const head = parseHead(text.slice(0, end))
        if (head === null) return fail(fetchFailed(`malformed response head from ${x.describe}`))
        buf = buf.subarray(end + 4)
        // Interim responses (100 Continue, 103 Early Hints) precede the real one.
        if (head.status >= 100 && head.status < 200 && head.status !== 101) continue
        return startBody(head, buf)
      }
    }

    const startBody = (head: Head, rest: Uint8Array) => {
      const te = listGet(head.headers, 'transfer-encoding')
      const cl = listGet(head.headers, 'content-length')
      const connection = listGet(head.headers, 'connection')
      keepAlive = listGet(head.headers, 'keep-alive')
      reusable = head.persistent && (connection === null || !/(^|,)\s*close\s*(,|$)/i.test(connection))
      if (x.noBody || head.status === 204 || head.status === 304 || head.status === 101) {
        if (head.status === 101) reusable = false
        finished = true
        cleanup(reusable)
        resolve(head)
        return
      }
      if (te !== null && /(^|,)\s*chunked\s*$/i.test(te)) framing = CHUNKED
      else if (cl !== null) {
        // Repeated identical values ("5, 5") are allowed; differing ones are an error.
        const values = cl.split(',').map((v) => v.trim())
        if (!/^\d+$/.test(values[0]) || values.some((v) => v !== values[0]))
          return fail(fetchFailed(`bad content-length "${cl}" from ${x.describe}`))
        framing = LENGTH
        remaining = Number(values[0])
      }
      // A body that ends with the connection leaves nothing to reuse.
      if (framing === CLOSE) reusable = false
      head.body = new ReadableStream<Uint8Array>({
        start(c) {
          controller = c
        },
        cancel() {
          if (!finished) cleanup(false)
        },
      }) as unknown as Stream
      resolve(head)
      arm()
      if (framing === LENGTH && remaining === 0) return done()
      if (rest.byteLength > 0) feedBody(rest)
    }

    const send = () => {
      conn.write(x.head)
      if (x.body !== null && x.body.byteLength > 0) conn.write(x.body)
    }
    conn.uses++
    conn.events = {
      open: send,
      data(data: Uint8Array) {
        if (finished) return
        received = true
        if (controller === null) feedHead(data)
        else {
          arm()
          feedBody(data)
        }
      },
      close(err?: Error) {
        if (finished) return
        if (controller !== null && framing === CLOSE && err === undefined) return done()
        // A kept-alive connection the server closed meanwhile: nothing of this request was answered.
        if (conn.uses > 1 && !received && controller === null) {
          const stale = fetchFailed(`the server closed a kept-alive connection before answering (${x.describe})`, err ?? otherSideClosed())
          ;(stale as any)[kStale] = true
          return fail(stale)
        }
        const why = err === undefined ? 'the server closed the connection' : `${err.message}`
        fail(
          fetchFailed(
            controller === null ? `${why} before responding (${x.describe})` : `${why} before the body was complete (${x.describe})`,
            err ?? otherSideClosed(),
          ),
        )
      },
    }

    if (x.signal !== null) x.signal.addEventListener('abort', onAbort)
    arm()
    if (conn.closed) conn.events.close()
    else if (conn.opened) send()
  })
}
