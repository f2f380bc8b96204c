// One HTTP conformance suite, two runtimes: the same function under Node +
// @hono/node-server and under the static runtime gets the same raw requests,
// and must give the same status, body and relevant headers. The cases live here so
// that more than one build of the runtime can be held to them (conformance.test.ts:
// the release binary; sanitize.test.ts: the ASan+UBSan build).
import { join } from 'node:path'
import { suite, type Test } from 'uvu'
import * as assert from 'uvu/assert'
import { buildBoth } from '../support/function-build.ts'
import { repoRoot } from '../support/paths.ts'
import { startRuntime, startServer, type Server } from '../support/process.ts'
import { parseResponses, rawRequest, type ParsedResponse } from '../support/raw-http.ts'

const LIMIT = 4096
const env = { SCRATCHFN_MAX_BODY_BYTES: String(LIMIT), SCRATCHFN_ACCESS_LOG: '0', CONF_GREETING: 'hi there', SCRATCHFN_QUIET: '1' }
// Framing (content-length vs chunked) is not compared: bodies are compared after
// de-framing, and @hono/node-server chunks some bodies the image sends with a length.
const compared = [
  'content-type',
  'content-length',
  'location',
  'set-cookie',
  'www-authenticate',
  'etag',
  'vary',
  'cache-control',
  'x-custom',
  'x-multi',
  'x-total',
  'x-request-id',
  'x-content-type-options',
  'x-frame-options',
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'access-control-max-age',
]

export interface ConformanceOptions {
  /** The uvu suite's title. */
  title: string
  /** The runtime binary to hold to Node's answers (built on demand, e.g. a sanitizer build). */
  runtime: () => string | Promise<string>
  /** Milliseconds a server may take to start (a sanitizer build starts slower). */
  startMs?: number
}

export interface Conformance {
  test: Test
  /** The static runtime's server, once the suite started it (to read its stderr). */
  scratchfn(): Server | undefined
}

/** Defines every case on a new suite; the caller may add its own, then calls test.run(). */
export function conformanceSuite(options: ConformanceOptions): Conformance {
  const servers: { node?: Server; scratchfn?: Server } = {}
  const test = suite(options.title)

  test.before(async () => {
    const binary = await options.runtime()
    const built = await buildBoth(join(repoRoot, 'test/fixtures/conformance/conf.ts'), 'conf')
    servers.node = await startServer({ command: process.execPath, args: [built.nodeBundle], env })
    servers.scratchfn = await startRuntime(built.bin, env, { binary, timeoutMs: options.startMs })
  })
  test.after(async () => {
    await servers.node?.stop()
    await servers.scratchfn?.stop()
  })

  interface RequestSpec {
    method?: string
    path: string
    headers?: Record<string, string>
    body?: string | Buffer
    /** Send the body with Transfer-Encoding: chunked, in these pieces. */
    chunks?: string[]
  }

  function raw(spec: RequestSpec): Buffer {
    const lines = [`${spec.method ?? 'GET'} ${spec.path} HTTP/1.1`, 'Host: localhost', 'Connection: close', 'User-Agent: conformance/1']
    for (const [k, v] of Object.entries(spec.headers ?? {})) lines.push(`${k}: ${v}`)
    let body: Buffer = Buffer.alloc(0)
    if (spec.chunks) {
      lines.push('Transfer-Encoding: chunked')
      body = Buffer.from(spec.chunks.map((c) => `${Buffer.byteLength(c).toString(16)}\r\n${c}\r\n`).join('') + '0\r\n\r\n')
    } else if (spec.body !== undefined) {
      body = Buffer.isBuffer(spec.body) ? spec.body : Buffer.from(spec.body)
      lines.push(`Content-Length: ${body.length}`)
    }
    return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n'), body])
  }

  async function both(spec: RequestSpec | Buffer): Promise<[ParsedResponse, ParsedResponse]> {
    const bytes = Buffer.isBuffer(spec) ? spec : raw(spec)
    const [a, b] = await Promise.all([rawRequest(servers.node!.port, bytes), rawRequest(servers.scratchfn!.port, bytes)])
    const [ra, rb] = [parseResponses(a.text), parseResponses(b.text)]
    assert.ok(ra.length > 0, `node gave no response:\n${a.text}`)
    assert.ok(rb.length > 0, `scratchfn gave no response:\n${b.text}`)
    return [ra[ra.length - 1], rb[rb.length - 1]]
  }

  function pick(res: ParsedResponse, head: boolean): Record<string, string> {
    const out: Record<string, string> = {}
    for (const name of compared) {
      if (res.headers[name] === undefined) continue
      // HEAD answers carry no body; whether a length is announced is not part of the contract.
      if (head && name === 'content-length') continue
      // `a;b` and `a; b` are the same media type; @hono/node-server itself sends both,
      // depending on whether a body went through its fast path.
      out[name] = name === 'content-type' ? res.headers[name].replace(/;\s*/g, '; ') : res.headers[name]
    }
    return out
  }

  function same(name: string, spec: RequestSpec, expectStatus: number, check?: (res: ParsedResponse) => void): void {
    test(name, async () => {
      const [node, scratchfn] = await both(spec)
      assert.is(node.status, expectStatus, `node status for ${spec.path}: ${node.body}`)
      assert.is(scratchfn.status, node.status, `status for ${spec.path}: ${scratchfn.body}`)
      assert.is(scratchfn.body, node.body, `body for ${spec.path}`)
      const head = spec.method === 'HEAD'
      const [hn, hs] = [pick(node, head), pick(scratchfn, head)]
      // Each side generates its own id unless the client sent one.
      if (!spec.headers?.['X-Request-Id']) {
        delete hn['x-request-id']
        delete hs['x-request-id']
      }
      if (hn['content-length'] === undefined || hs['content-length'] === undefined) {
        delete hn['content-length']
        delete hs['content-length']
      }
      assert.equal(hs, hn, `headers for ${spec.path}`)
      check?.(scratchfn)
    })
  }

  const json = { 'Content-Type': 'application/json' }
  const multipart = [
    '--XyZ',
    'Content-Disposition: form-data; name="title"',
    '',
    'Hello form',
    '--XyZ',
    'Content-Disposition: form-data; name="tag"',
    '',
    'a',
    '--XyZ',
    'Content-Disposition: form-data; name="tag"',
    '',
    'b',
    '--XyZ',
    'Content-Disposition: form-data; name="upload"; filename="notes.txt"',
    'Content-Type: text/plain',
    '',
    'file body ✓',
    '--XyZ--',
    '',
  ].join('\r\n')

  same('routes: root of the function', { path: '/conf' }, 200)
  same('routes: trailing slash', { path: '/conf/' }, 200)
  same('routes: named and optional params', { path: '/conf/params/42/x' }, 200)
  same('routes: optional param missing', { path: '/conf/params/42' }, 200)
  same('routes: wildcard', { path: '/conf/wild/a/b/c.txt' }, 200)
  same('routes: regex params match', { path: '/conf/regex/2024/hello-world' }, 200)
  same('routes: regex params reject', { path: '/conf/regex/20x4/hello' }, 404)
  same('routes: percent-encoded params', { path: '/conf/params/h%C3%A9llo%20w' }, 200)
  same('query: single, repeated and encoded values', { path: '/conf/query?a=1&b=two&a=3&e=%20sp%C3%A9&plus=a+b' }, 200)
  same('query: empty', { path: '/conf/query' }, 200)
  same(
    'JSON body',
    {
      method: 'POST',
      path: '/conf/json',
      headers: json,
      body: JSON.stringify({ name: 'Ada', tags: ['x', 'y'], n: 1.5, nested: { ok: true } }),
    },
    201,
  )
  same('JSON body with unicode', { method: 'POST', path: '/conf/json', headers: json, body: JSON.stringify({ name: 'Zoë ✓ 𝄞' }) }, 201)
  same(
    'the Request: its class, method, URL, headers and body',
    { method: 'POST', path: '/conf/request', headers: { ...json, 'X-A': '1' }, body: '{"a":[1,2]}' },
    200,
  )
  same('a Response subclass', { path: '/conf/subclass' }, 202)
  same('a Response of bytes with a status and a header list', { path: '/conf/bytes-out' }, 203)
  same('text body', { method: 'POST', path: '/conf/text', headers: { 'Content-Type': 'text/plain' }, body: 'plain text, héllo' }, 200)
  same(
    'chunked request body',
    { method: 'POST', path: '/conf/text', headers: { 'Content-Type': 'text/plain' }, chunks: ['first ', 'second ', 'third'] },
    200,
  )
  same(
    'urlencoded form body',
    {
      method: 'POST',
      path: '/conf/form',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'name=Ada+Lovelace&lang=en&lang=fr&sym=%E2%9C%93',
    },
    200,
  )
  same(
    'multipart form body with a file',
    { method: 'POST', path: '/conf/form', headers: { 'Content-Type': 'multipart/form-data; boundary=XyZ' }, body: multipart },
    200,
  )
  same('binary body in and out', { method: 'PUT', path: '/conf/bytes', body: Buffer.from([0, 1, 2, 250, 255, 128]) }, 200)
  same('body just under the limit', { method: 'POST', path: '/conf/size', body: 'x'.repeat(LIMIT - 1) }, 200)
  same('body exactly at the limit', { method: 'POST', path: '/conf/size', body: 'x'.repeat(LIMIT) }, 200)
  same('body over the limit answers 413', { method: 'POST', path: '/conf/size', body: 'x'.repeat(LIMIT + 1) }, 413)
  same('request and response headers', { path: '/conf/headers', headers: { Accept: 'text/html', 'X-Custom-In': 'yes' } }, 200)
  same('HEAD gets headers without a body', { method: 'HEAD', path: '/conf/headers' }, 200)
  same('cookies in and out', { path: '/conf/cookies', headers: { Cookie: 'a=1; b=hello%20world; old=x' } }, 200)
  same('signed cookie set', { path: '/conf/signed/set' }, 200)
  same(
    'signed cookie verified',
    { path: '/conf/signed/get', headers: { Cookie: 'user=ada.wb3Jw%2FK%2Fqm4fD9rNGqf2m0v3s1dXGv9zhN6HkkAjcmU%3D' } },
    200,
  )
  same(
    'cors preflight',
    {
      method: 'OPTIONS',
      path: '/conf/cors/data',
      headers: { Origin: 'https://a.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'X-Custom' },
    },
    204,
  )
  same('cors simple request', { path: '/conf/cors/data', headers: { Origin: 'https://a.example' } }, 200)
  same('cors from an unknown origin', { path: '/conf/cors/data', headers: { Origin: 'https://evil.example' } }, 200)
  same('basicAuth without credentials', { path: '/conf/admin/panel' }, 401)
  same(
    'basicAuth with a wrong password',
    { path: '/conf/admin/panel', headers: { Authorization: 'Basic ' + Buffer.from('admin:nope').toString('base64') } },
    401,
  )
  same(
    'basicAuth with the right password',
    { path: '/conf/admin/panel', headers: { Authorization: 'Basic ' + Buffer.from('admin:s3cret').toString('base64') } },
    200,
  )
  same('etag on a response', { path: '/conf/etag/doc' }, 200)
  same(
    'etag If-None-Match gives 304',
    { path: '/conf/etag/doc', headers: { 'If-None-Match': '"d0f1c9fa2ec4a3b6a4ac8de39f4bb3ecd0e6af37"' } },
    200,
  )
  same('secureHeaders and html', { path: '/conf/secure/page' }, 200)
  same('jwt sign and verify (HMAC)', { path: '/conf/jwt' }, 200)
  same('redirect', { path: '/conf/redirect' }, 301)
  same('onError for a thrown error', { path: '/conf/throw' }, 500)
  same('onError for a rejected promise', { path: '/conf/reject' }, 500)
  same('HTTPException response', { path: '/conf/teapot' }, 418)
  same('204 without a body', { path: '/conf/status/204' }, 204)
  same('streamed response (stream)', { path: '/conf/stream' }, 200)
  same('streamed response (streamText)', { path: '/conf/stream-text' }, 200)
  same('server-sent events (streamSSE)', { path: '/conf/sse' }, 200)
  same('unicode JSON', { path: '/conf/unicode' }, 200)
  same('bindings from the environment', { path: '/conf/env' }, 200)
  same('notFound handler', { path: '/conf/no/such/route' }, 404)
  same('outside the function route', { path: '/elsewhere' }, 404)
  same('request id passed through', { path: '/conf/', headers: { 'X-Request-Id': 'conformance-123' } }, 200, (res) =>
    assert.is(res.headers['x-request-id'], 'conformance-123'),
  )
  same('liveness', { path: '/healthz' }, 200)
  same('readiness', { path: '/readyz' }, 200)

  test('keep-alive: pipelined requests get answers in order', async () => {
    const req = (p: string, last = false) => `GET ${p} HTTP/1.1\r\nHost: localhost\r\n${last ? 'Connection: close\r\n' : ''}\r\n`
    const bytes = Buffer.from(req('/conf/params/1') + req('/conf/wild/x') + req('/conf/params/3', true))
    const [a, b] = await Promise.all([rawRequest(servers.node!.port, bytes), rawRequest(servers.scratchfn!.port, bytes)])
    const [na, sb] = [parseResponses(a.text), parseResponses(b.text)]
    assert.is(sb.length, 3)
    assert.equal(
      sb.map((r) => r.body),
      na.map((r) => r.body),
    )
  })

  return { test, scratchfn: () => servers.scratchfn }
}
