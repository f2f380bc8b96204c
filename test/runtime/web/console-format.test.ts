// console formatting: values, substitutions and errors print as Node's util.inspect does.
import { test } from 'uvu'
import { lines, sameAsNode } from '../../support/same-as-node.ts'
import { capture } from './console-capture.ts'

test('formats values as util.inspect does: strings, numbers, nesting depth, collections, classes', async () => {
  await sameAsNode(
    String.raw`
    console.log('text', 1, -0, 1n, true, null, undefined, Symbol('s'))
    console.log({ a: 1, b: 'x', c: [1, 2, { d: new Map([[1, { e: { f: 1 } }]]) }] })
    console.log({ a: { b: { c: { d: {} } } } }, [[1, [2, [3, [4]]]]])
    console.log(["it's", 'say "hi" it\'s', 'a\x60b\'c"d', '\x00\x07\x1b\x7f\n\t\\'])
    console.log({ 'a-b': 1, ok_1: 2, '1a': 3, [Symbol('s')]: 4, '': 5, $x: 6 })
    console.log(new Set([1, 'a']), new Map([['k', [1]]]), new Map(), [], {}, [1, , 3], new Array(3))
    class Point { constructor() { this.x = 1 } }
    class Point3 extends Point {}
    console.log(new Point(), new Point3(), Object.create(null), Object.assign(Object.create(null), { a: 1 }))
    console.log(new Date(0), /ab+c/gi, new Number(3), new String('ab'), new Boolean(false), [NaN, -Infinity, 1e21, 1.5e-7])
    console.log(new Uint8Array([1, 2, 3]), new ArrayBuffer(2), new Float64Array(0))
    const o = { name: 'o' }; o.self = o; o.list = [o]
    console.log(o)
    console.log({ get g() { return 1 }, set s(v) {}, get gs() { return 1 }, set gs(v) {} })
    console.log({ f: function named() {}, a: () => {}, g: async function gen() {}, fn: Object.assign(function withProps() {}, { p: 1 }) })
    console.log(['x'.repeat(20) + '\n' + 'y'.repeat(70)])
    console.log({ aaaaaaaaaaaa: 1111111111, bbbbbbbbbbbbbbbbb: 'xxxxxxxxxxxxxxxxxxxxx', ccccccccccc: 'yyyyyyyyyyy' })
  `,
    lines(
      'text 1 -0 1n true null undefined Symbol(s)',
      "{ a: 1, b: 'x', c: [ 1, 2, { d: [Map] } ] }",
      '{ a: { b: { c: [Object] } } } [ [ 1, [ 2, [Array] ] ] ]',
      `[ "it's", \`say "hi" it's\`, 'a\`b\\'c"d', '\\x00\\x07\\x1B\\x7F\\n\\t\\\\' ]`,
      "{ 'a-b': 1, ok_1: 2, '1a': 3, '': 5, '$x': 6, [Symbol(s)]: 4 }",
      "Set(2) { 1, 'a' } Map(1) { 'k' => [ 1 ] } Map(0) {} [] {} [ 1, <1 empty item>, 3 ] [ <3 empty items> ]",
      'Point { x: 1 } Point3 { x: 1 } [Object: null prototype] {} [Object: null prototype] { a: 1 }',
      "1970-01-01T00:00:00.000Z /ab+c/gi [Number: 3] [String: 'ab'] [Boolean: false] [ NaN, -Infinity, 1e+21, 1.5e-7 ]",
      'Uint8Array(3) [ 1, 2, 3 ] ArrayBuffer { [Uint8Contents]: <00 00>, byteLength: 2 } Float64Array(0) []',
      "<ref *1> { name: 'o', self: [Circular *1], list: [ [Circular *1] ] }",
      '{ g: [Getter], s: [Setter], gs: [Getter/Setter] }',
      '{',
      '  f: [Function: named],',
      '  a: [Function: a],',
      '  g: [AsyncFunction: gen],',
      '  fn: [Function: withProps] { p: 1 }',
      '}',
      '[',
      "  'xxxxxxxxxxxxxxxxxxxx\\n' +",
      "    'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy'",
      ']',
      '{',
      '  aaaaaaaaaaaa: 1111111111,',
      "  bbbbbbbbbbbbbbbbb: 'xxxxxxxxxxxxxxxxxxxxx',",
      "  ccccccccccc: 'yyyyyyyyyyy'",
      '}',
    ),
  )
})

test('substitutes %s %d %i %f %j %o %O %c %% and lays long arrays out in columns', async () => {
  await sameAsNode(
    String.raw`
    console.log('%s is %d years, %i whole, %f float', 'Bob', 42.5, 42.5, '1.5', 'extra', { a: 1 })
    console.log('%j|%o|%O|%c|%%|%x|%s', { a: [1] }, [1, { b: 2 }], { c: 3 }, 'color: red', { d: { e: { f: 1 } } })
    console.log('%s %s %s %d', -0, 5n, Symbol('q'), '12px')
    console.log('%s', new (class Named { toString() { return 'custom toString' } })())
    console.log('100%', 'literal', 5)
    const circular = { a: 1 }; circular.me = circular
    console.log('%j', circular)
    console.log(Array.from({ length: 26 }, (_, i) => i * 3))
    console.log(Array.from({ length: 12 }, (_, i) => 'item' + i))
    console.log(Array.from({ length: 101 }, (_, i) => i % 10))
    console.log([1.5, 22, 333, 4444, 5, 6, 7, 8])
    console.log([{ a: 1 }, { b: 2 }, { c: 3 }, { d: 4 }, { e: 5 }, { f: 6 }, { g: 7 }])
    console.log({ nested: { deeper: { list: [1, 2, 3], map: new Map([['a', new Set([1])]]) } } })
    console.log({ s: 'multi\nline string that is rather long and goes on past the break length of eighty chars' })
    console.log({ [Symbol.for('custom')]: 1, inspectable: { [Symbol.for('nodejs.util.inspect.custom')]() { return 'CUSTOM' } } })
  `,
    lines(
      'Bob is 42.5 years, 42 whole, 1.5 float extra { a: 1 }',
      '{"a":[1]}|[ 1, { b: 2 }, [length]: 2 ]|{ c: 3 }||%|%x|{ d: [Object] }',
      '-0 5n Symbol(q) NaN',
      'custom toString',
      '100% literal 5',
      '[Circular]',
      '[',
      '   0,  3,  6,  9, 12, 15, 18, 21,',
      '  24, 27, 30, 33, 36, 39, 42, 45,',
      '  48, 51, 54, 57, 60, 63, 66, 69,',
      '  72, 75',
      ']',
      '[',
      "  'item0',  'item1',",
      "  'item2',  'item3',",
      "  'item4',  'item5',",
      "  'item6',  'item7',",
      "  'item8',  'item9',",
      "  'item10', 'item11'",
      ']',
      '[',
      '  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1,',
      '  2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3,',
      '  4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5,',
      '  6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7,',
      '  8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,',
      '  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1,',
      '  2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3,',
      '  4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5,',
      '  6, 7, 8, 9,',
      '  ... 1 more item',
      ']',
      '[',
      '  1.5, 22, 333, 4444,',
      '    5,  6,   7,    8',
      ']',
      '[',
      '  { a: 1 }, { b: 2 },',
      '  { c: 3 }, { d: 4 },',
      '  { e: 5 }, { f: 6 },',
      '  { g: 7 }',
      ']',
      '{ nested: { deeper: { list: [Array], map: [Map] } } }',
      '{',
      "  s: 'multi\\n' +",
      "    'line string that is rather long and goes on past the break length of eighty chars'",
      '}',
      '{ inspectable: CUSTOM, [Symbol(custom)]: 1 }',
    ),
  )
})

test('prints errors with their stack, own properties and cause, named by their class', async () => {
  await sameAsNode(
    capture +
      String.raw`
    print(capture(() => {
      console.log(new Error('boom'))
      console.log({ nested: new TypeError('inner') })
      console.log(Object.assign(new Error('props'), { code: 'E_X', status: 500 }))
      console.log(new Error('outer', { cause: new RangeError('root') }))
      console.log(new DOMException('This operation was aborted', 'AbortError'))
      class MyError extends Error {}
      console.log(new MyError('mine'))
      class NamedError extends Error { constructor(m) { super(m); this.name = 'NamedError' } }
      console.log(new NamedError('named'))
      const bare = new Error('no frames'); bare.stack = undefined
      console.log(bare, [bare])
    }))
  `,
    lines(
      '1> Error: boom',
      '<frames>',
      '1> {',
      '  nested: TypeError: inner',
      '<frames>',
      '}',
      '1> Error: props',
      '<frames>',
      "  code: 'E_X',",
      '  status: 500',
      '}',
      '1> Error: outer',
      '<frames>',
      '  [cause]: RangeError: root',
      '<frames>',
      '}',
      '1> DOMException [AbortError]: This operation was aborted',
      '<frames>',
      '1> MyError: mine',
      '<frames>',
      '1> NamedError: named',
      '<frames>',
      '1> [Error: no frames] [ [Error: no frames] ]',
      '',
    ),
  )
})

test.run()
