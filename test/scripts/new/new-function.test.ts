// `npm run new -- <name>` (scripts/new/new-function.ts): what it writes works as written,
// and a bad or taken name is refused with a message that says what to do.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { bundleFunction } from '../../../scripts/bundle/bundle.ts'
import { newFunction } from '../../../scripts/new/new-function.ts'
import { repoRoot } from '../../support/paths.ts'

const test = suite('scripts/new/new-function.ts')
let n = 0

function project(files: Record<string, string> = {}): string {
  const root = join(repoRoot, '.scratchfn/test', `new-${process.pid}-${++n}`)
  rmSync(root, { recursive: true, force: true })
  mkdirSync(join(root, 'functions'), { recursive: true })
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text)
  return root
}

test('writes a function and its test, and the test passes as generated', () => {
  const root = project()
  try {
    const made = newFunction({ root, name: 'orders' })
    assert.equal(made, { functionFile: 'functions/orders.ts', testFile: 'test/functions/orders.test.ts' })
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, made.testFile)], { cwd: repoRoot, encoding: 'utf8' })
    assert.is(run.status, 0, run.stdout + run.stderr)
    assert.match(run.stdout, /Passed:\s+3/)
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})

test('the generated function bundles for the image', async () => {
  const root = project()
  try {
    newFunction({ root, name: 'order-events' })
    const out = await bundleFunction({
      root,
      name: 'order-events',
      file: join(root, 'functions/order-events.ts'),
      outDir: join(root, '.scratchfn/out'),
    })
    assert.is(out.route, '/order-events')
    assert.ok(out.bytes > 0)
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})

test('refuses an invalid name and says what a valid one looks like', () => {
  const root = project()
  try {
    for (const name of ['Orders', '1st', 'my_fn', 'a.b', '-x', '_lib', 'x'.repeat(64)]) {
      assert.throws(() => newFunction({ root, name }), /is not a valid function name: use lower-case letters, digits and '-'/, name)
    }
    assert.throws(() => newFunction({ root, name: '' }), /usage: npm run new -- <name>/)
    assert.throws(() => newFunction({ root, name: 'healthz' }), /'healthz' is reserved/)
    assert.throws(() => newFunction({ root, name: 'metrics' }), /'metrics' is reserved/)
    assert.not.ok(existsSync(join(root, 'test')))
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})

test("refuses a name that is taken, by a file or by another function's route, and writes nothing", () => {
  const root = project({
    'functions/orders.ts': 'export default { fetch: () => new Response("mine") }\n',
    'functions/legacy.ts': "export default { fetch: () => new Response('x') }\nexport const config = { route: '/billing/' }\n",
  })
  try {
    assert.throws(() => newFunction({ root, name: 'orders' }), /functions\/orders\.ts already exists: the name 'orders' is taken/)
    assert.is(readFileSync(join(root, 'functions/orders.ts'), 'utf8'), 'export default { fetch: () => new Response("mine") }\n')
    assert.throws(() => newFunction({ root, name: 'billing' }), /functions\/legacy\.ts already answers \/billing/)
    mkdirSync(join(root, 'test/functions'), { recursive: true })
    writeFileSync(join(root, 'test/functions/stock.test.ts'), '// kept\n')
    assert.throws(() => newFunction({ root, name: 'stock' }), /test\/functions\/stock\.test\.ts already exists/)
    assert.not.ok(existsSync(join(root, 'functions/stock.ts')))
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})

test('npm run new prints what it made, and fails with the reason for a taken name', () => {
  // Run against the real project with a name no one will take, then clean up.
  const name = `zz-scaffold-${process.pid}`
  const files = [join(repoRoot, `functions/${name}.ts`), join(repoRoot, `test/functions/${name}.test.ts`)]
  try {
    const ok = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'new', name], { cwd: repoRoot, encoding: 'utf8' })
    assert.is(ok.status, 0, ok.stderr)
    assert.match(ok.stdout, `created functions/${name}.ts and test/functions/${name}.test.ts`)
    const again = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'new', name], { cwd: repoRoot, encoding: 'utf8' })
    assert.is(again.status, 1)
    assert.match(again.stderr, `functions/${name}.ts already exists`)
  } finally {
    for (const f of files) rmSync(f, { force: true })
  }
})

test.run()
