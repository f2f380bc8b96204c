// Hostile body framing: the request smuggling shapes (duplicate or conflicting
// Content-Length, Content-Length with Transfer-Encoding), lengths that are negative or
// overflow, malformed chunk sizes and extensions, and trailers.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { H, hostileCases, refuses, send, server, serves } from './hostile.ts'

const hostile = hostileCases()

const post = (headers: string, body = '') => `POST /echo HTTP/1.1\r\n${H}${headers}\r\n${body}`
const chunked = (body: string) => post('Transfer-Encoding: chunked\r\n', body)

hostile('accepts a repeated identical Content-Length, and refuses conflicting ones', async () => {
  assert.is((await serves(server, post('Content-Length: 3\r\nContent-Length: 3\r\n', 'abc'))).body, 'abc')
  await refuses(server, post('Content-Length: 3\r\nContent-Length: 30\r\n', 'abc'), 400)
  await refuses(server, post('Content-Length: 3, 3\r\n', 'abc'), 400)
})

hostile('answers 400 to Content-Length with Transfer-Encoding, in either order', async () => {
  await refuses(server, post('Content-Length: 5\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n'), 400)
  await refuses(server, post('Transfer-Encoding: chunked\r\nContent-Length: 5\r\n', '0\r\n\r\n'), 400)
})

hostile('answers 400 to negative, signed, hex or overflowing lengths', async () => {
  for (const value of ['-1', '+3', '0x3', '3.0', ' ', '18446744073709551616', '99999999999999999999999999']) {
    await refuses(server, post(`Content-Length: ${value}\r\n`, 'abc'), 400)
  }
})

hostile('answers 413 at once to a length over the body limit, without waiting for the body', async () => {
  const out = await refuses(server, post('Content-Length: 9223372036854775807\r\n'), 413)
  assert.ok(out.ms < 1000, `after ${out.ms} ms`)
})

hostile('answers 501 to a transfer coding other than one chunked', async () => {
  await refuses(server, post('Transfer-Encoding: gzip, chunked\r\n', '0\r\n\r\n'), 501)
  await refuses(server, post('Transfer-Encoding: chunked, chunked\r\n', '0\r\n\r\n'), 501)
  await refuses(server, post('Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n', '0\r\n\r\n'), 501)
  await refuses(server, post('Transfer-Encoding: \x63hunked\x0b\r\n', '0\r\n\r\n'), 400)
})

hostile('answers 400 to malformed chunk sizes', async () => {
  for (const size of ['g', '', '-1', '0x5', '1'.repeat(17), ' 5', '5 6', '5\t\tx']) {
    await refuses(server, chunked(`${size}\r\nhello\r\n0\r\n\r\n`), 400)
  }
})

hostile('answers 400 to a chunk whose data is longer or shorter than its size', async () => {
  await refuses(server, chunked('3\r\nhello\r\n0\r\n\r\n'), 400)
  await refuses(server, chunked('9\r\nhello\r\n0\r\n\r\n'), 400)
})

hostile('ignores chunk extensions, but refuses control bytes or a 4 KB extension', async () => {
  assert.is((await serves(server, chunked('5;a=b;c="d e" \r\nhello\r\n5 ; x\r\nworld\r\n0;last\r\n\r\n'))).body, 'helloworld')
  await refuses(server, chunked('5;a=\x01\r\nhello\r\n0\r\n\r\n'), 400)
  await refuses(server, chunked(`5;${'e'.repeat(5000)}\r\nhello\r\n0\r\n\r\n`), 400)
  await refuses(server, chunked('5;a\nhello\r\n0\r\n\r\n'), 400)
})

hostile('answers 413 once the chunks add up past the body limit', async () => {
  const piece = `1f4\r\n${'z'.repeat(500)}\r\n`
  await refuses(server, chunked(piece + piece + '1\r\nz\r\n0\r\n\r\n'), 413)
  await refuses(server, chunked('ffffffffffffffff\r\n'), 413)
})

hostile('drops well-formed trailers, and refuses malformed or oversized ones', async () => {
  const ok = await serves(server, chunked('2\r\nhi\r\n0\r\nX-Sum: 2\r\nX-Other: b\r\n\r\n'))
  assert.is(ok.body, 'hi')
  assert.not.ok(ok.headers.includes('x-sum'))
  await refuses(server, chunked('2\r\nhi\r\n0\r\nno colon\r\n\r\n'), 400)
  await refuses(server, chunked('2\r\nhi\r\n0\r\nX-A: 1\r\n folded\r\n\r\n'), 400)
  await refuses(server, chunked('2\r\nhi\r\n0\r\nX-A: a\x00b\r\n\r\n'), 400)
  await refuses(server, chunked(`2\r\nhi\r\n0\r\n${`X-T: ${'t'.repeat(1000)}\r\n`.repeat(20)}\r\n`), 431)
})

hostile('serves an HTTP/1.0 request with Transfer-Encoding once, then closes (its framing is suspect)', async () => {
  const out = await send(
    server,
    `POST /echo HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\nGET /text HTTP/1.0\r\n\r\n`,
  )
  assert.is(out.res.length, 1, out.text)
  assert.is(out.res[0].headers['connection'], 'close')
})

test.run()
