// core.loadBuiltin: the web layer's lazy parts (streams, URL, crypto.subtle, compression,
// fetch's HTTP client) are embedded as their own bytecode and evaluated only when first asked for.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { runInRuntime } from '../../support/script.ts'

test('loads each lazy builtin on demand and hands back its exports', async () => {
  const r = await runInRuntime(`
    const core = (globalThis as any).__core
    const subtle = core.loadBuiltin('subtle')
    const streams = core.loadBuiltin('streams')
    print(typeof streams.ReadableStream, typeof streams.TransformStream)
    print(Object.keys(subtle).sort().join(','))
    print(typeof (globalThis as any).__scratchfn_builtin)
  `)
  assert.is(r.code, 0, r.stderr)
  const [streams, subtle, leftover] = r.stdout.trim().split('\n')
  assert.is(streams, 'function function')
  assert.is(subtle, 'CryptoKey,SubtleCrypto,isCryptoKey,materialOf,setDOMException,subtle')
  assert.is(leftover, 'undefined', 'the hand-over global is removed')
})

// A builtin bundles its own copy of the accessors it imports (the HTTP client's copy of
// streams()): asking again must give the same exports, so a fetched body is the one
// ReadableStream class, not a second polyfill's.
test('a builtin is evaluated once: asking again, from the web layer or from another builtin, gives the same exports', async () => {
  const server = createServer((_req, res) => res.end('body'))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const r = await runInRuntime(`
      const core = (globalThis as any).__core
      const main = async () => {
        const res = await fetch('http://127.0.0.1:${(server.address() as AddressInfo).port}/')
        const streams = core.loadBuiltin('streams')
        print(core.loadBuiltin('streams') === streams, core.loadBuiltin('http-client') === core.loadBuiltin('http-client'))
        print(res.body instanceof ReadableStream, res.body instanceof streams.ReadableStream, streams.ReadableStream === ReadableStream)
        print(await res.text())
      }
      main()
    `)
    assert.is(r.code, 0, r.stderr)
    assert.is(r.stdout, 'true true\ntrue true true\nbody\n')
  } finally {
    server.close()
  }
})

test('an unknown builtin is a TypeError naming it', async () => {
  const r = await runInRuntime(`
    try { (globalThis as any).__core.loadBuiltin('nope') } catch (e) { print((e as Error).name, (e as Error).message) }
  `)
  assert.is(r.stdout.trim(), "TypeError loadBuiltin: no builtin named 'nope'")
})

test('URL works after its builtin loads on first use, and Headers is left in place', async () => {
  const r = await runInRuntime(`
    const H = Headers
    const u = new URL('/a/../b?x=1#h', 'http://example.com:8080')
    print(u.href, u.searchParams.get('x'), Headers === H)
  `)
  assert.is(r.stdout.trim(), 'http://example.com:8080/b?x=1#h 1 true')
})

test.run()
