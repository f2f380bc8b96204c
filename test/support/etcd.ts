// A real single-node etcd for tests: free ports on 127.0.0.1, a temp data dir, and
// stop/start that keep the data dir, so tests can take the store down and bring it back.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { daemon } from './daemon.ts'
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
    throw new Error(
      'etcd is not installed: the machines store tests need it; run `apt-get install -y --no-install-recommends etcd-server` (Debian/Ubuntu)',
    )
  }
  const dir = mkdtempSync(join(tmpdir(), 'scratchfn-etcd-'))
  const port = await freePort()
  const peer = await freePort()
  const endpoint = `http://127.0.0.1:${port}`
  const args = [
    '--name',
    'test',
    '--data-dir',
    join(dir, 'data'),
    '--listen-client-urls',
    endpoint,
    '--advertise-client-urls',
    endpoint,
    '--listen-peer-urls',
    `http://127.0.0.1:${peer}`,
    '--initial-advertise-peer-urls',
    `http://127.0.0.1:${peer}`,
    '--initial-cluster',
    `test=http://127.0.0.1:${peer}`,
    '--logger',
    'zap',
    '--log-level',
    'error',
  ]

  const etcd = daemon({
    name: 'etcd',
    command: 'etcd',
    args,
    timeoutMs: 20_000,
    async ready() {
      const res = await fetch(`${endpoint}/health`)
      return ((await res.json()) as { health?: string }).health === 'true'
    },
  })
  const { start, stop } = etcd

  await start()
  return {
    endpoint,
    port,
    start,
    stop,
    async destroy() {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    },
    log: etcd.log,
  }
}
