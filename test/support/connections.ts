// The runtime's connection counters, read as a client reads them: over HTTP, from the
// core fixture's /connections route (test/fixtures/core/server.js), which returns
// __core.connectionStats().
//
// The reads go over one keep-alive connection, the probe, so reading changes nothing
// it measures: the probe is the one connection it leaves out of `open`, and polling
// adds no accepted connection and leaves no closing one behind. When the server closes
// the probe (idle timeout), the next read opens a new one; the server frees a connection
// it closed before it takes in the next, so the count is exact then too.
import { connect, type Socket } from 'node:net'
import * as assert from 'uvu/assert'
import { parseResponses } from './raw-http.ts'

export interface ConnectionStats {
  /** Open now, not counting the probe. */
  open: number
  accepted: number
  refused: number
}

const REQUEST = 'GET /connections HTTP/1.1\r\nHost: t\r\n\r\n'

export class ConnectionProbe {
  private socket: Socket | null = null
  constructor(private readonly port: number) {}

  async stats(): Promise<ConnectionStats> {
    for (let attempt = 0; ; attempt++) {
      try {
        const raw = JSON.parse(await this.ask()) as ConnectionStats
        return { ...raw, open: raw.open - 1 }
      } catch (err) {
        // The server closed the probe between two reads: ask again on a new one.
        this.close()
        if (attempt >= 2) throw err
      }
    }
  }

  close(): void {
    this.socket?.destroy()
    this.socket = null
  }

  private async ask(): Promise<string> {
    const socket = this.socket && !this.socket.destroyed ? this.socket : await this.open()
    return new Promise((resolve, reject) => {
      let text = ''
      const timer = setTimeout(() => finish(new Error(`no answer from GET /connections: ${JSON.stringify(text)}`)), 2000)
      const finish = (err: Error | null, body?: string) => {
        clearTimeout(timer)
        socket.off('data', onData)
        socket.off('close', onClose)
        if (err) reject(err)
        else resolve(body!)
      }
      const onData = (chunk: Buffer) => {
        text += chunk.toString('latin1')
        const [res] = parseResponses(text)
        if (!res || Buffer.byteLength(res.body, 'latin1') < Number(res.headers['content-length'])) return
        if (res.status !== 200) finish(new Error(`GET /connections answered ${res.status}: ${res.body}`))
        else finish(null, res.body)
      }
      const onClose = () => finish(new Error('the server closed the probe'))
      socket.on('data', onData)
      socket.once('close', onClose)
      socket.write(REQUEST)
    })
  }

  private open(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.port, '127.0.0.1', () => {
        socket.off('error', reject)
        socket.on('error', () => {}) // a reset shows as 'close'
        this.socket = socket
        resolve(socket)
      })
      socket.once('error', reject)
    })
  }

  /**
   * Polls until the runtime has `expected` connections open (besides the probe), and
   * fails when it has not settled within `withinMs`: a connection the server should have
   * closed and freed is still there. A close is not instant (the server frees a closed
   * connection at the end of its loop iteration, lingers for a client's FIN), hence polling.
   */
  async waitForOpen(expected: number, withinMs = 3000): Promise<number> {
    const deadline = Date.now() + withinMs
    let { open } = await this.stats()
    while (open !== expected && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20))
      ;({ open } = await this.stats())
    }
    assert.is(
      open,
      expected,
      `the runtime still has ${open} connection(s) open after ${withinMs} ms, expected ${expected}: one was not cleaned up`,
    )
    return open
  }
}

/** ConnectionProbe.waitForOpen on a probe of its own, closed afterwards. */
export async function waitForOpenConnections(port: number, expected: number, withinMs?: number): Promise<number> {
  const probe = new ConnectionProbe(port)
  try {
    return await probe.waitForOpen(expected, withinMs)
  } finally {
    probe.close()
  }
}
