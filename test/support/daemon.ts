// A server process that tests stop and start again on the same ports and data (a
// registry, etcd): start() waits until ready() says it answers; stop() kills it (SIGKILL
// by default, as a crash would) and waits for the exit.
import { spawn, type ChildProcess } from 'node:child_process'

export interface DaemonOptions {
  /** For messages: 'docker-registry', 'etcd'. */
  name: string
  command: string
  args: string[]
  /** True once the process answers; polled every 50 ms after each start. */
  ready(): Promise<boolean>
  timeoutMs: number
  /** Sees every chunk of stdout and stderr, after log() has it. */
  onOutput?(chunk: Buffer): void
}

export interface Daemon {
  start(): Promise<void>
  stop(signal?: NodeJS.Signals): Promise<void>
  /** Everything it printed, over every start. */
  log(): string
}

export function daemon(options: DaemonOptions): Daemon {
  let proc: ChildProcess | undefined
  let exited: Promise<void> = Promise.resolve()
  let output = ''
  const onOutput = (chunk: Buffer) => {
    output += chunk
    options.onOutput?.(chunk)
  }

  async function start(): Promise<void> {
    const child = spawn(options.command, options.args, { stdio: ['ignore', 'pipe', 'pipe'] })
    proc = child
    child.stdout!.on('data', onOutput)
    child.stderr!.on('data', onOutput)
    let gone = false
    exited = new Promise((resolve) =>
      child.on('exit', () => {
        gone = true
        resolve()
      }),
    )
    const deadline = Date.now() + options.timeoutMs
    for (;;) {
      if (gone) throw new Error(`${options.name} exited before it was ready:\n${output}`)
      try {
        if (await options.ready()) return
      } catch {}
      if (Date.now() > deadline) {
        child.kill('SIGKILL')
        throw new Error(`${options.name} not ready within ${options.timeoutMs / 1000} s:\n${output}`)
      }
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  async function stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill(signal)
    await exited
    proc = undefined
  }

  return { start, stop, log: () => output }
}
