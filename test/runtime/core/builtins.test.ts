// core.loadBuiltin: the web layer's lazy parts (streams, URL, crypto.subtle) are embedded as
// their own bytecode and evaluated only when first asked for.
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
