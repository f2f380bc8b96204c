import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Metafile } from 'esbuild'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { BUDGET_CAP, checkBudgets, type BudgetInput } from '../../../scripts/budget/budget.ts'
import type { ImageResult, PlatformImage } from '../../../scripts/image/image.ts'
import type { Platform } from '../../../scripts/shared/platforms.ts'

const work = mkdtempSync(join(tmpdir(), 'scratchfn-budget-'))
const baselineFile = join(work, 'size-baseline.json')
const reportDir = join(work, 'dist')

function platformImage(platform: Platform, name: string, fnBytes: number, runtimeBytes: number): PlatformImage {
  const layers = [
    { role: 'runtime' as const, digest: `sha256:rt-${platform}`, diffId: 'sha256:rtd', compressed: 500_000, uncompressed: runtimeBytes },
    { role: 'function' as const, digest: `sha256:${name}${fnBytes}`, diffId: 'sha256:fd', compressed: fnBytes / 2, uncompressed: fnBytes },
  ]
  return {
    platform,
    digest: `sha256:${name}-${platform}`,
    configDigest: '',
    layers,
    uncompressed: runtimeBytes + fnBytes,
    compressed: 500_000 + fnBytes / 2,
  }
}

/** One function's image: linux/amd64 only unless an arm64 runtime size is given. */
function image(name: string, fnBytes: number, runtimeBytes = 1_000_000, arm64RuntimeBytes?: number): ImageResult {
  return {
    name,
    dir: '',
    archive: '',
    refs: [],
    digest: `sha256:${name}`,
    platforms: [
      platformImage('linux/amd64', name, fnBytes, runtimeBytes),
      ...(arm64RuntimeBytes ? [platformImage('linux/arm64', name, fnBytes, arm64RuntimeBytes)] : []),
    ],
  }
}
const metafile = {
  inputs: {},
  outputs: {
    '<stdout>': {
      bytes: 0,
      imports: [],
      exports: [],
      inputs: {
        'node_modules/hono/dist/hono-base.js': { bytesInOutput: 9000 },
        'functions/a.ts': { bytesInOutput: 60_000 },
        'node_modules/hono/dist/context.js': { bytesInOutput: 4000 },
      },
    },
  },
} as unknown as Metafile
const input = (name: string, fnBytes: number, budget: number = BUDGET_CAP): BudgetInput => ({
  image: image(name, fnBytes),
  relFile: `functions/${name}.ts`,
  budget,
  metafile,
})
const check = (images: BudgetInput[], extra: { tolerance?: number; updateBaseline?: boolean; prune?: boolean } = {}) =>
  checkBudgets({ images, baselineFile, reportDir, ...extra })

const test = suite('budget: the size gate against config.budget and the baseline')
test.after(() => rmSync(work, { recursive: true, force: true }))

test('without a baseline every image is new and passes; --update-baseline writes the sizes', () => {
  const first = check([input('a', 50_000), input('b', 10_000)])
  assert.equal(first.failures, [])
  assert.equal(
    first.rows.map((r) => r.status),
    ['new', 'new'],
  )
  assert.not.ok(existsSync(baselineFile))
  const accepted = check([input('a', 50_000), input('b', 10_000)], { updateBaseline: true })
  assert.equal(accepted.failures, [])
  const saved = JSON.parse(readFileSync(baselineFile, 'utf8'))
  assert.equal(saved.functions.a, {
    'linux/amd64': {
      uncompressed: 1_050_000,
      compressed: 525_000,
      layers: { runtime: { uncompressed: 1_000_000, compressed: 500_000 }, function: { uncompressed: 50_000, compressed: 25_000 } },
    },
  })
  assert.equal(Object.keys(saved.functions), ['a', 'b'])
})

test('growth within the tolerance passes and shows the delta', () => {
  const report = check([input('a', 60_000), input('b', 10_000)]) // +10 KB on 1.05 MB: 0.95%
  assert.equal(report.failures, [])
  const a = report.rows.find((r) => r.name === 'a')!
  assert.is(a.delta, 10_000)
  assert.is(a.status, 'ok')
  assert.match(
    report.markdown,
    /\| a \| linux\/amd64 \| 1\.06 MB \| 530\.0 KB \| 1\.00 MB \/ 500\.0 KB \|  \| 60\.0 KB \/ 30\.0 KB \| 10\.00 MB \| 1\.05 MB \| \+10\.0 KB \(\+0\.95%\) \| ok \|/,
  )
  assert.match(
    report.markdown,
    /a \(linux\/amd64\) grew \+10\.0 KB \(\+0\.95%\); its largest bundle inputs:\n\n- functions\/a\.ts: 60\.0 KB\n- node_modules\/hono\/dist\/hono-base\.js: 9\.0 KB/,
  )
})

test('growth past the tolerance fails, naming the function, the delta, the largest inputs and the fix', () => {
  const report = check([input('a', 70_000), input('b', 10_000)]) // +20 KB: 1.90%
  assert.is(report.failures.length, 1)
  assert.match(
    report.failures[0],
    /^budget: a \(linux\/amd64\) grew \+20\.0 KB \(\+1\.90%\) since baseline \(1\.05 MB -> 1\.07 MB\), more than the 1% tolerance; largest: functions\/a\.ts 60\.0 KB, node_modules\/hono\/dist\/hono-base\.js 9\.0 KB/,
  )
  assert.match(report.failures[0], /npm run build -- --update-baseline/)
  assert.is(report.rows[0].status, 'grew')
})

test('a larger --tolerance lets the same growth pass', () => {
  assert.equal(check([input('a', 70_000)], { tolerance: 2 }).failures, [])
})

test('an image over its budget fails even when the baseline is being updated', () => {
  const report = check([input('a', 70_000, 1_060_000)], { updateBaseline: true })
  assert.is(report.failures.length, 1)
  assert.match(
    report.failures[0],
    /^budget: a \(linux\/amd64\) is 1\.07 MB, over its 1\.06 MB budget \(\+20\.0 KB \(\+1\.90%\) since baseline; largest: functions\/a\.ts 60\.0 KB/,
  )
  assert.match(report.failures[0], /raise config\.budget in functions\/a\.ts \(at most 10\.00 MB\)/)
  assert.is(
    JSON.parse(readFileSync(baselineFile, 'utf8')).functions.a['linux/amd64'].uncompressed,
    1_050_000,
    'not accepted into the baseline',
  )
})

test('the report is written as JSON and markdown under the report folder', () => {
  check([input('a', 70_000), input('b', 10_000)])
  const json = JSON.parse(readFileSync(join(reportDir, 'size-report.json'), 'utf8'))
  assert.is(json.tolerancePercent, 1)
  assert.equal(
    json.images.map((r: { name: string; delta: number; budget: number }) => [r.name, r.delta, r.budget]),
    [
      ['a', 20_000, BUDGET_CAP],
      ['b', 0, BUDGET_CAP],
    ],
  )
  assert.ok(json.images[0].layers.length === 2)
  assert.match(readFileSync(join(reportDir, 'size-report.md'), 'utf8'), /^\| function \| platform \| uncompressed \| compressed/)
})

test('updating with prune drops functions that no longer exist; without it they stay', () => {
  check([input('a', 70_000)], { updateBaseline: true })
  assert.equal(Object.keys(JSON.parse(readFileSync(baselineFile, 'utf8')).functions), ['a', 'b'])
  check([input('a', 70_000)], { updateBaseline: true, prune: true })
  assert.equal(Object.keys(JSON.parse(readFileSync(baselineFile, 'utf8')).functions), ['a'])
  check([input('a', 90_000, 1_000_000)], { updateBaseline: true, prune: true })
  assert.is(
    JSON.parse(readFileSync(baselineFile, 'utf8')).functions.a['linux/amd64'].uncompressed,
    1_070_000,
    'an over-budget image keeps its old entry',
  )
})

test('a corrupt baseline is an error that says how to recover', () => {
  // A bad merge on line 3: the error points there, location first, with the way back.
  writeFileSync(baselineFile, '{\n  "functions": {},\n  oops\n}')
  assert.throws(
    () => check([input('a', 1)]),
    /(^|\/)size-baseline\.json:3:3: error: not valid JSON \(.*\)\n  restore it from git or rewrite it with `npm run build -- --update-baseline`$/,
  )
  writeFileSync(baselineFile, '[]')
  assert.throws(() => check([input('a', 1)]), /size-baseline\.json:1:1: error: expected \{ "functions"/)
  assert.throws(() => checkBudgets({ images: [], baselineFile, reportDir, tolerence: 2 } as never), /unknown option 'tolerence'/)
})

test("growth of the shared runtime layer is blamed on the runtime, not the function's inputs", () => {
  rmSync(baselineFile, { force: true })
  check([input('rt', 20_000)], { updateBaseline: true })
  const grown = check([{ ...input('rt', 20_000), image: image('rt', 20_000, 1_050_000) }])
  assert.is(grown.failures.length, 1)
  assert.match(
    grown.failures[0],
    /budget: rt \(linux\/amd64\) grew .*50\.0 KB of it is the shared runtime and CA layers \(runtime\/ or scripts\/runtime\/pinned-sources\.ts changed\)/,
  )
  assert.not.match(grown.failures[0], /largest:/)
  assert.match(grown.markdown, /in the shared runtime and CA layers/)
})

test('each platform image is held to the budget and to its own baseline entry', () => {
  rmSync(baselineFile, { force: true })
  const both = (fn: number, amd: number, arm: number, budget: number = BUDGET_CAP): BudgetInput => ({
    ...input('mp', fn, budget),
    image: image('mp', fn, amd, arm),
  })
  const first = check([both(20_000, 1_000_000, 1_030_000)], { updateBaseline: true })
  assert.equal(
    first.rows.map((r) => [r.platform, r.uncompressed]),
    [
      ['linux/amd64', 1_020_000],
      ['linux/arm64', 1_050_000],
    ],
  )
  const saved = JSON.parse(readFileSync(baselineFile, 'utf8')).functions.mp
  assert.equal(Object.keys(saved), ['linux/amd64', 'linux/arm64'])
  assert.is(saved['linux/arm64'].layers.runtime.uncompressed, 1_030_000)
  // Only the arm64 runtime grew past the tolerance: only the arm64 image fails, and says so.
  const grown = check([both(20_000, 1_000_000, 1_060_000)])
  assert.is(grown.failures.length, 1)
  assert.match(grown.failures[0], /^budget: mp \(linux\/arm64\) grew \+30\.0 KB/)
  assert.equal(
    grown.rows.map((r) => r.status),
    ['ok', 'grew'],
  )
  // A budget between the two sizes fails the larger platform image only.
  const over = check([both(20_000, 1_000_000, 1_030_000, 1_040_000)])
  assert.equal(over.failures.length, 1)
  assert.match(over.failures[0], /^budget: mp \(linux\/arm64\) is 1\.05 MB, over its 1\.04 MB budget/)
})

test("a build of one platform updates its entry and keeps the other platform's", () => {
  check([{ ...input('mp', 25_000), image: image('mp', 25_000) }], { updateBaseline: true, prune: true })
  const saved = JSON.parse(readFileSync(baselineFile, 'utf8')).functions.mp
  assert.is(saved['linux/amd64'].uncompressed, 1_025_000)
  assert.is(saved['linux/arm64'].uncompressed, 1_050_000, 'the arm64 entry stays')
})

test('a baseline from before platforms (one entry per function) is read as the linux/amd64 image', () => {
  writeFileSync(baselineFile, JSON.stringify({ functions: { old: { uncompressed: 1_010_000, compressed: 505_000, layers: {} } } }))
  const report = check([{ ...input('old', 10_000), image: image('old', 10_000, 1_000_000, 1_020_000) }])
  assert.equal(
    report.rows.map((r) => [r.platform, r.status, r.delta]),
    [
      ['linux/amd64', 'ok', 0],
      ['linux/arm64', 'new', null],
    ],
  )
})

test.run()
