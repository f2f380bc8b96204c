// OTLP/HTTP export from the image, checked by a receiver that decodes every body with the
// OpenTelemetry project's generated protobuf code (test/support/otlp-receiver.ts): server
// and fetch spans of one trace with their parents, kinds, times, attributes and status;
// the resource from OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, the headers from
// OTEL_EXPORTER_OTLP_HEADERS; a full queue drops and counts; a failing endpoint drops,
// counts and never fails a request; SIGTERM flushes what is queued before the exit.
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { buildBoth } from '../../support/function-build.ts'
import { startEchoServer, startReceiver, type Receiver } from '../../support/otlp-receiver.ts'
import { repoRoot } from '../../support/paths.ts'
import { startRuntime, type Server } from '../../support/process.ts'
import { waitFor } from '../core/helpers.ts'

const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
let bin: string
let echo: Awaited<ReturnType<typeof startEchoServer>>

test.before(async () => {
  bin = (await buildBoth(join(repoRoot, 'test/fixtures/observe/traced.ts'), 'traced')).bin
  echo = await startEchoServer()
})
test.after(async () => {
  await echo.close()
})

async function withRuntime(receiver: Receiver | null, env: Record<string, string>, run: (s: Server) => Promise<void>): Promise<Server> {
  const s = await startRuntime(bin, {
    SCRATCHFN_FUNCTION: 'traced',
    ...(receiver ? { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } : {}),
    ...env,
  })
  try {
    await run(s)
  } finally {
    if (s.proc.exitCode === null) await s.stop()
  }
  return s
}

const get = async (s: Server, path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(s.url + '/traced' + path, { headers })
  return { status: res.status, body: await res.text() }
}
const metric = async (s: Server, name: string) => {
  const text = await (await fetch(s.url + '/metrics')).text()
  const line = text.split('\n').find((l) => l.startsWith(name + ' '))
  return line === undefined ? NaN : Number(line.slice(name.length + 1))
}

test('exports the server span and the fetch span of one trace, decoded by the official protobuf definitions', async () => {
  const receiver = await startReceiver()
  await withRuntime(
    receiver,
    {
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_SERVICE_NAME: 'traced-svc',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=test,team=a%2Cb,service.name=overridden',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=secret%20key',
    },
    async (s) => {
      const before = BigInt(Date.now()) * 1000000n
      const res = await get(s, `/call?to=${encodeURIComponent(echo.url)}&q=1`, { traceparent: PARENT, tracestate: 'v=1' })
      assert.is(res.status, 200)
      const sent = JSON.parse(res.body).seen.traceparent as string
      await waitFor(() => receiver.spans.length >= 2, 'two spans')
      const server = receiver.spans.find((x) => x.kind === 2)!
      const client = receiver.spans.find((x) => x.kind === 3)!
      assert.ok(server && client, 'a SERVER and a CLIENT span')
      assert.is(server.traceId, '0af7651916cd43dd8448eb211c80319c')
      assert.is(server.parentSpanId, 'b7ad6b7169203331', 'the caller is the server span’s parent')
      assert.is(server.name, 'GET')
      assert.is(server.attributes['http.request.method'], 'GET')
      assert.is(server.attributes['url.path'], '/traced/call')
      assert.is(server.attributes['url.query'], undefined, 'the path only, as the access line: queries may carry secrets')
      assert.is(server.attributes['http.response.status_code'], 200)
      assert.ok(server.attributes['scratchfn.request_id'])
      assert.is(server.flags, 0x301, 'sampled, with a remote parent')
      assert.ok(server.startNs >= before && server.endNs >= server.startNs, 'unix nanoseconds, end after start')
      assert.is(client.traceId, server.traceId)
      assert.is(client.parentSpanId, server.spanId, 'the fetch is a child of the request')
      assert.is(sent, `00-${client.traceId}-${client.spanId}-01`, 'the callee saw the client span as its parent')
      assert.is(client.attributes['url.full'], echo.url)
      assert.is(client.attributes['server.address'], '127.0.0.1')
      assert.is(client.attributes['http.response.status_code'], 200)
      assert.ok(client.startNs >= server.startNs && client.endNs <= server.endNs, 'the fetch happened inside the request')
      assert.is(server.resource['service.name'], 'traced-svc', 'OTEL_SERVICE_NAME wins')
      assert.is(server.resource['deployment.environment'], 'test')
      assert.is(server.resource['team'], 'a,b', 'values are percent-decoded')
      assert.is(server.resource['telemetry.sdk.name'], 'scratchfn')
      assert.is(server.scope.name, 'scratchfn')
      const req = receiver.requests[0]
      assert.is(req.headers['content-type'], 'application/x-protobuf')
      assert.is(req.headers['x-api-key'], 'secret key')
      assert.not.ok(req.headers.traceparent, 'the export itself is not traced')

      const failed = await get(s, '/throw', { traceparent: PARENT })
      assert.is(failed.status, 500)
      const errorSpan = await waitFor(() => receiver.spans.find((x) => x.attributes['http.response.status_code'] === 500), 'the 500 span')
      assert.is(errorSpan.status.code, 2, 'a 5xx server span is an error')
      await waitFor(async () => (await metric(s, 'scratchfn_trace_spans_exported_total')) >= 3, 'exported count')
    },
  )
  await receiver.close()
})

test('a full queue drops spans and counts them; SIGTERM flushes the queue before the exit', async () => {
  const receiver = await startReceiver()
  const s = await withRuntime(
    receiver,
    { OTEL_BSP_SCHEDULE_DELAY: '600000', OTEL_BSP_MAX_QUEUE_SIZE: '2', SCRATCHFN_DRAIN_DELAY_MS: '0' },
    async (s) => {
      for (let i = 0; i < 5; i++) assert.is((await get(s, '/ok')).status, 200)
      assert.is(await metric(s, 'scratchfn_trace_spans_dropped_total{reason="queue_full"}'), 3)
      assert.is(receiver.spans.length, 0, 'nothing sent before the schedule')
      assert.is(await s.stop(), 0)
    },
  )
  assert.is(s.proc.exitCode, 0)
  assert.is(receiver.spans.length, 2, 'the queued spans went out on SIGTERM')
  await receiver.close()
})

test('an endpoint that fails costs no request: the batch is dropped and counted', async () => {
  const receiver = await startReceiver()
  receiver.answer = 503
  await withRuntime(receiver, { OTEL_BSP_SCHEDULE_DELAY: '50' }, async (s) => {
    for (let i = 0; i < 3; i++) assert.is((await get(s, '/ok')).status, 200)
    await waitFor(
      async () => (await metric(s, 'scratchfn_trace_spans_dropped_total{reason="export_failed"}')) >= 3,
      'the failed batch counted',
    )
  })
  const down = await startReceiver()
  await down.close() // nothing listens there now
  await withRuntime(down, { OTEL_BSP_SCHEDULE_DELAY: '50' }, async (s) => {
    assert.is((await get(s, '/ok')).status, 200)
    await waitFor(
      async () => (await metric(s, 'scratchfn_trace_spans_dropped_total{reason="export_failed"}')) >= 1,
      'refused export counted',
    )
    assert.is((await get(s, '/ok')).status, 200)
  })
  await receiver.close()
})

test('without an endpoint nothing is exported, and a parent that is not sampled is not exported either', async () => {
  const receiver = await startReceiver()
  await withRuntime(null, {}, async (s) => {
    assert.is((await get(s, '/ok')).status, 200)
  })
  await withRuntime(receiver, { OTEL_BSP_SCHEDULE_DELAY: '50' }, async (s) => {
    const res = await get(s, `/call?to=${encodeURIComponent(echo.url)}`, { traceparent: PARENT.replace(/-01$/, '-00') })
    assert.ok(JSON.parse(res.body).seen.traceparent.endsWith('-00'), 'the unsampled flag is passed on')
    await get(s, '/ok', { traceparent: PARENT })
    await waitFor(() => receiver.spans.length >= 1, 'the sampled span')
    assert.ok(receiver.spans.every((x) => x.traceId === '0af7651916cd43dd8448eb211c80319c' && x.attributes['url.path'] === '/traced/ok'))
  })
  assert.is(receiver.requests.length > 0, true)
  await receiver.close()
})

test('a malformed OTEL variable turns export off with one error line, and the function still serves', async () => {
  const receiver = await startReceiver()
  await withRuntime(receiver, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, async (s) => {
    assert.is((await get(s, '/ok')).status, 200)
    await waitFor(() => /otlp: not exporting traces/.test(s.stdout()) && /http\/protobuf only/.test(s.stdout()), 'the error line')
  })
  await receiver.close()
})

test.run()
