// The language as functions meet it: the ES2022+ built-ins and syntax the engine
// (QuickJS 2025-04-26) provides itself, held to Node's answers. Each snippet is bundled
// for the runtime's target (es2022), so the syntax reaches the engine as written.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { lines, sameAsNode } from '../support/same-as-node.ts'
import { runInRuntime } from '../support/script.ts'

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

test('WeakRef and FinalizationRegistry exist and behave as in Node', async () => {
  await sameAsNode(
    `
    const target = { name: 'kept' }
    const ref = new WeakRef(target)
    print(typeof WeakRef, typeof FinalizationRegistry, ref.deref() === target, ref.deref().name, Object.prototype.toString.call(ref))
    const registry = new FinalizationRegistry((held) => print('finalized', held))
    const token = {}
    print(registry.register(target, 'held value', token), registry.unregister(token), registry.unregister(token))
    try { new WeakRef(1) } catch (e) { print('WeakRef(1):', e.name) }
    try { registry.register(target, target) } catch (e) { print('held === target:', e.name) }
    print(Object.prototype.toString.call(registry))
  `,
    lines(
      'function function true kept [object WeakRef]',
      'undefined true false',
      'WeakRef(1): TypeError',
      'held === target: TypeError',
      '[object FinalizationRegistry]',
    ),
  )
})

test('a FinalizationRegistry callback runs once its target is collected', async () => {
  // Runtime only: when Node collects is up to V8. QuickJS frees the object with its last
  // reference (so the WeakRef empties at once) and calls back at its next collection,
  // which the core's gc() forces here.
  const run = await runInRuntime(`
    const registry = new FinalizationRegistry((held) => print('finalized', held))
    let target = { big: new Array(1000).fill(1) }
    registry.register(target, 'the target')
    const ref = new WeakRef(target)
    target = null
    ;(globalThis as any).__core.gc()
    setTimeout(() => print('deref after:', ref.deref()), 10)
  `)
  assert.is(run.stdout, lines('finalized the target', 'deref after: undefined'), run.stderr)
})

test('regular expressions: \\- inside a u-flag class, the d flag (match indices), named groups, lookbehind', async () => {
  await sameAsNode(
    String.raw`
    print(/[a\-z]/u.test('-'), /[a\-z]/u.test('b'), /[a\-z]/u.test('z'), new RegExp('[\\w\\-.]+', 'u').exec('ab-c.d!')[0])
    const m = /(?<year>\d{4})-(?<month>\d{2})/d.exec('on 2025-04-26')
    print(JSON.stringify(m.indices), JSON.stringify(m.indices.groups), /x/d.hasIndices, /x/d.flags)
    print('price: $42'.match(/(?<=\$)\d+/)[0], 'a1b2'.replaceAll(/\d/g, (d) => d * 2))
  `,
    lines('true false true ab-c.d', '[[3,10],[3,7],[8,10]] {"year":[3,7],"month":[8,10]} true d', '42 a2b4'),
  )
})

test('String isWellFormed and toWellFormed', async () => {
  await sameAsNode(
    `
    print('abc'.isWellFormed(), 'ab\\uD800'.isWellFormed(), '\\uDC00x'.isWellFormed(), '\\uD83D\\uDE00'.isWellFormed())
    print(JSON.stringify('ab\\uD800c'.toWellFormed()), JSON.stringify('\\uD83D\\uDE00'.toWellFormed()), 'x'.toWellFormed.name)
  `,
    lines('true false false true', '"ab\ufffdc" "😀" toWellFormed'),
  )
})

test('class static blocks, private members and #x in obj', async () => {
  await sameAsNode(
    `
    class Counter {
      static #instances = 0
      static registry
      static { Counter.registry = new Map([['created', 'in a static block']]) }
      #count = 0
      set = 'a field named set'
      static count(o) { return #count in o ? o.#count : 'not a counter' }
      #bump() { this.#count++ }
      constructor() { Counter.#instances++; this.#bump() }
      static get instances() { return Counter.#instances }
    }
    const c = new Counter()
    new Counter()
    print(Counter.registry.get('created'), Counter.count(c), Counter.count({}), Counter.instances, c.set)
  `,
    lines('in a static block 1 not a counter 2 a field named set'),
  )
})

test('stacks carry the line and column of each frame', async () => {
  const run = await runInRuntime(`
    function where() { return new Error('here').stack.split('\\n')[0].trim() }
    print(where())
  `)
  assert.match(run.stdout, /^at where \(.*script\.js:\d+:\d+\)\n$/, run.stderr)
})
test.run()
