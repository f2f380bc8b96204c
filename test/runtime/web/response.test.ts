import { test } from 'uvu'
import { lines, sameAsNode } from '../../support/same-as-node.ts'

test('defaults: status 200, ok, empty statusText, type default, no body', async () => {
  await sameAsNode(
    `
    const r = new Response()
    print(r.status, r.ok, JSON.stringify(r.statusText), r.type, JSON.stringify(r.url), r.redirected, r.body, r.bodyUsed)
    print(Object.prototype.toString.call(r), r instanceof Response)
  `,
    lines('200 true "" default "" false null false', '[object Response] true'),
  )
})

test('sets Content-Type from the body unless one was given', async () => {
  await sameAsNode(
    `
    const types = (body: any, headers?: any) => new Response(body, { headers }).headers.get('content-type')
    print(types('text'))
    print(types(new Uint8Array([1])), types(new ArrayBuffer(2)))
    print(types(new Blob(['x'], { type: 'Image/PNG' })), types(new Blob(['x'])))
    print(types(new URLSearchParams('a=1')))
    print(types('text', { 'Content-Type': 'application/json' }))
    print(/^multipart\\/form-data; boundary=/.test(types(new FormData())!))
  `,
    lines(
      'text/plain;charset=UTF-8',
      'null null',
      'image/png null',
      'application/x-www-form-urlencoded;charset=UTF-8',
      'application/json',
      'true',
    ),
  )
})

test('reads a body once, as text, json, arrayBuffer, bytes or blob', async () => {
  await sameAsNode(
    `
    const main = async () => {
      print(await new Response('h\u00e9llo').text())
      print(JSON.stringify(await new Response('{"a":[1,2]}').json()))
      const buf = await new Response('abc').arrayBuffer()
      print(buf instanceof ArrayBuffer, buf.byteLength, Array.from(new Uint8Array(buf)).join())
      const bytes = await new Response(new Uint8Array([1, 2, 3])).bytes()
      print(bytes instanceof Uint8Array, bytes.join())
      const blob = await new Response('xyz', { headers: { 'content-type': 'Text/Plain; Charset=utf-8' } }).blob()
      print(blob.size, blob.type, await blob.text())
      print(JSON.stringify(await new Response(null).text()), JSON.stringify(await new Response().text()))
      const r = new Response('once')
      await r.text()
      print(r.bodyUsed)
      try { await r.text(); print('read twice') } catch (e) { print(e.constructor.name) }
      try { await new Response('{').json(); print('parsed') } catch (e) { print(e.constructor.name) }
      const empty = new Response(null)
      await empty.text()
      print(empty.bodyUsed)
    }
    main()
  `,
    lines(
      'h\u00e9llo',
      '{"a":[1,2]}',
      'true 3 97,98,99',
      'true 1,2,3',
      '3 text/plain;charset=utf-8 xyz',
      '"" ""',
      'true',
      'TypeError',
      'SyntaxError',
      'false',
    ),
  )
})

test('exposes the body as a ReadableStream on demand, and reading it uses the body', async () => {
  await sameAsNode(
    `
    const main = async () => {
      const r = new Response('stream me')
      const body = r.body!
      print(r.body === body, body.locked, r.bodyUsed)
      const reader = body.getReader()
      let text = ''
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        text += new TextDecoder().decode(value)
      }
      print(text, r.bodyUsed)
      try { await r.text(); print('read twice') } catch (e) { print(e.constructor.name) }
      const fromStream = new Response(new ReadableStream({
        start(c) { c.enqueue(new TextEncoder().encode('a')); c.enqueue(new TextEncoder().encode('b')); c.close() },
      }))
      print(await fromStream.text())
      const locked = new Response('x')
      locked.body!.getReader()
      try { await locked.text(); print('read locked') } catch (e) { print(e.constructor.name) }
    }
    main()
  `,
    lines('true false false', 'stream me true', 'TypeError', 'ab', 'TypeError'),
  )
})

test('validates status and statusText, and refuses a body with a null-body status', async () => {
  await sameAsNode(
    `
    const r = new Response('x', { status: 404, statusText: 'Not Here' })
    print(r.status, r.ok, r.statusText)
    for (const status of [199, 600, 0, -1]) {
      try { new Response(null, { status }); print('accepted', status) } catch (e) { print(e.constructor.name) }
    }
    for (const status of [204, 304]) {
      try { new Response('body', { status }); print('accepted', status) } catch (e) { print(e.constructor.name) }
      print(new Response(null, { status }).status)
    }
    try { new Response(null, { statusText: 'bad\\n' }); print('accepted') } catch (e) { print(e.constructor.name) }
  `,
    lines(
      '404 false Not Here',
      'RangeError',
      'RangeError',
      'RangeError',
      'RangeError',
      'TypeError',
      '204',
      'TypeError',
      '304',
      'TypeError',
    ),
  )
})

test('Response.json, Response.redirect and Response.error', async () => {
  await sameAsNode(
    `
    const main = async () => {
      const j = Response.json({ ok: true }, { status: 201, headers: { 'x-a': '1' } })
      print(j.status, j.headers.get('content-type'), j.headers.get('x-a'), await j.text())
      print(Response.json([1], { headers: { 'content-type': 'application/vnd.x+json' } }).headers.get('content-type'))
      try { Response.json(undefined); print('accepted') } catch (e) { print(e.constructor.name) }
      const r = Response.redirect('http://Example.com:80/a/../b', 307)
      print(r.status, r.headers.get('location'), r.body)
      print(Response.redirect('http://example.com/').status)
      try { Response.redirect('http://example.com/', 200); print('accepted') } catch (e) { print(e.constructor.name) }
      try { Response.redirect('/relative'); print('accepted') } catch (e) { print(e.constructor.name) }
      const e = Response.error()
      print(e.type, e.status, e.ok, JSON.stringify(e.statusText), e.body)
    }
    main()
  `,
    lines(
      '201 application/json 1 {"ok":true}',
      'application/vnd.x+json',
      'TypeError',
      '307 http://example.com/b null',
      '302',
      'RangeError',
      'TypeError',
      'error 0 false "" null',
    ),
  )
})

test('clone() copies status and headers and tees a stream body', async () => {
  await sameAsNode(
    `
    const main = async () => {
      const r = new Response('twice', { status: 202, headers: { 'x-a': '1' } })
      const c = r.clone()
      c.headers.set('x-a', '2')
      print(c.status, r.headers.get('x-a'), c.headers.get('x-a'), await r.text(), await c.text())
      const s = new Response(new ReadableStream({ start(ctl) { ctl.enqueue(new TextEncoder().encode('teed')); ctl.close() } }))
      const sc = s.clone()
      print(await s.text(), await sc.text())
      const used = new Response('x')
      await used.text()
      try { used.clone(); print('cloned') } catch (e) { print(e.constructor.name) }
    }
    main()
  `,
    lines('202 1 2 twice twice', 'teed teed', 'TypeError'),
  )
})

test('accepts a Response as the init of another (Hono answers HEAD this way)', async () => {
  await sameAsNode(
    `
    const base = new Response('x', { status: 201, statusText: 'Made', headers: { 'x-a': '1' } })
    const head = new Response(null, base)
    print(head.status, head.statusText, head.headers.get('x-a'), head.body)
  `,
    lines('201 Made 1 null'),
  )
})

test.run()
