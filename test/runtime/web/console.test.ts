// console output: which fd each method writes to, counters, groups, timers, tables,
// and platform objects, as Node prints them.
import { test } from 'uvu'
import { lines, sameAsNode } from '../../support/same-as-node.ts'
import { capture } from './console-capture.ts'

test('writes log/info/debug/dir/table to stdout and warn/error/trace/assert to stderr', async () => {
  await sameAsNode(
    capture +
      String.raw`
    print(capture(() => {
      console.log('log'); console.info('info'); console.debug('debug'); console.dir({ a: { b: { c: { d: 1 } } } }, { depth: 0 })
      console.warn('warn', 1); console.error('error', { e: 1 })
      console.trace('traced %d', 5)
      console.assert(true, 'not shown'); console.assert(false, 'shown %s', 'here'); console.assert(0)
    }))
  `,
    lines(
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
    ),
  )
})

test('counts, indents groups, times labels and draws tables like Node', async () => {
  await sameAsNode(
    capture +
      String.raw`
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
  `,
    lines(
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
    ),
  )
})

test('prints events, abort signals and crypto keys as Node does', async () => {
  await sameAsNode(
    capture +
      String.raw`
    crypto.subtle.importKey('raw', new Uint8Array(3), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']).then((key) => {
      print(capture(() => {
        console.log(new Event('x', { cancelable: true }))
        console.log([new CustomEvent('c', { detail: 1 })])
        console.log(new AbortController(), AbortSignal.abort())
        console.log({ key })
      }).replace(/timeStamp: [0-9.]+/g, 'timeStamp: N'))
    })
  `,
    lines(
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
    ),
  )
})

test.run()
