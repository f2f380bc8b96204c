// The whole repo type-checks under strict TypeScript (runtime, scripts, tests, functions).
import { spawnSync } from 'node:child_process'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { repoRoot } from './support/paths.ts'

test('tsc --noEmit reports no errors', () => {
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.'], { cwd: repoRoot, encoding: 'utf8' })
  assert.is(tsc.status, 0, tsc.stdout + tsc.stderr)
})

test.run()
