import { test } from 'uvu'
import { lines, sameAsNode } from '../../support/same-as-node.ts'

test('clones plain data deeply: objects, arrays with holes and extra keys, Date, RegExp, Map, Set, boxed values', async () => {
  await sameAsNode(
    `
    const src = { n: 1, s: 'x', b: true, u: undefined, nil: null, big: 5n, neg: -0, nan: NaN, d: new Date(5), r: /x/gi, boxed: new Number(3) }
    const c = structuredClone(src)
    print(c !== src, c.d !== src.d && c.d.getTime(), c.r, c.r.lastIndex, c.boxed instanceof Number, JSON.stringify(Object.keys(c)))
    print(c.big, Object.is(c.neg, -0), Number.isNaN(c.nan), 'u' in c)
    const a = [1, , 3]; a.extra = 'kept'
    const ca = structuredClone(a)
    print(ca.length, 1 in ca, ca.extra, Array.isArray(ca))
    const m = new Map([['k', { deep: [1, 2] }]]), set = new Set([1, 'two'])
    const cm = structuredClone({ m, set })
    print(cm.m.get('k').deep.join(), cm.m !== m, [...cm.set].join(), cm.set !== set)
    print(JSON.stringify(structuredClone({ get g() { return 5 }, [Symbol('hidden')]: 1 })))
    class Point { constructor() { this.x = 1 } get y() { return 2 } }
    const p = structuredClone(new Point())
    print(JSON.stringify(p), p instanceof Point, Object.getPrototypeOf(p) === Object.prototype)
  `,
    lines(
      'true 5 /x/gi 0 true ["n","s","b","u","nil","big","neg","nan","d","r","boxed"]',
      '5 true true true',
      '3 false kept true',
      '1,2 true 1,two true',
      '{"g":5}',
      '{"x":1} false true',
    ),
  )
})

test('keeps cycles and shared references, including views sharing one buffer', async () => {
  await sameAsNode(
    `
    const o = { name: 'o' }; o.self = o
    const m = new Map([[o, o]])
    const [[k, v]] = structuredClone(m)
    print(k === v, k.self === k, k !== o)
    const buf = new ArrayBuffer(4)
    const u = new Uint8Array(buf, 1, 2); u[0] = 7
    const c = structuredClone({ u, d: new DataView(buf), buf })
    print(c.u.buffer === c.buf, c.d.buffer === c.buf, c.buf !== buf, c.u.byteOffset, c.u.length, c.u[0], c.buf.byteLength)
  `,
    lines('true true true', 'true true true 1 2 7 4'),
  )
})

test('clones Errors by name with message, stack and cause, dropping other properties', async () => {
  await sameAsNode(
    `
    const e = new TypeError('boom', { cause: { why: 1 } }); e.extra = 2
    const c = structuredClone(e)
    print(c instanceof TypeError, c.name, c.message, JSON.stringify(c.cause), c.extra, typeof c.stack, Object.keys(c).length)
    class MyErr extends Error { constructor(m) { super(m); this.name = 'MyErr' } }
    const my = structuredClone(new MyErr('q'))
    print(my.constructor === Error, my.name, my.message)
    const renamed = new Error('m'); renamed.name = 'RangeError'
    print(structuredClone(renamed) instanceof RangeError)
  `,
    lines('true TypeError boom {"why":1} undefined string 0', 'true Error q', 'true'),
  )
})

test('throws DataCloneError for functions, symbols and objects with hidden state', async () => {
  await sameAsNode(
    `
    const cases = [() => 1, Symbol('x'), { nested: Symbol('y') }, Promise.resolve(), new WeakMap(), new WeakSet()]
    for (const value of cases) {
      try { structuredClone(value); print('cloned') } catch (e) { print(e.name, e.code, e instanceof DOMException, e.message.endsWith(' could not be cloned.')) }
    }
    try { structuredClone() } catch (e) { print('no argument:', e.name) }
    try { structuredClone(1, { transfer: 5 }) } catch (e) { print('bad transfer:', e.name) }
  `,
    lines(...Array(6).fill('DataCloneError 25 true true'), 'no argument: TypeError', 'bad transfer: TypeError'),
  )
})

test.run()
