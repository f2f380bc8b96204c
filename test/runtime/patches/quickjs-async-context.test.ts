// The engine patch's own tests (runtime/patches/quickjs-async-context-test.c), built against
// the engine tree the runtime is built from, run plainly and under valgrind's memcheck; and
// two broken versions of the patch, each of which these tests must catch: without the
// reaction's mark the cycle collector cannot free a cycle through a pending reaction's
// context, and without the FinalizationRegistry hunk a cleanup callback inherits whatever
// context the collector happened to run in.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { patchTests, type PatchTests } from '../../support/engine-patch-tests.ts'
import { repoRoot } from '../../support/paths.ts'

const test = suite('runtime/patches/quickjs-async-context.patch: its C tests, and two broken patches they catch')
const testSource = join(repoRoot, 'runtime/patches/quickjs-async-context-test.c')

let t: PatchTests
let engine: string

let patched: Promise<string>
let noMark: Promise<string>
let noFinrec: Promise<string>

test.before(async () => {
  t = await patchTests({ testSource, name: 'patch-tests' })
  engine = t.engine
  // The three builds run side by side; each test waits for its own.
  patched = t.buildTests(engine, 'patched')
  noMark = t.buildTests(t.mutant('no-mark', '            JS_MarkValue(rt, rd->async_context, mark_func);\n', ''), 'no-mark')
  noFinrec = t.buildTests(
    t.mutant(
      'no-finrec',
      'js_enqueue_job(frd->ctx, js_finrec_job, 2, args, JS_UNDEFINED);',
      'JS_EnqueueJob(frd->ctx, js_finrec_job, 2, args);',
    ),
    'no-finrec',
  )
  await Promise.allSettled([patched, noMark, noFinrec])
})

test.after(() => t?.cleanup())

test('the runtime is built from the patched engine: its header declares the API', () => {
  assert.match(readFileSync(join(engine, 'quickjs.h'), 'utf8'), /JSValue JS_GetAsyncContext\(JSContext \*ctx\);/)
})

test('every C test passes against the patched engine', async () => {
  const r = await t.runTests(await patched)
  assert.is(r.code, 0, r.output)
  const summary = /^(\d+) passed, (\d+) failed$/m.exec(r.output)
  assert.ok(summary, r.output)
  assert.is(summary![2], '0', r.output)
  assert.ok(Number(summary![1]) >= 13, r.output)
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

test('they catch a patch that does not mark the context a pending reaction holds', async () => {
  const r = await t.runTests(await noMark)
  assert.is.not(r.code, 0, r.output)
  assert.match(r.output, /FAIL GC: cycle through a pending reaction's async context is collected/)
})

test("they catch a patch that lets a FinalizationRegistry callback inherit the collector's context", async () => {
  const r = await t.runTests(await noFinrec)
  assert.is.not(r.code, 0, r.output)
  assert.match(r.output, /FAIL FinalizationRegistry job runs with undefined context/)
})

test.run()
