// The compile step's library ranges: from a bundle's source map, the bytes whose code is a
// package's (node_modules), as byte offsets of the UTF-8 file even after non-ASCII text;
// and, run through qjsc -R, a library function's frame loses its position while the
// function's own keeps its line and column (runtime/patches/quickjs-strip-ranges.patch),
// while a library function that calls import() keeps the file name that resolves it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { build } from 'esbuild'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { compileToBytecode } from '../../../scripts/compile/compile.ts'
import { compileBundle } from '../../../scripts/compile/compile-bundle.ts'
import { isLibrarySource, libraryRanges } from '../../../scripts/compile/library-ranges.ts'
import { runtimeBinary } from '../../support/paths.ts'
import { spawnSync } from 'node:child_process'

const test = suite('compile: library code by the source map, compiled without debug info')
const work = mkdtempSync(join(tmpdir(), 'scratchfn-library-ranges-'))
test.after(() => rmSync(work, { recursive: true, force: true }))

async function bundle(): Promise<string> {
  mkdirSync(join(work, 'node_modules/lib'), { recursive: true })
  writeFileSync(join(work, 'node_modules/lib/package.json'), '{"name":"lib","main":"index.js"}')
  writeFileSync(
    join(work, 'node_modules/lib/index.js'),
    "export function libCall(f) { const mark = 'LIBRARY_MARK é✓😀'; return f(mark) }\n",
  )
  writeFileSync(
    join(work, 'user.js'),
    [
      "import { libCall } from 'lib'",
      "const before = 'user text é✓😀 before'",
      'export function userThrow(m) { const mark = "USER_MARK"; throw new Error(mark + m + before) }',
      'try { libCall(userThrow) } catch (e) { globalThis.stackSeen = e.stack }',
      '',
    ].join('\n'),
  )
  await build({
    entryPoints: [join(work, 'user.js')],
    bundle: true,
    format: 'esm',
    // As a function's bundle, but with its names kept, to find the frames by name.
    minifySyntax: true,
    minifyWhitespace: true,
    charset: 'utf8',
    sourcemap: 'external',
    sourcesContent: false,
    outfile: join(work, 'out/app.js'),
    logLevel: 'silent',
  })
  return join(work, 'out/app.js')
}

test('node_modules and the runtime folder are library sources; the function files are not', () => {
  assert.ok(isLibrarySource('/p/node_modules/hono/dist/index.js'))
  assert.ok(isLibrarySource(join(import.meta.dirname, '../../../runtime/node/buffer.ts')))
  assert.not.ok(isLibrarySource('/p/functions/hello.ts'))
  assert.not.ok(isLibrarySource('/p/functions/node_modules_notes.ts'))
})

test("the library's bytes are in a range, the function's are not, counted in UTF-8 bytes", async () => {
  const js = await bundle()
  const bytes = readFileSync(js)
  const ranges = libraryRanges(js)
  assert.ok(ranges.length > 0, 'a range')
  const inRange = (at: number) => ranges.some(([start, end]) => at >= start && at < end)
  const library = bytes.indexOf('LIBRARY_MARK')
  const user = bytes.indexOf('USER_MARK')
  assert.ok(library > 0 && user > library)
  assert.ok(bytes.includes('é✓😀'), 'non-ASCII text before the marks, as UTF-8')
  assert.ok(inRange(library), `LIBRARY_MARK at byte ${library} in ${JSON.stringify(ranges)}`)
  assert.not.ok(inRange(user), `USER_MARK at byte ${user} outside ${JSON.stringify(ranges)}`)
  assert.equal(libraryRanges(join(work, 'no-such.js')), [], 'no map, no ranges')
})

test("compiled with them, the library's frame has no position and the function's keeps its own", async () => {
  const js = await bundle()
  writeFileSync(js, readFileSync(js, 'utf8') + '\nconsole.log(globalThis.stackSeen)\n')
  // The lines added after the bundle are the function's own: its map covers what it covers.
  const bin = join(work, 'out/app.bin')
  await compileToBytecode(js, bin, { module: true, stripRanges: libraryRanges(js) })
  const run = spawnSync(runtimeBinary, ['--script', bin], { encoding: 'utf8', timeout: 10_000 })
  const text = run.stdout + run.stderr
  assert.match(text, /at userThrow \(app\.js:\d+:\d+\)/, text)
  assert.match(text, /at libCall\n/, text)
  assert.not.match(text, /at libCall \(/, text)
})

test('a library function that calls import() keeps its file name, and its chunk loads', async () => {
  const dir = join(work, 'lazy')
  mkdirSync(join(dir, 'node_modules/lazylib'), { recursive: true })
  writeFileSync(join(dir, 'node_modules/lazylib/package.json'), '{"name":"lazylib","main":"index.js"}')
  writeFileSync(join(dir, 'node_modules/lazylib/index.js'), "export function later() { return import('./later.js') }\n")
  writeFileSync(join(dir, 'node_modules/lazylib/later.js'), "export const word = 'loaded later'\n")
  writeFileSync(
    join(dir, 'user.js'),
    "import { later } from 'lazylib'\nlater().then((m) => console.log(m.word), (e) => console.log('failed: ' + e))\n",
  )
  const out = join(dir, 'out')
  const result = await build({
    entryPoints: [join(dir, 'user.js')],
    bundle: true,
    format: 'esm',
    splitting: true,
    outdir: out,
    entryNames: 'app',
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    sourcemap: 'external',
    sourcesContent: false,
    metafile: true,
    logLevel: 'silent',
  })
  const chunks = Object.keys(result.metafile.outputs)
    .map((f) => relative(out, join(process.cwd(), f)))
    .filter((f) => f.startsWith('chunks/') && f.endsWith('.js'))
    .map((file) => ({ file, bytes: 0 }))
  assert.is(chunks.length, 1, 'later.js is a chunk')
  assert.ok(libraryRanges(join(out, 'app.js')).length > 0, 'later() is in a library range')
  await compileBundle({ dir: out, chunks })
  const run = spawnSync(runtimeBinary, ['--script', join(out, 'app.bin')], { encoding: 'utf8', timeout: 10_000 })
  assert.is(run.stdout + run.stderr, 'loaded later\n')
})

test.run()
