// Runs the scratchfn CLI as a user does (`npm run <command> -- ...`), asynchronously, so
// a test can watch its output, kill a server it talks to meanwhile, and keep reading
// the logs of servers it started (a synchronous spawn would stall their pipes).
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { repoRoot } from './paths.ts'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
  /** Everything printed, for assertion messages. */
  output: string
  ms: number
}

export interface RunningCli {
  proc: ChildProcess
  stdout(): string
  result: Promise<CliRun>
}

export interface CliOptions {
  /** Added to (or, with a value of '', removed from) the environment. */
  env?: Record<string, string>
  timeoutMs?: number
  cwd?: string
}

export function startCli(args: string[], opts: CliOptions = {}): RunningCli {
  const env: NodeJS.ProcessEnv = { ...process.env }
  // A developer's own registry login must not leak into a test.
  for (const key of [
    'SCRATCHFN_REGISTRY_USER',
    'SCRATCHFN_REGISTRY_PASSWORD',
    'REGISTRY_AUTH_FILE',
    'DOCKER_CONFIG',
    'SCRATCHFN_PUSH_PAUSE_MS',
  ])
    delete env[key]
  for (const [k, v] of Object.entries(opts.env ?? {}))
    if (v === '') delete env[k]
    else env[k] = v
  const started = Date.now()
  const proc = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts/cli.ts'), ...args], {
    cwd: opts.cwd ?? repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  proc.stdout!.on('data', (c) => {
    stdout += c
  })
  proc.stderr!.on('data', (c) => {
    stderr += c
  })
  const timer = setTimeout(() => proc.kill('SIGKILL'), opts.timeoutMs ?? 300_000)
  const result = new Promise<CliRun>((resolve) => {
    proc.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, output: `${stdout}\n${stderr}`, ms: Date.now() - started })
    })
  })
  return { proc, stdout: () => stdout, result }
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  return startCli(args, opts).result
}
