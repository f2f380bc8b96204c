// The HTTP/1.1 parser's limits and its answers to malformed input, sent as raw bytes to
// the real binary. Every refusal is a JSON error with `connection: close`, then a close.
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { repoRoot } from '../../support/paths.ts'
import { startRuntime, type Server } from '../../support/process.ts'
import { parseResponses, rawRequest, type ParsedResponse } from '../../support/raw-http.ts'

const app = join(repoRoot, 'test/fixtures/core/server.js')
let server: Server

test.before(async () => {
  server = await startRuntime(app, { SCRATCHFN_MAX_BODY_BYTES: '1000' })
})
test.after(async () => {
  await server.stop()
})

type Data = string | Buffer | Array<string | Buffer>

/** Sends raw bytes; with `end` the client half-closes, so the server closes after answering. */
async function send(data: Data, end = false): Promise<{ res: ParsedResponse[]; closed: boolean; text: string }> {
  const r = await rawRequest(server.port, data, { end })
  return { res: parseResponses(r.text), closed: r.closed, text: r.text }
}

async function refused(data: Data, status: number, reason: string): Promise<void> {
  const { res, closed, text } = await send(data)
  assert.is(res.length, 1, `one response, got: ${JSON.stringify(text)}`)
  assert.is(res[0].status, status)
  assert.is(res[0].headers['connection'], 'close')
  assert.is(res[0].headers['content-type'], 'application/json')
  assert.equal(JSON.parse(res[0].body), { error: reason })
  assert.ok(closed, 'the server closes the connection')
}

async function echoed(data: Data): Promise<{ method: string; target: string; headers: string[]; body: string | null; bodyBytes: number }> {
  const { res, text } = await send(data, true)
  assert.is(res[0]?.status, 200, text)
  return JSON.parse(res[0].body)
}

const H = 'Host: t\r\n'

test('answers 400 to a request line that is not method SP target SP version', async () => {
  await refused('GET/ HTTP/1.1\r\n' + H + '\r\n', 400, 'Bad Request')
  await refused('GET  / HTTP/1.1\r\n' + H + '\r\n', 400, 'Bad Request')
  await refused('G(T / HTTP/1.1\r\n' + H + '\r\n', 400, 'Bad Request')
  await refused('GET /a\x01b HTTP/1.1\r\n' + H + '\r\n', 400, 'Bad Request')
  await refused('GET / HTTP/1.1 \r\n' + H + '\r\n', 400, 'Bad Request')
  await refused('GET / http/1.1\r\n' + H + '\r\n', 400, 'Bad Request')
})

test('answers 400 to an HTTP/0.9 request as soon as its line ends', async () => {
  await refused('GET /\r\n', 400, 'Bad Request')
})

test('answers 505 to other HTTP versions, including the HTTP/2 preface', async () => {
  await refused('GET / HTTP/2.0\r\n' + H + '\r\n', 505, 'HTTP Version Not Supported')
  await refused('GET / HTTP/1.2\r\n' + H + '\r\n', 505, 'HTTP Version Not Supported')
  await refused('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 505, 'HTTP Version Not Supported')
})

test('answers 400 to bare LF line endings, obs-fold and malformed header lines', async () => {
  await refused('GET / HTTP/1.1\nHost: t\n\n', 400, 'Bad Request')
  await refused('GET / HTTP/1.1\r\n' + H + 'X-A: 1\r\n  folded\r\n\r\n', 400, 'Bad Request')
  await refused('GET / HTTP/1.1\r\n' + H + 'X-A : 1\r\n\r\n', 400, 'Bad Request')
  await refused('GET / HTTP/1.1\r\n' + H + 'X(A): 1\r\n\r\n', 400, 'Bad Request')
  await refused('GET / HTTP/1.1\r\n' + H + 'no colon here\r\n\r\n', 400, 'Bad Request')
  await refused('GET / HTTP/1.1\r\n' + H + 'X-A: a\x01b\r\n\r\n', 400, 'Bad Request')
  await refused('GET / HTTP/1.1\r\n' + H + 'X-A: a\rb\r\n\r\n', 400, 'Bad Request')
})

test('answers 400 to an HTTP/1.1 request without exactly one Host header', async () => {
  await refused('GET / HTTP/1.1\r\n\r\n', 400, 'Bad Request')
  await refused('GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', 400, 'Bad Request')
  const body = await echoed('GET / HTTP/1.0\r\n\r\n')
  assert.is(body.target, '/')
})

test('answers 414 when the request line exceeds 8 KB', async () => {
  await refused(`GET /${'a'.repeat(9000)} HTTP/1.1\r\n${H}\r\n`, 414, 'URI Too Long')
  // Before the line has even ended.
  await refused(`GET /${'a'.repeat(9000)}`, 414, 'URI Too Long')
})

test('answers 431 when the head exceeds 16 KB or has more than 100 headers', async () => {
  await refused(`GET / HTTP/1.1\r\n${H}X-Big: ${'b'.repeat(17000)}\r\n\r\n`, 431, 'Request Header Fields Too Large')
  await refused(`GET / HTTP/1.1\r\n${H}X-Big: ${'b'.repeat(17000)}`, 431, 'Request Header Fields Too Large')
  const many = Array.from({ length: 101 }, (_, i) => `X-${i}: v\r\n`).join('')
  await refused(`GET / HTTP/1.1\r\n${many}${H}\r\n`, 431, 'Request Header Fields Too Large')
  const hundred = Array.from({ length: 99 }, (_, i) => `X-${i}: v\r\n`).join('')
  const ok = await echoed(`GET / HTTP/1.1\r\n${hundred}${H}\r\n`)
  assert.is(ok.headers.filter((_, i) => i % 2 === 0 && ok.headers[i].startsWith('x-')).length, 100) // 99 + x-request-id
})

test('answers 400 to a Content-Length that is not plain digits, overflows, or disagrees with itself', async () => {
  for (const value of ['12a', '-1', '+5', '0x10', '1 2', '', '99999999999999999999999']) {
    await refused(`POST / HTTP/1.1\r\n${H}Content-Length: ${value}\r\n\r\n`, 400, 'Bad Request')
  }
  await refused(`POST / HTTP/1.1\r\n${H}Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd`, 400, 'Bad Request')
  const same = await echoed(`POST / HTTP/1.1\r\n${H}Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc`)
  assert.is(same.body, 'abc')
})

test('answers 413 at once when Content-Length exceeds the body limit, without reading the body', async () => {
  const { res, closed } = await send(`POST / HTTP/1.1\r\n${H}Content-Length: 5000\r\n\r\n`)
  assert.is(res[0].status, 413)
  assert.equal(JSON.parse(res[0].body), { error: 'Payload Too Large' })
  assert.ok(closed)
  const limit = await echoed(`POST / HTTP/1.1\r\n${H}Content-Length: 1000\r\n\r\n${'z'.repeat(1000)}`)
  assert.is(limit.bodyBytes, 1000)
})

test('answers 501 to a Transfer-Encoding other than chunked, and 400 to TE with Content-Length', async () => {
  await refused(`POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip\r\n\r\n`, 501, 'Not Implemented')
  await refused(`POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip, chunked\r\n\r\n`, 501, 'Not Implemented')
  await refused(`POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, 501, 'Not Implemented')
  await refused(`POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`, 400, 'Bad Request')
})

test('decodes a chunked body, ignoring extensions and discarding trailers', async () => {
  const body = await echoed([
    `POST /echo HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n`,
    '5;name=value\r\nhello\r\n',
    '1\r\n \r\nA\r\n0123456789\r\n',
    '0\r\nX-Trailer: yes\r\n\r\n',
  ])
  assert.is(body.body, 'hello 0123456789')
  assert.not.ok(body.headers.includes('x-trailer'))
})

test('answers 400 to bad chunk framing and 413 when the decoded body exceeds the limit', async () => {
  const head = `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n`
  await refused(head + 'zz\r\nhi\r\n0\r\n\r\n', 400, 'Bad Request')
  await refused(head + '\r\n', 400, 'Bad Request')
  await refused(head + '2\r\nhiX\r\n0\r\n\r\n', 400, 'Bad Request')
  await refused(head + '1'.repeat(17) + '\r\n', 400, 'Bad Request')
  await refused(head + '3e9\r\n', 413, 'Payload Too Large')
  await refused(head + '1f4\r\n' + 'a'.repeat(500) + '\r\n1f4\r\n' + 'a'.repeat(500) + '\r\n1\r\n', 413, 'Payload Too Large')
})

test('reduces an absolute-form target to its path and query', async () => {
  assert.is((await echoed(`GET http://example.com/a/b?c=1 HTTP/1.1\r\n${H}\r\n`)).target, '/a/b?c=1')
  assert.is((await echoed(`GET HTTPS://example.com?x=1 HTTP/1.1\r\n${H}\r\n`)).target, '/?x=1')
  assert.is((await echoed(`GET http://example.com HTTP/1.1\r\n${H}\r\n`)).target, '/')
  await refused(`GET ftp://example.com/ HTTP/1.1\r\n${H}\r\n`, 400, 'Bad Request')
})

test('accepts the asterisk form only with OPTIONS', async () => {
  assert.is((await echoed(`OPTIONS * HTTP/1.1\r\n${H}\r\n`)).target, '*')
  await refused(`GET * HTTP/1.1\r\n${H}\r\n`, 400, 'Bad Request')
})

test('ignores blank lines before a request line', async () => {
  assert.is((await echoed(`\r\n\r\nGET /after HTTP/1.1\r\n${H}\r\n`)).target, '/after')
})

test.run()
