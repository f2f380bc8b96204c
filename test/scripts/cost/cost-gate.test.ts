// The cost gate as CI runs it: the examples against the committed cost-baseline.json (so a
// runtime change that costs more fails `npm test` until the baseline is updated), and a
// throwaway project whose function starts doing more work per request. Not a timed test:
// the figures are instruction counts, which do not depend on the machine's load.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { measureCosts } from '../../../scripts/cost/cost.ts'
import { runCli } from '../../support/cli.ts'
import { repoRoot } from '../../support/paths.ts'
import { tempProject, type Project } from '../../support/project.ts'

const greet = (work: string) => `import { Hono } from 'hono'

const app = new Hono()
app.get('/', (c) => c.text('Hello!'))
app.get('/:name', (c) => {
  ${work}
  return c.json({ message: \`Hello, \${c.req.param('name')}!\` })
})

export default app
`
// The same answer, with a loop of arithmetic in the handler on every request.
const busyWork = `let h = 0
  for (let i = 0; i < 2000; i++) h = (h * 31 + i) | 0
  c.header('x-h', String(h))`

const orders = `import { Hono } from 'hono'

const app = new Hono()
app.get('/:id', (c) => c.json({ id: c.req.param('id') }))

export default app
`

const test = suite('cost: the instruction-count gate')
let project: Project
const reportDir = mkdtempSync(join(tmpdir(), 'scratchfn-cost-report-'))
test.after(() => {
  project?.remove()
  rmSync(reportDir, { recursive: true, force: true })
})

test('the examples spend no more than cost-baseline.json allows (update it with `npm run cost -- --update-baseline`)', async () => {
  const report = await measureCosts({ root: repoRoot, quiet: true, outDir: reportDir })
  assert.equal(report.failures, [], report.table)
  assert.equal(
    report.rows.map((r) => [r.name, r.status]),
    ['accounts', 'hello', 'machines', 'quotes'].map((n) => [n, 'ok']),
    report.table,
  )
  const baseline = JSON.parse(readFileSync(join(repoRoot, 'cost-baseline.json'), 'utf8'))
  assert.is(baseline.functions.accounts.request, 'GET /accounts/10042')
})

test('a function without a request that answers 200 fails and says where to set one; one missing from the baseline passes as new', async () => {
  project = tempProject()
  project.write('greet', greet(''))
  project.write('orders', orders)
  const run = await runCli(['cost', '--root', project.root])
  assert.is(run.code, 1, run.output)
  assert.match(
    run.stderr,
    /cost: orders: the first request: GET \/orders answered 404, not 200; the gate needs a request that answers 200 without outside services: set one in cost-baseline\.json, e\.g\. "functions": \{ "orders": \{ "request": "GET \/orders\/1" \} \}/,
  )
  assert.match(run.stdout, /\| greet \| GET \/greet \| [\d,]+ \| - \| [\d,]+ \| - \| new \|/)
})

test('the gate fails when the handler does more work per request, and passes once the new figures are accepted', async () => {
  const baselineFile = join(project.root, 'cost-baseline.json')
  writeFileSync(baselineFile, JSON.stringify({ functions: { greet: { request: 'GET /greet/x' }, orders: { request: 'GET /orders/7' } } }))
  const accepted = await runCli(['cost', '--root', project.root, '--update-baseline'])
  assert.is(accepted.code, 0, accepted.output)
  assert.match(accepted.stdout, /baseline updated \(commit cost-baseline\.json\)/)
  const before = project.json('cost-baseline.json').functions
  assert.is(before.greet.request, 'GET /greet/x')
  // Plausible counts, not targets: a Hono request is tens of thousands of instructions, a start millions.
  assert.ok(before.greet.per_request > 20_000 && before.orders.startup > 1_000_000, JSON.stringify(before))

  project.write('greet', greet(busyWork))
  const grew = await runCli(['cost', '--root', project.root, 'greet'])
  assert.is(grew.code, 1, grew.output)
  const m =
    /cost: greet spends ([\d,]+) instructions per request, \+(\d+\.\d\d)% over its baseline of ([\d,]+) \(tolerance 2%\); profile it with `npm run cost -- greet --profile`; accept with `npm run cost -- --update-baseline`/.exec(
      grew.stderr,
    )
  assert.ok(m, grew.output)
  assert.is(m![3], before.greet.per_request.toLocaleString('en'))
  assert.ok(Number(m![2]) > 20, `the loop adds well over 20%: ${m![0]}`)
  assert.is(project.json('dist/cost-report.json').functions[0].status, 'grew')
  assert.equal(project.json('cost-baseline.json').functions, before, 'a failed gate leaves the baseline as it was')

  const updated = await runCli(['cost', '--root', project.root, 'greet', '--update-baseline'])
  assert.is(updated.code, 0, updated.output)
  const after = project.json('cost-baseline.json').functions
  const failed = Number(m![1].replace(/,/g, ''))
  assert.ok(Math.abs(after.greet.per_request - failed) < failed * 0.001, `accepted ${after.greet.per_request}, measured ${failed} before`)
  assert.equal(after.orders, before.orders, 'a function not measured keeps its entry')
})

test.run()
