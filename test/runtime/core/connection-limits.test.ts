// Resource limits on connections: SCRATCHFN_MAX_CONNECTIONS exactly at and just past
// the limit, and running out of file descriptors, which must never crash the process:
// past the limit, a new connection is answered 503 and closed at once (not left
// waiting in the kernel's queue), and the server serves again once descriptors free up.
import type { Socket } from 'node:net'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { runtimeBinary } from '../../support/paths.ts'
import { startRuntime, startServer, type Server } from '../../support/process.ts'
import { ConnectionProbe } from '../../support/connections.ts'
import { openSocket, parseResponses, rawRequest } from '../../support/raw-http.ts'
import { fixture, jsonLines, readResponses, waitFor } from './helpers.ts'

const H = 'Host: t\r\n'
const REQUEST = `GET /text HTTP/1.1\r\n${H}\r\n`

async function served(server: Server): Promise<boolean> {
  const r = await rawRequest(server.port, REQUEST, { end: true, timeoutMs: 1000 })
  return parseResponses(r.text)[0]?.status === 200
}

/** The runtime under a file descriptor limit: `soft:hard`, as prlimit takes it. */
function startWithFdLimit(limit: string, env: Record<string, string> = {}): Promise<Server> {
  return startServer({ command: 'prlimit', args: [`--nofile=${limit}`, runtimeBinary, fixture('server.js')], env })
}

async function closeAll(sockets: Socket[]): Promise<void> {
  for (const s of sockets) s.destroy()
  await new Promise((r) => setTimeout(r, 100))
}

test('serves exactly SCRATCHFN_MAX_CONNECTIONS keep-alive connections at once, and refuses one more with 503', async () => {
  const server = await startRuntime(fixture('server.js'), { SCRATCHFN_MAX_CONNECTIONS: '4', SCRATCHFN_IDLE_TIMEOUT_MS: '400' })
  const held: Socket[] = []
  try {
    await new Promise((r) => setTimeout(r, 500)) // the readiness probe's connection times out
    for (let i = 0; i < 4; i++) held.push(await openSocket(server.port))
    for (const round of [1, 2]) {
      const replies = held.map((s) => readResponses(s, 1))
      for (const s of held) s.write(REQUEST)
      for (const r of await Promise.all(replies)) assert.is(r.res[0].body, 'hello', `round ${round}`)
    }
    const over = await rawRequest(server.port, REQUEST, { timeoutMs: 2000 })
    assert.is(parseResponses(over.text)[0]?.status, 503)
    assert.ok(over.closed && over.ms < 1000, `closed: ${over.closed} after ${over.ms} ms`)
    held.pop()!.destroy()
    await new Promise((r) => setTimeout(r, 50))
    assert.ok(await served(server), 'a connection is let in once one closes')
  } finally {
    await closeAll(held)
    await server.stop()
  }
})

test('counts connections open, accepted and refused (what a metrics endpoint reports)', async () => {
  // The idle timeout outlasts the test's steps, so the probe is the same connection throughout.
  const server = await startRuntime(fixture('server.js'), { SCRATCHFN_MAX_CONNECTIONS: '4', SCRATCHFN_IDLE_TIMEOUT_MS: '1500' })
  const probe = new ConnectionProbe(server.port)
  const held: Socket[] = []
  try {
    await probe.waitForOpen(0) // the readiness probe's keep-alive connection times out
    const before = await probe.stats()
    for (let i = 0; i < 3; i++) {
      const socket = await openSocket(server.port)
      held.push(socket)
      const reply = readResponses(socket, 1)
      socket.write(REQUEST)
      await reply
    }
    const during = await probe.stats()
    assert.equal([during.open, during.accepted - before.accepted, during.refused - before.refused], [3, 3, 0])
    const over = await rawRequest(server.port, REQUEST, { timeoutMs: 2000 }) // the probe and three held: the limit
    assert.is(parseResponses(over.text)[0]?.status, 503)
    for (const s of held) s.destroy()
    await probe.waitForOpen(0)
    const after = await probe.stats()
    assert.equal([after.accepted - before.accepted, after.refused - before.refused], [3, 1])
  } finally {
    probe.close()
    await closeAll(held)
    await server.stop()
  }
})

test('warns at start when the file descriptor limit is below the connection limit', async () => {
  const server = await startWithFdLimit('64:64')
  try {
    const line = await waitFor(() => jsonLines(server.stdout()).find((l) => l.level === 'warn'), 'the warning')
    assert.match(String(line.msg), /file descriptor limit \(64\) is below SCRATCHFN_MAX_CONNECTIONS \(1024\)/)
  } finally {
    await server.stop()
  }
})

test('raises its soft file descriptor limit to the hard one, so a low soft limit refuses nobody', async () => {
  const server = await startWithFdLimit('32:4096')
  const held: Socket[] = []
  try {
    for (let i = 0; i < 100; i++) held.push(await openSocket(server.port))
    const replies = held.map((s) => readResponses(s, 1))
    for (const s of held) s.write(REQUEST)
    for (const r of await Promise.all(replies)) assert.is(r.res[0].status, 200)
    assert.not.ok(
      jsonLines(server.stdout()).some((l) => l.level === 'warn'),
      'no warning: 4096 is enough',
    )
  } finally {
    await closeAll(held)
    await server.stop()
  }
})

test('answers 503 at once to connections past the file descriptor limit, and serves again after', async () => {
  const server = await startWithFdLimit('40:40')
  const held: Socket[] = []
  try {
    for (let i = 0; i < 32; i++) held.push(await openSocket(server.port))
    await new Promise((r) => setTimeout(r, 100))
    const shed = await Promise.all(Array.from({ length: 10 }, () => rawRequest(server.port, REQUEST, { timeoutMs: 3000 })))
    for (const r of shed) {
      assert.ok(r.closed && r.ms < 1000, `closed: ${r.closed} after ${r.ms} ms`)
      const status = parseResponses(r.text)[0]?.status
      assert.ok(status === 503 || status === 200, `got ${JSON.stringify(r.text)}`)
    }
    assert.ok(
      shed.some((r) => parseResponses(r.text)[0]?.status === 503),
      'some were shed with 503',
    )
    assert.ok(jsonLines(server.stdout()).some((l) => String(l.msg).includes('out of file descriptors')))
    const replies = held.slice(0, 5).map((s) => readResponses(s, 1))
    for (const s of held.slice(0, 5)) s.write(REQUEST) // those let in before the limit are still served
    for (const r of await Promise.all(replies)) assert.is(r.res[0].status, 200)
    await closeAll(held)
    assert.ok(await served(server), 'serves once descriptors are free again')
    assert.is(server.proc.exitCode, null)
  } finally {
    await closeAll(held)
    await server.stop()
  }
})

test.run()
