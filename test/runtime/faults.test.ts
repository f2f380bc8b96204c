// A handler fault answers only its own request, is logged as a JSON line with the
// request's id, and the next request is served: a throw or a rejection gets 500, an
// endless loop is interrupted at the handler timeout with 504, allocating past the JS
// heap limit gets 503 (and the heap is back afterwards), and runaway recursion is
// stopped by the stack limit. The function is a plain Hono app (test/fixtures/faults).
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { buildBoth } from '../support/function-build.ts'
import { repoRoot } from '../support/paths.ts'
import { startRuntime, type Server } from '../support/process.ts'
import { parseResponses, rawRequest, type ParsedResponse } from '../support/raw-http.ts'
import { jsonLines, waitFor } from './core/helpers.ts'

const TIMEOUT_MS = 300
let server: Server

test.before(async () => {
  const built = await buildBoth(join(repoRoot, 'test/fixtures/faults/faults.ts'), 'faults')
  server = await startRuntime(built.bin, { SCRATCHFN_HEAP_LIMIT_MB: '16', SCRATCHFN_HANDLER_TIMEOUT_MS: String(TIMEOUT_MS) })
})
test.after(async () => {
  await server.stop()
})

async function get(path: string): Promise<ParsedResponse & { ms: number }> {
  const r = await rawRequest(server.port, `GET /faults${path} HTTP/1.1\r\nHost: t\r\n\r\n`, { end: true, timeoutMs: 5000 })
  const [res] = parseResponses(r.text)
  assert.ok(res, `no answer to ${path} in ${r.ms} ms: ${JSON.stringify(r.text)}`)
  return { ...res, ms: r.ms }
}

/** The JSON error line logged for the request that got `res`. */
async function errorLine(res: ParsedResponse): Promise<Record<string, unknown>> {
  const id = res.headers['x-request-id']
  assert.ok(id, 'the answer carries a request id')
  return waitFor(
    () => jsonLines(server.stdout()).find((l) => l.level === 'error' && l.request_id === id),
    `the error line of request ${id}`,
  )
}

async function stillServes(): Promise<void> {
  const res = await get('/ok')
  assert.is(res.status, 200)
  assert.equal(JSON.parse(res.body), { ok: true })
  assert.is(server.proc.exitCode, null, 'the runtime is still running')
}

test('answers 500 to a thrown error, logs it with its stack, and serves the next request', async () => {
  const res = await get('/throw')
  assert.is(res.status, 500)
  assert.is(res.body, 'Internal Server Error')
  const line = await errorLine(res)
  assert.is(line.msg, 'handler failed')
  assert.is(line.error, 'thrown on purpose')
  // The handler's own frame keeps its place in the bundle; Hono's frames (library code,
  // compiled without debug info: runtime/patches/quickjs-strip-ranges.patch) their names only.
  const frames = String(line.stack).split('\n').filter(Boolean)
  assert.match(frames[0], /^ {4}at .* \(app\.js:\d+:\d+\)$/, String(line.stack))
  assert.ok(
    frames.slice(1).some((f) => /^ {4}at fetch$/.test(f)),
    `Hono's app.fetch frame, without a position: ${line.stack}`,
  )
  assert.not.match(res.body, /thrown on purpose/, 'no error text in the response')
  await stillServes()
})

test('answers 500 to a rejected promise and logs it', async () => {
  const res = await get('/reject')
  assert.is(res.status, 500)
  assert.is((await errorLine(res)).error, 'rejected on purpose')
  await stillServes()
})

test('answers 500 to a thrown non-Error and logs it', async () => {
  const res = await get('/throw-string')
  assert.is(res.status, 500)
  assert.is((await errorLine(res)).error, 'a bare string')
  await stillServes()
})

test('interrupts an endless loop at the handler timeout with 504, logs it, and serves on', async () => {
  const res = await get('/loop')
  assert.is(res.status, 504)
  assert.equal(JSON.parse(res.body), { error: 'Gateway Timeout' })
  assert.ok(res.ms >= TIMEOUT_MS - 20 && res.ms < TIMEOUT_MS + 2000, `answered after ${res.ms} ms`)
  assert.match(String((await errorLine(res)).msg), /interrupted/)
  await stillServes()
})

test('interrupts an endless loop in an async handler with 504 too', async () => {
  const res = await get('/async-loop')
  assert.is(res.status, 504)
  assert.ok(res.ms < TIMEOUT_MS + 2000, `answered after ${res.ms} ms`)
  assert.match(String((await errorLine(res)).msg), /interrupted/)
  await stillServes()
})

test('answers a request that waited behind an endless loop once the loop is interrupted', async () => {
  const [loop, ok] = await Promise.all([get('/loop'), new Promise((r) => setTimeout(r, 50)).then(() => get('/ok'))])
  assert.is(loop.status, 504)
  assert.is(ok.status, 200)
})

test('answers 503 to allocation past the JS heap limit, every time, with the heap back after each', async () => {
  for (let i = 0; i < 5; i++) {
    const res = await get('/oom')
    assert.is(res.status, 503)
    assert.equal(JSON.parse(res.body), { error: 'Service Unavailable' })
    assert.is((await errorLine(res)).msg, 'handler ran out of JS memory')
    await stillServes()
    // Most of the 16 MB heap is needed again at once: none of the last run may be left.
    const fill = await get('/fill')
    assert.is(fill.status, 200, fill.body)
  }
})

test('stops runaway recursion at the stack limit with 500, logs it, and serves on', async () => {
  const res = await get('/recurse')
  assert.is(res.status, 500)
  const line = await errorLine(res)
  assert.match(String(line.error), /stack overflow/)
  await stillServes()
})

test.run()
