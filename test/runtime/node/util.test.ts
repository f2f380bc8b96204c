import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { matchesNode } from '../../support/same-as-node.ts'

test('util.format and util.inspect print what Node prints', async () => {
  const out = await matchesNode(`
    import util from 'node:util'
    print(util.format('%s=%d %i %f %j %o %O %%', 'a', 42.5, 42.5, '1.5', { b: 1 }, [1], { c: { d: { e: {} } } }), util.format('a', 1, { x: 'y' }))
    print(util.inspect({ a: [1, { b: { c: { d: 1 } } }], s: 'str', n: null, u: undefined, f() {}, m: new Map([[1, 2]]), set: new Set(['x']), d: new Date(0), r: /x/g }))
    print(util.inspect({ a: { b: { c: { d: 1 } } } }, { depth: 0 }), util.inspect({ a: { b: { c: { d: 1 } } } }, { depth: null }), util.inspect('str'), util.inspect([1, 2, 3], false, 0))
    class Money { constructor(public cents: number) {} [util.inspect.custom]() { return 'Money(' + this.cents + ')' } }
    print(util.inspect(new Money(5)), util.inspect({ m: new Money(7) }), util.inspect.custom === Symbol.for('nodejs.util.inspect.custom'))
    print(util.inspect(new Error('boom')).split('\\n')[0])
  `)
  assert.match(out, 'Money(5)')
})

test('promisify (with util.promisify.custom), callbackify, deprecate and inherits', async () => {
  await matchesNode(`
    import { promisify, callbackify, deprecate, inherits } from 'util'
    const double = (x: number, cb: (e: unknown, v?: number) => void) => cb(null, x * 2)
    const failing = (cb: (e: unknown) => void) => cb(new Error('nope'))
    const custom = Object.assign(() => {}, { [promisify.custom]: () => Promise.resolve('custom') })
    print(promisify(custom) === (custom as any)[promisify.custom], typeof promisify.custom)
    try { promisify('x' as any) } catch (e: any) { print(e.code, e.message) }
    ;(async () => {
      print('promisify', await promisify(double)(21), await promisify(custom)())
      try { await promisify(failing)() } catch (e: any) { print('rejected', e.message) }
      const cb = callbackify(async (x: number) => x + 1)
      cb(1, (err: unknown, v: number) => print('callbackify', err, v))
      callbackify(() => Promise.reject(null))((err: any) => print('falsy rejection', err.code, err.message, err.reason))
      const old = deprecate((a: number) => a * 3, 'old() is deprecated', 'DEP_TEST')
      process.on('warning', (w: any) => print('warning', w.name, w.code, w.message))
      print('deprecated', old(1), old(2))
      function A() {}
      function B() {}
      inherits(B, A)
      print('inherits', new (B as any)() instanceof A, (B as any).super_ === A)
      try { inherits(B, null as any) } catch (e: any) { print(e.code, e.message) }
    })()
  `)
})

test('util.types tells values apart by their internals, isDeepStrictEqual compares as assert does', async () => {
  await matchesNode(`
    import { types, isDeepStrictEqual, TextEncoder, TextDecoder } from 'node:util'
    import * as t from 'node:util/types'
    const checks = [new Date(), /x/, new Map(), new Set(), new WeakMap(), Promise.resolve(), new Uint8Array(1), new Float64Array(1), new ArrayBuffer(1), new DataView(new ArrayBuffer(1)), new Error('e'), Object(1), Object('s'), async () => {}, function* () {}, { [Symbol.toStringTag]: 'Date' }]
    for (const name of ['isDate', 'isRegExp', 'isMap', 'isSet', 'isWeakMap', 'isPromise', 'isTypedArray', 'isUint8Array', 'isArrayBuffer', 'isAnyArrayBuffer', 'isDataView', 'isArrayBufferView', 'isNativeError', 'isBoxedPrimitive', 'isNumberObject', 'isStringObject', 'isAsyncFunction', 'isGeneratorFunction'])
      print(name, checks.map((v) => (types as any)[name](v) ? 1 : 0).join(''), (t as any)[name] === (types as any)[name])
    print(isDeepStrictEqual({ a: [1, 2], m: new Map([[{ k: 1 }, 'v']]) }, { a: [1, 2], m: new Map([[{ k: 1 }, 'v']]) }), isDeepStrictEqual({ a: 1 }, { a: '1' }), isDeepStrictEqual([1, , 3], [1, undefined, 3]), isDeepStrictEqual(NaN, NaN), isDeepStrictEqual(0, -0), isDeepStrictEqual(new Set([1, 2]), new Set([2, 1])), isDeepStrictEqual(Object.create(null), {}))
    print(TextEncoder === globalThis.TextEncoder, TextDecoder === globalThis.TextDecoder)
  `)
})

test.run()
