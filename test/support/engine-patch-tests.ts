// Building an engine patch's own C tests (runtime/patches/*-test.c) against the patched
// engine tree the runtime is built from, and against "mutants": copies of that tree with
// one part of the patch undone, which the tests must catch. Shared by the patch suites in
// test/runtime/patches/.
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import * as assert from 'uvu/assert'
import { engineDir, engineSource } from '../../scripts/runtime/engine-source.ts'
import { ensureSystemPackages } from '../../scripts/shared/system-packages.ts'

const run = promisify(execFile)
// -O0: these objects only run the tests, and quickjs.c compiles three times faster so.
const cflags = ['-O0', '-g', '-w', ...engineSource.cflags, ...engineSource.defines]
const others = engineSource.sources.filter((f) => f !== 'quickjs.c')

export interface TestRun {
  /** The exit code, or the signal that ended it. */
  code: number | string
  output: string
}

export interface PatchTests {
  /** The patched engine tree. */
  engine: string
  /** Links the C tests with quickjs.c from `dir` (the other engine files are the same in every tree). */
  buildTests(dir: string, name: string): Promise<string>
  /** A copy of the patched tree with one change to quickjs.c: the patch as it would be without that part. */
  mutant(name: string, from: string, to: string): string
  /** Runs a built test program (or valgrind on one); never throws. */
  runTests(command: string, args?: string[]): Promise<TestRun>
  cleanup(): void
}

export interface PatchTestsOptions {
  /** The patch's C tests, e.g. runtime/patches/quickjs-shape-cache-test.c (absolute). */
  testSource: string
  /** The temporary folder's prefix. */
  name: string
}

export async function patchTests(options: PatchTestsOptions): Promise<PatchTests> {
  ensureSystemPackages({ packages: [{ command: 'valgrind', package: 'valgrind' }], who: 'tests' })
  const work = mkdtempSync(join(tmpdir(), `scratchfn-${options.name}-`))
  const engine = await engineDir({ log: () => {} })
  const compile = async (dir: string, file: string, out: string): Promise<string> => {
    await run('gcc', [...cflags, '-I', dir, '-c', '-o', out, join(dir, file)], { maxBuffer: 1 << 24 })
    return out
  }
  const otherObjects = await Promise.all(others.map((f) => compile(engine, f, join(work, f.replace(/\.c$/, '.o')))))
  return {
    engine,
    async buildTests(dir, name) {
      const quickjs = await compile(dir, 'quickjs.c', join(work, `${name}-quickjs.o`))
      const exe = join(work, name)
      await run('gcc', [...cflags, '-I', dir, '-o', exe, options.testSource, quickjs, ...otherObjects, '-lm', '-lpthread'])
      return exe
    },
    mutant(name, from, to) {
      const dir = join(work, `${name}-tree`)
      cpSync(engine, dir, { recursive: true })
      const file = join(dir, 'quickjs.c')
      const text = readFileSync(file, 'utf8')
      assert.ok(text.includes(from), `the patched quickjs.c has ${from}`)
      writeFileSync(file, text.replace(from, to))
      return dir
    },
    async runTests(command, args = []) {
      try {
        const r = await run(command, args, { encoding: 'utf8', timeout: 120_000 })
        return { code: 0, output: r.stdout + r.stderr }
      } catch (err) {
        const e = err as { code?: number; stdout?: string; stderr?: string; signal?: string }
        return { code: e.code ?? e.signal ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}${e.signal ?? ''}` }
      }
    },
    cleanup: () => rmSync(work, { recursive: true, force: true }),
  }
}
