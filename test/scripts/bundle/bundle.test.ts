// How a function bundle resolves its dependencies for the image (scripts/bundle/bundle.ts):
// as wrangler and Deno do for Web-API runtimes, package.json's `browser` field (the string
// form and the map of files) and the `worker` / `browser` export conditions win over the
// Node entry points, and the bundle is an ES module that may await at its top level.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { bundleFunction, type BundleResult } from '../../../scripts/bundle/bundle.ts'
import { repoRoot } from '../../support/paths.ts'

const test = suite('scripts/bundle/bundle.ts: resolution for the image')
let n = 0

/** A project under the repository (so hono resolves) with the given files, bundled as functions/fn.ts. */
async function bundle(files: Record<string, string>): Promise<BundleResult> {
  const root = join(repoRoot, '.scratchfn/test', `bundle-${process.pid}-${++n}`)
  rmSync(root, { recursive: true, force: true })
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true })
      writeFileSync(join(root, path), text)
    }
    return await bundleFunction({ root, name: 'fn', file: join(root, 'functions/fn.ts'), outDir: join(root, '.scratchfn/out') })
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

const fn = (imports: string) => `import { Hono } from 'hono'\n${imports}\nexport default new Hono()\n`
const pkg = (name: string, fields: Record<string, unknown>) => ({
  [`node_modules/${name}/package.json`]: JSON.stringify({ name, version: '1.0.0', ...fields }),
})
const file = (name: string, path: string, text: string) => ({ [`node_modules/${name}/${path}`]: text })

test("the browser field's string form replaces main", async () => {
  const out = await bundle({
    'functions/fn.ts': fn(`import picked from 'dep'\nconsole.log(picked)`),
    ...pkg('dep', { main: './node.js', browser: './browser.js' }),
    ...file('dep', 'node.js', "module.exports = require('fs') && 'picked node.js'"),
    ...file('dep', 'browser.js', "module.exports = 'picked browser.js'"),
  })
  assert.match(out.js, /picked browser\.js/)
  assert.not.match(out.js, /picked node\.js/)
})

test("the browser field's map replaces one file by another, and a file mapped to false by an empty module", async () => {
  const out = await bundle({
    'functions/fn.ts': fn(`import value from 'dep'\nconsole.log(value)`),
    ...pkg('dep', { main: './index.js', browser: { './impl.js': './impl-browser.js', './inspect.js': false } }),
    ...file('dep', 'index.js', "const inspect = require('./inspect.js'); module.exports = require('./impl.js') + typeof inspect.custom"),
    ...file('dep', 'impl.js', "module.exports = 'node impl'"),
    ...file('dep', 'impl-browser.js', "module.exports = 'browser impl'"),
    ...file('dep', 'inspect.js', "module.exports = require('util').inspect"),
  })
  assert.match(out.js, /browser impl/)
  assert.not.match(out.js, /node impl|require\("util"\)/)
})

test('the worker export condition wins over node, then browser, then default', async () => {
  const conditions = { node: './node.js', worker: './worker.js', browser: './browser.js', default: './default.js' }
  const out = await bundle({
    'functions/fn.ts': fn(`import a from 'with-worker'\nimport b from 'with-browser'\nconsole.log(a, b)`),
    ...pkg('with-worker', { exports: { '.': conditions } }),
    ...pkg('with-browser', { exports: { '.': { node: './node.js', browser: './browser.js', default: './default.js' } } }),
    ...Object.fromEntries(
      ['with-worker', 'with-browser'].flatMap((name) =>
        ['node', 'worker', 'browser', 'default'].map((c) => [`node_modules/${name}/${c}.js`, `export default '${name} took ${c}'`]),
      ),
    ),
  })
  assert.match(out.js, /with-worker took worker/)
  assert.match(out.js, /with-browser took browser/)
  assert.not.match(out.js, /took node|took default/)
})

test('the bundle is an ES module, so a function file may await at its top level', async () => {
  const out = await bundle({
    'functions/fn.ts':
      "import { Hono } from 'hono'\nconst greeting = await Promise.resolve('hi')\nconst app = new Hono()\napp.get('/', (c) => c.text(greeting))\nexport default app\n",
  })
  assert.match(out.js, /await Promise\.resolve\("hi"\)/)
  assert.match(out.js, /export\s*\{[^}]*as default/)
})

test('process.env.NODE_ENV stays read when the function runs, not fixed at build time', async () => {
  const out = await bundle({ 'functions/fn.ts': fn(`console.log(process.env.NODE_ENV)`) })
  assert.match(out.js, /process\.env\.NODE_ENV/)
})

test.run()
