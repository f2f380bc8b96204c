// runtime/patches/quickjs-json-plain-objects.patch: JSON.stringify writes a plain object from
// its shape and quotes strings straight into its buffer. What it writes must be Node's, byte
// for byte, for every case the shortcut takes and every case it must leave to the generic path.
import { suite } from 'uvu'
import { lines, sameAsNode } from '../../support/same-as-node.ts'

const test = suite('runtime/patches/quickjs-json-plain-objects.patch: JSON.stringify as Node has it')

test('key order, skipped keys and values, nesting', async () => {
  await sameAsNode(
    `
    const sym = Symbol('s')
    const o: any = { b: 1, a: 'x', 2: 'two', 1: 'one', [sym]: 'hidden', u: undefined, f() {}, s: Symbol('v'), n: null, t: true, z: -0, nan: NaN, inf: -Infinity }
    Object.defineProperty(o, 'hidden', { value: 1, enumerable: false })
    print(JSON.stringify(o))
    print(JSON.stringify({ b: 1, '4294967294': 'big index', '4294967295': 'not an index', '-1': 'neg', '01': 'lead' }))
    const d: any = { a: 1, b: 2, c: 3 }
    delete d.b
    d.e = 5
    print(JSON.stringify(d))
    print(JSON.stringify({ nested: { deep: { x: [1, { y: 'z' }, [], {}] } }, arr: [undefined, () => 1, sym] }))
    print(JSON.stringify(Object.assign(Object.create(null), { p: 1 })), JSON.stringify(Object.create({ inherited: 1 })))
    class C { x = 1; #y = 2; get g() { return 3 } }
    print(JSON.stringify(new C()), JSON.stringify({ big: 1n === 1n, date: new Date(0), re: /x/g, map: new Map([[1, 2]]) }))
    `,
    lines(
      '{"1":"one","2":"two","b":1,"a":"x","n":null,"t":true,"z":0,"nan":null,"inf":null}',
      '{"4294967294":"big index","b":1,"4294967295":"not an index","-1":"neg","01":"lead"}',
      '{"a":1,"c":3,"e":5}',
      '{"nested":{"deep":{"x":[1,{"y":"z"},[],{}]}},"arr":[null,null,null]}',
      '{"p":1} {}',
      '{"x":1} {"big":true,"date":"1970-01-01T00:00:00.000Z","re":{},"map":{}}',
    ),
  )
})

test('getters run, in order, and one that deletes a later key leaves it out; toJSON gets its key', async () => {
  await sameAsNode(
    `
    const seen: string[] = []
    const o: any = { a: 1, get b() { seen.push('b'); delete this.c; return 2 }, c: 3, d: { toJSON(key: string) { return 'toJSON of ' + key } } }
    print(JSON.stringify(o), seen.join())
    print(JSON.stringify({ when: { toJSON: () => undefined }, also: { toJSON: () => ({ deep: 1 }) } }))
    const grow: any = { a: { toJSON() { grow.late = 1; return 'a' } } }
    print(JSON.stringify(grow), JSON.stringify(grow))
    `,
    lines('{"a":1,"b":2,"d":"toJSON of d"} b', '{"also":{"deep":1}}', '{"a":"a"} {"a":"a","late":1}'),
  )
})

test('strings: escapes, controls, non-ASCII and lone surrogates, as keys and values', async () => {
  await sameAsNode(
    `
    const s = 'q"b\\\\s\\n\\r\\t\\b\\f\\u0001\\u001f é ✓ 😀 \\ud800 \\udc00 end'
    print(JSON.stringify({ [s]: s, plain: 'plain', empty: '' }))
    print(JSON.stringify(['a' + 'b'.repeat(3), s.slice(0, 5)]))
    `,
    lines(
      '{"q\\"b\\\\s\\n\\r\\t\\b\\f\\u0001\\u001f é ✓ 😀 \\ud800 \\udc00 end":"q\\"b\\\\s\\n\\r\\t\\b\\f\\u0001\\u001f é ✓ 😀 \\ud800 \\udc00 end","plain":"plain","empty":""}',
      '["abbb","q\\"b\\\\s"]',
    ),
  )
})

test('replacers, property lists and indents take the generic path; cycles still throw', async () => {
  await sameAsNode(
    `
    const o = { b: 1, a: { c: 2 } }
    print(JSON.stringify(o, (k, v) => (k === 'c' ? 'C' : v)))
    print(JSON.stringify(o, ['a', 'c']))
    print(JSON.stringify(o, null, 2).split('\\n').join('|'))
    const cyc: any = { x: 1 }
    cyc.self = { back: cyc }
    try { JSON.stringify(cyc) } catch (e) { print((e as Error).name) }
    `,
    lines('{"b":1,"a":{"c":"C"}}', '{"a":{"c":2}}', '{|  "b": 1,|  "a": {|    "c": 2|  }|}', 'TypeError'),
  )
})

test('an object with more keys than the shortcut holds on its stack', async () => {
  await sameAsNode(
    `
    const o: Record<string, number> = {}
    for (let i = 0; i < 100; i++) o['k' + i] = i
    const s = JSON.stringify(o)
    print(s.length, s.slice(0, 30), s.slice(-20))
    `,
    lines('881 {"k0":0,"k1":1,"k2":2,"k3":3," 7,"k98":98,"k99":99}'),
  )
})

test('proxies take the generic path: their traps run in the order Node runs them', async () => {
  await sameAsNode(
    `
    const log: string[] = []
    const target = { b: 1, a: { c: 2 }, hid: 3 }
    const p = new Proxy(target, {
      ownKeys(t) { log.push('ownKeys'); return Reflect.ownKeys(t) },
      getOwnPropertyDescriptor(t, k) { log.push('gopd ' + String(k)); const d = Reflect.getOwnPropertyDescriptor(t, k); if (k === 'hid' && d) d.enumerable = false; return d },
      get(t, k, r) { log.push('get ' + String(k)); return Reflect.get(t, k, r) },
    })
    print(JSON.stringify({ outer: p }), log.join())
    print(JSON.stringify(new Proxy([1, 2], {})), JSON.stringify(new Proxy({ x: 1 }, {})))
    `,
    lines('{"outer":{"b":1,"a":{"c":2}}} get toJSON,ownKeys,gopd b,gopd a,gopd hid,get b,get a', '[1,2] {"x":1}'),
  )
})

test('exceptions: a getter, a toJSON, a BigInt and a cycle through a getter throw as under Node, and the next call works', async () => {
  await sameAsNode(
    `
    const show = (f: () => unknown) => { try { print(String(f())) } catch (e) { print((e as Error).name, (e as Error).message === 'boom' ? 'boom' : '') } }
    show(() => JSON.stringify({ a: 1, get b() { throw new Error('boom') }, c: 3 }))
    show(() => JSON.stringify({ a: { b: { toJSON() { throw new Error('boom') } } } }))
    show(() => JSON.stringify({ a: 1, n: 10n }))
    show(() => JSON.stringify({ a: 1, n: { deeper: 10n } }))
    const o: any = { x: 1, get self() { return o } }
    show(() => JSON.stringify(o))
    show(() => JSON.stringify({ a: 1, b: [2], c: 'ok' }))
    const withToJSON: any = { n: 5n }
    ;(BigInt.prototype as any).toJSON = function () { return this.toString() + 'n' }
    show(() => JSON.stringify(withToJSON))
    delete (BigInt.prototype as any).toJSON
    `,
    lines('Error boom', 'Error boom', 'TypeError ', 'TypeError ', 'TypeError ', '{"a":1,"b":[2],"c":"ok"}', '{"n":"5n"}'),
  )
})

test('boxed primitives, accessors without a getter, inherited keys, toJSON on the prototype, values made by getters', async () => {
  await sameAsNode(
    `
    print(JSON.stringify({ s: new String('str'), n: new Number(4), b: new Boolean(false) }))
    const o: any = Object.create({ inherited: 1, toJSON() { return { via: 'proto', own: Object.keys(this) } } })
    o.own = 1
    print(JSON.stringify({ o }), JSON.stringify({ set only(v: unknown) {}, kept: 1 }))
    let n = 0
    const g = { get a() { return ++n }, get b() { return { c: ++n } }, get u() { return undefined }, get f() { return () => 1 } }
    print(JSON.stringify(g), JSON.stringify(g))
    const frozen = Object.freeze({ z: 'frozen', y: [Object.seal({ s: 1 })] })
    print(JSON.stringify(frozen), JSON.stringify({ ['__proto__']: 1 }), JSON.stringify(JSON.parse('{"__proto__":2,"k":3}')))
    `,
    lines(
      '{"s":"str","n":4,"b":false}',
      '{"o":{"via":"proto","own":["own"]}} {"kept":1}',
      '{"a":1,"b":{"c":2}} {"a":3,"b":{"c":4}}',
      '{"z":"frozen","y":[{"s":1}]} {"__proto__":1} {"__proto__":2,"k":3}',
    ),
  )
})

test.run()
