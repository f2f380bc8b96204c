// Starts the static runtime (or any server command) on a free port and waits until it answers /readyz.
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { runtimeBinary } from './paths.ts'

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}

export interface Server {
  port: number
  url: string
  proc: ChildProcess
  /** Everything written to stdout so far (access logs, console.log). */
  stdout(): string
  stderr(): string
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>
  stop(signal?: NodeJS.Signals): Promise<number | string>
}

export interface StartOptions {
  /** Command and arguments; PORT is added to the environment. */
  command: string
  args: string[]
  env?: Record<string, string>
  /** Path probed until it answers (default /readyz). */
  readyPath?: string
  timeoutMs?: number
}

export async function startServer(opts: StartOptions): Promise<Server> {
  const port = await freePort()
  const proc = spawn(opts.command, opts.args, {
    env: { ...process.env, PORT: String(port), ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  proc.stdout!.on('data', (c) => {
    out += c
  })
  proc.stderr!.on('data', (c) => {
    err += c
  })
  const exited = new Promise<number | string>((resolve) => proc.on('exit', (code, sig) => resolve(code ?? sig ?? -1)))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000)
  let exitCode: number | string | undefined
  exited.then((c) => {
    exitCode = c
  })
  for (;;) {
    if (exitCode !== undefined) throw new Error(`server exited with ${exitCode} before it was ready:\n${err}${out}`)
    try {
      const res = await fetch(url + (opts.readyPath ?? '/readyz'))
      await res.arrayBuffer()
      if (res.status < 500) break
    } catch {}
    if (Date.now() > deadline) {
      proc.kill('SIGKILL')
      throw new Error(`server not ready on ${url} in time:\n${err}${out}`)
    }
    await new Promise((r) => setTimeout(r, 20))
  }
  return {
    port,
    url,
    proc,
    exited,
    stdout: () => out,
    stderr: () => err,
    async stop(signal = 'SIGTERM') {
      if (exitCode === undefined) proc.kill(signal)
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000)
      const code = await exited
      clearTimeout(timer)
      return code
    },
  }
}

export interface RuntimeOptions {
  /** The runtime binary (default: SCRATCHFN_TEST_RUNTIME, else the release build). */
  binary?: string
  timeoutMs?: number
}

/**
 * Starts the static runtime serving `app` (a .js bundle or .bin bytecode file).
 * SCRATCHFN_TEST_RUNTIME=.scratchfn/runtime-sanitize/scratchfn-runtime npm test -- test/runtime
 * runs the suites that use this against the sanitizer build.
 */
export function startRuntime(app: string, env: Record<string, string> = {}, options: RuntimeOptions = {}): Promise<Server> {
  const command = options.binary ?? process.env.SCRATCHFN_TEST_RUNTIME ?? runtimeBinary
  return startServer({ command, args: [app], env, timeoutMs: options.timeoutMs })
}
