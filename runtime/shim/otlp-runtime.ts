// Switches the OTLP exporter on in the image when OTEL_EXPORTER_OTLP_ENDPOINT (or the
// traces endpoint) is set: the core queues each sampled request's server span, fetch()
// reports client spans, and a background loop sends both in batches. The exporter is a
// lazy builtin, so without an endpoint nothing of it is loaded. On SIGTERM the drain
// flushes what is queued before the process exits (within SCRATCHFN_GRACE_MS).
import { core } from '../web/core.ts'
import type * as FetchModule from '../web/fetch.ts'
import { setClientSpanHook } from '../web/trace-context.ts'
import { logError } from './log.ts'
import type * as Otlp from './otlp/index.ts'

const nowNs = () => BigInt(Math.round(core.wallTime() * 1e6))

async function post(url: string, headers: Array<[string, string]>, body: Uint8Array, timeoutMs: number): Promise<number> {
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(new Error(`no answer within ${timeoutMs} ms (OTEL_EXPORTER_OTLP_TIMEOUT)`)), timeoutMs)
  try {
    // The runtime's own fetch (not the global an app may replace), loaded with the exporter.
    const { fetch } = require('../web/fetch.ts') as typeof FetchModule
    const res = await fetch(url, {
      method: 'POST',
      headers: [['content-type', 'application/x-protobuf'], ...headers],
      body: body as BodyInit,
      signal: abort.signal,
    })
    await res.arrayBuffer()
    return res.status
  } finally {
    clearTimeout(timer)
  }
}

export function startOtlp(): void {
  const env = core.env
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return
  const otlp = core.loadBuiltin('otlp') as typeof Otlp
  if (!otlp.otlpWanted(env)) return
  let config: Otlp.OtlpConfig
  try {
    config = otlp.otlpConfig(env, {
      serviceName: env.SCRATCHFN_FUNCTION || 'unknown_service',
      sdkLanguage: 'webjs',
      sdkVersion: core.versions.scratchfn,
    })
  } catch (err) {
    logError('otlp: not exporting traces', err)
    return
  }
  core.traceExport(config.maxQueueSize)
  const exporter = new otlp.BatchExporter({
    config,
    scope: { name: 'scratchfn', version: core.versions.scratchfn },
    take: (max) =>
      core
        .traceTake(max)
        .map(([traceId, spanId, parentSpanId, flags, startNs, endNs, method, target, status, requestId]) =>
          otlp.serverSpan({ traceId, spanId, parentSpanId, traceState: '', flags, startNs, endNs, method, target, status, requestId }),
        ),
    post,
    count: (exported, full, failed) => core.traceCount(exported, full, failed),
    log: (msg, err) => logError(msg, err),
  })
  const noSpan = { end() {} }
  setClientSpanHook((traceparent, method, url) => {
    if (!(parseInt(traceparent.slice(53, 55), 16) & 1)) return { traceparent, span: noSpan }
    const own = traceparent.slice(0, 36) + otlp.randomSpanId((b) => crypto.getRandomValues(b)) + traceparent.slice(52)
    const startNs = nowNs()
    const span = {
      end(status: number, error?: unknown) {
        const parentSpanId = traceparent.slice(36, 52)
        exporter.add(
          otlp.clientSpan({ traceparent: own, parentSpanId, traceState: '', startNs, endNs: nowNs(), method, url, status, error }),
        )
      },
    }
    return { traceparent: own, span }
  })
  exporter.start()
  core.onDrained(() => {
    core.holdExit(true)
    exporter.flush().finally(() => core.holdExit(false))
  })
}
