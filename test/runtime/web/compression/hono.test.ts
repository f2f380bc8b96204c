// hono/compress and DecompressionStream in a user's function, the same function in the
// runtime and under Node (test/fixtures/compression/compress.ts), over HTTP; and a gzip
// bomb sent to the runtime, which answers 503 at the heap limit and serves on.
import { join } from 'node:path'
import { gunzipSync, gzipSync, inflateSync } from 'node:zlib'
import { request } from 'node:http'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { buildBoth } from '../../../support/function-build.ts'
import { repoRoot } from '../../../support/paths.ts'
import { startRuntime, startServer, type Server } from '../../../support/process.ts'

const test = suite('hono/compress and DecompressionStream in a function')
let node: Server
let runtime: Server

test.before(async () => {
  const built = await buildBoth(join(repoRoot, 'test/fixtures/compression/compress.ts'), 'compress')
  const env = { SCRATCHFN_ACCESS_LOG: '0' }
  ;[node, runtime] = await Promise.all([
    startServer({ command: process.execPath, args: [built.nodeBundle], env }),
    startRuntime(built.bin, env),
  ])
})
test.after(async () => {
  await Promise.all([node?.stop(), runtime?.stop()])
})

interface Raw {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

/** A request whose body stays as sent (Node's fetch would decode it). */
function raw(server: Server, path: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/compress${path}`, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end(opts.body)
  })
}

test('answers gzip to Accept-Encoding: gzip, with the same body and headers as under Node', async () => {
  for (const path of ['/c/text', '/c/json']) {
    const [a, b] = await Promise.all([node, runtime].map((s) => raw(s, path, { headers: { 'accept-encoding': 'gzip' } })))
    assert.is(b.status, 200, `runtime ${path}: ${b.status} ${b.body} ${runtime.stderr()}`)
    assert.is(b.headers['content-encoding'], 'gzip', path)
    assert.is(b.headers['content-encoding'], a.headers['content-encoding'])
    assert.is(b.headers.vary, a.headers.vary, 'vary')
    assert.is(b.headers['content-length'], undefined, 'no stale content-length')
    assert.is(gunzipSync(b.body).toString(), gunzipSync(a.body).toString(), path)
    assert.ok(b.body.length < gunzipSync(b.body).length / 3, 'compressed')
  }
})

test('answers deflate when asked, plain to a client that accepts none, and a small body as Node does', async () => {
  const d = await raw(runtime, '/c/deflate', { headers: { 'accept-encoding': 'deflate' } })
  assert.is(d.headers['content-encoding'], 'deflate')
  const plain = await raw(runtime, '/c/text')
  assert.is(plain.headers['content-encoding'], undefined)
  assert.is(inflateSync(d.body).toString(), plain.body.toString())
  const [a, b] = await Promise.all([node, runtime].map((s) => raw(s, '/c/small', { headers: { 'accept-encoding': 'gzip' } })))
  assert.is(b.headers['content-encoding'], a.headers['content-encoding'])
  assert.is((b.headers['content-encoding'] === 'gzip' ? gunzipSync(b.body) : b.body).toString(), 'tiny')
})

test('inflates a gzip request body in a DecompressionStream, as Node does', async () => {
  const body = gzipSync(Buffer.from('hello, compressed world '.repeat(1000)))
  const [a, b] = await Promise.all([node, runtime].map((s) => raw(s, '/inflate', { method: 'POST', body })))
  assert.is(b.status, 200, b.body.toString())
  assert.is(b.body.toString(), a.body.toString())
  assert.is(JSON.parse(b.body.toString()).bytes, 24000)
})

test('a gzip bomb inflated into memory gets 503 at the heap limit, and the process serves on', async () => {
  // 512 MB of zeros in a 500 KB request body, against the default 64 MB heap limit.
  const bomb = gzipSync(Buffer.alloc(512 << 20), { level: 9 })
  assert.ok(bomb.length < 1 << 20, 'fits the request body limit')
  const r = await raw(runtime, '/inflate', { method: 'POST', body: bomb })
  assert.is(r.status, 503, `${r.status} ${r.body}`)
  const after = await raw(runtime, '/c/text', { headers: { 'accept-encoding': 'gzip' } })
  assert.is(after.status, 200)
  assert.is(runtime.proc.exitCode, null, 'still running')
  // Streamed rather than kept, the same bomb's bytes are only counted.
  const counted = await raw(runtime, '/count', { method: 'POST', body: gzipSync(Buffer.alloc(64 << 20)) })
  assert.is(counted.body.toString(), JSON.stringify({ bytes: 64 << 20 }))
})

test.run()
