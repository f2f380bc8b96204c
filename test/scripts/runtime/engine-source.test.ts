// The engine as the build gets it: the pinned Debian source, cached once fetched, so a
// later build works with the archive unreachable and never runs apt.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { engineDir, engineSource } from '../../../scripts/runtime/engine-source.ts'
import { repoRoot } from '../../support/paths.ts'

test('the cached engine tree is the pinned release, with every file the build compiles', async () => {
  const dir = await engineDir({ log: () => {} })
  assert.is(readFileSync(join(dir, 'VERSION'), 'utf8').trim(), engineSource.version)
  for (const file of [...engineSource.sources, ...engineSource.hostSources, 'quickjs.h']) assert.ok(existsSync(join(dir, file)), file)
  assert.ok(dir.startsWith(join(repoRoot, '.scratchfn/')), dir)
})

test('with the engine cached, a runtime build with the archive unreachable works and never runs apt', () => {
  // An apt-get first on PATH that leaves a mark, and an archive nobody answers at.
  const bin = mkdtempSync(join(tmpdir(), 'scratchfn-no-apt-'))
  const mark = join(bin, 'apt-was-run')
  try {
    for (const tool of ['apt-get', 'apt']) {
      writeFileSync(join(bin, tool), `#!/bin/sh\ntouch '${mark}'\nexit 1\n`)
      chmodSync(join(bin, tool), 0o755)
    }
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts/cli.ts'), 'runtime'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 600_000,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, SCRATCHFN_DEBIAN_ARCHIVE: 'http://127.0.0.1:9/debian' },
    })
    assert.is(run.status, 0, `${run.stdout}${run.stderr}`)
    assert.not.match(run.stdout, /fetching/)
    assert.not.ok(existsSync(mark), 'apt was run')
  } finally {
    rmSync(bin, { recursive: true, force: true })
  }
})

test.run()
