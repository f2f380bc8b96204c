// fetch decodes gzip and deflate response bodies as Node's fetch (undici) does: the same
// script under Node and in the runtime against one server, printing the headers the
// Response shows and the text (or the error) its body gives, for each Content-Encoding.
import { createServer, type IncomingMessage } from 'node:http'
import { gzipSync, deflateSync, deflateRawSync } from 'node:zlib'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { lines, sameAsNode } from '../../../support/same-as-node.ts'

const test = suite('fetch decodes compressed response bodies')
const body = 'hello compressed world '.repeat(100)
const seen: IncomingMessage['headers'][] = []
const server = createServer((req, res) => {
  seen.push(req.headers)
  const send = (enc: string, bytes: Buffer) => {
    res.writeHead(200, { 'content-encoding': enc, 'content-length': bytes.length, 'content-type': 'text/plain' })
    res.end(bytes)
  }
  const routes: Record<string, () => void> = {
    '/gzip': () => send('gzip', gzipSync(body)),
    '/x-gzip': () => send('x-gzip', gzipSync(body)),
    '/GZIP': () => send('GZIP', gzipSync(body)),
    '/deflate': () => send('deflate', deflateSync(body)),
    '/raw-deflate': () => send('deflate', deflateRawSync(body)),
    '/two-codings': () => send('deflate, gzip', gzipSync(deflateSync(body))),
    '/cut-short': () => send('gzip', gzipSync(body).subarray(0, 40)),
    '/garbage': () => send('gzip', Buffer.from('this is not gzip')),
    '/empty': () => send('gzip', Buffer.alloc(0)),
    '/unknown': () => send('foo', Buffer.from(body)),
    '/identity': () => send('identity', Buffer.from(body)),
    '/chunked': () => {
      res.writeHead(200, { 'content-encoding': 'gzip' })
      const z = gzipSync(body)
      res.write(z.subarray(0, 20))
      setTimeout(() => res.end(z.subarray(20)), 20)
    },
  }
  ;(routes[req.url!] ?? (() => res.end('plain')))()
})
let base = ''
test.before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
test.after(() => {
  server.closeAllConnections()
  server.close()
})

const paths = [
  '/gzip',
  '/x-gzip',
  '/GZIP',
  '/deflate',
  '/raw-deflate',
  '/two-codings',
  '/cut-short',
  '/garbage',
  '/empty',
  '/unknown',
  '/identity',
  '/chunked',
]

test('decodes gzip, x-gzip, deflate (zlib or raw) and stacked codings, keeps the headers, and fails bad data as Node', async () => {
  const expected = paths.map((p) => {
    const len = { '/cut-short': 540, '/garbage': -1, '/empty': 0 }[p] ?? body.length
    return len < 0 ? `${p} error TypeError terminated Z_DATA_ERROR` : `${p} ok ${len}`
  })
  await sameAsNode(
    `
    ;(async () => {
      for (const p of ${JSON.stringify(paths)}) {
        const r = await fetch(${JSON.stringify(base)} + p)
        const shown = ['content-encoding', 'content-length'].map((h) => h + '=' + r.headers.get(h)).join(' ')
        try { print(p, 'ok', (await r.text()).length, shown) } catch (e) { print(p, 'error', e.constructor.name, e.message, e.cause?.code, shown) }
      }
    })()
  `,
    lines(
      ...expected.map((line, i) => {
        const p = paths[i]
        const enc =
          {
            '/x-gzip': 'x-gzip',
            '/GZIP': 'GZIP',
            '/deflate': 'deflate',
            '/raw-deflate': 'deflate',
            '/two-codings': 'deflate, gzip',
            '/unknown': 'foo',
            '/identity': 'identity',
          }[p] ?? 'gzip'
        const len =
          p === '/chunked'
            ? 'null'
            : String(
                {
                  '/gzip': gzipSync(body).length,
                  '/x-gzip': gzipSync(body).length,
                  '/GZIP': gzipSync(body).length,
                  '/deflate': deflateSync(body).length,
                  '/raw-deflate': deflateRawSync(body).length,
                  '/two-codings': gzipSync(deflateSync(body)).length,
                  '/cut-short': 40,
                  '/garbage': 16,
                  '/empty': 0,
                  '/unknown': body.length,
                  '/identity': body.length,
                }[p],
              )
        return `${line} content-encoding=${enc} content-length=${len}`
      }),
    ),
  )
})

test('asks for gzip and deflate unless the request names its own Accept-Encoding', async () => {
  seen.length = 0
  await sameAsNode(
    `
    ;(async () => {
      await (await fetch(${JSON.stringify(base)} + '/a')).text()
      await (await fetch(${JSON.stringify(base)} + '/b', { headers: { 'accept-encoding': 'identity' } })).text()
      print('done')
    })()
  `,
    lines('done'),
  )
  const asked = seen.map((h) => `${h['user-agent']} ${h['accept-encoding']}`).sort()
  assert.equal(asked, ['node gzip, deflate', 'node identity', 'scratchfn gzip, deflate', 'scratchfn identity'])
})

test.run()
