import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createTcpServer, type Server, type Socket } from 'node:net'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { lines, sameAsNode } from '../../support/same-as-node.ts'
import { runInRuntime } from '../../support/script.ts'

// One local server for the suite; each path is one scenario. Sockets held open by the
// "hang" paths are destroyed at the end so the suite exits.
const held = new Set<Socket>()

async function readBody(req: IncomingMessage): Promise<string> {
  let body = ''
  for await (const chunk of req) body += chunk
  return body
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url!, 'http://x')
  const path = url.pathname
  if (path === '/hello') {
    res.writeHead(200, 'Fine', { 'content-type': 'text/plain', 'x-multi': ['a', 'b'], 'set-cookie': ['c=1', 'd=2'] })
    res.end('hello there')
  } else if (path === '/json') {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ n: 1, list: ['é'] }))
  } else if (path === '/bytes') {
    res.end(Buffer.from([0, 1, 2, 253, 254, 255]))
  } else if (path === '/chunked') {
    res.setHeader('content-type', 'text/plain')
    let i = 0
    const tick = () => {
      if (i === 5) return res.end()
      res.write(`chunk${i++};`)
      setTimeout(tick, 30)
    }
    tick()
  } else if (path === '/echo') {
    const body = await readBody(req)
    res.setHeader('content-type', 'application/json')
    res.end(
      JSON.stringify({
        method: req.method,
        url: req.url,
        body,
        length: req.headers['content-length'] ?? null,
        type: req.headers['content-type'] ?? null,
        custom: req.headers['x-custom'] ?? null,
        auth: req.headers.authorization ?? null,
        host: req.headers.host === `127.0.0.1:${httpPort}`,
      }),
    )
  } else if (path.startsWith('/redirect/')) {
    const status = Number(path.split('/')[2])
    await readBody(req)
    res.writeHead(status, { location: url.searchParams.get('to') ?? '/echo?from=redirect' })
    res.end('moved')
  } else if (path === '/loop') {
    res.writeHead(302, { location: '/loop' })
    res.end()
  } else if (path === '/no-content') {
    res.writeHead(204)
    res.end()
  } else if (path === '/hang') {
    held.add(req.socket)
  } else if (path === '/hang-body') {
    res.writeHead(200, { 'content-length': '100' })
    res.write('partial')
    held.add(req.socket)
  } else {
    res.writeHead(404)
    res.end('not found')
  }
}

const http = createHttpServer((req, res) => {
  handle(req, res).catch((err) => res.destroy(err))
})
let httpPort = 0

// Raw responses for framing the http module would not produce.
const raw: Server = createTcpServer((socket) => {
  let data = ''
  socket.on('data', (chunk) => {
    // One answer per connection; a client may send its next request before it sees the close.
    if (socket.writableEnded) return
    data += chunk.toString('latin1')
    if (!data.includes('\r\n\r\n')) return
    const path = data.split(' ')[1]
    if (path === '/close-delimited') {
      socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end')
    } else if (path === '/interim') {
      socket.end(
        'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal',
      )
    } else if (path === '/chunk-ext') {
      socket.end(
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Latin: caf\xe9\r\n\r\n3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n',
        'latin1',
      )
    } else if (path === '/cut') {
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nonly part')
    } else if (path === '/close-now') {
      socket.end()
    }
  })
})
let rawPort = 0

const listen = (server: Server | ReturnType<typeof createHttpServer>): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)))

test.before(async () => {
  httpPort = await listen(http)
  rawPort = await listen(raw)
})

test.after(() => {
  for (const s of held) s.destroy()
  http.closeAllConnections()
  http.close()
  raw.close()
})

const base = () => `http://127.0.0.1:${httpPort}`

test('GET resolves with status, statusText, headers and the body', async () => {
  await sameAsNode(
    `
    const main = async () => {
      const res = await fetch('${base()}/hello')
      print(res.status, res.statusText, res.ok, res.type, res.url, res.redirected)
      print(res.headers.get('content-type'), res.headers.get('x-multi'), JSON.stringify(res.headers.getSetCookie()))
      print(await res.text(), res.bodyUsed)
      try { res.headers.set('x', 'y'); print('mutable') } catch (e) { print(e.constructor.name) }
      print(JSON.stringify(await (await fetch('${base()}/json')).json()))
      print((await (await fetch('${base()}/bytes')).bytes()).join())
      print((await fetch('${base()}/missing#frag')).status, (await fetch('${base()}/missing#frag')).url)
    }
    main()
  `,
    lines(
      '200 Fine true basic ' + base() + '/hello false',
      'text/plain a, b ["c=1","d=2"]',
      'hello there true',
      'TypeError',
      '{"n":1,"list":["é"]}',
      '0,1,2,253,254,255',
      '404 ' + base() + '/missing',
    ),
  )
})

test('streams a chunked body through response.body as it arrives', async () => {
  await sameAsNode(
    `
    const main = async () => {
      const res = await fetch('${base()}/chunked')
      const reader = res.body!.getReader()
      const decoder = new TextDecoder()
      let text = ''
      let reads = 0
      let bytes = true
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        reads++
        bytes &&= value instanceof Uint8Array
        text += decoder.decode(value, { stream: true })
      }
      // The server writes five chunks 30 ms apart. On a loaded machine two may arrive in
      // one read, so the count is not exact; more than one read proves the body streamed.
      print(bytes, reads > 1, text)
    }
    main()
  `,
    lines('true true chunk0;chunk1;chunk2;chunk3;chunk4;'),
  )
})

test('sends the method, headers and body with a Content-Length', async () => {
  await sameAsNode(
    `
    const main = async () => {
      // Node streams a stream body chunked where the runtime buffers it: its length is not compared.
      const show = async (init: RequestInit, streamed = false) => {
        const e = await (await fetch('${base()}/echo?q=1', init)).json()
        print(e.method, e.url, JSON.stringify(e.body), streamed ? '-' : e.length, e.type, e.custom, e.host)
      }
      await show({ method: 'POST', body: 'h\u00e9llo', headers: { 'X-Custom': 'yes' } })
      await show({ method: 'PUT', body: new Uint8Array([104, 105]) })
      await show({ method: 'POST', body: new URLSearchParams({ a: '1 2' }) })
      await show({ method: 'PATCH', body: new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('streamed')); c.close() } }), duplex: 'half' } as RequestInit, true)
      await show({ method: 'DELETE' })
      await show({ method: 'POST' })
      await show({})
      const req = new Request('${base()}/echo', { method: 'POST', body: 'from a Request' })
      await show(req as unknown as RequestInit, true)
    }
    main()
  `,
    lines(
      'POST /echo?q=1 "héllo" 6 text/plain;charset=UTF-8 yes true',
      'PUT /echo?q=1 "hi" 2 null null true',
      'POST /echo?q=1 "a=1+2" 5 application/x-www-form-urlencoded;charset=UTF-8 null true',
      'PATCH /echo?q=1 "streamed" - null null true',
      'DELETE /echo?q=1 "" null null null true',
      'POST /echo?q=1 "" 0 null null true',
      'GET /echo?q=1 "" null null null true',
      'POST /echo?q=1 "from a Request" - text/plain;charset=UTF-8 null true',
    ),
  )
})

test('follows redirects, turning POST into GET for 301, 302 and 303 only', async () => {
  await sameAsNode(
    `
    const main = async () => {
      for (const status of [301, 302, 303, 307, 308]) {
        const res = await fetch('${base()}/redirect/' + status, { method: 'POST', body: 'payload', headers: { 'content-type': 'text/x' } })
        const e = await res.json()
        print(status, res.status, res.redirected, res.url, e.method, JSON.stringify(e.body), e.type)
      }
      const abs = await fetch('${base()}/redirect/302?to=' + encodeURIComponent('${base()}/echo?abs=1'))
      print(abs.url, (await abs.json()).url)
    }
    main()
  `,
    lines(
      `301 200 true ${base()}/echo?from=redirect GET "" null`,
      `302 200 true ${base()}/echo?from=redirect GET "" null`,
      `303 200 true ${base()}/echo?from=redirect GET "" null`,
      `307 200 true ${base()}/echo?from=redirect POST "payload" text/x`,
      `308 200 true ${base()}/echo?from=redirect POST "payload" text/x`,
      `${base()}/echo?abs=1 /echo?abs=1`,
    ),
  )
})

test('redirect: manual returns the 3xx; redirect: error and endless redirects reject', async () => {
  await sameAsNode(
    `
    const main = async () => {
      const manual = await fetch('${base()}/redirect/302', { redirect: 'manual' })
      print(manual.status, manual.headers.get('location'), manual.redirected, await manual.text())
      try { await fetch('${base()}/redirect/302', { redirect: 'error' }); print('followed') } catch (e) { print(e.constructor.name) }
      try { await fetch('${base()}/loop'); print('followed') } catch (e) { print(e.constructor.name) }
    }
    main()
  `,
    lines('302 /echo?from=redirect false moved', 'TypeError', 'TypeError'),
  )
})

test('HEAD and 204 answers have no body', async () => {
  await sameAsNode(
    `
    const main = async () => {
      const head = await fetch('${base()}/hello', { method: 'HEAD' })
      print(head.status, head.body, JSON.stringify(await head.text()))
      const none = await fetch('${base()}/no-content')
      print(none.status, none.body, JSON.stringify(await none.text()))
    }
    main()
  `,
    lines('200 null ""', '204 null ""'),
  )
})

test('reads close-delimited and chunk-extension framing, and fails a cut-off body or a close before the answer', async () => {
  const rawBase = `http://127.0.0.1:${rawPort}`
  await sameAsNode(
    `
    const main = async () => {
      print(await (await fetch('${rawBase}/close-delimited')).text())
      const ext = await fetch('${rawBase}/chunk-ext')
      print(ext.headers.get('x-latin') === 'caf\\u00e9', await ext.text())
      try { await (await fetch('${rawBase}/cut')).text(); print('complete') } catch (e) { print(e.constructor.name, (e as any).cause?.code) }
      try { await fetch('${rawBase}/close-now'); print('answered') } catch (e) { print(e.constructor.name, (e as any).cause?.code) }
    }
    main()
  `,
    lines('until the end', 'true abc0123456789', 'TypeError UND_ERR_SOCKET', 'TypeError UND_ERR_SOCKET'),
  )
})

// Node's fetch fails on an unexpected 1xx; HTTP says a client skips interim responses.
test('skips interim 1xx responses and answers with the final one', async () => {
  const run = await runInRuntime(`
    fetch('http://127.0.0.1:${rawPort}/interim').then(async (res) => print(res.status, await res.text()))
  `)
  assert.is(run.stdout, '200 final\n', run.stderr)
})

test('rejects with TypeError when the connection is refused or the URL is bad', async () => {
  const probe = createHttpServer()
  const closed = await listen(probe)
  await new Promise((resolve) => probe.close(resolve))
  await sameAsNode(
    `
    const main = async () => {
      try { await fetch('http://127.0.0.1:${closed}/'); print('connected') } catch (e) { print(e.constructor.name, (e as any).cause?.code) }
      try { await fetch('/relative'); print('fetched') } catch (e) { print(e.constructor.name) }
      try { await fetch('http://h/', { method: 'GET', body: 'x' }); print('fetched') } catch (e) { print(e.constructor.name) }
    }
    main()
  `,
    lines('TypeError ECONNREFUSED', 'TypeError', 'TypeError'),
  )
})

test("aborts with the signal's reason, before the answer and while the body streams", async () => {
  await sameAsNode(
    `
    const main = async () => {
      const early = new AbortController()
      setTimeout(() => early.abort(), 50)
      try { await fetch('${base()}/hang', { signal: early.signal }); print('answered') } catch (e) { print((e as Error).name) }
      const late = new AbortController()
      const res = await fetch('${base()}/hang-body', { signal: late.signal })
      setTimeout(() => late.abort(new Error('enough')), 50)
      try { await res.text(); print('read') } catch (e) { print((e as Error).message) }
      try { await fetch('${base()}/hello', { signal: AbortSignal.abort() }); print('fetched') } catch (e) { print((e as Error).name) }
    }
    main()
  `,
    lines('AbortError', 'enough', 'AbortError'),
  )
})

test('rejects a scheme other than http: and https: at once with a TypeError that names it', async () => {
  const run = await runInRuntime(`
    fetch('ftp://example.com/').then(() => print('fetched'), (e) => print(e.constructor.name, e.message))
  `)
  assert.is(run.code, 0, run.stderr)
  assert.match(run.stdout, /^TypeError .*the ftp: scheme is not supported; use http:\/\/ or https:\/\//)
})

test('gives up after SCRATCHFN_FETCH_TIMEOUT_MS with a TypeError naming the timeout', async () => {
  const started = Date.now()
  const run = await runInRuntime(
    `
    fetch('${base()}/hang').then(() => print('answered'), (e) => print(e.constructor.name, e.message))
  `,
    { env: { SCRATCHFN_FETCH_TIMEOUT_MS: '200' }, timeoutMs: 5000 },
  )
  assert.is(run.code, 0, run.stderr)
  assert.match(run.stdout, /^TypeError .*200 ms.*SCRATCHFN_FETCH_TIMEOUT_MS/)
  assert.ok(Date.now() - started < 5000, 'took too long')
})

test.run()
