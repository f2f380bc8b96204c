// The globals the web layer installs (runtime/web/index.ts), as the platform installs
// its own: non-enumerable, writable, configurable, named.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { lines } from '../../support/same-as-node.ts'
import { runInRuntime } from '../../support/script.ts'

test('installs every global non-enumerable, writable and configurable, with its own name', async () => {
  const run = await runInRuntime(`
    print(JSON.stringify(Object.keys(globalThis)))
    const names = ['console', 'setTimeout', 'queueMicrotask', 'structuredClone', 'atob', 'crypto', 'AbortController', 'DOMException', 'Event', 'EventTarget', 'ReadableStream', 'TransformStream', 'performance', 'process']
    const bad = names.filter((n) => {
      const d = Object.getOwnPropertyDescriptor(globalThis, n)
      return !d || d.enumerable || !d.configurable || !(d.writable || d.set)
    })
    print('bad descriptors:', JSON.stringify(bad))
    print(DOMException.name, AbortSignal.name, setTimeout.name, ReadableStream.name, CryptoKey.name)
    const before = Object.getOwnPropertyDescriptor(globalThis, 'TransformStream')
    new TransformStream()
    const after = Object.getOwnPropertyDescriptor(globalThis, 'TransformStream')
    print('streams load on first use:', typeof before.get, after.writable)
    globalThis.setTimeout = 'replaced'
    print(setTimeout)
  `)
  assert.is(
    run.stdout,
    lines(
      '[]',
      'bad descriptors: []',
      'DOMException AbortSignal setTimeout ReadableStream CryptoKey',
      'streams load on first use: function true',
      'replaced',
    ),
    run.stderr,
  )
})

test.run()
