// Function files that need the 2025 engine or the browser-aware bundler, each built as
// the image ships it (ES module bytecode on the static runtime) and for Node, and held to
// the same answers: a LinearRouter app with regex parameters, top-level await (settled
// before the first request, or rejected: exit 1, never ready), and a dependency whose
// browser field maps a Node-only file to false.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { buildBoth, type BuiltFunction } from '../support/function-build.ts'
import { repoRoot } from '../support/paths.ts'
import { freePort, startRuntime, startServer, type Server } from '../support/process.ts'
import { testRuntime } from '../support/script.ts'

const test = suite('engine features: the same function under Node and the static runtime')
const env = { SCRATCHFN_ACCESS_LOG: '0', SCRATCHFN_QUIET: '1' }
const fixture = (name: string) => join(repoRoot, 'test/fixtures/engine', `${name}.ts`)

interface Pair {
  node: Server
  runtime: Server
}
const running: Server[] = []
test.after(async () => {
  await Promise.all(running.map((s) => s.stop()))
})

async function serveBoth(built: BuiltFunction): Promise<Pair> {
  const [node, runtime] = await Promise.all([
    startServer({ command: process.execPath, args: [built.nodeBundle], env }),
    startRuntime(built.bin, env),
  ])
  running.push(node, runtime)
  return { node, runtime }
}

/** GETs `path` from both; asserts both answer `status` and the same body and content type, and returns the body. */
async function same(pair: Pair, path: string, status: number): Promise<string> {
  const [a, b] = await Promise.all([fetch(pair.node.url + path), fetch(pair.runtime.url + path)])
  const [ta, tb] = [await a.text(), await b.text()]
  assert.is(a.status, status, `Node: ${path} answered ${a.status} ${ta}`)
  assert.is(b.status, a.status, `runtime: ${path} answered ${b.status} ${tb} (stderr: ${pair.runtime.stderr()})`)
  assert.is(tb, ta, `runtime body for ${path}`)
  assert.is(b.headers.get('content-type'), a.headers.get('content-type'), `content type for ${path}`)
  return ta
}

test('a LinearRouter app with regex-parameter routes answers as under Node', async () => {
  const pair = await serveBoth(await buildBoth(fixture('linear-router'), 'linear-router'))
  assert.is(await same(pair, '/linear-router', 200), 'linear')
  assert.equal(JSON.parse(await same(pair, '/linear-router/posts/42', 200)), { id: 42 })
  assert.equal(JSON.parse(await same(pair, '/linear-router/posts/hello-world/comments', 200)), { slug: 'hello-world' })
  await same(pair, '/linear-router/posts/4x2', 404)
})

test('top-level await finishes before the function serves: the first answer already has its result', async () => {
  const built = await buildBoth(fixture('top-level-await'), 'top-level-await')
  const pair = await serveBoth(built)
  assert.equal(JSON.parse(await same(pair, '/top-level-await', 200)), { greeting: 'ready', waitedAtLeast200: true })
})

interface Exit {
  code: number | string
  stdout: string
  stderr: string
  /** Every status /readyz answered while the process ran. */
  ready: number[]
}

/** Runs a server process to its exit (at most 10 s), asking /readyz all along. */
async function runToExit(command: string, args: string[]): Promise<Exit> {
  const port = await freePort()
  const proc = spawn(command, args, { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  proc.stdout.on('data', (c) => (stdout += c))
  proc.stderr.on('data', (c) => (stderr += c))
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000)
  let exited = false
  const code = new Promise<number | string>((resolve) =>
    proc.on('exit', (c, s) => {
      exited = true
      resolve(c ?? s ?? -1)
    }),
  )
  const ready: number[] = []
  while (!exited) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`)
      await res.arrayBuffer()
      ready.push(res.status)
    } catch {}
    await new Promise((r) => setTimeout(r, 10))
  }
  clearTimeout(timer)
  return { code: await code, stdout, stderr, ready }
}

test('a rejected top-level await ends the process with 1 before it is ever ready, with the error and its stack', async () => {
  const built = await buildBoth(fixture('top-level-await-rejects'), 'top-level-await-rejects')
  const [node, runtime] = await Promise.all([runToExit(process.execPath, [built.nodeBundle]), runToExit(testRuntime, [built.bin])])
  assert.is(node.code, 1, node.stderr)
  assert.match(node.stderr, /settings service unavailable/)
  assert.equal(node.ready, [])
  assert.is(runtime.code, 1, runtime.stderr)
  assert.equal(runtime.ready, [], 'readiness never answered')
  const lines = runtime.stderr.trim().split('\n')
  assert.is(lines.length, 1, runtime.stderr)
  const line = JSON.parse(lines[0])
  assert.is(line.level, 'error')
  assert.match(line.msg, /^cannot load .*app\.bin: Error: settings service unavailable$/)
  // Bytecode keeps line and column numbers: the stack points into the bundle.
  assert.match(line.stack, /at .*\(app\.js:\d+:\d+\)/)
})

test("a dependency's browser field maps its Node-only file to false: it bundles for the image and answers as under Node", async () => {
  const pair = await serveBoth(await buildBoth(fixture('browser-field'), 'browser-field'))
  assert.is(await same(pair, '/browser-field', 200), 'value: {"a":1,"list":[1,"two"]}')
})

test.run()
