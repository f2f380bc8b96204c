// A real redis-server (Debian's redis-server package) on a free port on 127.0.0.1, in a
// temp dir, without persistence.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { daemon } from './daemon.ts'
import { freePort } from './process.ts'

export interface Redis {
  url: string
  port: number
  destroy(): Promise<void>
}

function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => s.write('PING\r\n'))
    s.on('data', (d) => {
      resolve(d.toString().startsWith('+PONG'))
      s.destroy()
    })
    s.on('error', () => resolve(false))
  })
}

export async function startRedis(): Promise<Redis> {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error('redis-server is not installed: run `apt-get install -y --no-install-recommends redis-server` (Debian/Ubuntu)')
  }
  const dir = mkdtempSync(join(tmpdir(), 'scratchfn-redis-'))
  const port = await freePort()
  const redis = daemon({
    name: 'redis-server',
    command: 'redis-server',
    args: ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    timeoutMs: 10_000,
    ready: () => pong(port),
  })
  await redis.start()
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async destroy() {
      await redis.stop('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
