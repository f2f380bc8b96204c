// Client sockets: connect to a Node server, exchange bytes, and every failure arriving
// once through onClose as an Error with a code.
import { createServer, type Server } from 'node:net'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { freePort } from '../../support/process.ts'
import { fixture, runRuntime } from './helpers.ts'

let server: Server
let port = 0

test.before(async () => {
  // Answers every message in upper case, then closes. Clients that close first reset the socket.
  server = createServer((socket) => {
    socket.on('error', () => {})
    socket.on('data', (d) => socket.end(d.toString().toUpperCase()))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as { port: number }).port
})
test.after(() => new Promise<void>((resolve) => server.close(() => resolve())))

async function client(...args: string[]) {
  const r = await runRuntime(['--script', fixture('tcp-client.js'), ...args])
  assert.is(r.code, 0, r.stderr)
  return JSON.parse(r.stdout)
}

test('connects to a Node server, writes, reads, and sees a clean close', async () => {
  assert.equal(await client('127.0.0.1', String(port), 'hello'), {
    events: ['connect', 'data', 'close'],
    received: 'HELLO',
    code: null,
    isError: false,
  })
})

test('resolves a host name', async () => {
  const r = await client('localhost', String(port), 'named')
  assert.is(r.received, 'NAMED')
})

test('reports ECONNREFUSED through onClose when nothing listens', async () => {
  const free = await freePort()
  assert.equal(await client('127.0.0.1', String(free), 'x'), { events: ['close'], received: '', code: 'ECONNREFUSED', isError: true })
})

test('reports ENOTFOUND through onClose for a name that cannot resolve', async () => {
  assert.equal(await client('no such host.invalid', '80', 'x'), { events: ['close'], received: '', code: 'ENOTFOUND', isError: true })
})

test('calls onClose once, without an error, after sockClose', async () => {
  const r = await client('127.0.0.1', String(port), 'bye', 'close-now')
  assert.equal(r.events, ['connect', 'close'])
  assert.is(r.code, null)
})

test('throws TypeError for a bad port', async () => {
  assert.equal(await client('127.0.0.1', '0', 'x'), { thrown: 'TypeError' })
})

test.run()
