// SIGTERM during load, as in a rolling restart: keep-alive clients hammer the function
// while the process is told to stop. No request the server accepted may fail: every
// answer is a complete 200, nothing is reset or cut short mid-connection, readiness says
// 503 at once, and the process exits 0 within the grace period. Connections refused
// once the listener has closed are expected, and counted apart.
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { buildBoth } from '../support/function-build.ts'
import { repoRoot } from '../support/paths.ts'
import { startRuntime } from '../support/process.ts'
import { parseResponses, rawRequest } from '../support/raw-http.ts'

const CONNECTIONS = 16
const RUN_MS = 2000
const SIGTERM_AT_MS = 800
const DRAIN_DELAY_MS = 400
const GRACE_MS = 5000
const MAX_REQUESTS = 100_000
const REQUEST = 'GET /faults/ok HTTP/1.1\r\nHost: t\r\n\r\n'

interface Tally {
  ok: number
  /** connect() refused: the listener was closed. */
  refused: number
  /** Closed or reset before any byte of the answer, on a connection's first request: the
      kernel had completed the handshake as the listener closed. Counted with refused. */
  droppedAtListenerClose: number
  /** Closed or reset before any byte, on a connection that had served requests already. */
  lostOnKeepAlive: number
  /** Some bytes of an answer, then a close or reset. */
  truncated: number
  wrongStatus: string[]
  sent: number
  lastDropAt: number
}

/** One client: sends a request, reads the whole answer, repeats; reconnects when told to close. */
async function client(port: number, until: () => boolean, t: Tally): Promise<void> {
  while (!until() && t.sent < MAX_REQUESTS) {
    const socket: Socket = connect(port, '127.0.0.1')
    const connected = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true))
      socket.once('error', () => resolve(false))
    })
    if (!connected) {
      t.refused++
      socket.destroy()
      await new Promise((r) => setTimeout(r, 5))
      continue
    }
    let served = 0
    let text = ''
    let wake: () => void = () => {}
    let closed = false
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1')
      wake()
    })
    socket.on('close', () => {
      closed = true
      wake()
    })
    socket.on('error', () => {})
    for (;;) {
      if (until() || t.sent >= MAX_REQUESTS) break
      text = ''
      t.sent++
      socket.write(REQUEST)
      let res = parseResponses(text)[0]
      while (!closed && !(res && Buffer.byteLength(res.body, 'latin1') >= Number(res.headers['content-length'] ?? 0))) {
        await new Promise<void>((r) => {
          wake = r
        })
        res = parseResponses(text)[0]
      }
      const complete =
        res && res.headers['content-length'] !== undefined && Buffer.byteLength(res.body, 'latin1') >= Number(res.headers['content-length'])
      if (!complete) {
        if (text.length > 0) t.truncated++
        else if (served === 0) {
          t.droppedAtListenerClose++
          t.lastDropAt = Date.now()
        } else t.lostOnKeepAlive++
        break
      }
      if (res.status !== 200 || res.body !== '{"ok":true}') t.wrongStatus.push(`${res.status} ${res.body}`)
      else t.ok++
      served++
      if (res.headers['connection'] === 'close') break
    }
    socket.destroy()
  }
}

test('fails no accepted request when SIGTERM arrives under load, and exits 0 within the grace period', async () => {
  const built = await buildBoth(join(repoRoot, 'test/fixtures/faults/faults.ts'), 'faults')
  const server = await startRuntime(built.bin, {
    SCRATCHFN_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS),
    SCRATCHFN_GRACE_MS: String(GRACE_MS),
    SCRATCHFN_ACCESS_LOG: '0',
  })
  const t: Tally = {
    ok: 0,
    refused: 0,
    droppedAtListenerClose: 0,
    lostOnKeepAlive: 0,
    truncated: 0,
    wrongStatus: [],
    sent: 0,
    lastDropAt: 0,
  }
  let exitedAt = 0
  const exited = server.exited.then((code) => {
    exitedAt = Date.now()
    return code
  })
  const started = Date.now()
  const stop = () => exitedAt > 0 || Date.now() - started > RUN_MS + GRACE_MS
  const clients = Array.from({ length: CONNECTIONS }, () => client(server.port, stop, t))

  await new Promise((r) => setTimeout(r, SIGTERM_AT_MS))
  const okBefore = t.ok
  const sigtermAt = Date.now()
  server.proc.kill('SIGTERM')
  const ready = await rawRequest(server.port, 'GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n', { timeoutMs: 1000 })
  const readyAfter = Date.now() - sigtermAt
  const code = await exited
  await Promise.all(clients)

  console.log(
    `  load: ${t.ok} answered 200 (${okBefore} before SIGTERM), ${t.refused} refused after the listener closed, ` +
      `${t.droppedAtListenerClose} dropped as it closed; exit ${code} ${exitedAt - sigtermAt} ms after SIGTERM`,
  )
  assert.is(parseResponses(ready.text)[0]?.status, 503, `readiness after SIGTERM: ${JSON.stringify(ready.text)}`)
  assert.ok(readyAfter < 1000, `readiness answered after ${readyAfter} ms`)
  assert.ok(okBefore > 100, `the load ran (${okBefore} requests before SIGTERM)`)
  assert.ok(t.ok > okBefore, 'requests after SIGTERM were still served during the drain delay')
  assert.equal(t.wrongStatus.slice(0, 5), [], 'every answer is a complete 200')
  assert.is(t.truncated, 0, 'no answer was cut short')
  assert.is(t.lostOnKeepAlive, 0, 'no request on an open keep-alive connection was dropped')
  if (t.droppedAtListenerClose > 0) {
    assert.ok(
      t.lastDropAt - sigtermAt >= DRAIN_DELAY_MS - 50,
      `a new connection was dropped ${t.lastDropAt - sigtermAt} ms after SIGTERM, before the listener closed`,
    )
  }
  assert.is(code, 0)
  const took = exitedAt - sigtermAt
  assert.ok(took >= DRAIN_DELAY_MS - 20 && took < GRACE_MS, `exited ${took} ms after SIGTERM`)
})

test.run()
