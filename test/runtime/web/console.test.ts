import { test } from 'uvu'
import { lines, sameAsNode } from '../../support/same-as-node.ts'

// Snippet helper: runs `fn` and returns what console wrote, each write prefixed by its
// file descriptor, with stack frames (which differ by engine) reduced to <frames>.
const capture = String.raw`
function capture(fn) {
  let out = ''
  const add = (fd, data) => {
    out += fd + '> ' + String(data).replace(/(\n +(at [^\n]*|\.\.\. \d+ lines matching cause stack trace \.\.\.))+/g, '\n<frames>')
  }
  const core = globalThis.__core
  if (core) {
    const write = core.write
    core.write = add
    try { fn() } finally { core.write = write }
  } else {
    const o = process.stdout.write, e = process.stderr.write
    process.stdout.write = (d) => (add(1, d), true)
    process.stderr.write = (d) => (add(2, d), true)
    try { fn() } finally { process.stdout.write = o; process.stderr.write = e }
  }
  return out
}
`

test('formats values as util.inspect does: strings, numbers, nesting depth, collections, classes', async () => {
  await sameAsNode(String.raw`
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
  `, lines(
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
  ))
})

test('substitutes %s %d %i %f %j %o %O %c %% and lays long arrays out in columns', async () => {
  await sameAsNode(String.raw`
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
  `, lines(
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
  ))
})

test('prints errors with their stack, own properties and cause, named by their class', async () => {
  await sameAsNode(capture + String.raw`
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
  `, lines(
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
  ))
})

test('writes log/info/debug/dir/table to stdout and warn/error/trace/assert to stderr', async () => {
  await sameAsNode(capture + String.raw`
    print(capture(() => {
      console.log('log'); console.info('info'); console.debug('debug'); console.dir({ a: { b: { c: { d: 1 } } } }, { depth: 0 })
      console.warn('warn', 1); console.error('error', { e: 1 })
      console.trace('traced %d', 5)
      console.assert(true, 'not shown'); console.assert(false, 'shown %s', 'here'); console.assert(0)
    }))
  `, lines(
    '1> log',
    '1> info',
    '1> debug',
    '1> { a: [Object] }',
    '2> warn 1',
    '2> error { e: 1 }',
    '2> Trace: traced 5',
    '<frames>',
    '2> Assertion failed: shown here',
    '2> Assertion failed',
    '',
  ))
})

test('counts, indents groups, times labels and draws tables like Node', async () => {
  await sameAsNode(capture + String.raw`
    print(capture(() => {
      console.count(); console.count(); console.count('x'); console.countReset(); console.count()
      console.group('Group'); console.log('inside\nboth lines'); console.group(); console.warn('deeper'); console.groupEnd(); console.groupEnd(); console.log('outside')
      console.table([{ a: 1, b: 'x' }, { a: 22, c: true }])
      console.table({ r1: { a: 1 }, r2: { a: 2, b: [1, 2, 3, 4] } })
      console.table([1, 'two', { a: 3 }])
      console.table(new Map([['k', { a: 1 }]]))
      console.table('not tabular')
      console.table([{ a: 1, b: 2 }], ['b'])
      console.time(); console.timeLog(undefined, 'extra'); console.timeEnd(); console.time('t'); console.timeEnd('t')
    }).replace(/\d+(\.\d+)?ms/g, 'Nms'))
  `, lines(
    '1> default: 1',
    '1> default: 2',
    '1> x: 1',
    '1> default: 1',
    '1> Group',
    '1>   inside',
    '  both lines',
    '2>     deeper',
    '1> outside',
    '1> ┌─────────┬────┬─────┬──────┐',
    '│ (index) │ a  │ b   │ c    │',
    '├─────────┼────┼─────┼──────┤',
    "│ 0       │ 1  │ 'x' │      │",
    '│ 1       │ 22 │     │ true │',
    '└─────────┴────┴─────┴──────┘',
    '1> ┌─────────┬───┬──────────────────────────────┐',
    '│ (index) │ a │ b                            │',
    '├─────────┼───┼──────────────────────────────┤',
    '│ r1      │ 1 │                              │',
    '│ r2      │ 2 │ [ 1, 2, 3, ... 1 more item ] │',
    '└─────────┴───┴──────────────────────────────┘',
    '1> ┌─────────┬───┬────────┐',
    '│ (index) │ a │ Values │',
    '├─────────┼───┼────────┤',
    '│ 0       │   │ 1      │',
    "│ 1       │   │ 'two'  │",
    '│ 2       │ 3 │        │',
    '└─────────┴───┴────────┘',
    '1> ┌───────────────────┬─────┬──────────┐',
    '│ (iteration index) │ Key │ Values   │',
    '├───────────────────┼─────┼──────────┤',
    "│ 0                 │ 'k' │ { a: 1 } │",
    '└───────────────────┴─────┴──────────┘',
    '1> not tabular',
    '1> ┌─────────┬───┐',
    '│ (index) │ b │',
    '├─────────┼───┤',
    '│ 0       │ 2 │',
    '└─────────┴───┘',
    '1> default: Nms extra',
    '1> default: Nms',
    '1> t: Nms',
    '',
  ))
})

test('prints events, abort signals and crypto keys as Node does', async () => {
  await sameAsNode(capture + String.raw`
    crypto.subtle.importKey('raw', new Uint8Array(3), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']).then((key) => {
      print(capture(() => {
        console.log(new Event('x', { cancelable: true }))
        console.log([new CustomEvent('c', { detail: 1 })])
        console.log(new AbortController(), AbortSignal.abort())
        console.log({ key })
      }).replace(/timeStamp: [0-9.]+/g, 'timeStamp: N'))
    })
  `, lines(
    '1> Event {',
    "  type: 'x',",
    '  defaultPrevented: false,',
    '  cancelable: true,',
    '  timeStamp: N',
    '}',
    '1> [',
    '  CustomEvent {',
    "    type: 'c',",
    '    defaultPrevented: false,',
    '    cancelable: false,',
    '    timeStamp: N',
    '  }',
    ']',
    '1> AbortController { signal: AbortSignal { aborted: false } } AbortSignal { aborted: true }',
    '1> {',
    '  key: CryptoKey {',
    "    type: 'secret',",
    '    extractable: false,',
    "    algorithm: { name: 'HMAC', hash: [Object], length: 24 },",
    "    usages: [ 'sign' ]",
    '  }',
    '}',
    '',
  ))
})

test.run()
