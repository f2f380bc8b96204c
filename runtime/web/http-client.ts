// fetch's wire side, the lazy 'http-client' builtin (builtins/http-client.ts): one request
// on a pooled connection or a new one (http-pool.ts, http-connection.ts, with TLS for
// https), its exchange (http-exchange.ts). A request that finds its pooled connection
// closed by the server is sent once more on a new one when it is idempotent.
import { fetchFailed } from './fetch-error.ts'
import { Connection } from './http-connection.ts'
import { exchange, kStale, type Head } from './http-exchange.ts'
import { idleMsFor, release, takeIdle } from './http-pool.ts'

/** Where a request goes, from its URL (fetch.ts parses it). */
export interface Target {
  secure: boolean
  host: string
  port: number
  /** The Host header: host and any non-default port, as in the URL. */
  authority: string
  path: string
}

// Methods a server must treat the same when sent twice: safe to send again on a new connection.
const IDEMPOTENT = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']

/** One request on a pooled connection or a new one; sent once more on a new one when a pooled connection was stale. */
export async function send(
  t: Target,
  wire: string | Uint8Array,
  body: Uint8Array | null,
  method: string,
  signal: AbortSignal | null,
  timeoutMs: number,
  describe: string,
): Promise<Head> {
  const key = `${t.secure ? 'https' : 'http'}://${t.host}:${t.port}`
  for (let attempt = 0; ; attempt++) {
    const pooled = attempt === 0 ? takeIdle(key) : null
    let conn: Connection
    try {
      conn = pooled ?? new Connection(key, t.secure, t.host, t.port)
    } catch (err) {
      throw fetchFailed(`cannot connect to ${t.host}:${t.port}: ${(err as Error).message}`, err)
    }
    try {
      return await exchange({
        conn,
        head: wire,
        body,
        noBody: method === 'HEAD',
        signal,
        timeoutMs,
        describe,
        finished: (reusable, keepAlive) => {
          if (reusable) release(conn, idleMsFor(keepAlive))
        },
      })
    } catch (err) {
      if (pooled !== null && (err as any)?.[kStale] === true && IDEMPOTENT.indexOf(method) >= 0) continue
      throw err
    }
  }
}
