// The compile step's refusal: a bundle QuickJS cannot compile fails at the line and column
// qjsc names, location first, and writes no bytecode.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { compileToBytecode } from '../../../scripts/compile/compile.ts'
import { LocatedError } from '../../../scripts/shared/located-error.ts'

const test = suite('compile: errors at their place in the bundle')
const work = mkdtempSync(join(tmpdir(), 'scratchfn-compile-errors-'))
test.after(() => rmSync(work, { recursive: true, force: true }))

test("a syntax error is reported at qjsc's line and column, and no bytecode is written", async () => {
  const js = join(work, 'bad.js')
  const bin = join(work, 'bad.bin')
  writeFileSync(js, 'const a = 1\nlet x = (\nfoo bar\n')
  let error: unknown
  try {
    await compileToBytecode(js, bin)
  } catch (err) {
    error = err
  }
  assert.instance(error, LocatedError)
  const shown = relative(process.cwd(), js).startsWith('..') ? js : relative(process.cwd(), js)
  assert.match(
    (error as Error).message,
    new RegExp(`^${shown.replace(/[.\\/]/g, '\\$&')}:3:5: error: QuickJS cannot compile it: SyntaxError: expecting '\\)'\\n  `),
  )
  assert.is((error as LocatedError).problems[0].line, 3)
  assert.not.ok(existsSync(bin), 'nothing written')
})

test('a file that compiles gives bytecode', async () => {
  const js = join(work, 'good.js')
  writeFileSync(js, 'export const a = 1\n')
  const bytes = await compileToBytecode(js, join(work, 'good.bin'))
  assert.ok(bytes > 0)
})

test.run()
