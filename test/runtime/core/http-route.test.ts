// serve(onRequest, { route, defaultContentType }), what the shim serves a function with: the
// core maps each target under the route to the URL the app sees (or answers 404 outside it,
// after reading any body, on a connection that stays open), adds X-Forwarded-Prefix, hands
// over the request id and the fault counters, and sends responses without a content type
// (or with the Fetch default for text) with the default type.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startRuntime, type Server } from '../../support/process.ts'
import { openSocket, parseResponses, rawRequest } from '../../support/raw-http.ts'
import { fixture, readResponses } from './helpers.ts'

const test = suite('core: serve with a route')
let server: Server
let root: Server

test.before(async () => {
  server = await startRuntime(fixture('routed.js'))
  root = await startRuntime(fixture('routed.js'), { ROUTE: '' })
})
test.after(async () => {
  await server.stop()
  await root.stop()
})

async function get(port: number, target: string, headers = 'Host: svc.example\r\n') {
  const r = await rawRequest(port, `GET ${target} HTTP/1.1\r\n${headers}Connection: close\r\n\r\n`)
  return parseResponses(r.text)[0]
}

test('maps targets under the route to the URL the app sees', async () => {
  for (const [target, url] of [
    ['/fn/a/b?x=1', 'http://svc.example/a/b?x=1'],
    ['/fn', 'http://svc.example/'],
    ['/fn?q', 'http://svc.example/?q'],
    ['/fn/', 'http://svc.example/'],
  ]) {
    const res = await get(server.port, target)
    assert.is(res.status, 200, target)
    assert.is(JSON.parse(res.body).url, url, target)
  }
})

test('Host names the URL; without one it is localhost; its bytes are Latin-1', async () => {
  assert.is(JSON.parse((await get(server.port, '/fn/x', 'Host: b:8080\r\n')).body).url, 'http://b:8080/x')
  // HTTP/1.1 requires a Host (400 without); HTTP/1.0 may leave it out.
  const noHost = await rawRequest(server.port, 'GET /fn/x HTTP/1.0\r\n\r\n')
  assert.is(JSON.parse(parseResponses(noHost.text)[0].body).url, 'http://localhost/x')
  const latin1 = await rawRequest(server.port, Buffer.from('GET /fn/x HTTP/1.1\r\nHost: caf\xe9\r\nConnection: close\r\n\r\n', 'latin1'))
  const body = Buffer.from(parseResponses(latin1.text)[0].body, 'latin1').toString('utf8')
  assert.is(JSON.parse(body).url, 'http://caf\u00e9/x')
})

test('adds x-forwarded-prefix (not for the route /), and passes the request id and the fault counters', async () => {
  const echo = JSON.parse((await get(server.port, '/fn/x', 'Host: h\r\nX-Request-Id: abc-123\r\n')).body)
  assert.equal(echo.headers, ['host', 'h', 'x-request-id', 'abc-123', 'connection', 'close', 'x-forwarded-prefix', '/fn'])
  assert.is(echo.requestId, 'abc-123')
  assert.is(echo.oom, 0)
  assert.is(echo.interrupts, 0)
  const top = JSON.parse((await get(root.port, '/x', 'Host: h\r\nX-Request-Id: abc-123\r\n')).body)
  assert.equal(top.headers, ['host', 'h', 'x-request-id', 'abc-123', 'connection', 'close'])
  assert.is(top.url, 'http://h/x')
})

test('answers 404 outside the route, after the body, keeping the connection', async () => {
  for (const target of ['/other', '/fnx', '/f', '/']) {
    const res = await get(server.port, target)
    assert.is(res.status, 404, target)
    assert.is(res.body, '{"error":"Not Found"}')
    assert.is(res.headers['content-type'], 'application/json')
  }
  const socket = await openSocket(server.port)
  try {
    socket.write('POST /other HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello')
    socket.write('POST /fn/in HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok')
    const { res } = await readResponses(socket, 2)
    assert.is(res[0].status, 404)
    assert.is(res[0].headers['connection'], 'keep-alive')
    assert.is(res[1].status, 200)
    assert.is(JSON.parse(res[1].body).body, 'ok')
  } finally {
    socket.destroy()
  }
})

test('a response without a content type, or with the Fetch default for text, gets the default type', async () => {
  const none = await get(server.port, '/fn/typed')
  assert.is(none.headers['content-type'], 'text/plain; charset=UTF-8')
  const fetchDefault = await get(server.port, '/fn/typed?type=text/plain;charset=UTF-8')
  assert.is(fetchDefault.headers['content-type'], 'text/plain; charset=UTF-8')
  const own = await get(server.port, '/fn/typed?type=text/html')
  assert.is(own.headers['content-type'], 'text/html')
  const streamed = await get(server.port, '/fn/streamed')
  assert.is(streamed.headers['content-type'], 'text/plain; charset=UTF-8')
  assert.is(streamed.body, 'part')
})

test.run()
