// SIGTERM during a rolling restart: readiness fails at once, the request in flight
// completes (with connection: close), and the process exits 0.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { startRuntime } from '../../support/process.ts'
import { openSocket, parseResponses, rawRequest } from '../../support/raw-http.ts'
import { fixture, jsonLines } from './helpers.ts'

const H = 'Host: t\r\n'

test('finishes the request in flight after SIGTERM, fails readiness meanwhile, then exits 0', async () => {
  const server = await startRuntime(fixture('server.js'), { SCRATCHFN_DRAIN_DELAY_MS: '300' })
  const idle = await openSocket(server.port)
  idle.write(`GET /text HTTP/1.1\r\n${H}\r\n`)
  let idleText = ''
  idle.on('data', (c) => {
    idleText += c
  })
  const idleClosed = new Promise((r) => idle.on('close', r))
  await new Promise((r) => setTimeout(r, 50))

  const slow = rawRequest(server.port, `GET /slow?ms=800 HTTP/1.1\r\n${H}\r\n`, { timeoutMs: 5000 })
  await new Promise((r) => setTimeout(r, 100))
  const started = Date.now()
  server.proc.kill('SIGTERM')
  await new Promise((r) => setTimeout(r, 50))

  const ready = await rawRequest(server.port, `GET /readyz HTTP/1.1\r\n${H}\r\n`)
  const [readyRes] = parseResponses(ready.text)
  assert.is(readyRes.status, 503)
  assert.equal(JSON.parse(readyRes.body), { status: 'draining' })
  assert.is(readyRes.headers['connection'], 'close')
  await idleClosed // an idle keep-alive connection is closed when the listener closes
  assert.is(parseResponses(idleText).length, 1)

  const slowRes = parseResponses((await slow).text)[0]
  assert.is(slowRes.status, 200)
  assert.is(slowRes.headers['connection'], 'close')
  assert.equal(JSON.parse(slowRes.body), { slow: true, open: true })
  assert.is(await server.exited, 0)
  assert.ok(Date.now() - started >= 300, 'not before the drain delay')
  assert.ok(jsonLines(server.stdout()).some((l) => String(l.msg).startsWith('draining')))
})

test('exits 0 after the drain delay when nothing is in flight', async () => {
  const server = await startRuntime(fixture('server.js'), { SCRATCHFN_DRAIN_DELAY_MS: '100' })
  const started = Date.now()
  server.proc.kill('SIGINT')
  assert.is(await server.exited, 0)
  assert.ok(Date.now() - started < 3000)
})

test('exits at SCRATCHFN_GRACE_MS at the latest, even with a request stuck in flight', async () => {
  const server = await startRuntime(fixture('server.js'), { SCRATCHFN_DRAIN_DELAY_MS: '50', SCRATCHFN_GRACE_MS: '400' })
  const stuck = rawRequest(server.port, `GET /never HTTP/1.1\r\n${H}\r\n`, { timeoutMs: 5000 })
  await new Promise((r) => setTimeout(r, 100))
  const started = Date.now()
  server.proc.kill('SIGTERM')
  assert.is(await server.exited, 0)
  const took = Date.now() - started
  assert.ok(took >= 350 && took < 3000, `exited after ${took} ms`)
  assert.ok((await stuck).closed)
})

test.run()
