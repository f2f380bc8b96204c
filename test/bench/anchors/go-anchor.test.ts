// The bench's Go + chi anchor serves what functions/accounts.ts serves in the bench (the
// in-memory accounts, no QUOTES_URL): the same status, content-type and JSON for every
// request the bench could make of either, checked against the function in the runtime.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { prepareGoAnchor } from '../../../bench/anchors/go-anchor.ts'
import { countInstructions } from '../../../scripts/cost/callgrind.ts'
import { ensureSystemPackages } from '../../../scripts/shared/system-packages.ts'
import { buildBoth } from '../../support/function-build.ts'
import { repoRoot } from '../../support/paths.ts'
import { startRuntime, startServer, type Server } from '../../support/process.ts'

const test = suite('bench/anchors/go-anchor.ts')
let go: Server
let scratchfn: Server
const anchor = prepareGoAnchor({ root: repoRoot, log: () => {} })

test.before(async () => {
  go = await startServer({ command: anchor.target.command, args: anchor.target.args, readyPath: '/accounts/10042' })
  const built = await buildBoth(`${repoRoot}/functions/accounts.ts`, 'accounts')
  scratchfn = await startRuntime(built.bin, { SCRATCHFN_ACCESS_LOG: '0' })
})

test.after(async () => {
  await go?.stop()
  await scratchfn?.stop()
})

async function answer(server: Server, path: string) {
  const res = await fetch(server.url + path)
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() }
}

async function same(path: string) {
  const want = await answer(scratchfn, path)
  const got = await answer(go, path)
  assert.is(got.status, want.status, `${path}: status`)
  assert.is(got.type, want.type, `${path}: content-type`)
  assert.equal(JSON.parse(got.body), JSON.parse(want.body), `${path}: JSON`)
  // Byte for byte too: both write the same keys in the same order, so the bench's
  // contestants send responses of one size.
  assert.is(got.body, want.body, `${path}: body bytes`)
  return got
}

test('answers GET /accounts/10042, the bench request, as the function does', async () => {
  const got = await same('/accounts/10042')
  assert.is(got.status, 200)
  assert.equal(JSON.parse(got.body), { id: '10042', name: 'Person_42', quote_status: 'not_configured' })
})

test('serves the same 100 accounts, first and last', async () => {
  for (const id of ['10000', '10099']) assert.is((await same(`/accounts/${id}`)).status, 200)
})

test('answers an unknown account with the same 404 and body, the id decoded as Hono decodes it', async () => {
  for (const id of ['10100', '9999', 'nope', 'x%3Cy%26z', 'a%2541', '%E2%82%AC']) assert.is((await same(`/accounts/${id}`)).status, 404)
})

test('runs under callgrind to the end of its measured requests, ended with SIGKILL (end: kill)', async () => {
  ensureSystemPackages({ who: 'tests', packages: [{ command: 'valgrind', package: 'valgrind' }] })
  const outDir = join(repoRoot, '.scratchfn/test/go-anchor-callgrind')
  const counts = await countInstructions({
    command: anchor.target.command,
    args: [],
    cwd: repoRoot,
    env: { PATH: '/usr/bin:/bin', HOME: '/tmp', HOSTNAME: 'test', USER: 'test', ...anchor.callgrind.env },
    request: 'GET /accounts/10042 HTTP/1.1\r\nHost: localhost\r\n\r\n',
    warmup: 20,
    requests: 100,
    outDir,
    label: 'go',
    end: anchor.callgrind.end,
  })
  assert.is(anchor.callgrind.end, 'kill')
  assert.is(counts.exit, null)
  // A Go process starts in a few million instructions and answers in tens of thousands.
  assert.ok(counts.startup > 100_000 && counts.startup < 100_000_000, `startup ${counts.startup}`)
  const perRequest = counts.measured / 100
  assert.ok(perRequest > 5_000 && perRequest < 1_000_000, `per request ${perRequest}`)
  assert.equal(
    readdirSync(outDir)
      .filter((f) => f.endsWith('.callgrind'))
      .sort(),
    ['requests.callgrind', 'startup.callgrind', 'warmup.callgrind'],
  )
  assert.not.ok(existsSync(join(outDir, 'exit.callgrind')))
})

test.run()
