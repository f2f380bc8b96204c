// Hostile timing and connection use: heads and bodies dribbled slowly (slowloris),
// clients that leave mid-body or mid-response, pipelining with a bad request in the
// middle, and more idle connections than the server allows.
import type { Socket } from 'node:net'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { waitForOpenConnections } from '../support/connections.ts'
import { parseResponses, rawRequest } from '../support/raw-http.ts'
import { BOUND_MS, dribble, H, hostileCases, openSocket, send, server, startHostile, stillServes, untilClosed } from './hostile.ts'

const hostile = hostileCases()

hostile('answers 408 to a head dribbled a byte at a time (slowloris), at the header timeout', async () => {
  const socket = await openSocket(server.port)
  const closed = untilClosed(socket)
  void dribble(socket, [...`GET / HTTP/1.1\r\n${H}X-Slow: ${'s'.repeat(40)}\r\n\r\n`], 50)
  const { text, ms } = await closed
  assert.is(parseResponses(text)[0]?.status, 408)
  assert.ok(ms >= 450 && ms < 1500, `closed after ${ms} ms`)
})

hostile('answers 408 to headers that each arrive just in time, since the timeout covers the whole head', async () => {
  const socket = await openSocket(server.port)
  const closed = untilClosed(socket)
  void dribble(socket, [`GET / HTTP/1.1\r\n`, H, ...Array.from({ length: 20 }, (_, i) => `X-${i}: v\r\n`)], 200)
  const { text, ms } = await closed
  assert.is(parseResponses(text)[0]?.status, 408)
  assert.ok(ms < 1500, `closed after ${ms} ms`)
})

hostile('answers 408 to a body dribbled slowly, at the body timeout', async () => {
  const socket = await openSocket(server.port)
  const closed = untilClosed(socket)
  void dribble(socket, [`POST /echo HTTP/1.1\r\n${H}Content-Length: 100\r\n\r\n`, ...'x'.repeat(100)], 50)
  const { text, ms } = await closed
  assert.is(parseResponses(text)[0]?.status, 408)
  assert.ok(ms < 1500, `closed after ${ms} ms`)
})

hostile('answers 408 to a chunked body whose chunks trickle in', async () => {
  const socket = await openSocket(server.port)
  const closed = untilClosed(socket)
  void dribble(socket, [`POST /echo HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n`, ...Array(30).fill('1\r\na\r\n')], 50)
  assert.is(parseResponses((await closed).text)[0]?.status, 408)
})

hostile('closes a connection that never sends a byte, at the header timeout, without an answer', async () => {
  const { text, ms } = await untilClosed(await openSocket(server.port))
  assert.is(text, '')
  assert.ok(ms >= 450, `closed after ${ms} ms`)
})

hostile('closes, without an answer, when the client half-closes mid-head', async () => {
  const out = await send(server, `GET / HTTP/1.1\r\n${H}X-Half`, { end: true })
  assert.is(out.text, '')
})

hostile('closes, without an answer, when the client half-closes mid-body', async () => {
  const out = await send(server, `POST /echo HTTP/1.1\r\n${H}Content-Length: 10\r\n\r\nabc`, { end: true })
  assert.is(out.text, '')
})

// The cases hold no connection between them, so the count starts at 0 once the
// readiness probe's and earlier cases' connections have timed out or closed.
hostile('cleans up after a client that resets mid-body: its connection is closed and freed', async () => {
  const start = await waitForOpenConnections(server.port, 0)
  const socket = await openSocket(server.port)
  socket.write(`POST /echo HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n10\r\nabc`)
  await new Promise((r) => setTimeout(r, 50))
  socket.resetAndDestroy()
  await waitForOpenConnections(server.port, start)
})

hostile('cleans up after a client that resets mid-response: its connection is closed and freed', async () => {
  const start = await waitForOpenConnections(server.port, 0)
  const socket = await openSocket(server.port)
  socket.write(`GET /stream-big?chunks=64 HTTP/1.1\r\n${H}\r\n`)
  await new Promise((r) => socket.once('data', r))
  socket.resetAndDestroy()
  await waitForOpenConnections(server.port, start)
})

hostile('answers pipelined requests up to a bad one, answers it 400, and reads nothing after it', async () => {
  const good = `GET /text HTTP/1.1\r\n${H}\r\n`
  const out = await send(server, good + good + `GET /x HTTP/1.1\r\n${H}Bad Header: 1\r\n\r\n` + good)
  assert.equal(
    out.res.map((r) => r.status),
    [200, 200, 400],
  )
  assert.is(out.res[2].headers['connection'], 'close')
})

hostile('answers a pipelined burst of 100 requests in order', async () => {
  const burst = Array.from({ length: 100 }, (_, i) => `GET /n${i} HTTP/1.1\r\n${H}\r\n`).join('')
  const r = await rawRequest(server.port, burst + `GET /last HTTP/1.1\r\n${H}Connection: close\r\n\r\n`, { timeoutMs: BOUND_MS })
  const targets = parseResponses(r.text).map((res) => JSON.parse(res.body).target)
  assert.is(targets.length, 101)
  assert.equal(targets.slice(0, 3), ['/n0', '/n1', '/n2'])
  assert.is(targets[100], '/last')
})

test('answers 503 beyond SCRATCHFN_MAX_CONNECTIONS idle connections, and serves again once they time out', async () => {
  const small = await startHostile({ SCRATCHFN_MAX_CONNECTIONS: '8' })
  const held: Socket[] = []
  try {
    await new Promise((r) => setTimeout(r, 600)) // the readiness probe's keep-alive connection times out
    for (let i = 0; i < 8; i++) held.push(await openSocket(small.port))
    const idle = held.map((s) => untilClosed(s))
    const extra = await Promise.all(Array.from({ length: 6 }, () => send(small, [])))
    for (const out of extra) {
      assert.is(out.res[0]?.status, 503, out.text)
      assert.ok(out.ms < 1000, `refused after ${out.ms} ms`)
    }
    for (const { text, ms } of await Promise.all(idle)) {
      assert.is(text, '') // an idle connection that never sent a request is closed silently
      assert.ok(ms < 1500, `held for ${ms} ms`)
    }
    await stillServes(small)
  } finally {
    for (const s of held) s.destroy()
    await small.stop()
  }
})

test.run()
