// The machines function against a real etcd that this suite starts: the store's
// semantics, data that outlives the function's process, 503 while etcd is down,
// recovery when it is back, and no acknowledged write lost to an etcd crash.
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { machinesApp } from '../../functions/machines.ts'
import { EtcdStore } from '../../functions/_lib/machines/etcd-store.ts'
import { bundleForNode } from '../../scripts/bundle/node-bundle.ts'
import { startEtcd, type Etcd } from '../support/etcd.ts'
import { repoRoot } from '../support/paths.ts'
import { startServer } from '../support/process.ts'

const test = suite('functions/machines.ts on etcd')
let etcd: Etcd
let n = 0
const consoleLog = console.log
const logged: string[] = []

const web = (name: string) => ({ name, os: 'linux', cpus: 2, memory: 2048, tags: ['etcd'] })
const post = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
// A fresh key prefix per test, so tests never see each other's machines.
const freshApp = (timeoutMs = 1000) => {
  const prefix = `/test-${process.pid}-${++n}/`
  return { app: machinesApp(new EtcdStore({ endpoint: etcd.endpoint, prefix, timeoutMs })), prefix }
}

test.before(async () => {
  etcd = await startEtcd()
  console.log = (line: string) => {
    logged.push(String(line))
  }
})
test.after(async () => {
  console.log = consoleLog
  await etcd?.destroy()
})

test('create, read, list, replace and delete go through etcd', async () => {
  const { app } = freshApp()
  const a = await app.request('/', post(web('alpha')))
  assert.is(a.status, 201)
  const alpha = await a.json()
  assert.is((await app.request('/', post(web('alpha')))).status, 409)
  const b = await (await app.request('/', post(web('beta')))).json()
  assert.equal(await (await app.request(`/${alpha.id}`)).json(), alpha)

  const renamed = await app.request(`/${alpha.id}`, { ...post({ ...web('gamma'), cpus: 16 }), method: 'PUT' })
  assert.is(renamed.status, 200)
  assert.is((await renamed.json()).cpus, 16)
  assert.is((await app.request(`/${b.id}`, { ...post(web('gamma')), method: 'PUT' })).status, 409)
  // Renaming freed 'alpha'.
  assert.is((await app.request('/', post(web('alpha')))).status, 201)

  assert.is((await app.request(`/${b.id}`, { method: 'DELETE' })).status, 204)
  assert.is((await app.request(`/${b.id}`)).status, 404)
  assert.is((await app.request(`/${b.id}`, { method: 'DELETE' })).status, 404)
  assert.is((await app.request('/', post(web('beta')))).status, 201)
  const list = await (await app.request('/')).json()
  assert.equal(
    list.items.map((m: { name: string }) => m.name),
    ['gamma', 'alpha', 'beta'],
  )
})

test('of many racing POSTs with one name, exactly one wins', async () => {
  const { app } = freshApp()
  const statuses = await Promise.all(
    Array.from({ length: 10 }, () => Promise.resolve(app.request('/', post(web('racer')))).then((r) => r.status)),
  )
  assert.equal(statuses.filter((s) => s === 201).length, 1)
  assert.equal(statuses.filter((s) => s === 409).length, 9)
})

test('lists page by page in creation order', async () => {
  const { app } = freshApp()
  const names = Array.from({ length: 7 }, (_, i) => `m${i}`)
  for (const name of names) assert.is((await app.request('/', post(web(name)))).status, 201)
  const seen: string[] = []
  let cursor: string | null = null
  do {
    const page: { items: Array<{ name: string }>; next_cursor: string | null } = await (
      await app.request(`/?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
    ).json()
    seen.push(...page.items.map((m) => m.name))
    cursor = page.next_cursor
  } while (cursor)
  assert.equal(seen, names)
})

test('answers 503 while etcd is down, and serves again once it is back, without a restart', async () => {
  const { app } = freshApp(500)
  const kept = await (await app.request('/', post(web('kept')))).json()
  await etcd.stop()
  try {
    for (const [path, init] of [
      ['/', undefined],
      ['/', post(web('lost'))],
      [`/${kept.id}`, undefined],
      [`/${kept.id}`, { method: 'DELETE' }],
    ] as const) {
      const res = await app.request(path, init)
      assert.is(res.status, 503, `${init?.method ?? 'GET'} ${path}`)
      assert.match((await res.json()).error, 'machine store is unavailable')
    }
    assert.is((await app.request('/ui')).status, 503)
  } finally {
    await etcd.start()
  }
  assert.equal(await (await app.request(`/${kept.id}`)).json(), kept)
  assert.is((await app.request('/', post(web('lost')))).status, 201, 'the write refused while etcd was down can be made now')
  assert.ok(logged.some((l) => l.includes('store unavailable, answered 503')))
})

test('loses no acknowledged write when etcd crashes under load', async () => {
  const { app } = freshApp(500)
  const acknowledged: string[] = []
  const statuses = new Set<number>()
  let i = 0
  let crashed = false
  const writer = async () => {
    while (!crashed) {
      const res = await app.request('/', post(web(`load-${i++}`)))
      statuses.add(res.status)
      if (res.status === 201) acknowledged.push((await res.json()).id)
      else await res.arrayBuffer()
    }
  }
  const writers = Array.from({ length: 8 }, writer)
  await new Promise((r) => setTimeout(r, 300))
  await etcd.stop('SIGKILL')
  crashed = true
  await Promise.all(writers)
  await etcd.start()
  assert.ok(acknowledged.length > 0, 'some writes were acknowledged before the crash')
  assert.ok(
    [...statuses].every((s) => s === 201 || s === 503),
    `statuses: ${[...statuses]}`,
  )
  for (const id of acknowledged) assert.is((await app.request(`/${id}`)).status, 200, id)
})

test('machines outlive the function process: MACHINES_STORE_URL wires it to etcd', async () => {
  const bundle = await bundleForNode({
    root: repoRoot,
    name: 'machines',
    file: join(repoRoot, 'functions/machines.ts'),
    outFile: join(repoRoot, '.scratchfn/test/machines-etcd/node.mjs'),
  })
  const env = {
    MACHINES_STORE_URL: `${etcd.endpoint.replace('http:', 'etcd:')}/test-process-${process.pid}/`,
    SCRATCHFN_QUIET: '1',
    SCRATCHFN_HOST: '127.0.0.1',
  }
  const first = await startServer({ command: process.execPath, args: [bundle], env })
  let id: string
  try {
    const res = await fetch(`${first.url}/machines`, post(web('survivor')))
    assert.is(res.status, 201)
    id = (await res.json()).id
    assert.is(res.headers.get('location'), `/machines/${id}`)
  } finally {
    await first.stop()
  }
  assert.not.match(first.stdout(), 'MACHINES_STORE_URL is not set')
  const second = await startServer({ command: process.execPath, args: [bundle], env })
  try {
    const res = await fetch(`${second.url}/machines/${id}`)
    assert.is(res.status, 200)
    assert.is((await res.json()).name, 'survivor')
  } finally {
    await second.stop()
  }
})

test.run()
