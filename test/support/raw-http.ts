// Raw sockets, so tests can send bytes no HTTP client would send and read exactly what came back.
import { connect, type Socket } from 'node:net'

export interface RawOptions {
  /** Give up (and resolve with what arrived) after this many ms. */
  timeoutMs?: number
  /** Half-close the write side after sending (the server then sees EOF). */
  end?: boolean
}

/** Sends `data` and resolves with every byte received until the server closes, or the timeout. */
export function rawRequest(
  port: number,
  data: string | Buffer | Array<string | Buffer>,
  opts: RawOptions = {},
): Promise<{ text: string; closed: boolean; ms: number }> {
  const started = Date.now()
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    let done = false
    const finish = (closed: boolean) => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closed, ms: Date.now() - started })
    }
    const timer = setTimeout(() => finish(false), opts.timeoutMs ?? 3000)
    socket.on('data', (c) => chunks.push(c))
    socket.on('close', () => finish(true))
    socket.on('error', () => finish(true))
    socket.on('connect', () => {
      for (const part of Array.isArray(data) ? data : [data]) socket.write(part)
      if (opts.end) socket.end()
    })
  })
}

/** An open socket for tests that send in steps (slowloris, pipelining, early close). */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket))
    socket.once('error', reject)
  })
}

export interface ParsedResponse {
  status: number
  headers: Record<string, string>
  body: string
}

/** Splits a byte stream of one or more HTTP/1.1 responses (Content-Length or chunked). */
export function parseResponses(text: string): ParsedResponse[] {
  const out: ParsedResponse[] = []
  let rest = text
  while (rest.length > 0) {
    const headEnd = rest.indexOf('\r\n\r\n')
    if (headEnd < 0) break
    const [statusLine, ...lines] = rest.slice(0, headEnd).split('\r\n')
    const status = Number(statusLine.split(' ')[1])
    const headers: Record<string, string> = {}
    for (const line of lines) {
      const i = line.indexOf(':')
      const name = line.slice(0, i).toLowerCase()
      const value = line.slice(i + 1).trim()
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`
    }
    rest = rest.slice(headEnd + 4)
    if (status === 100) continue
    let body = ''
    if (headers['transfer-encoding'] === 'chunked') {
      for (;;) {
        const lineEnd = rest.indexOf('\r\n')
        const size = parseInt(rest.slice(0, lineEnd), 16)
        rest = rest.slice(lineEnd + 2)
        if (!size) {
          rest = rest.slice(rest.indexOf('\r\n') + 2)
          break
        }
        body += rest.slice(0, size)
        rest = rest.slice(size + 2)
      }
    } else if (headers['content-length'] !== undefined) {
      const n = Number(headers['content-length'])
      body = rest.slice(0, n)
      rest = rest.slice(n)
    } else {
      body = rest
      rest = ''
    }
    out.push({ status, headers, body })
  }
  return out
}
