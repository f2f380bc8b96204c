import { test } from 'uvu'
import { matchesNode } from '../../support/same-as-node.ts'

test('node:url: WHATWG URL, file URLs, and the legacy parse, format and resolve', async () => {
  await matchesNode(`
    import url, { URL, URLSearchParams, fileURLToPath, pathToFileURL, parse, format, resolve } from 'node:url'
    print(URL === globalThis.URL, URLSearchParams === globalThis.URLSearchParams, url.parse === parse)
    print(fileURLToPath('file:///tmp/a%20b'), pathToFileURL('/tmp/a b#c?d').href, pathToFileURL('/tmp/dir/').href)
    try { fileURLToPath('http://x/y') } catch (e: any) { print(e.code, e.message) }
    try { fileURLToPath('file:///a%2fb') } catch (e: any) { print(e.code, e.message) }
    const u = parse('http://user:pw@host.com:8080/p/a/t/h?query=string&a=1&a=2#hash', true)
    print(u.protocol, u.auth, u.host, u.port, u.hostname, u.hash, u.search, u.pathname, u.path, u.href, JSON.stringify(u.query))
    const v = parse('/just/a/path?x=1')
    print(v.pathname, v.query, v.host, parse('//host/p', false, true).host)
    print(format({ protocol: 'https', hostname: 'x.com', pathname: '/a', query: { b: '1', c: ['2', '3'] } }), format('http://a.com/b?c#d'))
    print(resolve('http://a.com/b/c', '../d'), resolve('/one/two/three', 'four'), resolve('http://example.com/', '/one'))
    print(format(new URL('http://u:p@x.com/a?b#c'), { auth: false, fragment: false, search: false }))
  `)
})

test.run()
