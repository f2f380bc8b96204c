// The machines function under Node with app.request(): the HTTP contract, against
// the in-memory store, and 503 (never 500) when the etcd store cannot be reached.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { machinesApp } from '../../functions/machines.ts'
import { EtcdStore } from '../../functions/_lib/machines/etcd-store.ts'
import { MemoryStore } from '../../functions/_lib/machines/store.ts'
import { freePort } from '../support/process.ts'

const test = suite('functions/machines.ts')
const web = { name: 'web-1', os: 'linux', cpus: 4, memory: 8192, disk: 100, tags: ['prod', 'zone=a'] }
const json = (body: unknown, method = 'POST') => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

test('POST answers 201 with Location and the machine, which GET then returns', async () => {
  const app = machinesApp(new MemoryStore())
  const res = await app.request('/', { ...json(web), headers: { 'content-type': 'application/json', 'x-forwarded-prefix': '/machines' } })
  assert.is(res.status, 201)
  const created = await res.json()
  assert.match(created.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  assert.is(res.headers.get('location'), `/machines/${created.id}`)
  assert.equal({ ...created, id: 0, created_at: 0, updated_at: 0 }, { id: 0, ...web, created_at: 0, updated_at: 0 })
  assert.ok(!Number.isNaN(Date.parse(created.created_at)))
  const got = await app.request(`/${created.id}`)
  assert.is(got.status, 200)
  assert.equal(await got.json(), created)
})

test('POST fills optional fields: no disk, no tags -> tags []', async () => {
  const app = machinesApp(new MemoryStore())
  const res = await app.request('/', json({ name: 'db', os: 'freebsd', cpus: 1, memory: 64 }))
  assert.is(res.status, 201)
  const body = await res.json()
  assert.equal(body.tags, [])
  assert.not.ok('disk' in body)
})

test('POST answers 400 with an error for each bad field, and stores nothing', async () => {
  const app = machinesApp(new MemoryStore())
  const res = await app.request('/', json({ name: 'Web_1', os: 'plan9', cpus: 0, memory: '8G', tags: ['a', 'a'], colour: 'red' }))
  assert.is(res.status, 400)
  const body = await res.json()
  assert.is(body.error, 'invalid machine')
  assert.equal(Object.keys(body.fields).sort(), ['colour', 'cpus', 'memory', 'name', 'os', 'tags'])
  assert.match(body.fields.os, 'linux, windows, macos, freebsd')
  assert.match(body.fields.colour, 'unknown field')
  const list = await (await app.request('/')).json()
  assert.equal(list.items, [])
})

test('POST answers 400 for a missing field and for a body that is not a JSON object', async () => {
  const app = machinesApp(new MemoryStore())
  const missing = await (await app.request('/', json({ name: 'x', os: 'linux', cpus: 2 }))).json()
  assert.match(missing.fields.memory, 'required')
  for (const body of ['{not json', '[1,2]', '']) {
    const res = await app.request('/', { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    assert.is(res.status, 400, body)
    assert.equal((await res.json()).fields, { body: 'must be a JSON object' })
  }
})

test('POST answers 409 for a name that is taken, even when two requests race', async () => {
  const app = machinesApp(new MemoryStore())
  const statuses = await Promise.all([1, 2, 3].map(() => Promise.resolve(app.request('/', json(web))).then((r) => r.status)))
  assert.equal(statuses.sort(), [201, 409, 409])
  const res = await app.request('/', json(web))
  assert.is(res.status, 409)
  assert.equal((await res.json()).fields, { name: 'already taken by another machine' })
})

test('GET lists machines in creation order, a page at a time', async () => {
  const app = machinesApp(new MemoryStore())
  const names = ['a1', 'a2', 'a3', 'a4', 'a5']
  for (const name of names) assert.is((await app.request('/', json({ ...web, name }))).status, 201)
  const seen: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const res: Response = await app.request(`/?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
    assert.is(res.status, 200)
    const page = (await res.json()) as { items: Array<{ name: string }>; next_cursor: string | null }
    assert.ok(page.items.length <= 2)
    seen.push(...page.items.map((m) => m.name))
    cursor = page.next_cursor
    pages++
  } while (cursor)
  assert.equal(seen, names)
  assert.is(pages, 3)
  const all = await (await app.request('/')).json()
  assert.is(all.items.length, 5)
  assert.is(all.next_cursor, null)
})

test('GET answers 400 for a bad limit or cursor', async () => {
  const app = machinesApp(new MemoryStore())
  for (const q of ['limit=0', 'limit=101', 'limit=2.5', 'limit=x']) {
    const res = await app.request(`/?${q}`)
    assert.is(res.status, 400, q)
    assert.ok((await res.json()).fields.limit, q)
  }
  const res = await app.request('/?cursor=nope')
  assert.is(res.status, 400)
  assert.ok((await res.json()).fields.cursor)
})

test('GET, PUT and DELETE /:id answer 400 for a malformed id and 404 for an unknown one', async () => {
  const app = machinesApp(new MemoryStore())
  const unknown = '01890a5d-ac96-774b-bcce-b302099a8057'
  for (const method of ['GET', 'PUT', 'DELETE']) {
    const init = method === 'PUT' ? json(web, 'PUT') : { method }
    const bad = await app.request('/not-an-id', init)
    assert.is(bad.status, 400, method)
    assert.ok((await bad.json()).fields.id)
    const missing = await app.request(`/${unknown}`, init)
    assert.is(missing.status, 404, method)
    assert.equal(await missing.json(), { error: 'machine not found', id: unknown })
  }
})

test('PUT replaces a machine, keeps created_at, and may rename it', async () => {
  const app = machinesApp(new MemoryStore())
  const created = await (await app.request('/', json(web))).json()
  await new Promise((r) => setTimeout(r, 5))
  // A client may send back what GET gave it, read-only fields included.
  const res = await app.request(`/${created.id}`, json({ ...created, name: 'web-2', cpus: 8 }, 'PUT'))
  assert.is(res.status, 200)
  const updated = await res.json()
  assert.is(updated.name, 'web-2')
  assert.is(updated.cpus, 8)
  assert.is(updated.created_at, created.created_at)
  assert.ok(updated.updated_at > created.updated_at)
  assert.equal(await (await app.request(`/${created.id}`)).json(), updated)
  // The old name is free again.
  assert.is((await app.request('/', json(web))).status, 201)
})

test('PUT answers 409 for a name another machine has, 400 for a bad body or a mismatched id', async () => {
  const app = machinesApp(new MemoryStore())
  const a = await (await app.request('/', json(web))).json()
  const b = await (await app.request('/', json({ ...web, name: 'web-2' }))).json()
  assert.is((await app.request(`/${b.id}`, json({ ...web, name: 'web-1' }, 'PUT'))).status, 409)
  const bad = await app.request(`/${b.id}`, json({ ...web, cpus: -1 }, 'PUT'))
  assert.is(bad.status, 400)
  assert.ok((await bad.json()).fields.cpus)
  const mismatched = await app.request(`/${b.id}`, json({ ...web, name: 'web-2', id: a.id }, 'PUT'))
  assert.is(mismatched.status, 400)
  assert.ok((await mismatched.json()).fields.id)
  assert.equal((await (await app.request(`/${b.id}`)).json()).name, 'web-2')
})

test('DELETE answers 204, then the machine is gone and its name free', async () => {
  const app = machinesApp(new MemoryStore())
  const m = await (await app.request('/', json(web))).json()
  const res = await app.request(`/${m.id}`, { method: 'DELETE' })
  assert.is(res.status, 204)
  assert.is(await res.text(), '')
  assert.is((await app.request(`/${m.id}`)).status, 404)
  assert.is((await app.request(`/${m.id}`, { method: 'DELETE' })).status, 404)
  assert.is((await app.request('/', json(web))).status, 201)
})

test('GET /ui is an HTML page that lists the machines', async () => {
  const app = machinesApp(new MemoryStore())
  await app.request('/', json(web))
  await app.request('/', json({ ...web, name: 'db-1', memory: 1000 }))
  const res = await app.request('/ui')
  assert.is(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', 'text/html')
  const page = await res.text()
  assert.match(page, '<td>web-1</td>')
  assert.match(page, '<td>db-1</td>')
  assert.match(page, '8 GiB')
  assert.match(page, '1000 MiB')
  assert.match(page, 'prod, zone=a')
})

test('answers 503 with a clear message, never 500, when the etcd store is down', async () => {
  const port = await freePort()
  const store = new EtcdStore({ endpoint: `http://127.0.0.1:${port}`, timeoutMs: 1000 })
  const app = machinesApp(store)
  const id = '01890a5d-ac96-774b-bcce-b302099a8057'
  const calls: Array<[string, RequestInit?]> = [
    ['/'],
    ['/', json(web)],
    [`/${id}`],
    [`/${id}`, json(web, 'PUT')],
    [`/${id}`, { method: 'DELETE' }],
  ]
  const log = console.log
  console.log = () => {}
  try {
    for (const [path, init] of calls) {
      const res = await app.request(path, init)
      assert.is(res.status, 503, `${init?.method ?? 'GET'} ${path}`)
      assert.is(res.headers.get('retry-after'), '2')
      const body = await res.json()
      assert.match(body.error, 'machine store is unavailable')
      assert.match(body.detail, `127.0.0.1:${port}`)
    }
    const ui = await app.request('/ui')
    assert.is(ui.status, 503)
    assert.match(await ui.text(), 'store is unavailable')
  } finally {
    console.log = log
  }
})

test('a store failure that is not an outage answers a plain 500 without a stack', async () => {
  const store = new MemoryStore()
  store.get = () => Promise.reject(new Error('boom at store.ts:1'))
  const app = machinesApp(store)
  const log = console.log
  const lines: string[] = []
  console.log = (line: string) => {
    lines.push(line)
  }
  try {
    const res = await app.request('/01890a5d-ac96-774b-bcce-b302099a8057')
    assert.is(res.status, 500)
    assert.equal(await res.json(), { error: 'internal error' })
  } finally {
    console.log = log
  }
  assert.match(lines.join('\n'), 'boom at store.ts:1')
})

test.run()
