// The dev server (scripts/dev/dev.ts), run as a user would, on a scratch project under
// .scratchfn/test: routes, health, logs, reload on save, .env, and route clashes.
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startDev, type DevServer } from '../../../scripts/dev/dev.ts'
import { repoRoot } from '../../support/paths.ts'
import { freePort } from '../../support/process.ts'

const test = suite('scripts/dev/dev.ts')
let n = 0

function project(files: Record<string, string>): string {
  const root = join(repoRoot, '.scratchfn/test', `dev-${process.pid}-${++n}`)
  rmSync(root, { recursive: true, force: true })
  for (const [name, text] of Object.entries(files)) write(root, name, text)
  return root
}
function write(root: string, name: string, text: string): void {
  mkdirSync(join(root, name, '..'), { recursive: true })
  writeFileSync(join(root, name), text)
}
const textApp = (body: string, extra = '') =>
  `import { Hono } from 'hono'\nconst app = new Hono()\napp.get('/', (c) => c.text(${body}))\n${extra}\nexport default app\n`

async function eventually(url: string, expected: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < deadline) {
    try {
      last = await (await fetch(url)).text()
    } catch (err) {
      last = String(err)
    }
    if (last === expected) return
    await new Promise((r) => setTimeout(r, 50))
  }
  assert.unreachable(`${url} answered ${JSON.stringify(last)}, expected ${JSON.stringify(expected)}`)
}

async function withDev(root: string, run: (dev: DevServer, said: string[], logged: string[]) => Promise<void>): Promise<void> {
  const said: string[] = []
  const logged: string[] = []
  const dev = await startDev({ root, port: 0, debounceMs: 50, say: (t) => said.push(t), log: (l) => logged.push(l) })
  try {
    await run(dev, said, logged)
  } finally {
    await dev.close()
    rmSync(root, { recursive: true, force: true })
  }
}

test('serves every function at its route, with health endpoints, request ids and access lines', async () => {
  const root = project({
    'functions/alpha.ts': textApp(
      "'alpha'",
      "app.get('/seen', (c) => c.json({ prefix: c.req.header('x-forwarded-prefix'), id: c.req.header('x-request-id') }))",
    ),
    'functions/beta.ts': textApp("'beta'") + "export const config = { route: '/api/beta' }\n",
  })
  await withDev(root, async (dev, said, logged) => {
    const base = `http://127.0.0.1:${dev.port}`
    assert.is(await (await fetch(`${base}/alpha`)).text(), 'alpha')
    assert.is(await (await fetch(`${base}/api/beta`)).text(), 'beta')
    assert.is((await fetch(`${base}/beta`)).status, 404)
    assert.equal(await (await fetch(`${base}/healthz`)).json(), { status: 'ok' })
    assert.equal(await (await fetch(`${base}/readyz`)).json(), { status: 'ready' })
    const seen = await fetch(`${base}/alpha/seen`, { headers: { 'x-request-id': 'dev-test-1' } })
    assert.equal(await seen.json(), { prefix: '/alpha', id: 'dev-test-1' })
    assert.is(seen.headers.get('x-request-id'), 'dev-test-1')
    const line = logged.map((l) => JSON.parse(l)).find((l) => l.request_id === 'dev-test-1')
    assert.ok(line, 'an access line for the request')
    assert.equal([line.msg, line.method, line.path, line.status], ['request', 'GET', '/alpha/seen', 200])
    const banner = said[0]
    assert.match(banner, `${base}/alpha`)
    assert.match(banner, 'functions/alpha.ts')
    assert.match(banner, `${base}/api/beta`)
    assert.match(banner, 'functions/beta.ts')
    assert.match(banner, `${base}/healthz`)
  })
})

test('reloads on save: an edited function, an edited helper, a new function', async () => {
  const root = project({
    'functions/alpha.ts': textApp("'v1'"),
    'functions/uses-helper.ts': `import { Hono } from 'hono'\nimport { word } from './_lib/word.ts'\nconst app = new Hono()\napp.get('/', (c) => c.text(word))\nexport default app\n`,
    'functions/_lib/word.ts': "export const word = 'one'\n",
  })
  await withDev(root, async (dev, said) => {
    const base = `http://127.0.0.1:${dev.port}`
    assert.is(await (await fetch(`${base}/uses-helper`)).text(), 'one')
    write(root, 'functions/alpha.ts', textApp("'v2'"))
    await eventually(`${base}/alpha`, 'v2')
    write(root, 'functions/_lib/word.ts', "export const word = 'two'\n")
    await eventually(`${base}/uses-helper`, 'two')
    write(root, 'functions/gamma.ts', textApp("'gamma'"))
    await eventually(`${base}/gamma`, 'gamma')
    assert.ok(said.some((t) => t.includes('reloaded') && t.includes('functions/gamma.ts')))
  })
})

test('a function that did not change keeps its state across a reload', async () => {
  const root = project({
    'functions/counter.ts': textApp('String(++count)', 'let count = 0'),
    'functions/other.ts': textApp("'v1'"),
  })
  await withDev(root, async (dev) => {
    const base = `http://127.0.0.1:${dev.port}`
    assert.is(await (await fetch(`${base}/counter`)).text(), '1')
    write(root, 'functions/other.ts', textApp("'v2'"))
    await eventually(`${base}/other`, 'v2')
    assert.is(await (await fetch(`${base}/counter`)).text(), '2')
  })
})

test('reads .env at start and again when it changes; the shell environment wins', async () => {
  process.env.DEV_TEST_FROM_SHELL = 'shell'
  const root = project({
    'functions/env.ts': textApp('`${process.env.DEV_TEST_GREETING}/${process.env.DEV_TEST_FROM_SHELL}`'),
    '.env': 'DEV_TEST_GREETING=hello\nDEV_TEST_FROM_SHELL=file\n',
  })
  try {
    await withDev(root, async (dev, said) => {
      const base = `http://127.0.0.1:${dev.port}`
      assert.is(await (await fetch(`${base}/env`)).text(), 'hello/shell')
      assert.match(said[0], '.env (1 variable)')
      write(root, '.env', '# edited\nDEV_TEST_GREETING="good morning"\n')
      await eventually(`${base}/env`, 'good morning/shell')
      write(root, '.env', '\n')
      await eventually(`${base}/env`, 'undefined/shell')
    })
  } finally {
    delete process.env.DEV_TEST_FROM_SHELL
    delete process.env.DEV_TEST_GREETING
  }
})

test('two functions that claim one route are an error naming both files', async () => {
  const root = project({
    'functions/one.ts': textApp("'one'") + "export const config = { route: '/shared' }\n",
    'functions/two.ts': textApp("'two'") + "export const config = { route: '/shared/' }\n",
  })
  try {
    await startDev({ root, port: 0, watch: false, say: () => {} })
    assert.unreachable('startDev should have refused')
  } catch (err) {
    // At the second file's config.route, the line after the app.
    const line = textApp("'two'").split('\n').length
    assert.match(
      (err as Error).message,
      new RegExp(
        `^functions/two\\.ts:${line}:\\d+: error: route /shared is already claimed by functions/one\\.ts\n  give one of them another \`config\\.route\``,
      ),
    )
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})

test('a clash made by an edit is reported and the previous functions keep serving', async () => {
  const root = project({ 'functions/one.ts': textApp("'one'"), 'functions/two.ts': textApp("'two'") })
  await withDev(root, async (dev, said) => {
    const base = `http://127.0.0.1:${dev.port}`
    write(root, 'functions/two.ts', textApp("'two v2'") + "export const config = { route: '/one' }\n")
    const deadline = Date.now() + 5000
    while (!said.some((t) => t.includes('not reloaded')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    const report = said.find((t) => t.includes('not reloaded')) ?? ''
    const line = textApp("'two v2'").split('\n').length
    assert.match(report, new RegExp(`functions/two\\.ts:${line}:\\d+: error: route /one is already claimed by functions/one\\.ts`))
    assert.is(await (await fetch(`${base}/two`)).text(), 'two')
    assert.is(await (await fetch(`${base}/one`)).text(), 'one')
  })
})

test('a function that fails to load is reported with its file and line; the others serve', async () => {
  const root = project({
    'functions/good.ts': textApp("'good'"),
    'functions/typo.ts': "import { Hono } from 'hono'\nconst app = new Hono(\nexport default app\n",
    'functions/badkey.ts': textApp("'x'") + "export const config = { rout: '/x' }\n",
  })
  await withDev(root, async (dev, said) => {
    assert.is(await (await fetch(`http://127.0.0.1:${dev.port}/good`)).text(), 'good')
    assert.match(said[0], /functions\/typo\.ts:3:\d+: error:/)
    assert.match(said[0], /functions\/badkey\.ts:6:\d+: error: unknown config key 'rout'/)
    assert.not.match(said[0], '/typo ')
  })
})

test('npm run dev serves the example functions, each at its route', async () => {
  const port = await freePort()
  const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'dev', '--port', String(port)], {
    cwd: repoRoot,
    env: { ...process.env, MACHINES_STORE_URL: '', QUOTES_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let err = ''
  const exited = new Promise((r) => proc.once('exit', r))
  proc.stderr.on('data', (c) => {
    err += c
  })
  proc.stdout.resume()
  try {
    const deadline = Date.now() + 20_000
    while (!err.includes('scratchfn dev started') && Date.now() < deadline && proc.exitCode === null)
      await new Promise((r) => setTimeout(r, 50))
    assert.match(err, 'scratchfn dev started', err)
    const base = `http://127.0.0.1:${port}`
    for (const route of ['/accounts', '/quotes', '/machines', '/hello']) assert.match(err, `${base}${route} `)
    assert.equal(await (await fetch(`${base}/accounts/10042`)).json(), { id: '10042', name: 'Person_42', quote_status: 'not_configured' })
    assert.is((await fetch(`${base}/quotes/random`)).status, 200)
    assert.is((await fetch(`${base}/machines`)).status, 200)
    assert.is((await fetch(`${base}/machines/ui`)).status, 200)
  } finally {
    proc.kill('SIGTERM')
    await exited
  }
})

test('the banner warns about the Node built-ins the image refuses, not the ones it provides', async () => {
  const root = project({
    'functions/files.ts': textApp('String(typeof readFileSync)', "import { readFileSync } from 'node:fs'"),
    'functions/bytes.ts': textApp(
      "Buffer.from('hi').toString('hex')",
      "import { Buffer } from 'node:buffer'\nimport { EventEmitter } from 'events'\nconsole.log(EventEmitter.name)",
    ),
  })
  await withDev(root, async (dev, said) => {
    const base = `http://127.0.0.1:${dev.port}`
    assert.is(await (await fetch(`${base}/bytes`)).text(), '6869')
    assert.is(await (await fetch(`${base}/files`)).text(), 'function')
    const banner = said[0]
    assert.match(banner, 'warning: functions/files.ts imports node:fs; works here (on Node), but the image cannot offer them')
    assert.not.match(banner, 'functions/bytes.ts imports')
  })
})

test.run()
