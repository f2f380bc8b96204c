// responseParts, the shim's reading of the Responses the core leaves to it, run in the
// runtime as the shim uses it. (The Request the core makes, and the Responses it answers in
// one call, are held to Node's by the conformance suite.) The snippet bundles its own copy
// of the fetch family, so it uses that copy's classes.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { runInRuntime } from '../../support/script.ts'

async function expectRuntime(source: string, expected: string): Promise<void> {
  const run = await runInRuntime(`
    import { responseParts } from './runtime/web/response-bridge.ts'
    import { Response } from './runtime/web/response.ts'
    import { Blob } from './runtime/web/blob.ts'
    ${source}`)
  assert.is(run.stdout, expected, run.stderr)
  assert.is(run.code, 0, run.stderr)
}

test('responseParts returns string and byte bodies as given, and the flat lower-case headers', async () => {
  await expectRuntime(
    `
    const show = (res: Response) => {
      const p = responseParts(res)
      const body = p.body === null ? 'null' : typeof p.body === 'string' ? 'string:' + p.body : p.body instanceof Uint8Array ? 'bytes:' + p.body.length : 'stream'
      print(p.status, JSON.stringify(p.statusText), JSON.stringify(p.headers), body)
    }
    show(new Response('hi'))
    show(new Response('{}', { status: 201, statusText: 'Made', headers: { 'Content-Type': 'application/json', 'X-A': 'b' } }))
    show(new Response(new Uint8Array(3)))
    show(new Response(new Blob(['abcd'], { type: 'text/x' })))
    show(new Response(null, { status: 204 }))
    show(new Response(new ReadableStream()))
    const res = new Response('x')
    res.headers.set('x-late', '1')
    show(res)
    try { responseParts({} as Response) } catch (e) { print(e.constructor.name) }
  `,
    [
      '200 "" ["content-type","text/plain;charset=UTF-8"] string:hi',
      '201 "Made" ["content-type","application/json","x-a","b"] string:{}',
      '200 "" [] bytes:3',
      '200 "" ["content-type","text/x"] bytes:4',
      '204 "" [] null',
      '200 "" [] stream',
      '200 "" ["content-type","text/plain;charset=UTF-8","x-late","1"] string:x',
      'TypeError',
      '',
    ].join('\n'),
  )
})

test('a Response re-made from the unread .body of another keeps its string body (Hono middleware)', async () => {
  await expectRuntime(
    `
    const first = new Response('payload', { headers: { 'content-type': 'text/html' } })
    const again = new Response(first.body, first)
    const p = responseParts(again)
    print(typeof p.body, p.body, JSON.stringify(p.headers))
    const read = new Response('x')
    const stream = read.body!
    read.text().catch(() => {})
    const reader = stream.getReader()
    print(typeof responseParts(new Response(new Response('y').body)).body)
    reader.read().then(() => print('read'))
  `,
    'string payload ["content-type","text/html"]\nstring\nread\n',
  )
})

test.run()
