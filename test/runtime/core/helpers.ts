// Shared by the core suites: fixture paths, running the binary, reading responses off a socket.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import type { Socket } from 'node:net'
import { repoRoot, runtimeBinary } from '../../support/paths.ts'
import { parseResponses, type ParsedResponse } from '../../support/raw-http.ts'

export const fixture = (name: string) => join(repoRoot, 'test/fixtures/core', name)

/** Resolves once `count` complete responses arrived on the socket (or rejects after timeoutMs). */
export function readResponses(socket: Socket, count: number, timeoutMs = 3000): Promise<{ res: ParsedResponse[]; text: string }> {
  return new Promise((resolve, reject) => {
    let text = ''
    const check = () => {
      const res = parseResponses(text)
      const complete =
        res.length >= count &&
        res.slice(0, count).every((r) => {
          if (r.headers['transfer-encoding'] === 'chunked') return text.includes('\r\n0\r\n\r\n')
          const length = r.headers['content-length']
          return length === undefined || Buffer.byteLength(r.body, 'latin1') >= Number(length)
        })
      if (complete) {
        done()
        resolve({ res, text })
      }
    }
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1')
      check()
    }
    const timer = setTimeout(() => {
      done()
      reject(new Error(`timed out waiting for ${count} responses, got: ${JSON.stringify(text)}`))
    }, timeoutMs)
    const done = () => {
      clearTimeout(timer)
      socket.off('data', onData)
    }
    socket.on('data', onData)
  })
}

/** Polls until fn returns a truthy value, or fails after timeoutMs. */
export async function waitFor<T>(fn: () => T, what: string, timeoutMs = 3000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = fn()
    if (v) return v as NonNullable<T>
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** The JSON lines a process wrote, parsed (other lines skipped). */
export function jsonLines(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue
    try {
      out.push(JSON.parse(line))
    } catch {}
  }
  return out
}

export interface Run {
  code: number | string
  stdout: string
  stderr: string
}

/** Runs the runtime with args to completion; `onStdout` may act on output as it arrives (e.g. signal it). */
export function runRuntime(
  args: string[],
  opts: { env?: Record<string, string>; timeoutMs?: number; onStdout?: (text: string, pid: number) => void } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(runtimeBinary, args, { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 10000)
    child.stdout.on('data', (c) => {
      stdout += c
      opts.onStdout?.(stdout, child.pid!)
    })
    child.stderr.on('data', (c) => {
      stderr += c
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code: code ?? signal ?? -1, stdout, stderr })
    })
  })
}
