// fetch's keep-alive pool: connections that finished a response cleanly wait here, per
// origin (scheme, host and port), for the next request to the same origin. Bounded: at most
// MAX_IDLE per origin (the oldest goes first) and an idle timeout, the server's Keep-Alive
// hint less a second or else 4 s, as Node's fetch (undici) does. An idle connection does
// not keep the process alive, and one the server closes, or that says anything while
// idle, leaves the pool.
import { core } from './core.ts'
import type { Connection } from './http-connection.ts'

const MAX_IDLE = 8
const DEFAULT_IDLE_MS = 4000
const THRESHOLD_MS = 1000

const idle = new Map<string, Connection[]>()

function remove(conn: Connection): void {
  const list = idle.get(conn.key)
  if (list === undefined) return
  const i = list.indexOf(conn)
  if (i >= 0) list.splice(i, 1)
  if (list.length === 0) idle.delete(conn.key)
  if (conn.idleTimer) core.clearTimer(conn.idleTimer)
  conn.idleTimer = 0
}

function discard(conn: Connection): void {
  remove(conn)
  conn.close()
}

/** An idle connection to `key`, the one used last first; null when there is none. */
export function takeIdle(key: string): Connection | null {
  const list = idle.get(key)
  if (list === undefined) return null
  const conn = list[list.length - 1]
  remove(conn)
  conn.ref(true)
  return conn
}

/** The idle time a Keep-Alive header allows ("timeout=5, max=100"), as undici reads it. */
export function idleMsFor(keepAlive: string | null): number {
  const m = keepAlive === null ? null : /(?:^|[,\s])timeout=(\d+)/i.exec(keepAlive)
  if (m === null) return DEFAULT_IDLE_MS
  const ms = Number(m[1]) * 1000 - THRESHOLD_MS
  return ms > 0 ? Math.min(ms, 600_000) : 0
}

/** Puts a connection whose exchange finished cleanly back for reuse, or closes it. */
export function release(conn: Connection, idleMs: number): void {
  if (conn.closed) return
  if (idleMs <= 0) return conn.close()
  let list = idle.get(conn.key)
  if (list === undefined) idle.set(conn.key, (list = []))
  if (list.length >= MAX_IDLE) discard(list[0])
  list.push(conn)
  conn.idleSince = core.hrtime()
  conn.ref(false)
  conn.events = {
    open() {},
    // A server speaks first only to say goodbye (or is broken): either way, not reusable.
    data: () => discard(conn),
    close: () => remove(conn),
  }
  conn.idleTimer = core.setTimer(
    idleMs,
    () => {
      conn.idleTimer = 0
      discard(conn)
    },
    false,
  )
}
