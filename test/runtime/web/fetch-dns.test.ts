// fetch() resolves names without blocking the event loop: while one request waits on a
// nameserver that takes its time, the function serves other requests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { startDnsServer, type DnsServer } from '../../support/dns-server.ts'
import { buildBoth } from '../../support/function-build.ts'
import { repoRoot } from '../../support/paths.ts'
import { startRuntime, type Server as Running } from '../../support/process.ts'

let dns: DnsServer
let upstream: Server
let rt: Running
let dir: string

test.before(async () => {
  dns = await startDnsServer({ 'slow.upstream.test': { a: ['127.0.0.1'], delayMs: 1500 } })
  upstream = createServer((_, res) => res.end('from upstream'))
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r))
  const port = (upstream.address() as { port: number }).port
  dir = mkdtempSync(join(tmpdir(), 'scratchfn-fetch-dns-'))
  writeFileSync(join(dir, 'resolv.conf'), dns.resolvConf())
  const { bin } = await buildBoth(join(repoRoot, 'test/fixtures/sockets/slow-dns.ts'), 'slow-dns')
  rt = await startRuntime(bin, { SCRATCHFN_RESOLV_CONF: join(dir, 'resolv.conf'), UPSTREAM_URL: `http://slow.upstream.test:${port}/`, SCRATCHFN_ACCESS_LOG: '0' })
})
test.after(async () => {
  await rt?.stop()
  await dns.close()
  await new Promise((r) => upstream.close(r))
  rmSync(dir, { recursive: true, force: true })
})

test('other requests are answered while a fetch waits for its name to resolve', async () => {
  const order: string[] = []
  const slow = fetch(`${rt.url}/slow-dns/slow`).then(async (r) => order.push(`slow ${r.status} ${await r.text()}`))
  // Until the nameserver has the question, nothing is waiting on it.
  for (let i = 0; i < 200 && dns.queries.length === 0; i++) await new Promise((r) => setTimeout(r, 10))
  for (let i = 0; i < 5; i++) {
    const r = await fetch(`${rt.url}/slow-dns/fast`)
    order.push(`fast ${r.status} ${await r.text()}`)
  }
  await slow
  assert.equal(order, [...Array(5).fill('fast 200 fast'), 'slow 200 from upstream'])
})

test.run()
