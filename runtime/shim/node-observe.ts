// What the image's C core counts and traces, for the Node side (the dev server and the
// tests' reference): the same /metrics families, names, types and labels
// (runtime/core/http-metrics.c), and the request's trace kept in an AsyncLocalStorage so
// fetch() passes it on, as the image's async context does.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { PerformanceObserver } from 'node:perf_hooks'
import { getHeapStatistics } from 'node:v8'
import { formatTraceparent, type Trace } from './trace-parent.ts'

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

export const traceStore = new AsyncLocalStorage<Trace>()

let fetchWrapped = false
/** Makes the global fetch pass the running request's trace on, unless the caller set traceparent. */
export function traceGlobalFetch(): void {
  if (fetchWrapped) return
  fetchWrapped = true
  const original = globalThis.fetch
  globalThis.fetch = function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const trace = traceStore.getStore()
    if (trace === undefined) return original(input, init)
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined))
    if (!headers.has('traceparent')) {
      headers.set('traceparent', formatTraceparent(trace))
      if (trace.traceState && !headers.has('tracestate')) headers.set('tracestate', trace.traceState)
    }
    return original(input, { ...init, headers })
  }
}

let gcRuns = 0
let gcObserver: PerformanceObserver | undefined

export class NodeMetrics {
  private requests = new Map<string, number>()
  private buckets = new Array<number>(BUCKETS.length + 1).fill(0)
  private sum = 0
  private inFlight = 0
  private open = 0
  private accepted = 0
  private closedBytes = { in: 0, out: 0 }
  private sockets = new Set<import('node:net').Socket>()

  constructor(private readonly info: { function: string; version: string }) {
    if (!gcObserver) {
      gcObserver = new PerformanceObserver((list) => {
        gcRuns += list.getEntries().length
      })
      gcObserver.observe({ entryTypes: ['gc'] })
    }
  }

  watch(server: Server): void {
    server.on('connection', (socket) => {
      this.open++
      this.accepted++
      this.sockets.add(socket)
      socket.once('close', () => {
        this.open--
        this.sockets.delete(socket)
        this.closedBytes.in += socket.bytesRead
        this.closedBytes.out += socket.bytesWritten
      })
    })
  }

  /** A request handed to a function: counted when its response finishes. */
  begin(incoming: IncomingMessage, outgoing: ServerResponse): void {
    const started = process.hrtime.bigint()
    this.inFlight++
    let done = false
    const end = () => {
      if (done) return
      done = true
      this.inFlight--
    }
    outgoing.once('finish', () => {
      end()
      const method = METHODS.includes(incoming.method ?? '') ? incoming.method! : 'OTHER'
      const key = `method="${method}",code="${Math.floor(outgoing.statusCode / 100)}xx"`
      this.requests.set(key, (this.requests.get(key) ?? 0) + 1)
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      let b = 0
      while (b < BUCKETS.length && seconds > BUCKETS[b]) b++
      this.buckets[b]++
      this.sum += seconds
    })
    outgoing.once('close', end)
  }

  render(openMetrics: boolean): string {
    const out: string[] = []
    const family = (name: string, type: string, help: string) => {
      let fam = name
      if (openMetrics && type === 'counter') fam = name.replace(/_total$/, '')
      if (openMetrics && type === 'info') fam = name.replace(/_info$/, '')
      out.push(`# HELP ${fam} ${help}`, `# TYPE ${fam} ${!openMetrics && type === 'info' ? 'gauge' : type}`)
    }
    family(
      'scratchfn_http_requests_total',
      'counter',
      'HTTP requests the function was handed and answered, by method and status class (health checks and /metrics not counted).',
    )
    for (const [labels, n] of this.requests) out.push(`scratchfn_http_requests_total{${labels}} ${n}`)
    family('scratchfn_http_request_duration_seconds', 'histogram', 'Time from a request to the end of its response.')
    let cumulative = 0
    this.buckets.forEach((n, i) => {
      cumulative += n
      out.push(`scratchfn_http_request_duration_seconds_bucket{le="${i < BUCKETS.length ? BUCKETS[i] : '+Inf'}"} ${cumulative}`)
    })
    out.push(`scratchfn_http_request_duration_seconds_sum ${this.sum}`, `scratchfn_http_request_duration_seconds_count ${cumulative}`)
    let live = { in: 0, out: 0 }
    for (const s of this.sockets) live = { in: live.in + s.bytesRead, out: live.out + s.bytesWritten }
    const simple: Array<[string, string, string, number | string]> = [
      ['scratchfn_http_requests_in_flight', 'gauge', 'Requests handed to the function and not yet answered.', this.inFlight],
      ['scratchfn_http_connections_open', 'gauge', 'Client connections open now.', this.open],
      ['scratchfn_http_connections_accepted_total', 'counter', 'Client connections accepted to be served.', this.accepted],
      ['scratchfn_http_connections_refused_total', 'counter', 'Client connections refused (none under Node).', 0],
      ['scratchfn_http_received_bytes_total', 'counter', 'Bytes read from client connections.', this.closedBytes.in + live.in],
      ['scratchfn_http_sent_bytes_total', 'counter', 'Bytes written to client connections.', this.closedBytes.out + live.out],
    ]
    for (const [name, type, help, v] of simple) {
      family(name, type, help)
      out.push(`${name} ${v}`)
    }
    family('scratchfn_handler_faults_total', 'counter', 'Requests a handler failed (not told apart under Node).')
    for (const [cause, code] of [
      ['error', 500],
      ['out_of_memory', 503],
      ['timeout', 504],
    ])
      out.push(`scratchfn_handler_faults_total{cause="${cause}",code="${code}"} 0`)
    const mem = process.memoryUsage()
    const cpu = process.cpuUsage()
    const more: Array<[string, string, string, number | string]> = [
      ['scratchfn_js_heap_used_bytes', 'gauge', 'Bytes the JS heap holds.', mem.heapUsed],
      ['scratchfn_js_heap_limit_bytes', 'gauge', "The JS heap's limit.", getHeapStatistics().heap_size_limit],
      ['scratchfn_js_gc_runs_total', 'counter', "Runs of the engine's garbage collector.", gcRuns],
      ['scratchfn_trace_spans_exported_total', 'counter', 'Spans sent to the OTLP endpoint (no export under Node).', 0],
    ]
    for (const [name, type, help, v] of more) {
      family(name, type, help)
      out.push(`${name} ${v}`)
    }
    family('scratchfn_trace_spans_dropped_total', 'counter', 'Spans not exported.')
    out.push('scratchfn_trace_spans_dropped_total{reason="queue_full"} 0', 'scratchfn_trace_spans_dropped_total{reason="export_failed"} 0')
    const proc: Array<[string, string, string, number | string]> = [
      ['process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', mem.rss],
      [
        'process_start_time_seconds',
        'gauge',
        'Start time of the process since unix epoch in seconds.',
        (Date.now() / 1000 - process.uptime()).toFixed(3),
      ],
      ['process_cpu_seconds_total', 'counter', 'Total user and system CPU time spent in seconds.', (cpu.user + cpu.system) / 1e6],
    ]
    for (const [name, type, help, v] of proc) {
      family(name, type, help)
      out.push(`${name} ${v}`)
    }
    family('scratchfn_build_info', 'info', 'The function and the runtime serving it.')
    const esc = (s: string) => s.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n')
    out.push(
      `scratchfn_build_info{function="${esc(this.info.function)}",version="${esc(this.info.version)}",engine="Node.js ${process.version}"} 1`,
    )
    if (openMetrics) out.push('# EOF')
    return out.join('\n') + '\n'
  }
}

export function metricsContentType(openMetrics: boolean): string {
  return openMetrics ? 'application/openmetrics-text; version=1.0.0; charset=utf-8' : 'text/plain; version=0.0.4; charset=utf-8'
}
