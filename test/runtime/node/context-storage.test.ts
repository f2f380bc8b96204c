// Hono's hono/context-storage in a real function, served under Node and by the runtime,
// with many requests overlapping: each must see its own context at every step (awaits, a
// timer's callback, a fetch to a local server, parallel branches, a microtask), and both
// must answer alike. In the runtime a request also sees nothing that an earlier one on the
// same keep-alive connection entered with enterWith; Node 20 hands that on (its enterWith
// sets the store of the connection's async resource), so that is checked on the runtime.
import { Agent, createServer, request, type Server as HttpServer } from 'node:http'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { buildBoth } from '../../support/function-build.ts'
import { repoRoot } from '../../support/paths.ts'
import { startRuntime, startServer, type Server } from '../../support/process.ts'

const test = suite('hono/context-storage under load: Node and the runtime, request by request')
const N = 200

let upstream: HttpServer
let node: Server
let runtime: Server

test.before(async () => {
  // Answers /echo?v=...&ms=... with v after ms milliseconds, so the fetches finish out of order.
  upstream = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    setTimeout(() => res.end(url.searchParams.get('v') ?? ''), Number(url.searchParams.get('ms') ?? 0))
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  const env = {
    UPSTREAM_URL: `http://127.0.0.1:${(upstream.address() as { port: number }).port}`,
    SCRATCHFN_ACCESS_LOG: '0',
    SCRATCHFN_QUIET: '1',
  }
  const built = await buildBoth(join(repoRoot, 'test/fixtures/node/context-storage.ts'), 'context-storage')
  ;[node, runtime] = await Promise.all([
    startServer({ command: process.execPath, args: [built.nodeBundle], env }),
    startRuntime(built.bin, env),
  ])
})
test.after(async () => {
  await Promise.all([node?.stop(), runtime?.stop()])
  await new Promise<void>((resolve) => upstream.close(() => resolve()))
})

interface Answer {
  status: number
  leftOver: string | null
  after: string | null
  body: string
}

async function get(server: Server, path: string): Promise<Answer> {
  const res = await fetch(server.url + path)
  return { status: res.status, leftOver: res.headers.get('x-left-over'), after: res.headers.get('x-after'), body: await res.text() }
}

/** N overlapping requests, each with its own id and delay (0 to 10 ms, so they finish out of order). */
function wave(server: Server, prefix: string): Promise<Answer[]> {
  return Promise.all(Array.from({ length: N }, (_, i) => get(server, `/context-storage/whoami?id=${prefix}${i}&delay=${(i * 7) % 11}`)))
}

test(`${N} overlapping requests each see only their own context, at every step, as under Node`, async () => {
  for (const prefix of ['a', 'b']) {
    const [fromNode, fromRuntime] = await Promise.all([wave(node, prefix), wave(runtime, prefix)])
    for (let i = 0; i < N; i++) {
      const id = `${prefix}${i}`
      const expected = { id, seen: Array(8).fill(id), echoed: id, flow: id }
      assert.equal(JSON.parse(fromNode[i].body), expected, `Node, request ${id}`)
      assert.is(fromRuntime[i].body, fromNode[i].body, `runtime, request ${id} (stderr: ${runtime.stderr()})`)
      for (const [who, a] of [
        ['Node', fromNode[i]],
        ['runtime', fromRuntime[i]],
      ] as const) {
        assert.is(a.status, 200, `${who} ${id}`)
        assert.is(a.after, id, `${who}: the context after the handler, in the middleware, is ${id}'s`)
      }
      assert.is(fromRuntime[i].leftOver, 'undefined', `runtime: request ${id} starts with nothing another request entered`)
    }
  }
})

test('a streamed body is made, chunk by chunk as the client reads, in the flow of its own request', async () => {
  const ids = ['s1', 's2', 's3', 's4']
  for (const server of [node, runtime]) {
    const answers = await Promise.all(ids.map((id) => get(server, `/context-storage/stream?id=${id}`)))
    answers.forEach((a, i) => {
      const flows = new Set(
        a.body
          .trimEnd()
          .split('\n')
          .map((line) => line.split(' ')[0]),
      )
      assert.equal([...flows], [ids[i]], `${server === node ? 'Node' : 'runtime'}: ${ids[i]}'s chunks`)
    })
  }
})

/** GETs each path in turn on one keep-alive connection; answers `path left-over-header`, and the local ports used. */
async function oneConnection(server: Server, paths: string[]): Promise<{ answers: string[]; ports: Set<number> }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const answers: string[] = []
  const ports = new Set<number>()
  try {
    for (const path of paths) {
      answers.push(
        await new Promise<string>((resolve, reject) => {
          const req = request(server.url + path, { agent }, (res) => {
            ports.add(res.socket.localPort ?? 0)
            res.resume()
            res.on('end', () => resolve(`${path} ${res.headers['x-left-over']}`))
          })
          req.on('error', reject)
          req.end()
        }),
      )
    }
  } finally {
    agent.destroy()
  }
  return { answers, ports }
}

test('runtime: on one keep-alive connection, each request starts with nothing the one before entered', async () => {
  const paths = ['k1', 'k2', 'k3'].map((id) => `/context-storage/whoami?id=${id}&delay=0`)
  const { answers, ports } = await oneConnection(runtime, paths)
  assert.is(ports.size, 1, `one connection: ${[...ports].join(', ')}`)
  assert.equal(
    answers,
    paths.map((p) => `${p} undefined`),
  )
})

test.run()
