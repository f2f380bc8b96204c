import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { lines, sameAsNode } from '../../support/same-as-node.ts'
import { runInRuntime } from '../../support/script.ts'

test('URL parses, resolves and serialises like Node', async () => {
  await sameAsNode(
    `
    const u = new URL('../d/e?x=1&y=a%20b#h', 'http://user:pw@Example.com:8080/a/b/c')
    print(u.href)
    print(u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash, u.origin)
    u.pathname = '/new path'
    u.searchParams.append('z', '\u00e9')
    print(u.toString(), JSON.stringify(u))
    print(URL.canParse('nope'), URL.canParse('http://x'))
    try { new URL('/relative'); print('parsed') } catch (e) { print(e.constructor.name) }
    print(new URL('http://h/%zz/../x').href, new URL('HTTP://[::1]:80/').href)
  `,
    lines(
      'http://user:pw@example.com:8080/a/d/e?x=1&y=a%20b#h',
      'http: user pw example.com:8080 example.com 8080 /a/d/e ?x=1&y=a%20b #h http://example.com:8080',
      'http://user:pw@example.com:8080/new%20path?x=1&y=a+b&z=%C3%A9#h "http://user:pw@example.com:8080/new%20path?x=1&y=a+b&z=%C3%A9#h"',
      'false true',
      'TypeError',
      'http://h/x http://[::1]/',
    ),
  )
})

test('URLSearchParams reads, edits, sorts and serialises like Node', async () => {
  await sameAsNode(
    `
    const p = new URLSearchParams('?b=2&a=1&a=3&c=x+y%21')
    print(p.get('a'), JSON.stringify(p.getAll('a')), p.get('c'), p.has('b'), p.size)
    p.sort()
    print(p.toString())
    p.delete('a')
    p.set('d', '&=')
    print(p.toString(), JSON.stringify([...p]))
    print(new URLSearchParams({ k: 'v', n: 1 as any }).toString(), new URLSearchParams([['x', 'y']]).toString())
  `,
    lines('1 ["1","3"] x y! true 4', 'a=1&a=3&b=2&c=x+y%21', 'b=2&c=x+y%21&d=%26%3D [["b","2"],["c","x y!"],["d","&="]]', 'k=v&n=1 x=y'),
  )
})

test('URL and URLSearchParams are ordinary replaceable globals', async () => {
  await sameAsNode(
    `
    const before = [Request, Response, Headers, fetch]
    new URL('http://a/')
    const after = [Request, Response, Headers, fetch]
    print(before.every((v, i) => v === after[i]))
    const d = Object.getOwnPropertyDescriptor(globalThis, 'URL')!
    print(typeof URL, typeof URLSearchParams, d.enumerable, Object.keys(globalThis).includes('URL'))
    print(new URL('http://a/').searchParams instanceof URLSearchParams)
    ;(globalThis as any).URL = 'replaced'
    print((globalThis as any).URL)
  `,
    lines('true', 'function function false false', 'true', 'replaced'),
  )
})

// Loading core-js's URL costs milliseconds of every cold start, so it waits for first use.
test('the URL polyfill loads on first use, not for plain absolute URLs in Request and Response', async () => {
  const run = await runInRuntime(`
    const loaded = () => Object.getOwnPropertyDescriptor(globalThis, 'URL')!.get === undefined
    print(loaded())
    new Request('http://localhost/path?q=1')
    new Request('https://example.com:8443/a/b#c')
    Response.redirect('http://example.com/next')
    print(loaded())
    new Request('http://localhost/a/../b')
    print(loaded())
  `)
  assert.is(run.stdout, 'false\nfalse\ntrue\n', run.stderr)
})

test.run()
