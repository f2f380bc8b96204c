// The Node.js side of the same contract: @hono/node-server serves the app, and this
// wrapper adds what the image's C core does, so a function behaves the same in dev,
// in tests and in the image: its route prefix, /healthz and /readyz, /metrics, X-Request-Id,
// W3C trace context (continued or started, in the log lines and passed on by fetch), the
// body limit, JSON access lines and a draining SIGTERM.
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { getRequestListener } from '@hono/node-server'
import { errorBody, normalizeRoute, stripRoute, type FetchApp } from './contract.ts'
import { metricsContentType, NodeMetrics, traceGlobalFetch, traceStore } from './node-observe.ts'
import { beginTrace } from './trace-parent.ts'

export interface NodeServeOptions {
  /** Function name -> app and route; one server can carry many functions (the dev server). */
  functions: Array<{ name: string; app: FetchApp; route: string }>
  port?: number
  hostname?: string
  /** Largest request body, bytes. */
  maxBodyBytes?: number
  accessLog?: boolean
  /** Where log lines go (default stdout). */
  log?: (line: string) => void
}

const defaults = { port: 8080, hostname: '0.0.0.0', maxBodyBytes: 1 << 20, accessLog: true }
const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/

export interface NodeServer {
  server: Server
  port: number
  /** Fails readiness, then closes once in-flight requests finish. */
  drain(): Promise<void>
}

export function serveNode(options: NodeServeOptions): Promise<NodeServer> {
  for (const key of Object.keys(options)) {
    if (!['functions', 'port', 'hostname', 'maxBodyBytes', 'accessLog', 'log'].includes(key))
      throw new TypeError(`serveNode: unknown option '${key}'`)
  }
  const opts = { ...defaults, ...options }
  const log = opts.log ?? ((line: string) => process.stdout.write(line + '\n'))
  // Longest prefix first, so '/api/users' wins over '/api'.
  const routes = opts.functions
    .map((f) => ({ ...f, prefix: normalizeRoute(f.route), listener: getRequestListener((req) => f.app.fetch(req, process.env)) }))
    .sort((a, b) => b.prefix.length - a.prefix.length)
  let draining = false
  traceGlobalFetch()
  const metrics = new NodeMetrics({
    function: opts.functions.map((f) => f.name).join(','),
    version: process.env.SCRATCHFN_VERSION ?? 'dev',
  })

  const server = createServer({ maxHeaderSize: 16 * 1024 }, (incoming, outgoing) => {
    const started = process.hrtime.bigint()
    const target = incoming.url ?? '/'
    const pathOnly = target.split('?')[0]
    if (pathOnly === '/healthz' || pathOnly === '/readyz') {
      const ok = pathOnly === '/healthz' || !draining
      sendJson(outgoing, ok ? 200 : 503, pathOnly === '/healthz' ? '{"status":"ok"}' : ok ? '{"status":"ready"}' : '{"status":"draining"}')
      return
    }
    if (pathOnly === '/metrics' && (incoming.method === 'GET' || incoming.method === 'HEAD')) {
      const om = /application\/openmetrics-text/i.test(String(incoming.headers.accept ?? ''))
      const body = metrics.render(om)
      outgoing.writeHead(200, { 'content-type': metricsContentType(om), 'content-length': Buffer.byteLength(body) })
      outgoing.end(incoming.method === 'HEAD' ? undefined : body)
      return
    }
    metrics.begin(incoming, outgoing)
    const trace = beginTrace(incoming.headers.traceparent, incoming.headers.tracestate)
    const given = incoming.headers['x-request-id']
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomBytes(16).toString('hex')
    setHeader(incoming, 'x-request-id', requestId)
    outgoing.setHeader('x-request-id', requestId)
    if (draining) outgoing.setHeader('connection', 'close')
    if (opts.accessLog) {
      outgoing.on('finish', () =>
        log(
          JSON.stringify({
            time: new Date().toISOString(),
            level: 'info',
            msg: 'request',
            method: incoming.method,
            path: pathOnly,
            status: outgoing.statusCode,
            duration_ms: Number(process.hrtime.bigint() - started) / 1e6,
            request_id: requestId,
            trace_id: trace.traceId,
            span_id: trace.spanId,
          }),
        ),
      )
    }
    const length = Number(incoming.headers['content-length'] ?? 0)
    if (length > opts.maxBodyBytes) {
      outgoing.shouldKeepAlive = false
      sendJson(outgoing, 413, errorBody('Payload Too Large'))
      incoming.resume()
      return
    }
    for (const route of routes) {
      const path = stripRoute(route.prefix, target)
      if (path === null) continue
      incoming.url = path
      if (route.prefix !== '') setHeader(incoming, 'x-forwarded-prefix', route.prefix)
      traceStore.run(trace, () => route.listener(incoming, outgoing))
      return
    }
    sendJson(outgoing, 404, errorBody('Not Found'))
  })
  metrics.watch(server)
  server.keepAliveTimeout = 5000
  server.headersTimeout = 10_000

  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.hostname, () => {
      const address = server.address()
      resolve({
        server,
        port: typeof address === 'object' && address ? address.port : opts.port,
        drain() {
          draining = true
          server.closeIdleConnections()
          return new Promise((done) => server.close(() => done()))
        },
      })
    })
  })
}

function sendJson(outgoing: ServerResponse<IncomingMessage>, status: number, body: string): void {
  outgoing.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  outgoing.end(body)
}

// @hono/node-server builds the Request from rawHeaders, not from `headers`, so a
// header the app must see is set in both (replacing what the client sent).
function setHeader(incoming: IncomingMessage, name: string, value: string): void {
  incoming.headers[name] = value
  const raw = incoming.rawHeaders
  for (let i = raw.length - 2; i >= 0; i -= 2) if (raw[i].toLowerCase() === name) raw.splice(i, 2)
  raw.push(name, value)
}
