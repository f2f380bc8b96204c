// The example functions as their images, under podman, as OpenShift runs them (any
// UID in group 0, read-only root, no capabilities): quotes and accounts in two
// containers on podman's bridge, accounts calling quotes by the quotes container's
// address; machines on a real etcd, surviving a container restart and an etcd outage.
import { cpSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startEtcd, type Etcd } from '../support/etcd.ts'
import { repoRoot } from '../support/paths.ts'
import { openshiftFlags, runFlags, tempPodman } from '../support/podman.ts'
import { freePort } from '../support/process.ts'
import { tempProject } from '../support/project.ts'

const EXAMPLES = ['hello', 'quotes', 'accounts', 'machines']
const project = tempProject(EXAMPLES.map((n) => join(repoRoot, 'functions', `${n}.ts`)))
// The examples share helpers under functions/_lib/; the project needs them too.
cpSync(join(repoRoot, 'functions/_lib'), join(project.root, 'functions/_lib'), { recursive: true })
const podman = tempPodman()
let etcd: Etcd | undefined
let slowQuotes: Server | undefined

interface Container {
  id: string
  url: string
}

/**
 * Starts one example's image. On the bridge (default) it is published on a free
 * loopback port; with `hostNetwork` it listens on a free port of the host's loopback
 * (to reach etcd and test servers there).
 */
async function run(name: string, env: Record<string, string> = {}, hostNetwork = false): Promise<Container> {
  const port = await freePort()
  const envFlags = Object.entries({ ...env, ...(hostNetwork ? { PORT: String(port) } : {}) }).flatMap(([k, v]) => ['-e', `${k}=${v}`])
  const net = hostNetwork ? ['--network', 'host'] : ['-p', `127.0.0.1:${port}:8080`]
  const { stdout } = await podman.podman([
    'run',
    '-d',
    ...runFlags,
    ...openshiftFlags,
    ...net,
    ...envFlags,
    `localhost/scratchfn/${name}:latest`,
  ])
  const id = stdout.trim()
  const url = `http://127.0.0.1:${port}`
  await podman.waitReady(url, id)
  return { id, url }
}

async function ip(c: Container): Promise<string> {
  const out = await podman.podman(['inspect', '--format', '{{.NetworkSettings.IPAddress}}', c.id])
  const addr = out.stdout.trim()
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(addr)) throw new Error(`container ${c.id} has no bridge address: '${addr}'`)
  return addr
}

const remove = (c: Container) => podman.podman(['rm', '-f', '-t', '0', c.id])
const post = (body: unknown, method = 'POST') => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

const test = suite('the example functions as images, under podman')

test.before(async () => {
  const built = project.build()
  if (built.code !== 0) throw new Error(`building the examples failed:\n${built.stdout}\n${built.stderr}`)
  for (const name of EXAMPLES) await podman.podman(['load', '-q', '-i', join(project.root, 'dist/images', name, `${name}.tar`)])
})
test.after(async () => {
  slowQuotes?.closeAllConnections()
  slowQuotes?.close()
  await etcd?.destroy()
  await podman.cleanup()
  project.remove()
})

test('hello answers at its route', async () => {
  const hello = await run('hello')
  try {
    assert.is(await (await fetch(`${hello.url}/hello`)).text(), 'Hello from scratchfn!\n')
    assert.equal(await (await fetch(`${hello.url}/hello/ada`)).json(), { message: 'Hello, ada!' })
  } finally {
    await remove(hello)
  }
})

test('accounts enriches an account with a quote from the quotes container, and says so when quotes goes away', async () => {
  const quotes = await run('quotes')
  const accounts = await run('accounts', { QUOTES_URL: `http://${await ip(quotes)}:8080/quotes` })
  try {
    const direct = await (await fetch(`${quotes.url}/quotes/random`)).json()
    assert.ok(direct.text && direct.author && direct.instance, JSON.stringify(direct))
    const res = await fetch(`${accounts.url}/accounts/10042`, { headers: { 'x-request-id': 'podman-accounts-1' } })
    assert.is(res.status, 200)
    const body = await res.json()
    assert.equal([body.id, body.name, body.quote_status], ['10042', 'Person_42', 'ok'], JSON.stringify(body))
    assert.is(body.quote.instance, direct.instance, 'the quote names the quotes container that served it')
    // One request id in both containers' access logs.
    assert.match(await podman.logs(quotes.id), /"path":"\/quotes\/random".*"request_id":"podman-accounts-1"/)
    assert.is((await fetch(`${accounts.url}/accounts/123`)).status, 404)

    await remove(quotes)
    const started = Date.now()
    const down = await fetch(`${accounts.url}/accounts/10042`)
    const ms = Date.now() - started
    assert.is(down.status, 200)
    const without = await down.json()
    assert.not.ok('quote' in without)
    // Refused, or no route to the freed address: either way no quote, in time.
    assert.ok(['unavailable', 'timeout'].includes(without.quote_status), JSON.stringify(without))
    assert.ok(ms < 1500, `answered in ${ms} ms`)
  } finally {
    await remove(accounts)
    await podman.podman(['rm', '-f', '-t', '0', quotes.id], { allowFail: true })
  }
})

test('accounts answers in time with quote_status timeout when quotes is slower than 500 ms', async () => {
  slowQuotes = createServer((_req, res) => {
    setTimeout(() => res.end('{"text":"t","author":"a","instance":"i"}'), 3000).unref()
  })
  await new Promise<void>((resolve) => slowQuotes!.listen(0, '127.0.0.1', resolve))
  const slowUrl = `http://127.0.0.1:${(slowQuotes.address() as { port: number }).port}/quotes`
  const accounts = await run('accounts', { QUOTES_URL: slowUrl }, true)
  const plain = await run('accounts', {}, true)
  try {
    const started = Date.now()
    const res = await fetch(`${accounts.url}/accounts/10001`)
    const ms = Date.now() - started
    assert.equal(await res.json(), { id: '10001', name: 'Person_1', quote_status: 'timeout' })
    assert.ok(ms >= 450 && ms < 1500, `answered in ${ms} ms`)
    assert.match(await podman.logs(accounts.id), 'quotes did not answer within 500 ms')
    assert.equal(await (await fetch(`${plain.url}/accounts/10001`)).json(), {
      id: '10001',
      name: 'Person_1',
      quote_status: 'not_configured',
    })
  } finally {
    await remove(accounts)
    await remove(plain)
  }
})

test('machines keeps its machines in etcd across a container restart, and answers 503 while etcd is down', async () => {
  etcd = await startEtcd()
  const env = { MACHINES_STORE_URL: `etcd://127.0.0.1:${etcd.port}`, MACHINES_STORE_TIMEOUT_MS: '1000' }
  let machines = await run('machines', env, true)
  try {
    const created = await fetch(`${machines.url}/machines`, post({ name: 'pod-1', os: 'linux', cpus: 2, memory: 2048, tags: ['podman'] }))
    assert.is(created.status, 201)
    const m = await created.json()
    assert.is(created.headers.get('location'), `/machines/${m.id}`)
    assert.is((await fetch(`${machines.url}/machines`, post({ name: 'pod-1', os: 'linux', cpus: 1, memory: 64 }))).status, 409)
    const bad = await fetch(`${machines.url}/machines`, post({ name: 'Pod 1', os: 'dos', cpus: 0, memory: 1 }))
    assert.is(bad.status, 400)
    assert.equal(Object.keys((await bad.json()).fields).sort(), ['cpus', 'memory', 'name', 'os'])
    assert.not.match(await podman.logs(machines.id), 'MACHINES_STORE_URL is not set')

    await remove(machines)
    machines = await run('machines', env, true)
    assert.equal(await (await fetch(`${machines.url}/machines/${m.id}`)).json(), m)
    const renamed = await fetch(`${machines.url}/machines/${m.id}`, post({ ...m, cpus: 8 }, 'PUT'))
    assert.is(renamed.status, 200)
    const page = await (await fetch(`${machines.url}/machines?limit=10`)).json()
    assert.equal(
      page.items.map((x: { cpus: number }) => x.cpus),
      [8],
    )
    const ui = await fetch(`${machines.url}/machines/ui`)
    assert.is(ui.status, 200)
    assert.match(await ui.text(), '<td>pod-1</td>')

    await etcd.stop()
    const down = await fetch(`${machines.url}/machines`, post({ name: 'pod-2', os: 'linux', cpus: 1, memory: 64 }))
    assert.is(down.status, 503)
    assert.match((await down.json()).error, 'machine store is unavailable')
    assert.is((await fetch(`${machines.url}/machines/${m.id}`)).status, 503)
    await etcd.start()
    assert.is((await fetch(`${machines.url}/machines`, post({ name: 'pod-2', os: 'linux', cpus: 1, memory: 64 }))).status, 201)
    assert.is((await fetch(`${machines.url}/machines/${m.id}`, { method: 'DELETE' })).status, 204)
    assert.is((await fetch(`${machines.url}/machines/${m.id}`)).status, 404)
  } finally {
    await remove(machines)
  }
})

test('machines without MACHINES_STORE_URL keeps machines in memory and warns at start', async () => {
  const machines = await run('machines')
  try {
    assert.is((await fetch(`${machines.url}/machines`, post({ name: 'mem-1', os: 'macos', cpus: 1, memory: 64 }))).status, 201)
    assert.is((await (await fetch(`${machines.url}/machines`)).json()).items.length, 1)
    assert.match(await podman.logs(machines.id), /"level":"warn","msg":"MACHINES_STORE_URL is not set/)
  } finally {
    await remove(machines)
  }
})

test.run()
