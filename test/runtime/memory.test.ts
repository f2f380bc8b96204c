// Memory stays flat under load. QuickJS (2021, and still 2025-04-26) never frees a WeakMap
// entry whose value points back at its key, so if the bundle ever lowers Hono's #private fields to
// WeakMaps again, every request leaks its Context and this test fails.
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { buildBoth } from '../support/function-build.ts'
import { repoRoot } from '../support/paths.ts'
import { startRuntime, type Server } from '../support/process.ts'

const test = suite('runtime memory')
let server: Server

test.before(async () => {
  const built = await buildBoth(join(repoRoot, 'test/fixtures/conformance/conf.ts'), 'conf')
  server = await startRuntime(built.bin, { SCRATCHFN_ACCESS_LOG: '0' })
})
test.after(async () => {
  await server.stop()
})

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])
}

/** `count` requests over `connections` keep-alive sockets; resolves with how many answered 200. */
async function hammer(count: number, connections: number, path: string): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections })
  let ok = 0
  let next = 0
  const worker = async () => {
    while (next < count) {
      next++
      const answered = await new Promise<number>((resolve) => {
        const req = request({ host: '127.0.0.1', port: server.port, path, agent, headers: { Cookie: 'a=1' } }, (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode === 200 ? 1 : 0))
        })
        req.on('error', () => resolve(0))
        req.end()
      })
      ok += answered
    }
  }
  await Promise.all(Array.from({ length: connections }, worker))
  agent.destroy()
  return ok
}

test('RSS grows by less than 2 MB over 20,000 requests through Hono middleware', async () => {
  // Warm up first: the allocator and the engine's shapes settle in the first requests.
  assert.is(await hammer(2000, 16, '/conf/cookies'), 2000)
  const before = rssKb(server.proc.pid!)
  assert.is(await hammer(20_000, 16, '/conf/cookies'), 20_000)
  const after = rssKb(server.proc.pid!)
  assert.ok(after - before < 2048, `RSS grew from ${before} KB to ${after} KB`)
})

test.run()
