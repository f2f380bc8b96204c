// The engine patch's own tests (runtime/patches/quickjs-shape-cache-test.c), built against the
// engine tree the runtime is built from, run plainly and under valgrind's memcheck; and three
// broken versions of the patch, each of which these tests must catch: one that keeps nothing,
// one whose kept shapes outlive a collection (they would keep prototypes alive), and one that
// keeps shapes while the collector frees cycles (their prototypes may be freed with the cycle).
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { engineDir, engineSource } from '../../../scripts/runtime/engine-source.ts'
import { ensureSystemPackages } from '../../../scripts/shared/system-packages.ts'
import { repoRoot } from '../../support/paths.ts'

const test = suite('runtime/patches/quickjs-shape-cache.patch: its C tests, and three broken patches they catch')
const run = promisify(execFile)
const testSource = join(repoRoot, 'runtime/patches/quickjs-shape-cache-test.c')
// -O0: these objects only run the tests, and quickjs.c compiles three times faster so.
const cflags = ['-O0', '-g', '-w', ...engineSource.cflags, ...engineSource.defines]
const others = engineSource.sources.filter((f) => f !== 'quickjs.c')

let work: string
let engine: string
let otherObjects: string[]

interface Result {
  code: number | string
  output: string
}

async function compile(dir: string, file: string, out: string): Promise<string> {
  await run('gcc', [...cflags, '-I', dir, '-c', '-o', out, join(dir, file)], { maxBuffer: 1 << 24 })
  return out
}

/** Links the tests with quickjs.c from `dir` (the other engine files are the same in every tree). */
async function buildTests(dir: string, name: string): Promise<string> {
  const quickjs = await compile(dir, 'quickjs.c', join(work, `${name}-quickjs.o`))
  const exe = join(work, name)
  await run('gcc', [...cflags, '-I', dir, '-o', exe, testSource, quickjs, ...otherObjects, '-lm', '-lpthread'])
  return exe
}

async function runTests(command: string, args: string[] = []): Promise<Result> {
  try {
    const r = await run(command, args, { encoding: 'utf8', timeout: 120_000 })
    return { code: 0, output: r.stdout + r.stderr }
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string; signal?: string }
    return { code: e.code ?? e.signal ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}${e.signal ?? ''}` }
  }
}

/** A copy of the patched tree with one change to quickjs.c: the patch as it would be without that part. */
function mutant(name: string, from: string, to: string): string {
  const dir = join(work, `${name}-tree`)
  cpSync(engine, dir, { recursive: true })
  const file = join(dir, 'quickjs.c')
  const text = readFileSync(file, 'utf8')
  assert.ok(text.includes(from), `the patched quickjs.c has ${from}`)
  writeFileSync(file, text.replace(from, to))
  return dir
}

let patched: Promise<string>
let keepsNothing: Promise<string>
let outlivesCollection: Promise<string>
let keepsWhileFreeingCycles: Promise<string>

test.before(async () => {
  ensureSystemPackages({ packages: [{ command: 'valgrind', package: 'valgrind' }], who: 'tests' })
  work = mkdtempSync(join(tmpdir(), 'scratchfn-shape-cache-tests-'))
  engine = await engineDir({ log: () => {} })
  otherObjects = await Promise.all(others.map((f) => compile(engine, f, join(work, f.replace(/\.c$/, '.o')))))
  // The builds run side by side; each test waits for its own.
  patched = buildTests(engine, 'patched')
  keepsNothing = buildTests(
    mutant('keeps-nothing', 'return sh->is_hashed && rt->shape_cache_off == 0 &&', 'return FALSE && rt->shape_cache_off == 0 &&'),
    'keeps-nothing',
  )
  outlivesCollection = buildTests(
    mutant('outlives', '    js_shape_cache_clear(rt);\n    if (remove_weak_objects) {', '    if (remove_weak_objects) {'),
    'outlives',
  )
  keepsWhileFreeingCycles = buildTests(
    mutant('during-cycles', 'rt->gc_phase != JS_GC_PHASE_REMOVE_CYCLES &&', '1 &&'),
    'during-cycles',
  )
  await Promise.allSettled([patched, keepsNothing, outlivesCollection, keepsWhileFreeingCycles])
})

test.after(() => {
  rmSync(work, { recursive: true, force: true })
})

test('the runtime is built from the patched engine', () => {
  assert.match(readFileSync(join(engine, 'quickjs.c'), 'utf8'), /JSShape \*shape_cache\[JS_SHAPE_CACHE_SIZE\];/)
})

test('every C test passes against the patched engine', async () => {
  const r = await runTests(await patched)
  assert.is(r.code, 0, r.output)
  const summary = /^(\d+) passed, (\d+) failed$/m.exec(r.output)
  assert.ok(summary, r.output)
  assert.is(summary![2], '0', r.output)
  assert.ok(Number(summary![1]) >= 15, r.output)
})

test('valgrind memcheck finds no invalid access and no leak in them', async () => {
  const r = await runTests('valgrind', ['-q', '--leak-check=full', '--errors-for-leak-kinds=definite', '--error-exitcode=9', await patched])
  assert.is(r.code, 0, r.output)
  assert.not.match(r.output, /==\d+==/, r.output)
})

test('they catch a patch that keeps no shape', async () => {
  const r = await runTests(await keepsNothing)
  assert.is.not(r.code, 0, r.output)
  assert.match(r.output, /FAIL the shapes of an object that died are kept/)
  assert.match(r.output, /FAIL building the same object again reuses them/)
})

test('they catch kept shapes that outlive a collection (and keep prototypes alive)', async () => {
  const r = await runTests(await outlivesCollection)
  assert.is.not(r.code, 0, r.output)
  assert.match(r.output, /FAIL a prototype only kept shapes refer to is collected/)
  assert.match(r.output, /FAIL their FinalizationRegistry callbacks run after the collection/)
})

test('they catch shapes kept while the collector frees cycles (a freed prototype)', async () => {
  const plain = await runTests(await keepsWhileFreeingCycles)
  const checked = await runTests('valgrind', ['-q', '--error-exitcode=9', await keepsWhileFreeingCycles])
  assert.ok(plain.code !== 0 || checked.code !== 0, `${plain.output}\n${checked.output}`)
})

test.run()
