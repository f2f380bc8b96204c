// Measurements for the bench, each independent of which runtime is measured.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { connect } from 'node:net'

export interface Target {
  label: string
  command: string
  args: string[]
  env: Record<string, string>
}

/** Starts the target pinned to one core. */
export function launch(target: Target, port: number, cpu: number): ChildProcess {
  return spawn('taskset', ['-c', String(cpu), target.command, ...target.args], {
    env: { ...process.env, ...target.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
}

/** One GET over a fresh connection; resolves with the status, or 0 if the connection failed. */
export function probe(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let data = ''
    socket.setNoDelay(true)
    socket.on('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`))
    socket.on('data', (c) => {
      data += c
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data)
      if (m) {
        socket.destroy()
        resolve(Number(m[1]))
      }
    })
    socket.on('error', () => resolve(0))
    socket.on('close', () => resolve(0))
  })
}

/** Compiles bench/cold-start.c (host gcc) unless the binary is newer than the source. */
export function coldStartTool(root: string): string {
  const source = join(root, 'bench/cold-start.c')
  const tool = join(root, '.scratchfn/bench/cold-start')
  if (!existsSync(tool) || statSync(tool).mtimeMs < statSync(source).mtimeMs) {
    mkdirSync(dirname(tool), { recursive: true })
    const cc = spawnSync('gcc', ['-O2', '-o', tool, source], { encoding: 'utf8' })
    if (cc.status !== 0) throw new Error(`bench: cannot compile ${source}:\n${cc.stderr}`)
  }
  return tool
}

/**
 * Milliseconds from exec to the first 200 on `path`, timed by bench/cold-start.c: a
 * Node harness would add its own ~5 ms spawn to every start. The tool runs on
 * `harnessCpu` and pins the server to `cpu`.
 */
export function coldStart(tool: string, target: Target, port: number, path: string, cpu: number, harnessCpu: number): number {
  const out = spawnSync(
    'taskset',
    ['-c', String(harnessCpu), tool, String(port), path, String(cpu), '--', target.command, ...target.args],
    {
      env: { ...process.env, ...target.env, PORT: String(port) },
      encoding: 'utf8',
    },
  )
  if (out.status !== 0) throw new Error(`${target.label}: cold start failed: ${out.stderr}`)
  return Number(out.stdout.trim())
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}

/** Resident set size of a process in KB (the server itself, not taskset: taskset execs it). */
export function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN)
}

export interface LoadResult {
  requests: number
  rps: number
  p50Ms: number
  p99Ms: number
  errors: number
}

/** wrk with one thread and fixed connections, pinned to its own core. */
export function load(port: number, path: string, seconds: number, connections: number, cpu: number): LoadResult {
  const out = spawnSync(
    'taskset',
    ['-c', String(cpu), 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', `http://127.0.0.1:${port}${path}`],
    { encoding: 'utf8' },
  )
  if (out.status !== 0) throw new Error(`wrk failed: ${out.stderr || out.stdout}`)
  const text = out.stdout
  const ms = (label: string) => {
    const m = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(text)
    if (!m) return NaN
    const v = Number(m[1])
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v
  }
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(text)
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text)
  return {
    requests: Number(/(\d+) requests in/.exec(text)?.[1] ?? 0),
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? 0),
    p50Ms: ms('50'),
    p99Ms: ms('99'),
    errors: Number(errors?.[1] ?? 0) + (socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0),
  }
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

export interface Spread {
  median: number
  min: number
  max: number
}

export function spread(values: number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) }
}

/** The CPU's model name from /proc/cpuinfo (os.cpus() shortens it on some kernels). */
export function cpuModel(): string {
  try {
    return /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
