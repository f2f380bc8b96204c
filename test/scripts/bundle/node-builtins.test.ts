// The build's side of Node built-ins: which ones a function bundle gets (only those it
// imports), and how it refuses the ones an image cannot offer.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { bundleFunction } from '../../../scripts/bundle/bundle.ts'
import { compileToBytecode } from '../../../scripts/compile/compile.ts'
import { LocatedError } from '../../../scripts/shared/located-error.ts'
import { repoRoot } from '../../support/paths.ts'

/** A throwaway project: files by relative path. */
function project(files: Record<string, string>): { root: string; dispose(): void } {
  const root = mkdtempSync(join(tmpdir(), 'scratchfn-node-builtins-'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return { root, dispose: () => rmSync(root, { recursive: true, force: true }) }
}

const handler = `export default { fetch: () => new Response('ok') }\n`

async function buildError(files: Record<string, string>): Promise<LocatedError> {
  const p = project(files)
  try {
    await bundleFunction({ root: p.root, name: 'x', file: join(p.root, 'functions/x.ts'), outDir: join(p.root, 'out') })
  } catch (err) {
    assert.instance(err, LocatedError)
    return err as LocatedError
  } finally {
    p.dispose()
  }
  throw new Error('the build did not fail')
}

test('importing node:fs fails at the import, saying it is a Node built-in and what to use instead', async () => {
  const err = await buildError({ 'functions/x.ts': `import { readFileSync } from 'node:fs'\nconsole.log(readFileSync)\n${handler}` })
  const [first, ...rest] = err.message.split('\n')
  assert.is(
    first,
    'functions/x.ts:1:30: error: "fs" is a Node built-in module that the image cannot offer; it is not a missing npm package, so installing one will not help',
  )
  assert.match(rest.join('\n'), 'imported through functions/x.ts:1:30 → "fs"')
  assert.match(rest.join('\n'), 'instead: the image has no files but the function itself')
})

test("a built-in imported deep in a package names the chain, located at the user's own import", async () => {
  const err = await buildError({
    'functions/x.ts': `import { load } from 'config-loader'\nconsole.log(load)\n${handler}`,
    'node_modules/config-loader/package.json': JSON.stringify({ name: 'config-loader', main: 'index.js' }),
    'node_modules/config-loader/index.js': `exports.load = require('./lib/read.js').read\n`,
    'node_modules/config-loader/lib/read.js': `const { spawnSync } = require('child_process')\nexports.read = () => spawnSync('cat')\n`,
  })
  const [first, chain, instead] = err.message.split('\n')
  assert.match(first, /^functions\/x\.ts:1:22: error: "child_process" is a Node built-in module that the image cannot offer/)
  assert.is(
    chain,
    '  imported through functions/x.ts → node_modules/config-loader/index.js → node_modules/config-loader/lib/read.js:1:31 → "child_process"',
  )
  assert.match(instead, 'instead: the image runs one program on one thread')
})

test('zlib says "not yet"; http says the function already is a server; dgram that the image has no UDP for it', async () => {
  const err = await buildError({
    'functions/x.ts': `import 'node:zlib'\nimport dgram from 'dgram'\nimport http from 'http'\nconsole.log(dgram, http)\n${handler}`,
  })
  assert.match(err.message, '"zlib" is a Node built-in module that scratchfn does not provide yet')
  assert.match(err.message, 'instead: not yet: the image has no compression library')
  assert.match(err.message, '"dgram" is a Node built-in module that the image cannot offer')
  assert.match(err.message, 'instead: the function already is an HTTP server')
  assert.is(err.problems.length, 3)
})

test('a require() of a refused built-in inside try is left to fail when it runs, as packages probe for Node', async () => {
  const p = project({
    'functions/x.ts': `import { hasFs } from 'probe'\nexport default { fetch: () => new Response(String(hasFs)) }\n`,
    'node_modules/probe/package.json': JSON.stringify({ name: 'probe', main: 'index.js' }),
    'node_modules/probe/index.js': `let fs = null\ntry { fs = require('fs') } catch (e) {}\nexports.hasFs = fs !== null\n`,
  })
  try {
    const out = await bundleFunction({ root: p.root, name: 'x', file: join(p.root, 'functions/x.ts'), outDir: join(p.root, 'out') })
    assert.match(out.js, "Cannot find module 'fs'")
  } finally {
    p.dispose()
  }
})

test('a function that imports nothing from Node gets no runtime/node module; node:buffer alone adds Buffer', async () => {
  const outDir = join(repoRoot, '.scratchfn/test/node-builtins-growth')
  const hello = await bundleFunction({
    root: repoRoot,
    name: 'hello',
    file: join(repoRoot, 'functions/hello.ts'),
    outDir: join(outDir, 'hello'),
  })
  assert.equal(
    Object.keys(hello.metafile.inputs).filter((f) => f.includes('runtime/node/')),
    [],
  )
  const p = project({
    'functions/plain.ts': `export default { fetch: () => new Response('6869') }\n`,
    'functions/buffer.ts': `import { Buffer } from 'node:buffer'\nexport default { fetch: () => new Response(Buffer.from('hi').toString('hex')) }\n`,
  })
  try {
    const sizes: Record<string, number> = {}
    for (const name of ['plain', 'buffer']) {
      const dir = join(p.root, 'out', name)
      await bundleFunction({ root: p.root, name, file: join(p.root, `functions/${name}.ts`), outDir: dir })
      await compileToBytecode(join(dir, 'app.js'), join(dir, 'app.bin'))
      sizes[name] = statSync(join(dir, 'app.bin')).size
    }
    const growth = sizes.buffer - sizes.plain
    console.log(`    node:buffer alone adds ${growth} bytes of bytecode to a function`)
    assert.ok(growth > 1000 && growth < 40_000, `growth ${growth}`)
  } finally {
    p.dispose()
  }
})

test('Buffer and setImmediate used without an import are injected, only then', async () => {
  const p = project({
    'functions/x.ts': `export default { fetch: () => new Promise((r) => setImmediate(() => r(new Response(Buffer.from('hi').toString('base64'))))) }\n`,
  })
  try {
    const out = await bundleFunction({ root: p.root, name: 'x', file: join(p.root, 'functions/x.ts'), outDir: join(p.root, 'out') })
    const inputs = Object.keys(out.metafile.inputs)
    assert.ok(inputs.some((f) => f.endsWith('runtime/node/globals/buffer.ts')))
    assert.ok(inputs.some((f) => f.endsWith('runtime/node/globals/immediate.ts')))
    assert.not.match(out.js, '__scratchfn_node_global')
  } finally {
    p.dispose()
  }
})

test.run()
