// An HTTP proxy in front of the real registry that answers chosen requests itself
// with an error status (a 503 from an overloaded registry or load balancer), and
// forwards everything else unchanged, Host header included, so the registry's upload
// Locations point back at the proxy.
import { createServer, request, type Server } from 'node:http'
import { freePort } from './process.ts'

export interface FlakyRule {
  method: string
  path: RegExp
  /** How many matching requests to fail before letting them through. */
  times: number
  status: number
}

export interface FlakyProxy {
  host: string
  /** Requests answered by the proxy itself, in order. */
  failed: Array<{ method: string; path: string; status: number }>
  close(): Promise<void>
}

export async function startFlakyProxy(upstreamPort: number, rules: FlakyRule[]): Promise<FlakyProxy> {
  const port = await freePort()
  const failed: FlakyProxy['failed'] = []
  const left = rules.map((r) => r.times)
  const server: Server = createServer((req, res) => {
    const i = rules.findIndex((r, n) => left[n] > 0 && r.method === req.method && r.path.test(req.url ?? ''))
    if (i >= 0) {
      left[i]--
      failed.push({ method: req.method!, path: req.url!, status: rules[i].status })
      req.resume()
      res
        .writeHead(rules[i].status, { 'content-type': 'application/json' })
        .end('{"errors":[{"code":"UNAVAILABLE","message":"flaky proxy"}]}')
      return
    }
    const up = request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers)
      upRes.pipe(res)
    })
    up.on('error', () => res.destroy())
    req.pipe(up)
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    host: `127.0.0.1:${port}`,
    failed,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
