// The whole repo type-checks under strict TypeScript (runtime, scripts, tests, functions),
// with no unused locals, and has no dead files or exports.
import { spawnSync } from 'node:child_process'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { repoRoot } from './support/paths.ts'

test('tsc --noEmit reports no errors', () => {
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.'], { cwd: repoRoot, encoding: 'utf8' })
  assert.is(tsc.status, 0, tsc.stdout + tsc.stderr)
})

test('knip finds no unused file, export or dependency', () => {
  // Dead code is found by what nothing imports; knip.json names the entry points.
  const knip = spawnSync(
    process.execPath,
    ['node_modules/knip/bin/knip.js', '--no-progress', '--include', 'exports,types,files,dependencies'],
    {
      cwd: repoRoot,
      encoding: 'utf8',
    },
  )
  assert.is(knip.status, 0, knip.stdout + knip.stderr)
})

test.run()
