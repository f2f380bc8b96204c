// What the server does with well-formed traffic: keep-alive, pipelining, 100-continue,
// HEAD, streamed responses, request ids, health checks and the access log.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { startRuntime, type Server } from '../../support/process.ts'
import { openSocket, parseResponses, rawRequest } from '../../support/raw-http.ts'
import { fixture, jsonLines, readResponses, waitFor } from './helpers.ts'

let server: Server

test.before(async () => {
  server = await startRuntime(fixture('server.js'))
})
test.after(async () => {
  await server.stop()
})

const H = 'Host: t\r\n'

async function exchange(data: string | Buffer | Array<string | Buffer>) {
  const r = await rawRequest(server.port, data, { end: true })
  return { res: parseResponses(r.text), closed: r.closed, text: r.text }
}

test('keeps an HTTP/1.1 connection open and answers three pipelined requests in order', async () => {
  const socket = await openSocket(server.port)
  try {
    socket.write(`GET /a HTTP/1.1\r\n${H}\r\nGET /b HTTP/1.1\r\n${H}\r\nGET /c HTTP/1.1\r\n${H}\r\n`)
    const { res } = await readResponses(socket, 3)
    assert.equal(
      res.map((r) => JSON.parse(r.body).target),
      ['/a', '/b', '/c'],
    )
    assert.ok(res.every((r) => r.headers['connection'] === 'keep-alive'))
    socket.write(`GET /d HTTP/1.1\r\n${H}\r\n`)
    const again = await readResponses(socket, 1)
    assert.is(JSON.parse(again.res[0].body).target, '/d')
  } finally {
    socket.destroy()
  }
})

test('closes after the response when the client sends Connection: close', async () => {
  const r = await rawRequest(server.port, `GET /text HTTP/1.1\r\n${H}Connection: close\r\n\r\n`)
  assert.ok(r.closed)
  const [res] = parseResponses(r.text)
  assert.is(res.headers['connection'], 'close')
  assert.is(res.body, 'hello')
})

test('keeps HTTP/1.0 alive only when the client asks for keep-alive', async () => {
  const plain = await rawRequest(server.port, 'GET /text HTTP/1.0\r\n\r\n')
  assert.ok(plain.closed)
  assert.is(parseResponses(plain.text)[0].headers['connection'], 'close')
  const socket = await openSocket(server.port)
  try {
    socket.write('GET /text HTTP/1.0\r\nConnection: keep-alive\r\n\r\n')
    const { res } = await readResponses(socket, 1)
    assert.is(res[0].headers['connection'], 'keep-alive')
    socket.write('GET /text HTTP/1.0\r\nConnection: keep-alive\r\n\r\n')
    assert.is((await readResponses(socket, 1)).res[0].body, 'hello') // the same connection serves again
  } finally {
    socket.destroy()
  }
})

test('sends 100 Continue before reading a body the client holds back', async () => {
  const socket = await openSocket(server.port)
  try {
    let text = ''
    socket.on('data', (c) => {
      text += c
    })
    socket.write(`POST /echo HTTP/1.1\r\n${H}Content-Length: 5\r\nExpect: 100-continue\r\n\r\n`)
    await waitFor(() => text.includes('\r\n\r\n'), '100 Continue')
    assert.is(text, 'HTTP/1.1 100 Continue\r\n\r\n')
    socket.write('hello')
    const { res } = await readResponses(socket, 1)
    assert.is(res[0].status, 200)
    assert.is(JSON.parse(res[0].body).body, 'hello')
  } finally {
    socket.destroy()
  }
})

test('answers 413 instead of 100 Continue when the announced body is over the limit', async () => {
  const { res, closed } = await exchange(`POST /echo HTTP/1.1\r\n${H}Content-Length: 2000000\r\nExpect: 100-continue\r\n\r\n`)
  assert.equal(
    res.map((r) => r.status),
    [413],
  )
  assert.ok(closed)
})

test('hands the body to JS as an ArrayBuffer, and null when there is none', async () => {
  const withBody = JSON.parse((await exchange(`POST /echo HTTP/1.1\r\n${H}Content-Length: 4\r\n\r\nabcd`)).res[0].body)
  assert.is(withBody.body, 'abcd')
  assert.is(withBody.bodyBytes, 4)
  const empty = JSON.parse((await exchange(`POST /echo HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n`)).res[0].body)
  assert.is(empty.body, null)
})

test('gives JS flat, lower-cased headers in arrival order, Latin-1 above 0x7F', async () => {
  const raw = Buffer.concat([
    Buffer.from(`GET /echo HTTP/1.1\r\nHost: t\r\nX-First: 1\r\nACCEPT: a/b\r\nX-Latin: caf`),
    Buffer.from([0xe9]),
    Buffer.from('\r\n\r\n'),
  ])
  const { headers } = JSON.parse(Buffer.from((await exchange(raw)).res[0].body, 'latin1').toString('utf8'))
  assert.equal(headers.slice(0, 8), ['host', 't', 'x-first', '1', 'accept', 'a/b', 'x-latin', 'café'])
})

test('sends HEAD responses without body bytes, with the length JS gave or the body would have', async () => {
  const socket = await openSocket(server.port)
  try {
    let text = ''
    socket.on('data', (c) => {
      text += c
    })
    socket.write(`HEAD /text HTTP/1.1\r\n${H}\r\nHEAD /head-length HTTP/1.1\r\n${H}\r\nGET /text HTTP/1.1\r\n${H}\r\n`)
    await waitFor(() => text.endsWith('hello'), 'the GET after two HEADs')
    // HEAD answers carry a length but no body, so split on the status lines rather than by length.
    const heads = text.split(/(?=HTTP\/1\.1 )/)
    assert.is(heads.length, 3)
    assert.match(heads[0], /content-length: 5\r\n/)
    assert.ok(heads[0].endsWith('\r\n\r\n'))
    assert.match(heads[1], /content-length: 12345\r\n/)
    assert.ok(heads[1].endsWith('\r\n\r\n'))
    assert.ok(heads[2].endsWith('\r\n\r\nhello'))
  } finally {
    socket.destroy()
  }
})

test('streams a chunked response, dropping empty writes and any content-length from JS', async () => {
  const { res, text } = await exchange(`GET /stream HTTP/1.1\r\n${H}\r\n`)
  assert.is(res[0].headers['transfer-encoding'], 'chunked')
  assert.is(res[0].headers['content-length'], undefined)
  assert.is(res[0].body, 'one,two')
  assert.ok(text.endsWith('4\r\none,\r\n3\r\ntwo\r\n0\r\n\r\n'), JSON.stringify(text))
})

test('streams to an HTTP/1.0 client without chunks and closes at the end', async () => {
  const { text, closed } = await exchange('GET /stream HTTP/1.0\r\n\r\n')
  assert.ok(closed)
  assert.not.match(text, /transfer-encoding/)
  assert.match(text, /connection: close\r\n/)
  assert.ok(text.endsWith('\r\n\r\none,two'))
})

test('applies backpressure to a large stream: respondWrite says wait, and every byte arrives', async () => {
  const socket = await openSocket(server.port)
  try {
    let bytes = 0
    let text = ''
    socket.pause() // a slow reader: the kernel buffers fill and the core must hold back
    socket.on('data', (c: Buffer) => {
      bytes += c.length
      if (text.length < 4096) text += c.toString('latin1')
    })
    socket.write(`GET /stream-big?chunks=128 HTTP/1.1\r\n${H}Connection: close\r\n\r\n`)
    await new Promise((r) => setTimeout(r, 300))
    socket.resume()
    await new Promise((r) => socket.on('close', r))
    const head = text.slice(0, text.indexOf('\r\n\r\n') + 4)
    // 128 chunks of 64 KiB, each framed as "10000\r\n...\r\n", then "0\r\n\r\n".
    assert.is(bytes - head.length, 128 * (65536 + 9) + 5)
    const line = await waitFor(() => jsonLines(server.stdout()).find((l) => l.streamed), 'the stream to end')
    assert.ok((line.waits as number) > 0, 'respondWrite returned false at least once')
  } finally {
    socket.destroy()
  }
})

test('passes a valid client X-Request-Id through and generates one otherwise', async () => {
  const ids = (r: { res: ReturnType<typeof parseResponses> }) => {
    const body = JSON.parse(r.res[0].body)
    const sent = body.headers.flatMap((h: string, i: number) => (i % 2 === 0 && h === 'x-request-id' ? [body.headers[i + 1]] : []))
    return { sent, answered: r.res[0].headers['x-request-id'] }
  }
  const passed = ids(await exchange(`GET /echo HTTP/1.1\r\n${H}X-Request-Id: Abc-123_.x\r\n\r\n`))
  assert.equal(passed, { sent: ['Abc-123_.x'], answered: 'Abc-123_.x' })
  for (const bad of ['bad id!', 'x'.repeat(129), '']) {
    const replaced = ids(await exchange(`GET /echo HTTP/1.1\r\n${H}X-Request-Id: ${bad}\r\n\r\n`))
    assert.is(replaced.sent.length, 1)
    assert.match(replaced.sent[0], /^[0-9a-f]{32}$/)
    assert.is(replaced.answered, replaced.sent[0])
  }
  const generated = ids(await exchange(`GET /echo HTTP/1.1\r\n${H}\r\n`))
  assert.match(generated.answered, /^[0-9a-f]{32}$/)
  const own = (await exchange(`GET /own-id HTTP/1.1\r\n${H}\r\n`)).text
  assert.is(own.match(/x-request-id/g)?.length, 1)
  assert.match(own, /x-request-id: from-js\r\n/)
})

test('writes one JSON access line per request, and none for health checks', async () => {
  await exchange(`GET /healthz HTTP/1.1\r\n${H}\r\n`)
  const { res } = await exchange(`GET /accounts/1?x=2 HTTP/1.1\r\n${H}X-Request-Id: log-test-1\r\n\r\n`)
  const line = await waitFor(() => jsonLines(server.stdout()).find((l) => l.request_id === 'log-test-1'), 'the access line')
  assert.is(line.level, 'info')
  assert.is(line.msg, 'request')
  assert.is(line.method, 'GET')
  assert.is(line.path, '/accounts/1')
  assert.is(line.status, 200)
  assert.is(line.bytes, Buffer.byteLength(res[0].body))
  assert.type(line.duration_ms, 'number')
  assert.match(line.time as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  assert.not.ok(jsonLines(server.stdout()).some((l) => l.path === '/healthz' || l.path === '/readyz'))
})

test('answers /healthz and /readyz itself, for GET and HEAD only', async () => {
  const health = (await exchange(`GET /healthz HTTP/1.1\r\n${H}\r\n`)).res[0]
  assert.is(health.status, 200)
  assert.is(health.headers['content-type'], 'application/json')
  assert.equal(JSON.parse(health.body), { status: 'ok' })
  const ready = (await exchange(`GET /readyz?probe=1 HTTP/1.1\r\n${H}\r\n`)).res[0]
  assert.equal(JSON.parse(ready.body), { status: 'ready' })
  const head = await exchange(`HEAD /healthz HTTP/1.1\r\n${H}\r\n`)
  assert.ok(head.text.endsWith('\r\n\r\n'))
  const post = JSON.parse((await exchange(`POST /healthz HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n`)).res[0].body)
  assert.is(post.target, '/healthz') // reached JS
})

test('owns the framing: drops transfer-encoding, connection and content-length from JS', async () => {
  const { res } = await exchange(`GET /framing HTTP/1.1\r\n${H}\r\n`)
  assert.is(res[0].headers['transfer-encoding'], undefined)
  assert.is(res[0].headers['content-length'], '3')
  assert.ok(['keep-alive', 'close'].includes(res[0].headers['connection']))
  assert.is(res[0].headers['x-kept'], 'yes')
  assert.is(res[0].body, 'abc')
})

test('sends neither body nor content-length with 204', async () => {
  const { text } = await exchange(`GET /no-content HTTP/1.1\r\n${H}\r\n`)
  assert.match(text, /^HTTP\/1\.1 204 No Content\r\n/)
  assert.not.match(text, /content-length/)
  assert.ok(text.endsWith('\r\n\r\n'))
})

test('sends the bytes of a view, not its whole buffer', async () => {
  assert.is((await exchange(`GET /bytes HTTP/1.1\r\n${H}\r\n`)).res[0].body, 'i!')
})

test('throws TypeError for a header value that would split the response', async () => {
  const body = JSON.parse((await exchange(`GET /bad-header HTTP/1.1\r\n${H}\r\n`)).res[0].body)
  assert.equal(body, { error: 'TypeError' })
})

test('logs an unhandled rejection with its stack and keeps serving', async () => {
  const { res } = await exchange(`GET /reject HTTP/1.1\r\n${H}\r\n`)
  assert.is(res[0].status, 200)
  const line = await waitFor(
    () => jsonLines(server.stdout()).find((l) => String(l.msg).includes('nobody handles this')),
    'the rejection line',
  )
  assert.is(line.level, 'error')
  assert.match(line.msg as string, /^unhandled rejection: Error: nobody handles this/)
  assert.match(line.stack as string, /server\.js/)
})

test.run()
