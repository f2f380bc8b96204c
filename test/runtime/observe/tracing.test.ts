// W3C trace context, under Node (the dev server's wrapper) and in the image alike: a valid
// traceparent is continued and a missing or malformed one starts a trace; the access and
// error lines carry trace_id and span_id; fetch() passes traceparent (this request's span
// as parent) and tracestate on by itself, after awaits, inside AsyncLocalStorage.run and
// from a timer set by the handler, and leaves a caller's own traceparent alone.
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { buildBoth } from '../../support/function-build.ts'
import { startEchoServer } from '../../support/otlp-receiver.ts'
import { repoRoot } from '../../support/paths.ts'
import { startRuntime, startServer, type Server } from '../../support/process.ts'
import { jsonLines, waitFor } from '../core/helpers.ts'

const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/
let echo: Awaited<ReturnType<typeof startEchoServer>>
const servers: Record<string, Server> = {}

test.before(async () => {
  echo = await startEchoServer()
  const built = await buildBoth(join(repoRoot, 'test/fixtures/observe/traced.ts'), 'traced')
  const env = { SCRATCHFN_QUIET: '1' }
  ;[servers.node, servers.image] = await Promise.all([
    startServer({ command: process.execPath, args: [built.nodeBundle], env }),
    startRuntime(built.bin, env),
  ])
})
test.after(async () => {
  await Promise.all(Object.values(servers).map((s) => s.stop()))
  await echo.close()
})

async function get(server: Server, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + '/traced' + path, { headers })
  return { status: res.status, id: res.headers.get('x-request-id')!, body: await res.text() }
}

function accessLine(server: Server, id: string): Promise<Record<string, unknown>> {
  return waitFor(() => jsonLines(server.stdout()).find((l) => l.msg === 'request' && l.request_id === id), `the access line of ${id}`)
}

for (const side of ['node', 'image']) {
  test(`${side}: continues a valid traceparent, passes it on in fetch with this request's span, and logs both ids`, async () => {
    const s = servers[side]
    const res = await get(s, `/call?to=${encodeURIComponent(echo.url)}`, { traceparent: PARENT, tracestate: 'vendor=a1,other=b2' })
    assert.is(res.status, 200)
    const seen = JSON.parse(res.body).seen
    const m = TRACEPARENT.exec(seen.traceparent)
    assert.ok(m, `fetch sent a traceparent: ${seen.traceparent}`)
    assert.is(m![1], '0af7651916cd43dd8448eb211c80319c', 'the same trace')
    assert.is.not(m![2], 'b7ad6b7169203331', 'a span of its own, not the caller’s')
    assert.ok(seen.traceparent.endsWith('-01'), 'sampled, as the parent')
    assert.is(seen.tracestate, 'vendor=a1,other=b2')
    const line = await accessLine(s, res.id)
    assert.is(line.trace_id, '0af7651916cd43dd8448eb211c80319c')
    assert.is(line.span_id, m![2], 'the access line names the span the callee saw as its parent')
  })

  test(`${side}: starts a trace when there is none, and when the traceparent is malformed`, async () => {
    const s = servers[side]
    for (const bad of [
      undefined,
      'garbage',
      '00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01', // upper case
      '00-00000000000000000000000000000000-b7ad6b7169203331-01', // zero trace id
      '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01', // zero parent
      'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', // version ff
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra', // version 00 with more
    ]) {
      const res = await get(
        s,
        `/call?to=${encodeURIComponent(echo.url)}`,
        bad === undefined ? {} : { traceparent: bad, tracestate: 'dropped=1' },
      )
      const seen = JSON.parse(res.body).seen
      const m = TRACEPARENT.exec(seen.traceparent)
      assert.ok(m, `${bad}: fetch sent ${seen.traceparent}`)
      assert.is.not(m![1], '0af7651916cd43dd8448eb211c80319c', `${bad}: a new trace`)
      assert.is(seen.tracestate, null, `${bad}: no tracestate without its trace`)
      const line = await accessLine(s, res.id)
      assert.is(line.trace_id, m![1])
    }
  })

  test(`${side}: accepts a later version's traceparent with more fields`, async () => {
    const res = await get(servers[side], `/call?to=${encodeURIComponent(echo.url)}`, {
      traceparent: 'cc-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-what-the-future-adds',
    })
    const m = TRACEPARENT.exec(JSON.parse(res.body).seen.traceparent)
    assert.is(m![1], '0af7651916cd43dd8448eb211c80319c')
  })

  test(`${side}: keeps the trace inside AsyncLocalStorage.run, and leaves a caller's own traceparent alone`, async () => {
    const s = servers[side]
    const inStore = JSON.parse((await get(s, `/call-in-store?to=${encodeURIComponent(echo.url)}`, { traceparent: PARENT })).body)
    assert.is(inStore.store, 'kept')
    assert.is(TRACEPARENT.exec(inStore.seen.traceparent)![1], '0af7651916cd43dd8448eb211c80319c')
    const own = JSON.parse((await get(s, `/call-own?to=${encodeURIComponent(echo.url)}`, { traceparent: PARENT })).body)
    assert.is(own.seen.traceparent, '00-11111111111111111111111111111111-2222222222222222-01')
  })

  test(`${side}: a timer the handler set still sends its request's trace after the response`, async () => {
    const before = echo.seen.length
    const res = await get(servers[side], `/call-later?to=${encodeURIComponent(echo.url)}`, { traceparent: PARENT })
    assert.is(res.body, 'later')
    await waitFor(() => echo.seen.length > before, 'the late fetch')
    assert.is(TRACEPARENT.exec(String(echo.seen[echo.seen.length - 1].traceparent))![1], '0af7651916cd43dd8448eb211c80319c')
  })

  // Under Node a thrown error goes to Hono's own handler, which logs no JSON line.
  if (side === 'image')
    test(`${side}: the error line of a failed handler names the request's trace`, async () => {
      const s = servers[side]
      const res = await get(s, '/throw', { traceparent: PARENT })
      assert.is(res.status, 500)
      const line = await waitFor(() => jsonLines(s.stdout()).find((l) => l.level === 'error' && l.request_id === res.id), 'the error line')
      assert.is(line.trace_id, '0af7651916cd43dd8448eb211c80319c')
      assert.is(line.span_id, (await accessLine(s, res.id)).span_id)
    })
}

test.run()
