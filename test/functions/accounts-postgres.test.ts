// The accounts function with ACCOUNTS_DATABASE_URL, in the runtime (and under Node for the
// same answers), against a real PostgreSQL this suite starts: the table created and seeded
// once, reads that follow the database, one pool shared by concurrent requests, the
// database restarted under load (requests in flight fail fast with 503, later ones
// succeed, no socket is leaked), a refused connection and a name that does not resolve.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { buildBoth, type BuiltFunction } from '../support/function-build.ts'
import { connectionsTo } from '../support/open-sockets.ts'
import { startPostgres, type Postgres } from '../support/postgres.ts'
import { freePort, startRuntime, startServer, type Server } from '../support/process.ts'
import { repoRoot } from '../support/paths.ts'
import { join } from 'node:path'

const test = suite('functions/accounts.ts on PostgreSQL')
let pg: Postgres
let built: BuiltFunction
const running: Server[] = []

test.before(async () => {
  ;[pg, built] = await Promise.all([startPostgres(), buildBoth(join(repoRoot, 'functions/accounts.ts'))])
})
test.after(async () => {
  await Promise.all(running.map((s) => s.stop()))
  await pg?.destroy()
})

async function runtime(env: Record<string, string>): Promise<Server> {
  const s = await startRuntime(built.bin, { SCRATCHFN_ACCESS_LOG: '0', ...env })
  running.push(s)
  return s
}

const get = async (s: Server, path: string) => {
  const res = await fetch(s.url + path, { signal: AbortSignal.timeout(8000) })
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() }
}

test('creates and seeds the table once, then answers from the database, in the runtime as under Node', async () => {
  const env = { ACCOUNTS_DATABASE_URL: pg.url }
  const rt = await runtime(env)
  assert.equal(await get(rt, '/accounts/10042'), { status: 200, retryAfter: null, body: { id: '10042', name: 'Person_42', quote_status: 'not_configured' } })
  const node = await startServer({ command: process.execPath, args: [built.nodeBundle], env })
  running.push(node)
  assert.equal(await get(node, '/accounts/10042'), await get(rt, '/accounts/10042'))
  assert.is(pg.psql('SELECT count(*) FROM accounts'), '100')
  pg.psql("UPDATE accounts SET name = 'Renamed' WHERE id = '10007'")
  assert.is((await get(rt, '/accounts/10007')).body.name, 'Renamed')
  assert.equal((await get(rt, '/accounts/99999')).status, 404)
  assert.equal(await get(node, '/accounts/10007'), await get(rt, '/accounts/10007'))
  pg.psql("UPDATE accounts SET name = 'Person_7' WHERE id = '10007'")
})

test('logs in with SCRAM-SHA-256, PostgreSQL\'s default', async () => {
  const rt = await runtime({ ACCOUNTS_DATABASE_URL: pg.scramUrl })
  assert.is((await get(rt, '/accounts/10011')).body.name, 'Person_11')
})

test('one pool serves concurrent requests with at most its size of connections', async () => {
  const rt = await runtime({ ACCOUNTS_DATABASE_URL: pg.url, ACCOUNTS_DATABASE_POOL_SIZE: '3' })
  const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => get(rt, `/accounts/${10000 + (i % 100)}`)))
  const wrong = answers.filter((a) => a.status !== 200 || a.body.name !== `Person_${Number(a.body.id) - 10000}`)
  assert.equal(wrong, [])
  const n = connectionsTo(rt.proc.pid!, pg.port)
  assert.ok(n >= 1 && n <= 3, `${n} database connections for a pool of 3`)
})

test('the database restarted under load: requests fail fast with 503, later ones succeed, no socket leaks', async () => {
  const rt = await runtime({ ACCOUNTS_DATABASE_URL: pg.url, ACCOUNTS_DATABASE_POOL_SIZE: '4', ACCOUNTS_DATABASE_TIMEOUT_MS: '1000' })
  await get(rt, '/accounts/10001')
  const statuses: number[] = []
  let stop = false
  const load = Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 400 && !stop; i++) {
        const r = await get(rt, `/accounts/${10000 + (i % 100)}`)
        statuses.push(r.status)
        if (r.status === 503) assert.is(r.retryAfter, '2')
      }
    }),
  )
  await new Promise((r) => setTimeout(r, 200))
  await pg.stop()
  await new Promise((r) => setTimeout(r, 500))
  const whileDown = await get(rt, '/accounts/10002')
  await pg.start()
  await new Promise((r) => setTimeout(r, 300))
  stop = true
  await load
  assert.is(whileDown.status, 503)
  assert.match(whileDown.body.error, /database is unavailable/)
  assert.ok(statuses.every((s) => s === 200 || s === 503), `unexpected statuses: ${[...new Set(statuses)]}`)
  // Once it is back, every request is answered from it again.
  for (let i = 0; i < 10; i++) assert.is((await get(rt, '/accounts/10003')).status, 200)
  const n = connectionsTo(rt.proc.pid!, pg.port)
  assert.ok(n <= 4, `${n} database connections for a pool of 4: sockets leaked`)
  const stats = await (await fetch(rt.url + '/accounts/10004')).json()
  assert.is(stats.id, '10004')
})

test('a refused connection and a name that does not resolve answer 503 with Retry-After', async () => {
  const refused = await runtime({ ACCOUNTS_DATABASE_URL: `postgres://app:secret@127.0.0.1:${await freePort()}/postgres` })
  const r = await get(refused, '/accounts/10042')
  assert.equal([r.status, r.retryAfter], [503, '2'])
  const unresolvable = await runtime({ ACCOUNTS_DATABASE_URL: 'postgres://app:secret@no-such-db.invalid:5432/postgres' })
  const u = await get(unresolvable, '/accounts/10042')
  assert.equal([u.status, u.retryAfter], [503, '2'])
  for (let i = 0; i < 100 && !/ENOTFOUND/.test(unresolvable.stdout()); i++) await new Promise((r) => setTimeout(r, 20))
  assert.match(unresolvable.stdout(), /ENOTFOUND no-such-db.invalid/)
  assert.not.match(unresolvable.stdout(), /secret/)
})

test.run()
