import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { sourceInfo } from '../../../scripts/image/source-info.ts'

const test = suite('oci/source-info: revision, tags and the build timestamp')
const dir = mkdtempSync(join(tmpdir(), 'scratchfn-source-'))
const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
      GIT_COMMITTER_DATE: '1700000000 +0000',
      GIT_AUTHOR_DATE: '1700000000 +0000',
    },
  }).trim()
test.after(() => rmSync(dir, { recursive: true, force: true }))

test('outside git: no revision, time 0, version and repository from package.json, credentials stripped', () => {
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ version: '2.0.0', repository: { url: 'git+https://user:token@example.invalid/a/b.git' } }),
  )
  const info = sourceInfo({ root: dir, sourceDateEpoch: '' })
  assert.equal(info, {
    revision: null,
    shortRevision: null,
    epoch: 0,
    created: '1970-01-01T00:00:00Z',
    version: '2.0.0',
    repository: 'https://example.invalid/a/b.git',
  })
})

test('at a commit: the full hash, its first 7 digits, and the commit time', () => {
  git('init', '-q')
  git('add', '.')
  git('-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'one')
  const head = git('rev-parse', 'HEAD')
  const info = sourceInfo({ root: dir, sourceDateEpoch: '' })
  assert.is(info.revision, head)
  assert.is(info.shortRevision, head.slice(0, 7))
  assert.is(info.epoch, 1_700_000_000)
  assert.is(info.created, '2023-11-14T22:13:20Z')
})

test('SOURCE_DATE_EPOCH wins over the commit time; a malformed one is an error that says what to write', () => {
  assert.is(sourceInfo({ root: dir, sourceDateEpoch: '1234567890' }).epoch, 1_234_567_890)
  const saved = process.env.SOURCE_DATE_EPOCH
  process.env.SOURCE_DATE_EPOCH = '42'
  try {
    assert.is(sourceInfo({ root: dir }).epoch, 42)
  } finally {
    if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH
    else process.env.SOURCE_DATE_EPOCH = saved
  }
  assert.throws(() => sourceInfo({ root: dir, sourceDateEpoch: 'yesterday' }), /SOURCE_DATE_EPOCH must be whole seconds/)
})

test.run()
