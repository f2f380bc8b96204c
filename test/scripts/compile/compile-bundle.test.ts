// The bundle split into chunks and compiled one bytecode file per chunk: each chunk's code
// is in its own file only (qjsc would compile a statically imported module into its
// importer), each file is compiled as the module its importers name, and the names and
// bytes depend on the sources alone, not on the folder the build ran in.
import { readFileSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { bundleFunction } from '../../../scripts/bundle/bundle.ts'
import { compileBundle, type CompiledBundle } from '../../../scripts/compile/compile-bundle.ts'
import { repoRoot } from '../../support/paths.ts'

const test = suite('compile: a bundle and its chunks, one bytecode file each')
const file = join(repoRoot, 'test/fixtures/chunks/lazy.ts')
const dirs = [join(repoRoot, '.scratchfn/test/compile-bundle-a'), join(repoRoot, '.scratchfn/test/compile-bundle-b/deeper')]
const results: CompiledBundle[] = []

test.before(async () => {
  for (const outDir of dirs) {
    rmSync(outDir, { recursive: true, force: true })
    const bundle = await bundleFunction({ root: repoRoot, name: 'lazy', file, outDir })
    results.push(await compileBundle({ dir: outDir, chunks: bundle.chunks }))
  }
})
test.after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

test('writes app.bin and chunks/<name>-<hash>.bin for every chunk, and nothing else', () => {
  const [r] = results
  assert.is(r.entry.file, 'app.bin')
  assert.equal(
    r.chunks.map((c) => c.file.replace(/-[A-Z0-9]{8}\.bin$/, '')),
    ['chunks/boom', 'chunks/chunk', 'chunks/count', 'chunks/greet'],
  )
  const onDisk = readdirSync(join(dirs[0], 'chunks')).filter((f) => f.endsWith('.bin'))
  assert.equal(onDisk.map((f) => `chunks/${f}`).sort(), r.chunks.map((c) => c.file).sort())
  for (const c of r.chunks) assert.is(readFileSync(join(dirs[0], c.file)).length, c.bytes)
})

test("each chunk's code is in its own file, compiled under the name its importers resolve", () => {
  const [r] = results
  const bytes = (f: string) => readFileSync(join(dirs[0], f))
  const greet = r.chunks.find((c) => c.file.startsWith('chunks/greet-'))!
  const shared = r.chunks.find((c) => c.file.startsWith('chunks/chunk-'))!
  assert.ok(bytes(greet.file).includes('from the greet chunk'))
  // greet imports the shared chunk statically; its code stays out of greet's file and app.bin.
  for (const f of [greet.file, 'app.bin']) assert.not.ok(bytes(f).includes('shared-chunk-v1'), f)
  assert.ok(bytes(shared.file).includes('shared-chunk-v1'))
  // The module name is the chunk's path from the bundle folder, as app.js's import() resolves it.
  assert.ok(bytes(greet.file).includes(greet.file.replace(/\.bin$/, '.js')))
})

test('the same sources give the same chunk names and bytes in any folder', () => {
  assert.equal(results[0], results[1])
  for (const c of [results[0].entry, ...results[0].chunks]) {
    assert.ok(readFileSync(join(dirs[0], c.file)).equals(readFileSync(join(dirs[1], c.file))), c.file)
  }
})

test('a bundle rebuilt into the same folder leaves no chunk of the earlier build behind', async () => {
  const outDir = dirs[0]
  const before = readdirSync(join(outDir, 'chunks'))
  const bundle = await bundleFunction({ root: repoRoot, name: 'hello', file: join(repoRoot, 'functions/hello.ts'), outDir })
  assert.equal(bundle.chunks, [])
  assert.ok(before.length > 0)
  assert.equal(readdirSync(outDir).includes('chunks'), false)
})

test.run()
