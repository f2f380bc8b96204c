// A real single-node etcd for tests: free ports on 127.0.0.1, a temp data dir, and
// stop/start that keep the data dir, so tests can take the store down and bring it back.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './process.ts'

export interface Etcd {
  /** http://127.0.0.1:<client port> */
  endpoint: string
  port: number
  /** Stops it: SIGKILL by default, as a crash would (the data dir stays). */
  stop(signal?: NodeJS.Signals): Promise<void>
  /** Starts it again on the same ports and data dir. */
  start(): Promise<void>
  /** Stops it and removes the data dir. */
  destroy(): Promise<void>
  log(): string
}

export async function startEtcd(): Promise<Etcd> {
  if (spawnSync('etcd', ['--version']).error) {
    throw new Error('etcd is not installed: the machines store tests need it; run `apt-get install -y --no-install-recommends etcd-server` (Debian/Ubuntu)')
  }
  const dir = mkdtempSync(join(tmpdir(), 'scratchfn-etcd-'))
  const port = await freePort()
  const peer = await freePort()
  const endpoint = `http://127.0.0.1:${port}`
  let proc: ChildProcess | undefined
  let exited: Promise<void> = Promise.resolve()
  let output = ''
  const args = [
    '--name', 'test', '--data-dir', join(dir, 'data'),
    '--listen-client-urls', endpoint, '--advertise-client-urls', endpoint,
    '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
    '--initial-cluster', `test=http://127.0.0.1:${peer}`, '--logger', 'zap', '--log-level', 'error',
  ]

  async function start(): Promise<void> {
    const child = spawn('etcd', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    proc = child
    child.stdout!.on('data', (c) => { output += c })
    child.stderr!.on('data', (c) => { output += c })
    let gone = false
    exited = new Promise((resolve) => child.on('exit', () => { gone = true; resolve() }))
    const deadline = Date.now() + 20_000
    for (;;) {
      if (gone) throw new Error(`etcd exited before it was ready:\n${output}`)
      try {
        const res = await fetch(`${endpoint}/health`)
        if ((await res.json() as { health?: string }).health === 'true') return
      } catch {}
      if (Date.now() > deadline) {
        child.kill('SIGKILL')
        throw new Error(`etcd not healthy on ${endpoint} within 20 s:\n${output}`)
      }
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  async function stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill(signal)
    await exited
    proc = undefined
  }

  await start()
  return {
    endpoint, port, start, stop,
    async destroy() {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    },
    log: () => output,
  }
}
