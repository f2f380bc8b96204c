// Hostile request lines: too long, too old (HTTP/0.9), too new (the HTTP/2 preface),
// the absolute and asterisk forms, and bytes that are not HTTP at all.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { H, hostileCases, refuses, server, serves } from './hostile.ts'

const hostile = hostileCases()

hostile('answers 414 to a request line over 8 KB', async () => {
  await refuses(server, `GET /${'a'.repeat(9000)} HTTP/1.1\r\n${H}\r\n`, 414)
})

hostile('answers 414 to a very long URL before its line has even ended', async () => {
  await refuses(server, `GET /${'b'.repeat(20000)}`, 414)
})

hostile('serves a long URL just under the request-line limit', async () => {
  const target = `/${'c'.repeat(8000)}?q=${'d'.repeat(100)}`
  assert.is((await serves(server, `GET ${target} HTTP/1.1\r\n${H}\r\n`)).target, target)
})

hostile('answers 400 to an HTTP/0.9 request', async () => {
  await refuses(server, 'GET /\r\n', 400)
})

hostile('answers 505 to the HTTP/2 connection preface', async () => {
  await refuses(server, 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x12\x04\x00\x00\x00\x00\x00', 505)
})

hostile('reduces an absolute-form target to its path, and refuses other schemes', async () => {
  assert.is((await serves(server, `GET http://evil.example:80/p?q=1 HTTP/1.1\r\n${H}\r\n`)).target, '/p?q=1')
  await refuses(server, `GET file:///etc/passwd HTTP/1.1\r\n${H}\r\n`, 400)
  await refuses(server, `GET http:///nohost HTTP/1.1\r\n${H}\r\n`, 400)
})

hostile('accepts the asterisk form for OPTIONS only', async () => {
  assert.is((await serves(server, `OPTIONS * HTTP/1.1\r\n${H}\r\n`)).target, '*')
  await refuses(server, `GET * HTTP/1.1\r\n${H}\r\n`, 400)
  await refuses(server, `OPTIONS *x HTTP/1.1\r\n${H}\r\n`, 400)
})

hostile('answers 400 to control bytes and NUL in the method or target', async () => {
  await refuses(server, `G\x00T / HTTP/1.1\r\n${H}\r\n`, 400)
  await refuses(server, `GET /a\x00b HTTP/1.1\r\n${H}\r\n`, 400)
  await refuses(server, `GET /a\x7fb HTTP/1.1\r\n${H}\r\n`, 400)
  await refuses(server, `GET\t/ HTTP/1.1\r\n${H}\r\n`, 400)
})

hostile('answers 400 to a TLS ClientHello sent to the plain-HTTP port', async () => {
  const hello = Buffer.from('16030100c4010000c00303' + 'ab'.repeat(32) + '000002130101000095' + '00'.repeat(40) + '0d0a', 'hex')
  await refuses(server, hello, 400)
})

hostile('answers 400 to a request line of only blank lines', async () => {
  await refuses(server, '\r\n'.repeat(10), 400)
})

hostile('answers 400 or 505 to malformed versions', async () => {
  await refuses(server, `GET / HTTP/1.1x\r\n${H}\r\n`, 400)
  await refuses(server, `GET / HTTP/1\r\n${H}\r\n`, 400)
  await refuses(server, `GET / HTTP/3.0\r\n${H}\r\n`, 505)
})

test.run()
