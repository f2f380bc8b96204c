import { test } from 'uvu'
import { matchesNode } from '../../support/same-as-node.ts'

test('querystring parses and stringifies as Node 20 does', async () => {
  await matchesNode(`
    import qs from 'node:querystring'
    import { inspect } from 'node:util'
    print(inspect(qs.parse('a=1&b=2&a=3&c=%20x+y&d&=e&f=%zz&g=%E4')))
    print(inspect(qs.parse('a:1;b:2', ';', ':')), inspect(qs.parse('a=1&b=2&c=3', null as any, null as any, { maxKeys: 2 })))
    print(qs.stringify({ a: [1, 2], b: 'x y', c: true, d: null, e: "!'()*~", f: 10n, g: NaN, h: { x: 1 } }), qs.stringify({ a: 1, b: 2 }, ';', ':'))
    print(qs.escape('ä&= /'), qs.unescape('%E4%zz+'), qs.encode === qs.stringify, qs.decode === qs.parse)
    print(require('querystring').stringify({ x: 'ü' }))
  `)
})

test.run()
