// The runtime's resolver (runtime/core/dns-resolver.c) through node:dns, against a DNS
// server this suite runs on loopback, named by a resolv.conf the test writes
// (SCRATCHFN_RESOLV_CONF): records, search domains and ndots as Kubernetes writes them,
// NXDOMAIN, truncation and the TCP retry, a nameserver that never answers, the hosts file,
// and a slow answer that holds up neither other lookups nor timers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { startDnsServer, type DnsServer } from '../../support/dns-server.ts'
import { runInRuntime } from '../../support/script.ts'

let dns: DnsServer
let dir: string

test.before(async () => {
  dns = await startDnsServer({
    'db.team.svc.cluster.local': { a: ['10.0.0.5'] },
    'both.test': { a: ['192.0.2.1', '192.0.2.2'], aaaa: ['2001:db8::1'], ttl: 42 },
    'big.test': { a: ['192.0.2.9'], truncate: true },
    'broken.test': { servfail: true },
    'silent.test': { drop: true },
    'slow.test': { a: ['192.0.2.7'], delayMs: 700 },
    'fast.test': { a: ['192.0.2.8'] },
    'dotted.name.example': { a: ['192.0.2.10'] },
  })
  dir = mkdtempSync(join(tmpdir(), 'scratchfn-dns-'))
})
test.after(async () => {
  await dns.close()
  rmSync(dir, { recursive: true, force: true })
})

async function run(source: string, conf: string, hosts = ''): Promise<string[]> {
  const resolv = join(dir, `resolv-${Math.random().toString(36).slice(2)}.conf`)
  const hostsFile = join(dir, `hosts-${Math.random().toString(36).slice(2)}`)
  writeFileSync(resolv, conf)
  writeFileSync(hostsFile, hosts)
  const r = await runInRuntime(`import dns from 'node:dns'\n;(async () => {\n${source}\n})().catch((e) => print('FAILED', e.stack))`, {
    env: { SCRATCHFN_RESOLV_CONF: resolv, SCRATCHFN_HOSTS: hostsFile },
  })
  assert.is(r.code, 0, r.stderr)
  return r.stdout.trim().split('\n')
}

const lookupAll = `const l = (name: string, o: object = { all: true }) => new Promise((res) => dns.lookup(name, o, (err, a) => res(err ? err.code + ' ' + err.message : JSON.stringify(a))))`

test('resolve4 and resolve6 answer from the nameserver, with TTLs', async () => {
  const out = await run(
    `print(JSON.stringify(await dns.promises.resolve4('both.test')))
     print(JSON.stringify(await dns.promises.resolve4('both.test', { ttl: true })))
     print(JSON.stringify(await dns.promises.resolve6('both.test')))`,
    dns.resolvConf(),
  )
  assert.equal(out, ['["192.0.2.1","192.0.2.2"]', '[{"address":"192.0.2.1","ttl":42},{"address":"192.0.2.2","ttl":42}]', '["2001:db8::1"]'])
})

test('lookup goes through the search list as ndots says, and tries the name as is last', async () => {
  dns.queries.length = 0
  const out = await run(`${lookupAll}\nprint(await l('db', { family: 4, all: true }))`, dns.resolvConf('search team.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5'))
  assert.equal(out, ['[{"address":"10.0.0.5","family":4}]'])
  assert.equal(dns.queries.map((q) => q.name), ['db.team.svc.cluster.local'])
  dns.queries.length = 0
  const missing = await run(`${lookupAll}\nprint(await l('nope', { family: 4 }))`, dns.resolvConf('search a.test b.test\noptions ndots:2'))
  assert.equal(missing, ['ENOTFOUND getaddrinfo ENOTFOUND nope'])
  assert.equal(dns.queries.map((q) => q.name), ['nope.a.test', 'nope.b.test', 'nope'])
})

test('a name with ndots or more dots is asked as is first; a trailing dot skips the search list', async () => {
  dns.queries.length = 0
  const out = await run(`${lookupAll}\nprint(await l('dotted.name.example', { family: 4 }))\nprint(await l('x.test.', { family: 4 }))`, dns.resolvConf('search s.test\noptions ndots:2'))
  assert.equal(out, ['"192.0.2.10"', 'ENOTFOUND getaddrinfo ENOTFOUND x.test.'])
  assert.equal(dns.queries.map((q) => q.name), ['dotted.name.example', 'x.test'])
})

test('lookup gives IPv4 addresses before IPv6 ones, and one address without all', async () => {
  const out = await run(`${lookupAll}\nprint(await l('both.test'))\nprint(await l('both.test', {}))\nprint(await l('both.test', { family: 6, all: true }))`, dns.resolvConf())
  assert.equal(out, [
    '[{"address":"192.0.2.1","family":4},{"address":"192.0.2.2","family":4},{"address":"2001:db8::1","family":6}]',
    '"192.0.2.1"',
    '[{"address":"2001:db8::1","family":6}]',
  ])
})

test('retries a truncated answer over TCP', async () => {
  dns.queries.length = 0
  const out = await run(`print(JSON.stringify(await dns.promises.resolve4('big.test')))`, dns.resolvConf())
  assert.equal(out, ['["192.0.2.9"]'])
  assert.equal(dns.queries.map((q) => q.over), ['udp', 'tcp'])
})

test('a failing or silent nameserver: ESERVFAIL and ETIMEOUT for resolve, EAI_AGAIN for lookup, after the attempts resolv.conf allows', async () => {
  dns.queries.length = 0
  const out = await run(
    `const code = (p: Promise<unknown>) => p.then(() => 'ok', (e) => e.code + ' ' + e.syscall + ' ' + e.message)
     print(await code(dns.promises.resolve4('broken.test')))
     print(await code(dns.promises.resolve4('silent.test')))
     print(await code(dns.promises.lookup('silent.test')))`,
    dns.resolvConf('options timeout:1 attempts:2'),
  )
  assert.equal(out, ['ESERVFAIL queryA queryA ESERVFAIL broken.test', 'ETIMEOUT queryA queryA ETIMEOUT silent.test', 'EAI_AGAIN getaddrinfo getaddrinfo EAI_AGAIN silent.test'])
  assert.is(dns.queries.filter((q) => q.name === 'silent.test' && q.type === 'A').length, 4)
})

test('the hosts file and localhost answer without asking the nameserver', async () => {
  dns.queries.length = 0
  const out = await run(`${lookupAll}\nprint(await l('pinned.test'))\nprint(await l('localhost'))\nprint(await l('api.localhost', { family: 4, all: true }))`, dns.resolvConf(), '# comment\n192.0.2.50 pinned.test other\n')
  assert.equal(out, ['[{"address":"192.0.2.50","family":4}]', '[{"address":"127.0.0.1","family":4},{"address":"::1","family":6}]', '[{"address":"127.0.0.1","family":4}]'])
  assert.equal(dns.queries, [])
})

test('a slow answer holds up neither other lookups nor timers', async () => {
  const out = await run(
    `const order: string[] = []
     const slow = dns.promises.lookup('slow.test').then((a: any) => order.push('slow ' + a.address))
     const fast = dns.promises.lookup('fast.test').then((a: any) => order.push('fast ' + a.address))
     const timer = new Promise((r) => setTimeout(r, 20)).then(() => order.push('timer'))
     await Promise.all([slow, fast, timer])
     print(order.join(', '))`,
    dns.resolvConf(),
  )
  assert.equal(out, ['fast 192.0.2.8, timer, slow 192.0.2.7'])
})

test('names that are not DNS names fail as Node fails them', async () => {
  const out = await run(`${lookupAll}\nprint(await l('no such host'))\nprint(await l('a..b'))`, dns.resolvConf())
  assert.equal(out, ['ENOTFOUND getaddrinfo ENOTFOUND no such host', 'ENOTFOUND getaddrinfo ENOTFOUND a..b'])
})

test.run()
