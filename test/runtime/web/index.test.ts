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

// Start-up reads and runs only what serving needs (issue 14): the other Web APIs are lazy
// globals whose builtin or module loads on the first read, then plain data properties.
test('installs the APIs a function does not touch at start on first use, then as plain data properties', async () => {
  const run = await runInRuntime(`
    const lazy = ['console', 'process', 'DOMException', 'Event', 'EventTarget', 'AbortController', 'AbortSignal', 'performance', 'TextEncoder', 'TextDecoder', 'atob', 'btoa', 'structuredClone', 'crypto', 'FormData', 'fetch', 'TextEncoderStream']
    const getter = (n) => typeof Object.getOwnPropertyDescriptor(globalThis, n).get === 'function'
    print('at start:', JSON.stringify(lazy.filter((n) => !getter(n))))
    print(lazy.map((n) => typeof globalThis[n]).join(' '))
    const plain = lazy.filter((n) => {
      const d = Object.getOwnPropertyDescriptor(globalThis, n)
      return d.get === undefined && d.writable && d.configurable && !d.enumerable && (typeof d.value !== 'function' || d.value.name === n)
    })
    print('after:', plain.length === lazy.length, 'DOMException' in globalThis, JSON.stringify(Object.keys(globalThis)))
    globalThis.TextEncoder = 'replaced'
    print(TextEncoder)
  `)
  assert.is(
    run.stdout,
    lines(
      'at start: []',
      'object object function function function function function object function function function function function object function function function',
      'after: true true []',
      'replaced',
    ),
    run.stderr,
  )
})

test('a lazy builtin is named and shares DOMException before its globals are read', async () => {
  const run = await runInRuntime(`
    // The events builtin loads here through AbortController alone; AbortSignal, DOMException
    // and the error thrown by atob (another builtin) must be the same classes, with their names.
    const signal = AbortController.prototype.constructor === AbortController && new AbortController().signal
    signal.throwIfAborted()
    const reason = (() => { const c = new AbortController(); c.abort(); return c.signal.reason })()
    print(signal.constructor.name, reason.constructor.name, reason.name)
    let thrown
    try { atob('*') } catch (e) { thrown = e }
    print(thrown instanceof DOMException, reason instanceof DOMException, thrown.name, DOMException.name)
    try { structuredClone(() => 1) } catch (e) { print(e instanceof DOMException, e.name) }
  `)
  assert.is(
    run.stdout,
    lines('AbortSignal DOMException AbortError', 'true true InvalidCharacterError DOMException', 'true DataCloneError'),
    run.stderr,
  )
})

test('performance and process count from start-up, not from their first use', async () => {
  const run = await runInRuntime(`
    const until = Date.now() + 60
    while (Date.now() < until) {}
    print(performance.now() >= 55, process.uptime() >= 0.055, Math.abs(performance.timeOrigin + performance.now() - Date.now()) < 20)
  `)
  assert.is(run.stdout, 'true true true\n', run.stderr)
})

test.run()
