// The engine patch's own tests (runtime/patches/quickjs-shape-cache-test.c), built against the
// engine tree the runtime is built from, run plainly and under valgrind's memcheck; and three
// broken versions of the patch, each of which these tests must catch: one that keeps nothing,
// one whose kept shapes outlive a collection (they would keep prototypes alive), and one that
// keeps shapes while the collector frees cycles (their prototypes may be freed with the cycle).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { patchTests, type PatchTests } from '../../support/engine-patch-tests.ts'
import { repoRoot } from '../../support/paths.ts'

const test = suite('runtime/patches/quickjs-shape-cache.patch: its C tests, and three broken patches they catch')
const testSource = join(repoRoot, 'runtime/patches/quickjs-shape-cache-test.c')

let t: PatchTests
let engine: string

let patched: Promise<string>
let keepsNothing: Promise<string>
let outlivesCollection: Promise<string>
let keepsWhileFreeingCycles: Promise<string>

test.before(async () => {
  t = await patchTests({ testSource, name: 'shape-cache-tests' })
  engine = t.engine
  // The builds run side by side; each test waits for its own.
  patched = t.buildTests(engine, 'patched')
  keepsNothing = t.buildTests(
    t.mutant('keeps-nothing', 'return sh->is_hashed && rt->shape_cache_off == 0 &&', 'return FALSE && rt->shape_cache_off == 0 &&'),
    'keeps-nothing',
  )
  outlivesCollection = t.buildTests(
    t.mutant('outlives', '    js_shape_cache_clear(rt);\n    if (remove_weak_objects) {', '    if (remove_weak_objects) {'),
    'outlives',
  )
  keepsWhileFreeingCycles = t.buildTests(t.mutant('during-cycles', 'rt->gc_phase != JS_GC_PHASE_REMOVE_CYCLES &&', '1 &&'), 'during-cycles')
  await Promise.allSettled([patched, keepsNothing, outlivesCollection, keepsWhileFreeingCycles])
})

test.after(() => t?.cleanup())

test('the runtime is built from the patched engine', () => {
  assert.match(readFileSync(join(engine, 'quickjs.c'), 'utf8'), /JSShape \*shape_cache\[JS_SHAPE_CACHE_SIZE\];/)
})

test('every C test passes against the patched engine', async () => {
  const r = await t.runTests(await patched)
  assert.is(r.code, 0, r.output)
  const summary = /^(\d+) passed, (\d+) failed$/m.exec(r.output)
  assert.ok(summary, r.output)
  assert.is(summary![2], '0', r.output)
  assert.ok(Number(summary![1]) >= 15, r.output)
})

test('valgrind memcheck finds no invalid access and no leak in them', async () => {
  const r = await t.runTests('valgrind', [
    '-q',
    '--leak-check=full',
    '--errors-for-leak-kinds=definite',
    '--error-exitcode=9',
    await patched,
  ])
  assert.is(r.code, 0, r.output)
  assert.not.match(r.output, /==\d+==/, r.output)
})

test('they catch a patch that keeps no shape', async () => {
  const r = await t.runTests(await keepsNothing)
  assert.is.not(r.code, 0, r.output)
  assert.match(r.output, /FAIL the shapes of an object that died are kept/)
  assert.match(r.output, /FAIL building the same object again reuses them/)
})

test('they catch kept shapes that outlive a collection (and keep prototypes alive)', async () => {
  const r = await t.runTests(await outlivesCollection)
  assert.is.not(r.code, 0, r.output)
  assert.match(r.output, /FAIL a prototype only kept shapes refer to is collected/)
  assert.match(r.output, /FAIL their FinalizationRegistry callbacks run after the collection/)
})

test('they catch shapes kept while the collector frees cycles (a freed prototype)', async () => {
  const plain = await t.runTests(await keepsWhileFreeingCycles)
  const checked = await t.runTests('valgrind', ['-q', '--error-exitcode=9', await keepsWhileFreeingCycles])
  assert.ok(plain.code !== 0 || checked.code !== 0, `${plain.output}\n${checked.output}`)
})

test.run()
