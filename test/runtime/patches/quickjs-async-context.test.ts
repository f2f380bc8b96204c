// The engine patch's own tests (runtime/patches/quickjs-async-context-test.c), built against
// the engine tree the runtime is built from, run plainly and under valgrind's memcheck; and
// two broken versions of the patch, each of which these tests must catch: without the
// reaction's mark the cycle collector cannot free a cycle through a pending reaction's
// context, and without the FinalizationRegistry hunk a cleanup callback inherits whatever
// context the collector happened to run in.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { engineDir, engineSource } from '../../../scripts/runtime/engine-source.ts'
import { ensureSystemPackages } from '../../../scripts/shared/system-packages.ts'
import { repoRoot } from '../../support/paths.ts'

const test = suite('runtime/patches/quickjs-async-context.patch: its C tests, and two broken patches they catch')
const run = promisify(execFile)
const testSource = join(repoRoot, 'runtime/patches/quickjs-async-context-test.c')
// -O0: these objects only run the tests, and quickjs.c compiles three times faster so.
const cflags = ['-O0', '-g', '-w', ...engineSource.cflags, ...engineSource.defines]
const others = engineSource.sources.filter((f) => f !== 'quickjs.c')

let work: string
let engine: string
let otherObjects: string[]

interface Result {
  code: number
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
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}${e.signal ?? ''}` }
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
let noMark: Promise<string>
let noFinrec: Promise<string>

test.before(async () => {
  ensureSystemPackages({ packages: [{ command: 'valgrind', package: 'valgrind' }], who: 'tests' })
  work = mkdtempSync(join(tmpdir(), 'scratchfn-patch-tests-'))
  engine = await engineDir({ log: () => {} })
  otherObjects = await Promise.all(others.map((f) => compile(engine, f, join(work, f.replace(/\.c$/, '.o')))))
  // The three builds run side by side; each test waits for its own.
  patched = buildTests(engine, 'patched')
  noMark = buildTests(mutant('no-mark', '            JS_MarkValue(rt, rd->async_context, mark_func);\n', ''), 'no-mark')
  noFinrec = buildTests(
    mutant(
      'no-finrec',
      'js_enqueue_job(frd->ctx, js_finrec_job, 2, args, JS_UNDEFINED);',
      'JS_EnqueueJob(frd->ctx, js_finrec_job, 2, args);',
    ),
    'no-finrec',
  )
  await Promise.allSettled([patched, noMark, noFinrec])
})

test.after(() => {
  rmSync(work, { recursive: true, force: true })
})

test('the runtime is built from the patched engine: its header declares the API', () => {
  assert.match(readFileSync(join(engine, 'quickjs.h'), 'utf8'), /JSValue JS_GetAsyncContext\(JSContext \*ctx\);/)
})

test('every C test passes against the patched engine', async () => {
  const r = await runTests(await patched)
  assert.is(r.code, 0, r.output)
  const summary = /^(\d+) passed, (\d+) failed$/m.exec(r.output)
  assert.ok(summary, r.output)
  assert.is(summary![2], '0', r.output)
  assert.ok(Number(summary![1]) >= 13, r.output)
})

test('valgrind memcheck finds no invalid access and no leak in them', async () => {
  const r = await runTests('valgrind', ['-q', '--leak-check=full', '--errors-for-leak-kinds=definite', '--error-exitcode=9', await patched])
  assert.is(r.code, 0, r.output)
  assert.not.match(r.output, /==\d+==/, r.output)
})

test('they catch a patch that does not mark the context a pending reaction holds', async () => {
  const r = await runTests(await noMark)
  assert.is.not(r.code, 0, r.output)
  assert.match(r.output, /FAIL GC: cycle through a pending reaction's async context is collected/)
})

test("they catch a patch that lets a FinalizationRegistry callback inherit the collector's context", async () => {
  const r = await runTests(await noFinrec)
  assert.is.not(r.code, 0, r.output)
  assert.match(r.output, /FAIL FinalizationRegistry job runs with undefined context/)
})

test.run()
