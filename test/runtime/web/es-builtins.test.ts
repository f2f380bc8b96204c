import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { lines, sameAsNode } from '../../support/same-as-node.ts'
import { runInRuntime } from '../../support/script.ts'

test('has at(), findLast(), findLastIndex(), Object.hasOwn and the change-by-copy array methods', async () => {
  await sameAsNode(
    `
    print([1, 2, 3].at(-1), [1, 2, 3].at(5), 'abc'.at(-1), 'abc'.at(0), new Uint8Array([5, 6]).at(-2), [].at(0))
    print([1, 2, 3, 4].findLast((x) => x % 2 === 1), [1, 2, 3, 4].findLastIndex((x) => x > 9), new Uint8Array([1, 2]).findLastIndex((x) => x > 0))
    print(Object.hasOwn({ a: 1 }, 'a'), Object.hasOwn({}, 'toString'), Object.hasOwn([1], 0))
    const src = [3, 1, 2]
    print(src.toSorted().join(), src.toReversed().join(), src.with(-1, 9).join(), src.toSpliced(1, 1, 'x', 'y').join(), src.join())
    print(Object.getOwnPropertyDescriptor(Array.prototype, 'at').enumerable, [].at.name, ''.at.name, Object.hasOwn.name)
    try { [].findLast(5) } catch (e) { print('findLast(5):', e.name) }
    try { [1].with(3, 0) } catch (e) { print('with(3):', e.name) }
  `,
    lines(
      '3 undefined c a 5 undefined',
      '3 -1 1',
      'true false true',
      '1,2,3 2,1,3 3,1,9 3,x,y,2 3,1,2',
      'false at at hasOwn',
      'findLast(5): TypeError',
      'with(3): RangeError',
    ),
  )
})

test('Error constructors take a cause, and subclasses and engine errors share their prototypes', async () => {
  await sameAsNode(
    `
    print(new RangeError('r', { cause: 'c' }).cause, 'cause' in new Error('x', { cause: undefined }), 'cause' in new Error('x'), 'cause' in new Error('x', {}))
    print(Object.getOwnPropertyDescriptor(new Error('x', { cause: 1 }), 'cause').enumerable)
    class HttpError extends Error { constructor(m, o) { super(m, o); this.name = 'HttpError' } }
    const he = new HttpError('nope', { cause: 42 })
    print(he instanceof HttpError, he instanceof Error, he.cause, he.name, he.message, JSON.stringify(Object.keys(he)))
    print(new TypeError('t') instanceof Error, TypeError.prototype.constructor === TypeError, Object.getPrototypeOf(TypeError) === Error, Error.name, Error.length, TypeError.name)
    try { null.x } catch (err) { print(err instanceof TypeError, err instanceof Error, err.constructor === TypeError) }
    print(typeof Error('x'), Error('y').message, Error('y') instanceof Error)
    const agg = new AggregateError([1], 'agg', { cause: 'z' })
    print(agg.message, agg.errors.length, agg.cause, agg instanceof AggregateError, agg instanceof Error)
  `,
    lines(
      'c true false false',
      'false',
      'true true 42 HttpError nope ["name"]',
      'true true true Error 1 TypeError',
      'true true true',
      'object y true',
      'agg 1 z true true',
    ),
  )
})

test('a stack starts at the code that made the error, not inside the cause wrapper', async () => {
  const run = await runInRuntime(`
    function makeIt() { return new Error('x', { cause: 1 }) }
    print(makeIt().stack.split('\\n')[0].trim().startsWith('at makeIt'))
  `)
  assert.is(run.stdout, lines('true'), run.stderr)
})

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
