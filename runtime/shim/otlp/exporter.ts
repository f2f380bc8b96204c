// A batch span processor and OTLP/HTTP exporter, as the OpenTelemetry specification
// describes them: spans wait in a bounded queue (a full queue drops the span and counts
// it, never waits), go out every OTEL_BSP_SCHEDULE_DELAY ms in batches of at most
// OTEL_BSP_MAX_EXPORT_BATCH_SIZE, one export at a time, each within its timeout; a batch
// that fails is dropped and counted (no retry), and flush() sends what is left (SIGTERM).
// Nothing here can block or fail a request: every export is a background fetch.
import type { OtlpConfig } from './config.ts'
import { encodeTraces, type Scope, type SpanData } from './protobuf.ts'

export interface ExporterDeps {
  config: OtlpConfig
  scope: Scope
  /** Spans queued elsewhere (the core's ring of server spans), up to max. */
  take?(max: number): SpanData[]
  /** POSTs the body; resolves with the HTTP status. */
  post(url: string, headers: Array<[string, string]>, body: Uint8Array, timeoutMs: number): Promise<number>
  /** Adds to the counters /metrics reports. */
  count(exported: number, droppedFull: number, droppedExport: number): void
  log(msg: string, err?: unknown): void
}

export class BatchExporter {
  private queue: SpanData[] = []
  private timer: ReturnType<typeof setTimeout> | undefined
  private running: Promise<void> | null = null
  private stopped = false

  constructor(private readonly deps: ExporterDeps) {}

  /** Queues a span; drops it (counted) when the queue is full. */
  add(span: SpanData): void {
    if (this.queue.length >= this.deps.config.maxQueueSize) {
      this.deps.count(0, 1, 0)
      return
    }
    this.queue.push(span)
  }

  start(): void {
    this.arm()
  }

  private arm(): void {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.exportBatch().then(() => this.arm())
    }, this.deps.config.scheduleDelayMs)
  }

  /** Exports one batch (after the one already running); resolves with the spans it took, 0 when none waited. */
  private async exportBatch(): Promise<number> {
    if (this.running) await this.running
    const max = this.deps.config.maxExportBatchSize
    const batch = this.deps.take?.(max) ?? []
    if (batch.length < max) batch.push(...this.queue.splice(0, max - batch.length))
    if (batch.length === 0) return 0
    const { config, scope } = this.deps
    const timeout = Math.min(config.timeoutMs, config.exportTimeoutMs)
    const run = this.deps
      .post(config.url, config.headers, encodeTraces(config.resource, scope, batch), timeout)
      .then(
        (status) => {
          if (status >= 200 && status < 300) this.deps.count(batch.length, 0, 0)
          else {
            this.deps.count(0, 0, batch.length)
            this.deps.log(`otlp: ${config.url} answered ${status}; dropped ${batch.length} span(s)`)
          }
        },
        (err) => {
          this.deps.count(0, 0, batch.length)
          this.deps.log(`otlp: export to ${config.url} failed; dropped ${batch.length} span(s)`, err)
        },
      )
      .then(() => {
        this.running = null
      })
    this.running = run
    await run
    return batch.length
  }

  /** Stops the schedule and exports everything still queued. */
  async flush(): Promise<void> {
    this.stopped = true
    if (this.timer !== undefined) clearTimeout(this.timer)
    while ((await this.exportBatch()) > 0) {}
  }
}

/** 16 random hex digits: a span id (never all zeros). */
export function randomSpanId(random: (bytes: Uint8Array) => void): string {
  const b = new Uint8Array(8)
  for (;;) {
    random(b)
    let hex = ''
    for (let i = 0; i < 8; i++) hex += (b[i] < 16 ? '0' : '') + b[i].toString(16)
    if (hex !== '0000000000000000') return hex
  }
}

/** The server span of one request, as the semantic conventions for HTTP name it. */
export function serverSpan(r: {
  traceId: string
  spanId: string
  parentSpanId: string
  traceState: string
  flags: number
  startNs: bigint
  endNs: bigint
  method: string
  target: string
  status: number
  requestId: string
}): SpanData {
  // The path without its query, as the access line has it: queries may carry secrets.
  const attributes: Array<[string, string | number]> = [
    ['http.request.method', r.method],
    ['url.path', r.target],
    ['url.scheme', 'http'],
    ['http.response.status_code', r.status],
  ]
  if (r.requestId) attributes.push(['scratchfn.request_id', r.requestId])
  return {
    traceId: r.traceId,
    spanId: r.spanId,
    parentSpanId: r.parentSpanId,
    traceState: r.traceState,
    name: r.method,
    kind: 2,
    startNs: r.startNs,
    endNs: r.endNs,
    attributes,
    statusCode: r.status >= 500 ? 2 : 0,
    statusMessage: '',
    flags: (r.flags & 0xff) | 0x100 | (r.parentSpanId ? 0x200 : 0),
  }
}

/** The client span of one fetch(): 4xx and 5xx answers and failures are errors. */
export function clientSpan(r: {
  traceparent: string
  parentSpanId: string
  traceState: string
  startNs: bigint
  endNs: bigint
  method: string
  url: string
  status: number
  error?: unknown
}): SpanData {
  const m = /^([a-z]+):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d+))?/i.exec(r.url)
  const attributes: Array<[string, string | number]> = [
    ['http.request.method', r.method],
    ['url.full', r.url.replace(/^([a-z]+:\/\/)[^@/?#]*@/i, '$1')],
  ]
  if (m) attributes.push(['server.address', m[2]], ['server.port', m[3] ? Number(m[3]) : m[1].toLowerCase() === 'https' ? 443 : 80])
  if (r.status > 0) attributes.push(['http.response.status_code', r.status])
  const failed = r.status === 0 || r.status >= 400
  if (r.status === 0) attributes.push(['error.type', (r.error as { name?: string } | undefined)?.name ?? 'Error'])
  return {
    traceId: r.traceparent.slice(3, 35),
    spanId: r.traceparent.slice(36, 52),
    parentSpanId: r.parentSpanId,
    traceState: r.traceState,
    name: r.method,
    kind: 3,
    startNs: r.startNs,
    endNs: r.endNs,
    attributes,
    statusCode: failed ? 2 : 0,
    statusMessage: r.status === 0 ? String((r.error as { message?: string } | undefined)?.message ?? r.error) : '',
    flags: parseInt(r.traceparent.slice(53, 55), 16) | 0x100,
  }
}
