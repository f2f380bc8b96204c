// Counts the instructions one runtime process executes, with valgrind's callgrind, in four
// parts cut by `vgdb dump` while the process is idle between requests: start-up (exec to
// the first 200 answered, that request included), the warm-up requests, the measured
// requests, and the exit after SIGTERM. The server waits in epoll_wait when a part is cut,
// so each part holds exactly the work of its requests, whatever the machine's load.
import { spawn, spawnSync } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { partTotal } from './callgrind-file.ts'
import { connectWhenListening, type KeepAliveClient } from './keep-alive-client.ts'

export interface CallgrindOptions {
  /** The runtime binary and its arguments (the app's bytecode). */
  command: string
  args: string[]
  /** The working directory, so the app's path in args can be the same on every machine. */
  cwd: string
  /** The whole environment of the process: nothing is inherited, so runs compare. PORT is added. */
  env: Record<string, string>
  /** The raw HTTP/1.1 request sent on one keep-alive connection, over and over. */
  request: string
  /** Requests after the first one, before the measured ones. */
  warmup: number
  /** Measured requests. */
  requests: number
  /** Where callgrind writes its files (emptied first). */
  outDir: string
  /** For messages: 'accounts'. */
  label: string
  timeoutMs?: number
  /**
   * How the run ends: 'sigterm' (the default) expects exit 0 and counts the exit as a part
   * of its own; 'kill' sends SIGKILL after the measured requests and has no exit part, for
   * a server whose signal handler callgrind cannot follow (Go's fails callgrind's
   * `sigNum == vgCallgrind_current_state.sig` assertion).
   */
  end?: 'sigterm' | 'kill'
}

export interface CallgrindCounts {
  /** Exec to the first 200, that request included. */
  startup: number
  warmup: number
  /** All measured requests together. */
  measured: number
  /** From SIGTERM to exit; null when the run ended with SIGKILL (end: 'kill'). */
  exit: number | null
}

/** The function answered something else than 200: no figure of it would mean what it says. */
export class WrongStatusError extends Error {
  constructor(
    label: string,
    what: string,
    request: string,
    readonly statuses: number[],
  ) {
    const more = statuses.length > 1 ? ` (and ${statuses.length - 1} more non-200s)` : ''
    super(`${label}: ${what}: ${request} answered ${statuses[0]}${more}, not 200`)
    this.name = 'WrongStatusError'
  }
}

const known = new Set(['command', 'args', 'cwd', 'env', 'request', 'warmup', 'requests', 'outDir', 'label', 'timeoutMs', 'end'])

export async function countInstructions(options: CallgrindOptions): Promise<CallgrindCounts> {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`countInstructions: unknown option '${key}'`)
  const o = { timeoutMs: 120_000, end: 'sigterm' as const, ...options }
  rmSync(o.outDir, { recursive: true, force: true })
  mkdirSync(o.outDir, { recursive: true })
  const port = await freePort()
  const devNull = openSync('/dev/null', 'w')
  // callgrind.out.<pid> is the last part; each dump before it adds .1, .2, ...
  const proc = spawn(
    commandPath('valgrind'),
    [
      '--tool=callgrind',
      // Each part's file names its functions in full, so each one reads on its own.
      '--compress-strings=no',
      `--callgrind-out-file=${join(o.outDir, 'callgrind.out.%p')}`,
      `--vgdb-prefix=${join(o.outDir, 'vgdb')}`,
      o.command,
      ...o.args,
    ],
    { cwd: o.cwd, env: { ...o.env, PORT: String(port) }, stdio: ['ignore', devNull, 'pipe'] },
  )
  closeSync(devNull)
  let stderr = ''
  proc.stderr!.on('data', (c) => {
    stderr += c
  })
  let exit: string | undefined
  const exited = new Promise<number | string>((resolve) => {
    proc.on('exit', (code, signal) => {
      exit = `${o.label}: the runtime exited (${code ?? signal}) under callgrind before it was done:\n${runtimeLines(stderr)}`
      resolve(code ?? signal ?? -1)
    })
    proc.on('error', (err) => {
      exit = `${o.label}: could not start valgrind: ${err.message}`
      resolve(-1)
    })
  })
  const killTimer = setTimeout(() => proc.kill('SIGKILL'), o.timeoutMs)
  let client: KeepAliveClient | undefined
  try {
    client = await connectWhenListening({ port, request: o.request, timeoutMs: o.timeoutMs, exited: () => exit })
    const answered = async (count: number, what: string) => {
      const wrong = await client!.send(count)
      if (wrong.length) throw new WrongStatusError(o.label, what, requestLine(o.request), wrong)
    }
    await answered(1, 'the first request')
    const cut = (hint: string) => dump(proc.pid!, o.outDir, o.env, hint)
    await cut('startup')
    await answered(o.warmup, 'a warm-up request')
    await cut('warmup')
    await answered(o.requests, 'a measured request')
    await cut('requests')
    if (o.end === 'kill') {
      proc.kill('SIGKILL')
      await exited
      return countsOf(collectParts(o.outDir, proc.pid!, o.label, PARTS.length - 1))
    }
    // SIGTERM with the connection idle: the runtime drains (SCRATCHFN_DRAIN_DELAY_MS=0 here) and exits 0.
    proc.kill('SIGTERM')
    const code = await exited
    if (code !== 0) throw new Error(`${o.label}: the runtime exited with ${code} after SIGTERM, not 0:\n${runtimeLines(stderr)}`)
  } finally {
    client?.close()
    clearTimeout(killTimer)
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL')
      await exited
    }
  }
  return countsOf(collectParts(o.outDir, proc.pid!, o.label, PARTS.length))
}

function countsOf(parts: Partial<Record<(typeof PARTS)[number], number>>): CallgrindCounts {
  return { startup: parts.startup!, warmup: parts.warmup!, measured: parts.requests!, exit: parts.exit ?? null }
}

/** Asks callgrind to write what it counted so far and start the next part. */
function dump(pid: number, outDir: string, env: Record<string, string>, hint: string): Promise<void> {
  // vgdb finds the process's pipes by a name made of USER and HOSTNAME: give it the same ones.
  const vgdb = spawn('vgdb', [`--vgdb-prefix=${join(outDir, 'vgdb')}`, `--pid=${pid}`, 'dump', hint], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let said = ''
  vgdb.stdout!.on('data', (c) => (said += c))
  vgdb.stderr!.on('data', (c) => (said += c))
  const timer = setTimeout(() => vgdb.kill('SIGKILL'), 60_000)
  return new Promise((resolve, reject) => {
    vgdb.on('error', (err) => reject(new Error(`could not run vgdb: ${err.message}`)))
    vgdb.on('close', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve()
      else
        reject(
          new Error(
            `vgdb could not make callgrind dump (pid ${pid}): ${said.trim() || `exit ${code}`}; vgdb interrupts the waiting runtime with ptrace, which needs kernel.yama.ptrace_scope at 0 or 1, or CAP_SYS_PTRACE (a privileged CI container)`,
          ),
        )
    })
  })
}

const PARTS = ['startup', 'warmup', 'requests', 'exit'] as const

/** Renames the first `count` parts to <outDir>/<part>.callgrind and reads their totals. */
function collectParts(outDir: string, pid: number, label: string, count: number): Partial<Record<(typeof PARTS)[number], number>> {
  const base = `callgrind.out.${pid}`
  const files = readdirSync(outDir)
    // Killed, the process leaves its last file unwritten: only the dumped parts count then.
    .filter((f) => (f === base && count === PARTS.length) || f.startsWith(base + '.'))
    .map((f) => ({ file: join(outDir, f), ...partTotal(join(outDir, f)) }))
    .sort((a, b) => a.part - b.part)
  if (files.length !== count) throw new Error(`${label}: expected ${count} callgrind parts in ${outDir}, found ${files.length}`)
  const totals: Partial<Record<(typeof PARTS)[number], number>> = {}
  files.forEach((f, i) => {
    renameSync(f.file, join(outDir, `${PARTS[i]}.callgrind`))
    totals[PARTS[i]] = f.total
  })
  return totals
}

/** 'GET /accounts/10042', without the protocol version. */
function requestLine(request: string): string {
  return request.slice(0, request.indexOf('\r\n')).replace(/ HTTP\/1\.1$/, '')
}

/** What the runtime itself printed, without valgrind's own ==pid== lines. */
function runtimeLines(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => l && !/^==\d+==/.test(l))
    .join('\n')
}

/** The absolute path, since the process gets no PATH of ours. */
function commandPath(command: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' })
  if (found.status !== 0) throw new Error(`cost: '${command}' is not installed`)
  return found.stdout.trim()
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}
