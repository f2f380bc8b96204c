// Slow or stuck clients and handlers: each gets a clean status or a close within its
// timeout, and the server keeps serving everyone else.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Socket } from 'node:net'
import { runtimeBinary } from '../../support/paths.ts'
import { startRuntime, startServer, type Server } from '../../support/process.ts'
import { waitForOpenConnections } from '../../support/connections.ts'
import { openSocket, parseResponses, rawRequest } from '../../support/raw-http.ts'
import { fixture, jsonLines, readResponses, waitFor } from './helpers.ts'

let server: Server
const H = 'Host: t\r\n'

test.before(async () => {
  server = await startRuntime(fixture('server.js'), {
    SCRATCHFN_HEADER_TIMEOUT_MS: '300',
    SCRATCHFN_BODY_TIMEOUT_MS: '300',
    SCRATCHFN_IDLE_TIMEOUT_MS: '300',
    SCRATCHFN_HANDLER_TIMEOUT_MS: '400',
    SCRATCHFN_HEAP_LIMIT_MB: '24',
  })
})
test.after(async () => {
  await server.stop()
})

async function stillServing(): Promise<void> {
  const r = await rawRequest(server.port, `GET /text HTTP/1.1\r\n${H}\r\n`, { end: true })
  assert.is(parseResponses(r.text)[0]?.body, 'hello')
}

test('answers 408 when a head is not complete within the header timeout (slowloris)', async () => {
  const r = await rawRequest(server.port, `GET / HTTP/1.1\r\n${H}X-Slow: 1`)
  const [res] = parseResponses(r.text)
  assert.is(res.status, 408)
  assert.equal(JSON.parse(res.body), { error: 'Request Timeout' })
  assert.ok(r.closed)
  assert.ok(r.ms >= 250, `after ${r.ms} ms`)
})

test('closes a connection that never sends a byte, without an answer', async () => {
  const r = await rawRequest(server.port, [])
  assert.ok(r.closed)
  assert.is(r.text, '')
})

test('answers 408 when a body is not complete within the body timeout', async () => {
  const r = await rawRequest(server.port, `POST / HTTP/1.1\r\n${H}Content-Length: 10\r\n\r\nabc`)
  assert.is(parseResponses(r.text)[0].status, 408)
  assert.ok(r.closed)
})

test('closes an idle keep-alive connection silently after the idle timeout', async () => {
  const socket = await openSocket(server.port)
  const started = Date.now()
  let text = ''
  socket.on('data', (c) => {
    text += c
  })
  socket.write(`GET /text HTTP/1.1\r\n${H}\r\n`)
  await new Promise((r) => socket.on('close', r))
  assert.is(parseResponses(text).length, 1)
  assert.ok(Date.now() - started >= 250)
})

test('closes a connection whose client stops reading its response for the idle timeout', async () => {
  const socket = await openSocket(server.port)
  let bytes = 0
  socket.pause()
  socket.on('data', (c: Buffer) => {
    bytes += c.length
  })
  socket.write(`GET /stream-big?chunks=256 HTTP/1.1\r\n${H}\r\n`)
  await new Promise((r) => setTimeout(r, 1200))
  socket.resume()
  await new Promise((r) => socket.on('close', r))
  assert.ok(bytes < 256 * 65536, `got ${bytes} bytes, the whole stream`)
  await stillServing()
})

test('answers 504 when a handler does not respond in time, and later calls are no-ops', async () => {
  const r = await rawRequest(server.port, `GET /late?ms=700 HTTP/1.1\r\n${H}\r\n`)
  const [res] = parseResponses(r.text)
  assert.is(res.status, 504)
  assert.equal(JSON.parse(res.body), { error: 'Gateway Timeout' })
  assert.ok(res.headers['x-request-id'])
  const line = await waitFor(() => jsonLines(server.stdout()).find((l) => l.late), 'the late respond')
  assert.equal(line.late, [false, false])
})

test('interrupts an endless loop, answers 504, logs it, and keeps serving', async () => {
  const r = await rawRequest(server.port, `GET /loop HTTP/1.1\r\n${H}\r\n`, { timeoutMs: 5000 })
  assert.is(parseResponses(r.text)[0].status, 504)
  const line = await waitFor(() => jsonLines(server.stdout()).find((l) => String(l.msg).includes('interrupted')), 'the interrupt line')
  assert.is(line.level, 'error')
  await stillServing()
})

test('answers 500 when onRequest throws, logging the stack, and keeps serving', async () => {
  const r = await rawRequest(server.port, `GET /throw HTTP/1.1\r\n${H}\r\n`)
  assert.is(parseResponses(r.text)[0].status, 500)
  const line = await waitFor(() => jsonLines(server.stdout()).find((l) => String(l.msg).includes('handler failed')), 'the error line')
  assert.match(line.stack as string, /server\.js/)
  await stillServing()
})

test('counts allocations refused by the heap limit, and recovers after gc', async () => {
  const r = await rawRequest(server.port, `GET /oom HTTP/1.1\r\n${H}\r\n`, { timeoutMs: 10000, end: true })
  const body = JSON.parse(parseResponses(r.text)[0].body)
  assert.ok(body.moved, 'oomCount moved')
  assert.match(body.error, /out of memory/)
  await stillServing()
})

test('reports a streamed request whose client left as gone: isOpen and respondWrite turn false', async () => {
  const socket = await openSocket(server.port)
  socket.write(`GET /gone HTTP/1.1\r\n${H}\r\n`)
  await new Promise((r) => socket.once('data', r))
  socket.destroy()
  let body: { open: boolean; lastWrite: boolean } | null = null
  const deadline = Date.now() + 3000
  while (!body && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50))
    const r = await rawRequest(server.port, `GET /gone-report HTTP/1.1\r\n${H}\r\n`, { end: true })
    body = JSON.parse(parseResponses(r.text)[0].body)
  }
  assert.ok(body, 'the handler saw the client leave')
  assert.is(body.open, false)
  assert.is(body.lastWrite, false)
})

test('cleans up after a client that leaves mid-body: its connection is closed and freed, and the server serves on', async () => {
  // No other test holds a connection open, so the count settles at 0 before the case.
  const start = await waitForOpenConnections(server.port, 0)
  const socket = await openSocket(server.port)
  socket.write(`POST /echo HTTP/1.1\r\n${H}Content-Length: 100\r\n\r\npartial`)
  await new Promise((r) => setTimeout(r, 50))
  socket.destroy()
  await waitForOpenConnections(server.port, start)
  await stillServing()
})

test('answers 503 and closes beyond SCRATCHFN_MAX_CONNECTIONS', async () => {
  const small = await startRuntime(fixture('server.js'), { SCRATCHFN_MAX_CONNECTIONS: '2', SCRATCHFN_IDLE_TIMEOUT_MS: '50' })
  const held = []
  try {
    await new Promise((r) => setTimeout(r, 200)) // the readiness probe's keep-alive connection times out
    held.push(await openSocket(small.port), await openSocket(small.port))
    const r = await rawRequest(small.port, `GET /text HTTP/1.1\r\n${H}\r\n`)
    const [res] = parseResponses(r.text)
    assert.is(res.status, 503)
    assert.equal(JSON.parse(res.body), { error: 'Service Unavailable' })
    assert.ok(r.closed)
    held.pop()!.destroy()
    await new Promise((r) => setTimeout(r, 100))
    const ok = await rawRequest(small.port, `GET /text HTTP/1.1\r\n${H}\r\n`, { end: true })
    assert.is(parseResponses(ok.text)[0].status, 200)
  } finally {
    for (const s of held) s.destroy()
    await small.stop()
  }
})

test('pauses accepting when out of file descriptors, and serves again once some close', async () => {
  const small = await startServer({ command: 'sh', args: ['-c', `ulimit -n 24 && exec "$0" "$1"`, runtimeBinary, fixture('server.js')] })
  const held: Socket[] = []
  try {
    for (let i = 0; i < 40; i++) held.push(await openSocket(small.port))
    await new Promise((r) => setTimeout(r, 300))
    for (const s of held) s.destroy()
    const deadline = Date.now() + 5000
    let status = 0
    while (status !== 200 && Date.now() < deadline) {
      const r = await rawRequest(small.port, `GET /text HTTP/1.1\r\n${H}\r\n`, { end: true, timeoutMs: 1000 })
      status = parseResponses(r.text)[0]?.status ?? 0
    }
    assert.is(status, 200)
    assert.ok(jsonLines(small.stdout()).some((l) => String(l.msg).includes('out of file descriptors')))
  } finally {
    for (const s of held) s.destroy()
    await small.stop()
  }
})

test('keeps answering pipelined requests behind a slow one, in order', async () => {
  const socket = await openSocket(server.port)
  try {
    socket.write(`GET /slow?ms=100 HTTP/1.1\r\n${H}\r\nGET /text HTTP/1.1\r\n${H}\r\n`)
    const { res } = await readResponses(socket, 2)
    assert.equal(JSON.parse(res[0].body), { slow: true, open: true })
    assert.is(res[1].body, 'hello')
  } finally {
    socket.destroy()
  }
})

test.run()
