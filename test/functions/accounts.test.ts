// The accounts function under Node: its own contract with app.request(), and the
// quote enrichment against a real quotes function, a slow one, a broken one and
// none at all (each served over HTTP on a free port).
import { createServer, type Server } from 'node:http'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import app from '../../functions/accounts.ts'
import quotes from '../../functions/quotes.ts'
import { serveNode, type NodeServer } from '../../runtime/shim/node.ts'
import { freePort } from '../support/process.ts'

const test = suite('functions/accounts.ts')
let quotesServer: NodeServer
let slow: Server
let broken: Server
const seenRequestIds: string[] = []
const logged: string[] = []
const consoleLog = console.log

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)))
}
const url = (server: Server) => `http://127.0.0.1:${(server.address() as { port: number }).port}/quotes`

test.before(async () => {
  quotesServer = await serveNode({
    functions: [{ name: 'quotes', app: quotes, route: '/quotes' }],
    port: 0,
    hostname: '127.0.0.1',
    log: (line) => seenRequestIds.push(JSON.parse(line).request_id),
  })
  slow = createServer((_req, res) => {
    setTimeout(() => res.end('{"text":"late","author":"a","instance":"i"}'), 2000).unref()
  })
  broken = createServer((_req, res) => {
    res.statusCode = 500
    res.end('Internal Server Error')
  })
  await listen(slow)
  await listen(broken)
  console.log = (line: string) => {
    logged.push(line)
  }
})
test.after(async () => {
  console.log = consoleLog
  await quotesServer.drain()
  slow.closeAllConnections()
  slow.close()
  broken.close()
})

test('answers an account, with quote_status not_configured when QUOTES_URL is unset', async () => {
  const res = await app.request('/10000')
  assert.is(res.status, 200)
  assert.equal(await res.json(), { id: '10000', name: 'Person_0', quote_status: 'not_configured' })
  assert.equal(await (await app.request('/10099', {}, {})).json(), { id: '10099', name: 'Person_99', quote_status: 'not_configured' })
})

test('answers 404 with a JSON error for an unknown account', async () => {
  for (const id of ['9999', '10100', 'abc']) {
    const res = await app.request(`/${id}`, {}, { QUOTES_URL: `http://127.0.0.1:${quotesServer.port}/quotes` })
    assert.is(res.status, 404)
    assert.equal(await res.json(), { error: 'account not found', id })
  }
})

test('adds a quote from the quotes function, and passes the request id on', async () => {
  const res = await app.request(
    '/10042',
    { headers: { 'x-request-id': 'acct-test-1' } },
    { QUOTES_URL: `http://127.0.0.1:${quotesServer.port}/quotes` },
  )
  assert.is(res.status, 200)
  const body = await res.json()
  assert.is(body.id, '10042')
  assert.is(body.name, 'Person_42')
  assert.is(body.quote_status, 'ok')
  assert.equal(Object.keys(body.quote).sort(), ['author', 'instance', 'text'])
  assert.ok(seenRequestIds.includes('acct-test-1'))
})

test('a trailing slash on QUOTES_URL does not matter', async () => {
  const body = await (await app.request('/10001', {}, { QUOTES_URL: `http://127.0.0.1:${quotesServer.port}/quotes/` })).json()
  assert.is(body.quote_status, 'ok')
})

test('when quotes is slower than 500 ms, answers 200 in time without the quote: timeout', async () => {
  const started = performance.now()
  const res = await app.request('/10001', {}, { QUOTES_URL: url(slow) })
  const ms = performance.now() - started
  assert.is(res.status, 200)
  assert.equal(await res.json(), { id: '10001', name: 'Person_1', quote_status: 'timeout' })
  assert.ok(ms >= 450 && ms < 1000, `took ${ms} ms`)
  assert.ok(logged.some((l) => l.includes('did not answer within 500 ms')))
})

test('when quotes is down, answers 200 without the quote: unavailable', async () => {
  const port = await freePort()
  const res = await app.request('/10002', {}, { QUOTES_URL: `http://127.0.0.1:${port}/quotes` })
  assert.is(res.status, 200)
  assert.equal(await res.json(), { id: '10002', name: 'Person_2', quote_status: 'unavailable' })
})

test('when quotes answers an error, answers 200 without the quote: unavailable', async () => {
  const res = await app.request('/10003', {}, { QUOTES_URL: url(broken) })
  assert.is(res.status, 200)
  assert.equal(await res.json(), { id: '10003', name: 'Person_3', quote_status: 'unavailable' })
  assert.ok(logged.some((l) => l.includes('quotes answered 500')))
})

test.run()
