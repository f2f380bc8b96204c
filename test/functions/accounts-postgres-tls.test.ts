// The accounts function and pg on a PostgreSQL that takes TCP logins over TLS only
// (ssl=on, hostssl, a certificate of this suite's own CA), in the runtime as under Node:
// sslmode=require (encrypted, not verified, as libpq: uselibpqcompat=true),
// sslmode=verify-full against the CA (NODE_EXTRA_CA_CERTS) and refused without it, and
// pg's ssl: { ca } from a script, where a wrong CA fails with Node's code.
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { buildBoth, type BuiltFunction } from '../support/function-build.ts'
import { startPostgres, type Postgres } from '../support/postgres.ts'
import { startRuntime, startServer, type Server } from '../support/process.ts'
import { repoRoot } from '../support/paths.ts'
import { lines, sameAsNode } from '../support/same-as-node.ts'
import { makePki, type Pki } from '../support/tls-pki.ts'

const test = suite('functions/accounts.ts on PostgreSQL over TLS')
let pg: Postgres
let pki: Pki
let built: BuiltFunction
const running: Server[] = []
const tlsEnv = (env: Record<string, string>) => ({ SSL_CERT_FILE: '', SSL_CERT_DIR: '', NODE_EXTRA_CA_CERTS: '', ...env })

test.before(async () => {
  pki = makePki()
  ;[pg, built] = await Promise.all([
    startPostgres({ tls: { ...pki.leaves.ec, chain: pki.chain } }),
    buildBoth(join(repoRoot, 'functions/accounts.ts')),
  ])
})
test.after(async () => {
  await Promise.all(running.map((s) => s.stop()))
  await pg?.destroy()
  pki?.dispose()
})

async function both(env: Record<string, string>): Promise<[Server, Server]> {
  const e = tlsEnv({ SCRATCHFN_ACCESS_LOG: '0', ...env })
  const rt = await startRuntime(built.bin, e)
  const node = await startServer({ command: process.execPath, args: [built.nodeBundle], env: e })
  running.push(rt, node)
  return [rt, node]
}

const get = async (s: Server, path: string) => {
  const res = await fetch(s.url + path, { signal: AbortSignal.timeout(8000) })
  const text = await res.text()
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text }
}

test('plain TCP is refused (hostssl), so what answers below spoke TLS', async () => {
  const [rt, node] = await both({ ACCOUNTS_DATABASE_URL: `${pg.url}?sslmode=disable`, ACCOUNTS_DATABASE_TIMEOUT_MS: '2000' })
  const refused = await get(rt, '/accounts/10042')
  assert.ok(refused.status >= 500, JSON.stringify(refused))
  assert.equal(await get(node, '/accounts/10042'), refused)
})

test('sslmode=require: encrypted without verification, the same answers as under Node', async () => {
  const [rt, node] = await both({ ACCOUNTS_DATABASE_URL: `${pg.url}?sslmode=require&uselibpqcompat=true` })
  const want = { status: 200, body: { id: '10042', name: 'Person_42', quote_status: 'not_configured' } }
  assert.equal(await get(rt, '/accounts/10042'), want)
  assert.equal(await get(node, '/accounts/10042'), want)
  assert.match(
    pg.psql("SELECT string_agg(DISTINCT version, ',') FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE usename = 'fast'"),
    /^TLSv1\.3$/,
  )
})

test('sslmode=verify-full: verified against the CA; without it refused, as under Node', async () => {
  const url = `${pg.url}?sslmode=verify-full`
  const [rt, node] = await both({ ACCOUNTS_DATABASE_URL: url, NODE_EXTRA_CA_CERTS: pki.rootCert })
  assert.is((await get(rt, '/accounts/10011')).body.name, 'Person_11')
  assert.equal(await get(node, '/accounts/10011'), await get(rt, '/accounts/10011'))
  const [rt2, node2] = await both({ ACCOUNTS_DATABASE_URL: url, ACCOUNTS_DATABASE_TIMEOUT_MS: '2000' })
  const refused = await get(rt2, '/accounts/10011')
  assert.ok(refused.status >= 500, JSON.stringify(refused))
  assert.equal(await get(node2, '/accounts/10011'), refused)
})

test("pg with ssl: { ca }: verified and encrypted; another CA fails with Node's code", async () => {
  const source = `import pg from 'pg'
;(async () => {
  for (const [name, ca] of [['ca', process.env.CA], ['other-ca', process.env.OTHER_CA]]) {
    const client = new pg.Client({ connectionString: process.env.URL, ssl: { ca } })
    try {
      await client.connect()
      const r = await client.query('SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()')
      print(name, r.rows[0].ssl, r.rows[0].version)
      await client.end()
    } catch (e: any) {
      print(name, 'error', e.code, e.message)
    }
  }
})()`
  await sameAsNode(
    source,
    lines('ca true TLSv1.3', 'other-ca error UNABLE_TO_GET_ISSUER_CERT_LOCALLY unable to get local issuer certificate'),
    { env: tlsEnv({ URL: pg.url, CA: pki.read(pki.rootCert), OTHER_CA: pki.read(pki.otherRootCert) }), timeoutMs: 20000 },
  )
})

test.run()
