// Hostile header sections: too large, too many, invalid bytes in names and values,
// obs-fold, and a missing or doubled Host.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { H, hostileCases, refuses, server, serves } from './hostile.ts'

const hostile = hostileCases()

const head = (lines: string) => `GET / HTTP/1.1\r\n${H}${lines}\r\n`

hostile('answers 431 to one header over the 16 KB head limit', async () => {
  await refuses(server, head(`X-Big: ${'v'.repeat(17000)}\r\n`), 431)
})

hostile('answers 431 to a head that keeps growing without ending', async () => {
  await refuses(server, `GET / HTTP/1.1\r\n${H}` + `X-A: ${'w'.repeat(100)}\r\n`.repeat(200), 431)
})

hostile('answers 431 to more than 100 headers, and serves 100', async () => {
  await refuses(server, head(Array.from({ length: 101 }, (_, i) => `X-${i}: v\r\n`).join('')), 431)
  const ok = await serves(server, head(Array.from({ length: 98 }, (_, i) => `X-${i}: v\r\n`).join('')))
  assert.ok(ok.headers.includes('x-97'))
})

hostile('answers 400 to invalid bytes in header names', async () => {
  for (const name of ['X A', 'X(A)', 'X\x00A', 'X\x7fA', 'Ünï', 'X"A', '']) {
    await refuses(server, head(`${name}: v\r\n`), 400)
  }
})

hostile('answers 400 to control bytes in header values', async () => {
  for (const value of ['a\x00b', 'a\x7fb', 'a\rb', 'a\x0bb', 'a\x1bb']) {
    await refuses(server, head(`X-A: ${value}\r\n`), 400)
  }
})

hostile('answers 400 to bare LF line endings anywhere in the head', async () => {
  await refuses(server, `GET / HTTP/1.1\r\nHost: t\nX-A: 1\r\n\r\n`, 400)
  await refuses(server, `GET / HTTP/1.1\nHost: t\r\n\r\n`, 400)
})

hostile('answers 400 to obs-fold (a header continued on the next line)', async () => {
  await refuses(server, head('X-A: one\r\n two\r\n'), 400)
  await refuses(server, head('X-A: one\r\n\ttwo\r\n'), 400)
})

hostile('answers 400 to whitespace between a header name and its colon', async () => {
  await refuses(server, head('Content-Length : 0\r\n'), 400)
  await refuses(server, head('X-A\t: 1\r\n'), 400)
})

hostile('answers 400 to an HTTP/1.1 request with no Host or two', async () => {
  await refuses(server, 'GET / HTTP/1.1\r\nX-A: 1\r\n\r\n', 400)
  await refuses(server, 'GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n', 400)
})

hostile('passes Latin-1 bytes in a value through as Latin-1, as Node does', async () => {
  const echoed = await serves(server, Buffer.from(head('X-Name: caf\xe9\r\n'), 'latin1'))
  const value = echoed.headers[echoed.headers.indexOf('x-name') + 1]
  assert.is(Buffer.from(value, 'latin1').toString('utf8'), 'café') // the answer is UTF-8, read back byte by byte
})

test.run()
