// runtime/patches/quickjs-fast-paths.patch: instanceof with the built-in Function.prototype
// [Symbol.hasInstance], Array.prototype.push on a dense array, and JSON.stringify without
// its holder object when there is no replacer. Each short path must answer what Node does,
// including the cases it has to leave to the engine's own steps.
import { suite } from 'uvu'
import { lines, sameAsNode } from '../../support/same-as-node.ts'

const test = suite('runtime/patches/quickjs-fast-paths.patch: the same answers as Node')

test('instanceof: classes, bound functions, own Symbol.hasInstance, non-callable and primitive operands', async () => {
  await sameAsNode(
    `
    class A {}
    class B extends A {}
    const b = new B()
    const Bound = A.bind(null)
    class Odd { static [Symbol.hasInstance](v: unknown) { return v === 1 } }
    const fake = Object.create(Function.prototype)
    const proxied = new Proxy(A, {})
    const out = [b instanceof A, b instanceof B, new A() instanceof B, b instanceof Bound, (1 as unknown) instanceof Odd, 1 instanceof A,
      ({}) instanceof fake, b instanceof proxied, Object.create(null) instanceof Object, [] instanceof Array, (() => 1) instanceof Function]
    print(out.join())
    for (const right of [1, 'x', null, {}]) { try { print(String(({}) instanceof (right as any))) } catch (e) { print((e as Error).name) } }
    const desc = Object.getOwnPropertyDescriptor(Function.prototype, Symbol.hasInstance)!
    print(desc.writable, desc.configurable, Function.prototype[Symbol.hasInstance].call(A, b))
    `,
    lines('true,true,false,true,true,false,false,true,false,true,true', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'false false true'),
  )
})

test('push: return values, holes, a length that cannot change, frozen arrays, array-likes, setters on the prototype', async () => {
  await sameAsNode(
    `
    const a: unknown[] = []
    print(a.push(), a.push(1), a.push(2, 3, 4), JSON.stringify(a))
    const holes: unknown[] = [1]
    holes.length = 3
    print(holes.push('x'), holes.length, JSON.stringify(holes))
    const fixed = [1, 2]
    Object.defineProperty(fixed, 'length', { writable: false })
    try { fixed.push(3) } catch (e) { print((e as Error).name, fixed.length, JSON.stringify(fixed)) }
    try { Object.freeze([1]).push(2) } catch (e) { print((e as Error).name) }
    const sealed = Object.seal([1])
    try { sealed.push(2) } catch (e) { print((e as Error).name, sealed.length) }
    const like: any = { length: 1, 0: 'a' }
    print(Array.prototype.push.call(like, 'b', 'c'), JSON.stringify(like))
    const seen: string[] = []
    Object.defineProperty(Array.prototype, 5, { set(v) { seen.push('set ' + v) }, configurable: true })
    const s = [0, 1, 2, 3, 4]
    print(s.push(5, 6), s.length, JSON.stringify(s), seen.join())
    delete (Array.prototype as any)[5]
    const p = new Proxy([] as unknown[], { set(t, k, v) { seen.push('proxy ' + String(k)); return Reflect.set(t, k, v) } })
    print(p.push('y'), seen.slice(1).join())
    const big: number[] = []
    for (let i = 0; i < 1000; i++) big.push(i, i)
    print(big.length, big[1999])
    `,
    lines(
      '0 1 4 [1,2,3,4]',
      '4 4 [1,null,null,"x"]',
      'TypeError 2 [1,2]',
      'TypeError',
      'TypeError 1',
      '3 {"0":"a","1":"b","2":"c","length":3}',
      '7 7 [0,1,2,3,4,null,6] set 5',
      '1 proxy 0,proxy length',
      '2000 999',
    ),
  )
})

test('JSON.stringify: a replacer still gets the holder {"": value}; without one the answers do not change', async () => {
  await sameAsNode(
    `
    const holders: string[] = []
    print(JSON.stringify({ a: 1 }, function (this: any, k: string, v: unknown) { holders.push(JSON.stringify(Object.keys(this)) + ':' + k); return v }), holders.join(' '))
    print(JSON.stringify(5), JSON.stringify('s'), JSON.stringify(undefined), JSON.stringify(() => 1), JSON.stringify({ toJSON(k: string) { return 'key=' + k } }))
    `,
    lines('{"a":1} [""]: ["a"]:a', '5 "s" undefined undefined "key="'),
  )
})

test('defining properties: defaults, duplicates in literals, accessors, frozen and sealed objects, class fields, function names', async () => {
  await sameAsNode(
    `
    const d = (o: object, k: PropertyKey) => JSON.stringify(Object.getOwnPropertyDescriptor(o, k))
    const o: any = {}
    Object.defineProperty(o, 'x', { value: 1 })
    Object.defineProperty(o, 'y', { value: 2, writable: true, enumerable: true })
    print(d(o, 'x'), d(o, 'y'), Object.keys(o).join())
    const dup: any = { a: 1, b: 2, a: 3, get g() { return 4 }, ['c' + 1]: 5, __proto__: { inherited: true } }
    print(JSON.stringify(dup), Object.keys(dup).join(), dup.inherited, d(dup, 'a'))
    for (const make of [Object.freeze, Object.seal, Object.preventExtensions]) {
      const t: any = make({ k: 1 })
      try { Object.defineProperty(t, 'n', { value: 1 }) } catch (e) { print(make.name, (e as Error).name, Object.keys(t).join()) }
      print(Reflect.defineProperty(t, 'n', { value: 1 }), Reflect.defineProperty(t, 'k', { value: 1 }))
    }
    class F { a = 1; ['b'] = 2; static s = 3; #p = 4; get p() { return this.#p } }
    const f = new F()
    print(JSON.stringify(f), f.p, F.s, d(f, 'a'))
    const fn = function named(a: number, b: number) { return a + b }
    const arrow = (x: number) => x
    print(fn.name, fn.length, arrow.name, arrow.length, d(fn, 'name'), d(arrow, 'length'), Object.getOwnPropertyNames(fn).filter((k) => k !== 'arguments' && k !== 'caller').sort().join())
    const many: any = {}
    for (let i = 0; i < 40; i++) Object.defineProperty(many, 'p' + i, { value: i, enumerable: i % 2 === 0, writable: true, configurable: true })
    print(Object.keys(many).length, Object.getOwnPropertyNames(many).length, many.p39)
    `,
    lines(
      '{"value":1,"writable":false,"enumerable":false,"configurable":false} {"value":2,"writable":true,"enumerable":true,"configurable":false} y',
      '{"a":3,"b":2,"g":4,"c1":5} a,b,g,c1 true {"value":3,"writable":true,"enumerable":true,"configurable":true}',
      'freeze TypeError k',
      'false true',
      'seal TypeError k',
      'false true',
      'preventExtensions TypeError k',
      'false true',
      '{"a":1,"b":2} 4 3 {"value":1,"writable":true,"enumerable":true,"configurable":true}',
      'named 2 arrow 1 {"value":"named","writable":false,"enumerable":false,"configurable":true} {"value":1,"writable":false,"enumerable":false,"configurable":true} length,name,prototype',
      '20 40 39',
    ),
  )
})

test('equality: atoms and built strings, typeof, objects, symbols, booleans, null and undefined, numbers', async () => {
  await sameAsNode(
    `
    const v = [0, -0, NaN, 1, 1.5, '1', 'ab', 'a' + 'b', ['a', 'b'].join(''), 'é', 'e\u0301', true, false, null, undefined, Symbol.iterator, Symbol('x'), {}, [], 1n]
    const bits: string[] = []
    for (const a of v) {
      let row = ''
      // eslint-disable-next-line eqeqeq
      for (const b of v) row += (a == b ? 'l' : '.') + (a === b ? 's' : '.') + (a != b ? 'n' : '.') + (a !== b ? 'x' : '.')
      bits.push(row)
    }
    let h = 0
    for (const c of bits.join('|')) h = (h * 33 + c.charCodeAt(0)) | 0
    print(h, bits[6].slice(24, 40), bits[13].slice(52, 64))
    const kinds = [1, 'x', true, undefined, null, {}, () => 1, Symbol(), 1n].map((x) => [typeof x == 'string', typeof x === 'object', typeof x != 'number', typeof x !== 'function'].map(Number).join(''))
    const o = {}
    print(kinds.join(), o === o, o == {}, 'long string built ' + 1 === 'long string built 1')
    `,
    lines('-1362614553 ls..ls..ls....nx ls..l..x..nx', '0001,1011,0011,0011,0111,0111,0010,0011,0011 true false true'),
  )
})

test('Object.keys, entries and getOwnPropertyNames; arrays built by the engine: matches, JSON.parse, Array.from', async () => {
  await sameAsNode(
    `
    const o: any = { b: 1, a: 2, 3: 'i', '4294967294': 'big', '-1': 'neg' }
    Object.defineProperty(o, 'hidden', { value: 0, enumerable: false })
    o[Symbol('s')] = 1
    delete o.b
    o.b = 3
    const plain: any = { z: 1, y: 2 }
    const big: any = { k: 1, '4294967294': 2 }
    print(Object.keys(o).join(), Object.keys(plain).join(), Object.keys(big).join(), Object.getOwnPropertyNames(o).join())
    print(JSON.stringify(Object.entries(plain)), JSON.stringify(Object.values(o)), Object.keys(Object.create({ inh: 1 })).length, Object.keys('str').join(), Object.keys([5, 6]).join())
    class K { x = 1; #p = 2; static s = 1 }
    print(Object.keys(new K()).join(), Object.keys(K).join(), Object.keys(function f() {}).length, Object.keys(new Proxy({ p: 1, q: 2 }, {})).join())
    const m = /^\\/(?<id>[^/]+)$()/.exec('/10042')!
    print(JSON.stringify(m), m.index, m.input, JSON.stringify(m.groups), Object.keys(m).join(), m.length)
    const g = 'a1b2'.match(/\\d/g)!
    print(JSON.stringify(g), JSON.stringify(JSON.parse('[1,[2,3],{"a":[4]}]')), JSON.stringify(Array.from({ length: 3 }, (_, i) => i * 2)), JSON.stringify(Array.of(7, 8)))
    `,
    lines(
      '3,4294967294,a,-1,b z,y 4294967294,k 3,4294967294,a,-1,hidden,b',
      '[["z",1],["y",2]] ["i","big",2,"neg",3] 0 0,1,2 0,1',
      'x s 0 p,q',
      '["/10042","10042",""] 0 /10042 {"id":"10042"} 0,1,2,index,input,groups 3',
      '["1","2"] [1,[2,3],{"a":[4]}] [0,2,4] [7,8]',
    ),
  )
})

// Not the patch's but the runtime's allocator (runtime/core/heap.c), which reports a small
// block's whole size class as usable: a buffer that grew into that slack must keep it when
// it moves to a larger block.
test('strings and arrays grown piece by piece across block sizes keep every byte', async () => {
  await sameAsNode(
    `
    const parts: string[] = []
    for (let i = 0; i < 300; i++) parts.push(String(i % 2 === 0), 'x'.repeat(i % 7))
    const joined = parts.join(' ')
    let h = 0
    for (let i = 0; i < joined.length; i++) h = (h * 31 + joined.charCodeAt(i)) | 0
    print(joined.length, h, joined.slice(0, 40), JSON.stringify(parts.slice(0, 6)))
    print([true, false, true, false].map(String).join(' '), JSON.stringify({ k: 'v'.repeat(300), n: [1, 2, 3] }).length)
    `,
    lines('2846 1162738480 true  false x true xx false xxx true xxx ["true","","false","x","true","xx"]', 'true false true false 320'),
  )
})

test.run()
