// Our patches to a fetched source tree: applied to a copy, so the cached pristine tree stays
// as fetched; reused while the patches are unchanged; remade when one changes; and a patch
// that does not apply stops the build naming the patch and the source it was meant for.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { engineDir, pristineEngineDir } from '../../../scripts/runtime/engine-source.ts'
import { patchSource, type PatchSourceOptions } from '../../../scripts/runtime/patch-source.ts'

const test = suite('patch-source: our patches, applied at build time to a copy of the fetched tree')

let dir: string
let tree: string
const logged: string[] = []

const hunk = (from: string, to: string) => `--- a/hello.c\n+++ b/hello.c\n@@ -1 +1 @@\n-${from}\n+${to}\n`

function options(over: Partial<PatchSourceOptions> = {}): PatchSourceOptions {
  return {
    tree,
    patches: ['patches/fix.patch'],
    what: 'Hello 1.0 (Debian hello 1.0-1)',
    cacheDir: join(dir, 'patched'),
    root: dir,
    log: (l) => logged.push(l),
    ...over,
  }
}

test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'scratchfn-patch-'))
  tree = join(dir, 'sources/hello_1.0-1_0123456789abcdef/hello-1.0')
  mkdirSync(tree, { recursive: true })
  writeFileSync(join(tree, 'hello.c'), 'int hello(void) { return 1; }\n')
  mkdirSync(join(dir, 'patches'))
  writeFileSync(join(dir, 'patches/fix.patch'), hunk('int hello(void) { return 1; }', 'int hello(void) { return 42; }'))
  logged.length = 0
})
test.after.each(() => {
  rmSync(dir, { recursive: true, force: true })
})

test('applies the patch to a copy with the same top folder, and leaves the pristine tree as it was', () => {
  const patched = patchSource(options())
  assert.is.not(patched, tree)
  assert.ok(patched.endsWith('/hello-1.0'), patched)
  assert.is(readFileSync(join(patched, 'hello.c'), 'utf8'), 'int hello(void) { return 42; }\n')
  assert.is(readFileSync(join(tree, 'hello.c'), 'utf8'), 'int hello(void) { return 1; }\n')
  assert.equal(readdirSync(patched), ['hello.c'], 'no backup or reject files')
})

test('reuses the patched tree while the patch is unchanged, without running patch', () => {
  const first = patchSource(options())
  logged.length = 0
  // A PATH without patch: a second run that needed it would fail.
  const path = process.env.PATH
  const bin = join(dir, 'bin')
  mkdirSync(bin)
  writeFileSync(join(bin, 'patch'), '#!/bin/sh\nexit 99\n')
  chmodSync(join(bin, 'patch'), 0o755)
  process.env.PATH = `${bin}:${path}`
  try {
    assert.is(patchSource(options()), first)
  } finally {
    process.env.PATH = path
  }
  assert.equal(logged, [])
})

test('a changed patch makes a new tree, and the one made from the old patch goes', () => {
  const first = patchSource(options())
  writeFileSync(join(dir, 'patches/fix.patch'), hunk('int hello(void) { return 1; }', 'int hello(void) { return 7; }'))
  const second = patchSource(options())
  assert.is.not(second, first)
  assert.is(readFileSync(join(second, 'hello.c'), 'utf8'), 'int hello(void) { return 7; }\n')
  assert.not.ok(existsSync(first), 'the old tree is removed')
})

test('a patch that does not apply stops with the patch, the source and the fix, and leaves nothing behind', () => {
  writeFileSync(join(dir, 'patches/fix.patch'), hunk('int hello(void) { return 2; }', 'int hello(void) { return 42; }'))
  let error: Error | undefined
  try {
    patchSource(options())
  } catch (err) {
    error = err as Error
  }
  assert.ok(error, 'it threw')
  assert.match(error!.message, /^runtime: patches\/fix\.patch does not apply to Hello 1\.0 \(Debian hello 1\.0-1\):/)
  assert.match(error!.message, /Hunk #1 FAILED/)
  assert.match(error!.message, /Update the patch for this engine version/)
  const left = existsSync(join(dir, 'patched')) ? readdirSync(join(dir, 'patched'), { recursive: true }) : []
  assert.equal(
    left.filter((f) => String(f).includes('hello.c')),
    [],
    `left: ${left.join(', ')}`,
  )
  assert.is(readFileSync(join(tree, 'hello.c'), 'utf8'), 'int hello(void) { return 1; }\n')
})

test('a patch whose context moved is refused, not applied by guesswork (no fuzz)', () => {
  writeFileSync(join(tree, 'hello.c'), 'int a;\nint hello(void) { return 1; }\nint b;\n')
  writeFileSync(
    join(dir, 'patches/fix.patch'),
    '--- a/hello.c\n+++ b/hello.c\n@@ -1,3 +1,3 @@\n int x;\n-int hello(void) { return 1; }\n+int hello(void) { return 42; }\n int b;\n',
  )
  assert.throws(() => patchSource(options()), /does not apply/)
})

test('a missing patch file and unknown options are refused by name', () => {
  assert.throws(() => patchSource(options({ patches: ['patches/nope.patch'] })), /the patch patches\/nope\.patch is missing/)
  assert.throws(() => patchSource({ ...options(), bogus: 1 } as PatchSourceOptions), /unknown option 'bogus'/)
})

test('the engine: the runtime builds from a patched copy; the cached download stays pristine', async () => {
  const pristine = await pristineEngineDir({ log: () => {} })
  const patched = await engineDir({ log: () => {} })
  assert.is.not(patched, pristine)
  assert.not.match(readFileSync(join(pristine, 'quickjs.h'), 'utf8'), /JS_GetAsyncContext/)
  assert.match(readFileSync(join(patched, 'quickjs.h'), 'utf8'), /JS_GetAsyncContext/)
})

test.run()
