// import() in the image: the bundle's chunks (chunks/*.bin beside app.bin) are read on the
// first import() that needs them, with the same answers as under Node; start-up neither
// reads nor runs one it does not import statically; a chunk that is missing, corrupt or of
// another engine rejects that import() with an Error naming the file, and the function
// serves on. Run as a user runs the runtime: the binary, over HTTP.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { buildBoth, type BuiltFunction } from '../../support/function-build.ts'
import { repoRoot, runtimeBinary } from '../../support/paths.ts'
import { startRuntime, startServer, type Server } from '../../support/process.ts'

const test = suite('runtime: chunks loaded on import()')
let built: BuiltFunction
const running: Server[] = []
const copies: string[] = []

test.before(async () => {
  built = await buildBoth(join(repoRoot, 'test/fixtures/chunks/lazy.ts'), 'lazy')
})
test.after(async () => {
  await Promise.all(running.map((s) => s.stop()))
  for (const dir of copies) rmSync(dir, { recursive: true, force: true })
})

const buildDir = () => join(built.bin, '..')
/** The chunk file whose name starts with `prefix` ('greet', 'chunk' for the shared one). */
const chunk = (dir: string, prefix: string): string => {
  const found = readdirSync(join(dir, 'chunks')).filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.bin'))
  assert.is(found.length, 1, `one ${prefix} chunk in ${dir}/chunks: ${found.join(', ')}`)
  return join(dir, 'chunks', found[0])
}
/** A copy of the built function to break; the runtime reads chunks from beside its app.bin. */
const copy = (): string => {
  const dir = mkdtempSync(join(repoRoot, '.scratchfn/test/chunks-'))
  copies.push(dir)
  cpSync(buildDir(), dir, { recursive: true })
  return dir
}
const serve = async (app: string) => {
  const s = await startRuntime(app, { SCRATCHFN_ACCESS_LOG: '0' })
  running.push(s)
  return s
}
let node: Server | undefined
const nodeServer = async () => {
  node ??= await startServer({ command: process.execPath, args: [built.nodeBundle], env: { SCRATCHFN_ACCESS_LOG: '0' } })
  running.push(node)
  return node
}
const get = async (s: Server, path: string) => {
  const res = await fetch(s.url + '/lazy' + path, { signal: AbortSignal.timeout(8000) })
  return { status: res.status, body: await res.json() }
}

test('the build gives each import() target, and the code they share with the entry, a bytecode file of its own', () => {
  for (const part of ['greet', 'count', 'boom', 'chunk']) assert.ok(existsSync(chunk(buildDir(), part)))
  // The entry imports shared.ts statically: its code is in the shared chunk, not in app.bin.
  assert.not.ok(readFileSync(built.bin).includes('shared-chunk-v1'), 'app.bin carries the shared chunk')
  assert.ok(readFileSync(chunk(buildDir(), 'chunk')).includes('shared-chunk-v1'))
})

test('answers from chunks loaded by import() as Node does, each chunk evaluated once', async () => {
  const rt = await serve(built.bin)
  const nd = await nodeServer()
  for (const path of ['/greet/ana', '/greet/bo', '/count', '/count', '/greet/cy']) {
    const [a, b] = [await get(rt, path), await get(nd, path)]
    assert.equal(a, b, `GET ${path}`)
    assert.is(a.status, 200)
  }
  // shared.ts counted one load per part (greet, count), not one per import().
  assert.equal((await get(rt, '/count')).body, { count: 3, loads: 2 })
})

test('start-up neither runs nor reads a chunk it does not import: one that throws at evaluation, or one not there, is harmless until imported', async () => {
  const dir = copy()
  rmSync(chunk(dir, 'count'))
  const rt = await serve(join(dir, 'app.bin'))
  assert.is((await get(rt, '/greet/ana')).status, 200)
  const [a, b] = [await get(rt, '/boom'), await get(await nodeServer(), '/boom')]
  assert.equal(a, b)
  assert.equal(a.body, { name: 'Error', code: null, message: 'the boom chunk was evaluated' })
})

test('a missing chunk rejects the import() with ERR_MODULE_NOT_FOUND, naming the file; the function serves on', async () => {
  const dir = copy()
  rmSync(chunk(dir, 'greet'))
  const rt = await serve(join(dir, 'app.bin'))
  // The route does not catch: the rejection is the handler's error, a 500 with the error in the log.
  const res = await fetch(rt.url + '/lazy/greet/ana')
  assert.is(res.status, 500)
  await res.arrayBuffer()
  assert.is((await get(rt, '/count')).status, 200, 'serves on')
  const logged = rt.stdout() + rt.stderr()
  assert.match(
    logged,
    /Cannot find module 'chunks\/greet-[A-Z0-9]+\.js': cannot read .*chunks\/greet-[A-Z0-9]+\.bin \(No such file or directory\)/,
  )
})

test('a corrupt chunk, or one of another bytecode version, rejects the import() naming the file and why', async () => {
  const dir = copy()
  const file = chunk(dir, 'boom')
  writeFileSync(file, 'not bytecode at all')
  const rt = await serve(join(dir, 'app.bin'))
  const corrupt = await get(rt, '/boom')
  assert.is(corrupt.status, 500)
  assert.is(corrupt.body.code, 'ERR_SCRATCHFN_BAD_CHUNK')
  assert.match(corrupt.body.message, /^cannot load .*chunks\/boom-[A-Z0-9]+\.bin: not valid bytecode for this engine: /)
  const bytes = readFileSync(chunk(buildDir(), 'boom'))
  bytes[0] = 2 // QuickJS 2021's format
  writeFileSync(file, bytes)
  const stale = await get(rt, '/boom')
  assert.is(stale.body.code, 'ERR_SCRATCHFN_BAD_CHUNK')
  assert.match(
    stale.body.message,
    /chunks\/boom-[A-Z0-9]+\.bin: it is bytecode version 2, and this runtime \(QuickJS [^)]+\) reads version \d+; rebuild the image/,
  )
  assert.is((await get(rt, '/count')).status, 200, 'serves on')
})

test('a name computed at run time is not found, as under Node (only the chunks the build split off load)', async () => {
  const rt = await serve(built.bin)
  const [a, b] = [await get(rt, '/computed/no-such-package'), await get(await nodeServer(), '/computed/no-such-package')]
  assert.is(a.body.code, 'ERR_MODULE_NOT_FOUND')
  assert.is(a.body.code, b.body.code)
  // Nor does a path out of the function's folder reach a file.
  const out = await get(rt, '/computed/' + encodeURIComponent('../../etc/passwd.js'))
  assert.is(out.body.code, 'ERR_MODULE_NOT_FOUND')
})

test('a chunk the entry imports statically is read at start: without it the start fails with one line naming the file', () => {
  const dir = copy()
  const file = chunk(dir, 'chunk')
  rmSync(file)
  const run = spawnSync(process.env.SCRATCHFN_TEST_RUNTIME ?? runtimeBinary, [join(dir, 'app.bin')], {
    encoding: 'utf8',
    timeout: 10_000,
    env: { ...process.env, PORT: '0' },
  })
  assert.is(run.status, 1)
  const line = JSON.parse(run.stderr.trim().split('\n').pop()!) as { msg: string }
  assert.match(
    line.msg,
    /^cannot load .*app\.bin: Error: Cannot find module 'chunks\/chunk-[A-Z0-9]+\.js': cannot read .*chunks\/chunk-[A-Z0-9]+\.bin/,
  )
})

test.run()
