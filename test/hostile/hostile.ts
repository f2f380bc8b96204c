// Shared by the hostile-input suites: a runtime with short timeouts, and one way to
// state each case. A case sends its bytes over a raw socket and must get the expected
// status (or a close) within a bounded time; then a normal request on a new connection
// must be served, and the process must still be running.
import { test } from 'uvu'
import type { Socket } from 'node:net'
import * as assert from 'uvu/assert'
import { repoRoot } from '../support/paths.ts'
import { startRuntime, type Server } from '../support/process.ts'
import { openSocket, parseResponses, rawRequest, type ParsedResponse } from '../support/raw-http.ts'

/** Short limits so slow cases end fast; every case is bounded by BOUND_MS. */
export const limits = {
  SCRATCHFN_HEADER_TIMEOUT_MS: '500',
  SCRATCHFN_BODY_TIMEOUT_MS: '500',
  SCRATCHFN_IDLE_TIMEOUT_MS: '500',
  SCRATCHFN_HANDLER_TIMEOUT_MS: '1000',
  SCRATCHFN_MAX_BODY_BYTES: '1000',
  SCRATCHFN_ACCESS_LOG: '0',
}
export const BOUND_MS = 2500
export const H = 'Host: t\r\n'

export function startHostile(env: Record<string, string> = {}): Promise<Server> {
  return startRuntime(`${repoRoot}/test/fixtures/core/server.js`, { ...limits, ...env })
}

/** The runtime the current hostile file runs against (set by hostileCases' before hook). */
export let server: Server

/**
 * Starts the runtime around the calling file's uvu suite and returns `hostile(name, fn)`:
 * a case that must be followed by a normal request the server still serves.
 */
export function hostileCases(env: Record<string, string> = {}): (name: string, fn: () => Promise<void>) => void {
  test.before(async () => {
    server = await startHostile(env)
  })
  test.after(async () => {
    await server.stop()
  })
  return (name, fn) =>
    test(name, async () => {
      await fn()
      await stillServes(server)
    })
}

export type Data = string | Buffer | Array<string | Buffer>

export interface Outcome {
  res: ParsedResponse[]
  closed: boolean
  ms: number
  text: string
}

/** Sends data and waits for the server to close (or BOUND_MS, which fails the case). */
export async function send(server: Server, data: Data, opts: { end?: boolean } = {}): Promise<Outcome> {
  const r = await rawRequest(server.port, data, { timeoutMs: BOUND_MS + 500, end: opts.end })
  assert.ok(r.closed, `no close within ${BOUND_MS} ms; got ${JSON.stringify(r.text.slice(0, 300))}`)
  assert.ok(r.ms <= BOUND_MS, `took ${r.ms} ms`)
  return { res: parseResponses(r.text), closed: r.closed, ms: r.ms, text: r.text }
}

/** The server answers `status` with a JSON error and closes. */
export async function refuses(server: Server, data: Data, status: number): Promise<Outcome> {
  const out = await send(server, data)
  assert.is(out.res.length, 1, `one answer, got ${JSON.stringify(out.text.slice(0, 300))}`)
  assert.is(out.res[0].status, status, out.text.slice(0, 300))
  assert.is(out.res[0].headers['connection'], 'close')
  assert.ok(JSON.parse(out.res[0].body).error, 'a JSON error body')
  return out
}

/** The server answers 200 (the fixture's echo) and, with the client's end, closes. */
export async function serves(
  server: Server,
  data: Data,
): Promise<{ method: string; target: string; headers: string[]; body: string | null }> {
  const out = await send(server, data, { end: true })
  assert.is(out.res[0]?.status, 200, out.text.slice(0, 300))
  return JSON.parse(out.res[0].body)
}

/** A normal request on a new connection is answered: the case left the server serving. */
export async function stillServes(server: Server): Promise<void> {
  assert.is(server.proc.exitCode, null, `the runtime exited: ${server.stderr()}`)
  const r = await rawRequest(server.port, `GET /text HTTP/1.1\r\n${H}\r\n`, { end: true, timeoutMs: BOUND_MS })
  assert.is(parseResponses(r.text)[0]?.body, 'hello', `the next request was not served: ${JSON.stringify(r.text)}`)
}

/** Writes the parts one at a time, `gapMs` apart, stopping if the socket closes. */
export async function dribble(socket: Socket, parts: string[], gapMs: number): Promise<void> {
  for (const part of parts) {
    if (socket.destroyed || socket.writableEnded) return
    socket.write(part)
    await new Promise((r) => setTimeout(r, gapMs))
  }
}

/** Collects a socket's bytes until it closes, or BOUND_MS (which fails). */
export function untilClosed(socket: Socket): Promise<{ text: string; ms: number }> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    let text = ''
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1')
    })
    const timer = setTimeout(() => reject(new Error(`socket still open after ${BOUND_MS} ms; got ${JSON.stringify(text)}`)), BOUND_MS)
    socket.on('close', () => {
      clearTimeout(timer)
      resolve({ text, ms: Date.now() - started })
    })
    socket.on('error', () => {})
  })
}

export { openSocket }
