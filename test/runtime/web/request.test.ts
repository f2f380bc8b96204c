import { test } from 'uvu'
import { lines, sameAsNode } from '../../support/same-as-node.ts'

test('serialises the URL and defaults every field as Fetch does', async () => {
  await sameAsNode(
    `
    const r = new Request('HTTP://Example.COM:80/a/./b/../c?q=a b#frag')
    print(r.url, r.method)
    print(r.destination === '', r.referrer, JSON.stringify(r.referrerPolicy), r.mode, r.credentials, r.cache, r.redirect, JSON.stringify(r.integrity), r.keepalive)
    print(r.isReloadNavigation, r.isHistoryNavigation, r.duplex, r.body, r.bodyUsed)
    print(r.signal.aborted, Object.prototype.toString.call(r))
    print(new Request('http://localhost:3000').url, new Request('http://127.0.0.1:8080/x?y').url, new Request(new URL('http://h/p?')).url)
  `,
    lines(
      'http://example.com/a/c?q=a%20b#frag GET',
      'true about:client "" cors same-origin default follow "" false',
      'false false half null false',
      'false [object Request]',
      'http://localhost:3000/ http://127.0.0.1:8080/x?y http://h/p?',
    ),
  )
})

test('parses simple absolute URLs exactly as the URL parser does', async () => {
  // Request takes a fast path for plain http(s) URLs; it must never disagree with URL.
  const inputs = [
    'http://a.b/',
    'http://a.b',
    'https://a.b:443/x',
    'http://a.b:8080',
    'http://a.b/%2e%2E/x',
    'http://a.b/a/.hidden',
    'http://a.b/a/..',
    'http://1.2.3/',
    'http://0x7f.1/',
    'http://xn--nxasmq6b.com/',
    'http://a.b/?x=1?y',
    'http://a.b?q#f',
    "http://a.b/p'q?r's",
    'http://a.b/~x!$&()*+,;=:@%zz',
    'http://A.b/',
    'http://a.b:080/',
    'http://a.b:65536/',
    'http://256.1.1.1/',
    'http://a.b/\\\\x',
    'http://a.b/x y',
    'http://u@a.b/',
    'http://a.b/#frag',
    'https://a.b:80/',
    'http://a-b.c-d.e/',
  ]
  await sameAsNode(
    `
    for (const input of ${JSON.stringify(inputs)}) {
      let viaRequest: string
      try { viaRequest = new Request(input).url } catch (e) { viaRequest = (e as Error).constructor.name }
      let viaURL: string
      try {
        const u = new URL(input)
        viaURL = u.username || u.password ? 'TypeError' : u.href
      } catch (e) { viaURL = 'TypeError' }
      print(viaRequest === viaURL ? 'same' : 'differs: ' + input + ' ' + viaRequest + ' ' + viaURL)
    }
  `,
    lines(...inputs.map(() => 'same')),
  )
})

test('rejects relative URLs, credentials, and forbidden or invalid methods with TypeError', async () => {
  await sameAsNode(
    `
    const tries: Array<[string, RequestInit?]> = [['/relative'], ['http://user:pw@host/'], ['http://h/', { method: 'CONNECT' }], ['http://h/', { method: 'trace' }], ['http://h/', { method: 'bad method' }], ['http://h/', { mode: 'navigate' }]]
    for (const [input, init] of tries) {
      try { new Request(input, init); print('accepted') } catch (e) { print(e.constructor.name) }
    }
  `,
    lines(...Array(6).fill('TypeError')),
  )
})

test('upper-cases the six standard methods only', async () => {
  await sameAsNode(
    `
    for (const method of ['get', 'post', 'Put', 'delete', 'options', 'head', 'patch', 'Custom']) print(new Request('http://h/', { method }).method)
  `,
    lines('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'patch', 'Custom'),
  )
})

test('carries a body with its Content-Type and refuses one on GET and HEAD', async () => {
  await sameAsNode(
    `
    const main = async () => {
      const r = new Request('http://h/', { method: 'POST', body: 'data' })
      print(r.headers.get('content-type'), await r.text(), r.bodyUsed)
      const j = new Request('http://h/', { method: 'PUT', body: '{"a":1}', headers: { 'content-type': 'application/json' } })
      print(j.headers.get('content-type'), JSON.stringify(await j.json()))
      for (const method of ['GET', 'HEAD']) {
        try { new Request('http://h/', { method, body: 'x' }); print('accepted') } catch (e) { print(e.constructor.name) }
      }
      print(new Request('http://h/', { method: 'GET', body: null }).body)
      const form = new Request('http://h/', { method: 'POST', body: new URLSearchParams({ a: '1', b: 'x y' }) })
      print(form.headers.get('content-type'), await form.text())
    }
    main()
  `,
    lines(
      'text/plain;charset=UTF-8 data true',
      'application/json {"a":1}',
      'TypeError',
      'TypeError',
      'null',
      'application/x-www-form-urlencoded;charset=UTF-8 a=1&b=x+y',
    ),
  )
})

test('a Request made from another takes its method, headers and body, and uses up the original', async () => {
  await sameAsNode(
    `
    const main = async () => {
      const a = new Request('http://h/a', { method: 'POST', body: 'payload', headers: { 'x-a': '1' } })
      const b = new Request(a)
      print(b.url, b.method, b.headers.get('x-a'), a.bodyUsed, await b.text())
      try { new Request(a); print('accepted') } catch (e) { print(e.constructor.name) }
      const c = new Request(new Request('http://h/c', { method: 'PUT', body: 'x' }), { method: 'POST', headers: { 'x-b': '2' } })
      print(c.method, c.headers.get('x-b'), c.headers.get('content-type'), await c.text())
      const g = new Request(new Request('http://h/g', { headers: { 'x-g': '1' } }), { redirect: 'manual' })
      print(g.headers.get('x-g'), g.redirect)
    }
    main()
  `,
    lines('http://h/a POST 1 true payload', 'TypeError', 'POST 2 null x', '1 manual'),
  )
})

test('a Request given as the init of a new URL keeps method, headers and body (Hono mount)', async () => {
  await sameAsNode(
    `
    const main = async () => {
      const original = new Request('http://h/app/sub/path?q=1', { method: 'POST', body: 'mounted', headers: { 'x-id': '7' } })
      const url = new URL(original.url)
      url.pathname = '/sub/path'
      const moved = new Request(url, original)
      print(moved.url, moved.method, moved.headers.get('x-id'), moved.headers.get('content-type'), await moved.text())
    }
    main()
  `,
    lines('http://h/sub/path?q=1 POST 7 text/plain;charset=UTF-8 mounted'),
  )
})

test('follows the AbortSignal it was given', async () => {
  await sameAsNode(
    `
    const controller = new AbortController()
    const r = new Request('http://h/', { signal: controller.signal })
    const copy = r.clone()
    print(r.signal.aborted, r.signal === controller.signal)
    controller.abort(new Error('stop'))
    print(r.signal.aborted, (r.signal.reason as Error).message, copy.signal.aborted)
    const pre = new Request('http://h/', { signal: AbortSignal.abort() })
    print(pre.signal.aborted, (pre.signal.reason as Error).name)
  `,
    lines('false false', 'true stop true', 'true AbortError'),
  )
})

test('clone() copies the request and its body, and fails once the body is read', async () => {
  await sameAsNode(
    `
    const main = async () => {
      const r = new Request('http://h/', { method: 'POST', body: 'copy me', headers: { 'x-a': '1' } })
      const c = r.clone()
      c.headers.set('x-a', '2')
      print(c.method, c.url, r.headers.get('x-a'), c.headers.get('x-a'), await r.text(), await c.text())
      try { r.clone(); print('cloned') } catch (e) { print(e.constructor.name) }
    }
    main()
  `,
    lines('POST http://h/ 1 2 copy me copy me', 'TypeError'),
  )
})

test('formData() parses urlencoded and multipart request bodies', async () => {
  await sameAsNode(
    `
    const main = async () => {
      const u = new Request('http://h/', { method: 'POST', body: 'a=1&b=x+y&a=%E2%82%AC', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      print(JSON.stringify([...(await u.formData())]))
      const fd = new FormData()
      fd.append('name', 'value')
      fd.append('file', new Blob(['file body'], { type: 'text/csv' }), 'data.csv')
      const m = await new Request('http://h/', { method: 'POST', body: fd }).formData()
      const file = m.get('file') as File
      print(m.get('name'), file.name, file.type, await file.text())
      try { await new Request('http://h/', { method: 'POST', body: 'x' }).formData(); print('parsed') } catch (e) { print(e.constructor.name) }
    }
    main()
  `,
    lines('[["a","1"],["b","x y"],["a","€"]]', 'value data.csv text/csv file body', 'TypeError'),
  )
})

test('Hono reads forms with parseBody, mounts sub-apps and answers app.request() on these classes', async () => {
  await sameAsNode(
    `
    import { Hono } from 'hono'
    const main = async () => {
      const app = new Hono()
      app.post('/form', async (c) => c.json(await c.req.parseBody({ all: true })))
      app.post('/json', async (c) => c.json({ got: await c.req.json(), type: c.req.header('Content-Type') }))
      const sub = new Hono()
      sub.all('*', async (c) => c.text(c.req.method + ' ' + c.req.url + ' ' + (await c.req.text())))
      app.mount('/sub', sub.fetch)
      const form = new FormData()
      form.append('a', '1')
      form.append('a', '2')
      form.append('file', new File(['content'], 'f.txt', { type: 'text/plain' }))
      const multipart = await app.request('/form', { method: 'POST', body: form })
      print(await multipart.text())
      const urlencoded = await app.request('/form', { method: 'POST', body: 'x=1&y=%C3%A9', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      print(await urlencoded.text())
      const json = await app.request('http://host/json', { method: 'POST', body: '{"k":[1]}', headers: { 'content-type': 'application/json' } })
      print(json.status, json.headers.get('content-type'), await json.text())
      const mounted = await app.request('/sub/deep/path?q=1', { method: 'PUT', body: 'body' })
      print(mounted.status, await mounted.text())
      const missing = await app.request('/nope')
      print(missing.status, await missing.text())
    }
    main()
  `,
    lines(
      '{"a":["1","2"],"file":{}}',
      '{"x":"1","y":"é"}',
      '200 application/json {"got":{"k":[1]},"type":"application/json"}',
      '200 PUT http://localhost/deep/path?q=1 body',
      '404 404 Not Found',
    ),
  )
})

test.run()
