import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import {
  compareCosts,
  readBaseline,
  requestFor,
  writeBaseline,
  type CostBaseline,
  type Measured,
} from '../../../scripts/cost/cost-baseline.ts'

const work = mkdtempSync(join(tmpdir(), 'scratchfn-cost-'))
const file = join(work, 'cost-baseline.json')
const method = { warmup: 50, requests: 500 }
const measured = (name: string, startup: number, perRequest: number, request = `GET /${name}/1`): Measured => ({
  name,
  relFile: `functions/${name}.ts`,
  request,
  startup,
  perRequest,
})
const baseline: CostBaseline = {
  method,
  functions: {
    a: { request: 'GET /a/1', startup: 10_000_000, per_request: 241_300, engine: '2021-03-27' },
    b: { request: 'GET /b/1', startup: 9_000_000, per_request: 200_000 },
  },
}
const compare = (m: Measured[], extra: { tolerance?: number; updateBaseline?: boolean; baseline?: CostBaseline; engine?: string } = {}) =>
  compareCosts({ measured: m, baseline, method, engine: '2021-03-27', profileHint: (n) => `\`npm run cost -- ${n} --profile\``, ...extra })

const test = suite('cost: the baseline and the comparison against it')
test.after(() => rmSync(work, { recursive: true, force: true }))

test('growth within the tolerance passes and shows the change', () => {
  const r = compare([measured('a', 10_100_000, 245_000), measured('b', 9_000_000, 200_000)])
  assert.equal(r.failures, [])
  assert.equal(
    r.rows.map((row) => [row.name, row.status, row.startupDelta?.toFixed(2), row.perRequestDelta?.toFixed(2)]),
    [
      ['a', 'ok', '1.00', '1.53'],
      ['b', 'ok', '0.00', '0.00'],
    ],
  )
})

test('per-request growth past the tolerance fails, naming the function, the figure, the baseline and the fixes', () => {
  const r = compare([measured('a', 10_000_000, 251_204)])
  assert.equal(r.failures, [
    'cost: a spends 251,204 instructions per request, +4.10% over its baseline of 241,300 (tolerance 2%); profile it with `npm run cost -- a --profile`; accept with `npm run cost -- --update-baseline`',
  ])
  assert.is(r.rows[0].status, 'grew')
})

test('start-up growth past the tolerance fails on its own', () => {
  const r = compare([measured('b', 9_300_000, 200_000)])
  assert.is(r.failures.length, 1)
  assert.match(
    r.failures[0],
    /^cost: b spends 9,300,000 instructions to start \(exec to the first 200\), \+3\.33% over its baseline of 9,000,000/,
  )
})

test('a larger tolerance lets the same growth pass; a drop past it passes with a note', () => {
  assert.equal(compare([measured('a', 10_000_000, 251_204)], { tolerance: 5 }).failures, [])
  const r = compare([measured('a', 10_000_000, 200_000)])
  assert.equal(r.failures, [])
  assert.match(r.notes[0], /cost: a spends 200,000 instructions per request, -17\.12% under its baseline of 241,300/)
})

test('a function missing from the baseline, or measured with another request, passes as new', () => {
  const r = compare([measured('c', 1, 1), measured('a', 99_000_000, 999_999, 'GET /a/2')])
  assert.equal(r.failures, [])
  assert.equal(
    r.rows.map((row) => [row.name, row.status, row.baseline]),
    [
      ['a', 'new', null],
      ['c', 'new', null],
    ],
  )
})

test('figures taken with another number of requests are not compared, and the note says so', () => {
  const r = compare([measured('a', 99_000_000, 999_999)], { baseline: { ...baseline, method: { warmup: 50, requests: 300 } } })
  assert.equal(r.failures, [])
  assert.is(r.rows[0].status, 'new')
  assert.match(r.notes.join('\n'), /measured with 300 requests after 50 warm-up, this run with 500 after 50: nothing was compared/)
})

test('the message names the engine the baseline was taken on when it changed', () => {
  const r = compare([measured('a', 10_000_000, 300_000)], { engine: '2025-04-26' })
  assert.match(r.failures[0], /\(tolerance 2%\) \(the baseline was taken on engine 2021-03-27, this runtime has 2025-04-26\)/)
})

test('--update-baseline accepts growth; the file keeps each request and, when pruning, only measured functions', () => {
  const r = compare([measured('a', 10_000_000, 251_204)], { updateBaseline: true })
  assert.equal(r.failures, [])
  assert.is(r.rows[0].status, 'accepted')
  writeBaseline({ file, old: baseline, rows: r.rows, method, engine: '2021-03-27', prune: false })
  const saved = readBaseline(file)
  assert.equal(saved.functions.a, { request: 'GET /a/1', startup: 10_000_000, per_request: 251_204, engine: '2021-03-27' })
  assert.equal(saved.functions.b, baseline.functions.b, 'not measured, kept')
  assert.equal(saved.method, method)
  writeBaseline({ file, old: saved, rows: r.rows, method, engine: '2021-03-27', prune: true })
  assert.equal(Object.keys(readBaseline(file).functions), ['a'])
})

test('the request comes from the baseline entry, else GET on the route', () => {
  assert.is(requestFor(baseline, 'a', '/a'), 'GET /a/1')
  assert.is(requestFor({ functions: { x: { request: 'GET /x/9' } } }, 'x', '/x'), 'GET /x/9')
  assert.is(requestFor(baseline, 'orders', '/api/orders'), 'GET /api/orders')
})

test('a missing baseline is empty; a corrupt or malformed one is an error that says how to recover', () => {
  assert.equal(readBaseline(join(work, 'none.json')), { functions: {} })
  writeFileSync(file, '{\n  "functions": {},\n  oops\n}')
  assert.throws(
    () => readBaseline(file),
    /cost-baseline\.json:3:3: error: not valid JSON \(.*\)\n  restore it from git or rewrite it with `npm run cost -- --update-baseline`$/,
  )
  writeFileSync(file, JSON.stringify({ functions: { a: { startup: 1 } } }))
  assert.throws(
    () => readBaseline(file),
    /cost-baseline\.json:1:1: error: expected .*"request": "GET \/path".* \(at "a"\)\n  fix it, or delete it/,
  )
  assert.throws(
    () => compareCosts({ measured: [], baseline, method, engine: '', profileHint: String, tolerence: 2 } as never),
    /unknown option 'tolerence'/,
  )
  assert.ok(readFileSync(file, 'utf8').length > 0)
})

test.run()
