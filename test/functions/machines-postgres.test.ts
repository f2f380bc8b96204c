// The machines function on MACHINES_STORE_URL=postgres://..., in the runtime, against a
// real PostgreSQL: the same guarantees as on etcd. The name race is settled by the
// database's unique constraint, every route answers 503 with Retry-After while it is down,
// and an acknowledged write survives the database crashing.
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { buildBoth, type BuiltFunction } from '../support/function-build.ts'
import { repoRoot } from '../support/paths.ts'
import { startPostgres, type Postgres } from '../support/postgres.ts'
import { startRuntime, type Server } from '../support/process.ts'

const test = suite('functions/machines.ts on PostgreSQL')
let pg: Postgres
let built: BuiltFunction
let rt: Server

const web = (name: string) => ({ name, os: 'linux', cpus: 2, memory: 2048 })
const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(rt.url + '/machines' + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(8000),
  })
  const text = await res.text()
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text ? JSON.parse(text) : null }
}

test.before(async () => {
  ;[pg, built] = await Promise.all([startPostgres(), buildBoth(join(repoRoot, 'functions/machines.ts'))])
  rt = await startRuntime(built.bin, { MACHINES_STORE_URL: pg.url, MACHINES_STORE_TIMEOUT_MS: '1000', SCRATCHFN_ACCESS_LOG: '0' })
})
test.after(async () => {
  await rt?.stop()
  await pg?.destroy()
})

test('create, read, list, rename and delete go through the database', async () => {
  const a = await call('POST', '/', web('alpha'))
  assert.is(a.status, 201)
  assert.is((await call('POST', '/', web('alpha'))).status, 409)
  const b = (await call('POST', '/', web('beta'))).body
  assert.equal((await call('GET', `/${a.body.id}`)).body, a.body)
  assert.is((await call('PUT', `/${a.body.id}`, { ...web('gamma'), cpus: 16 })).body.cpus, 16)
  assert.is((await call('PUT', `/${b.id}`, web('gamma'))).status, 409)
  assert.is((await call('DELETE', `/${b.id}`)).status, 204)
  assert.is((await call('GET', `/${b.id}`)).status, 404)
  assert.equal((await call('GET', '/')).body.items.map((m: { name: string }) => m.name), ['gamma'])
  assert.is(pg.psql(`SELECT name FROM machines WHERE id = '${a.body.id}'`), 'gamma')
  await call('DELETE', `/${a.body.id}`)
})

test('of 10 racing POSTs with one name, exactly one wins', async () => {
  const statuses = await Promise.all(Array.from({ length: 10 }, () => call('POST', '/', web('racer')).then((r) => r.status)))
  assert.equal(statuses.sort(), [201, 409, 409, 409, 409, 409, 409, 409, 409, 409])
})

test('pages through in creation order', async () => {
  for (let i = 0; i < 5; i++) assert.is((await call('POST', '/', web(`page${i}`))).status, 201)
  const first = await call('GET', '/?limit=3')
  const second = await call('GET', `/?limit=3&cursor=${first.body.next_cursor}`)
  const names = [...first.body.items, ...second.body.items].map((m: { name: string }) => m.name).filter((n: string) => n.startsWith('page'))
  assert.equal(names, ['page0', 'page1', 'page2', 'page3', 'page4'])
})

test('503 with Retry-After on every route while the database is down; acknowledged writes survive its crash', async () => {
  const acked: string[] = []
  for (let i = 0; i < 20; i++) {
    const r = await call('POST', '/', web(`durable${i}`))
    assert.is(r.status, 201)
    acked.push(r.body.id)
  }
  await pg.stop()
  for (const [method, path, body] of [
    ['GET', '/', undefined],
    ['POST', '/', web('while-down')],
    ['GET', `/${acked[0]}`, undefined],
  ] as const) {
    const r = await call(method, path, body)
    assert.equal([r.status, r.retryAfter], [503, '2'], `${method} ${path}`)
    assert.match(r.body.detail, /postgres at postgres:\/\/fast:\*\*\*@127\.0\.0\.1/)
  }
  await pg.start()
  for (const id of acked) assert.is((await call('GET', `/${id}`)).status, 200, id)
  assert.is((await call('GET', `/${acked[0]}`)).body.name, 'durable0')
})

test.run()
