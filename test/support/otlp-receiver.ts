// An OTLP/HTTP traces receiver for tests: it decodes each POST /v1/traces body with the
// OpenTelemetry project's own protobuf definitions (the protobufjs root generated from
// opentelemetry-proto that @opentelemetry/otlp-transformer ships), not with a parser of
// ours, and keeps the spans with their ids as hex.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root.js') as any
const ExportTraceServiceRequest = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest

export interface ReceivedSpan {
  traceId: string
  spanId: string
  parentSpanId: string
  traceState: string
  name: string
  kind: number
  startNs: bigint
  endNs: bigint
  attributes: Record<string, string | number | boolean>
  status: { code: number; message: string }
  flags: number
  resource: Record<string, string | number | boolean>
  scope: { name: string; version: string }
}

export interface Receiver {
  url: string
  spans: ReceivedSpan[]
  requests: Array<{ headers: IncomingHttpHeaders; bytes: number }>
  /** Status to answer with (default 200). */
  answer: number
  close(): Promise<void>
}

const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('hex')
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function attrs(list: any[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {}
  for (const kv of list ?? []) {
    const v = kv.value
    out[kv.key] = v.stringValue ?? (v.intValue !== undefined && v.intValue !== null ? Number(v.intValue) : (v.boolValue ?? v.doubleValue))
  }
  return out
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const u64 = (v: any) => BigInt(typeof v === 'object' && v !== null ? v.toString() : v)

export function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { url: '', spans: [], requests: [], answer: 200, close: async () => {} }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      receiver.requests.push({ headers: req.headers, bytes: body.length })
      if (req.url !== '/v1/traces' || req.method !== 'POST') {
        res.writeHead(404).end()
        return
      }
      const msg = ExportTraceServiceRequest.decode(body)
      for (const rs of msg.resourceSpans ?? []) {
        const resource = attrs(rs.resource?.attributes)
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            receiver.spans.push({
              traceId: hex(s.traceId),
              spanId: hex(s.spanId),
              parentSpanId: hex(s.parentSpanId),
              traceState: s.traceState ?? '',
              name: s.name,
              kind: s.kind,
              startNs: u64(s.startTimeUnixNano),
              endNs: u64(s.endTimeUnixNano),
              attributes: attrs(s.attributes),
              status: { code: s.status?.code ?? 0, message: s.status?.message ?? '' },
              flags: s.flags ?? 0,
              resource,
              scope: { name: ss.scope?.name ?? '', version: ss.scope?.version ?? '' },
            })
          }
        }
      }
      res.writeHead(receiver.answer, { 'content-type': 'application/x-protobuf' }).end()
    })
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      receiver.url = `http://127.0.0.1:${port}`
      receiver.close = () => new Promise((done) => server.close(() => done()))
      resolve(receiver)
    })
  })
}

/** A plain server that answers with the trace headers it was sent. */
export function startEchoServer(): Promise<{ url: string; seen: IncomingHttpHeaders[]; close(): Promise<void> }> {
  const seen: IncomingHttpHeaders[] = []
  const server = createServer((req, res) => {
    seen.push(req.headers)
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ traceparent: req.headers.traceparent ?? null, tracestate: req.headers.tracestate ?? null }))
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      resolve({ url: `http://127.0.0.1:${port}/`, seen, close: () => new Promise((done) => server.close(() => done())) })
    })
  })
}
