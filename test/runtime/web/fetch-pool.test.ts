// fetch's keep-alive pool, counted by the servers themselves: sequential requests to one
// origin share one connection (over http and https, as under Node), a response that says
// `connection: close` is not reused, origins do not share, and a pooled connection the
// server dropped is retried once on a new one for an idempotent request but not for a POST.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { runBoth, runInRuntime } from '../../support/script.ts'
import { makePki, type Pki } from '../../support/tls-pki.ts'
import { httpsPeer } from '../../support/tls-servers.ts'

const test = suite('fetch keeps connections alive and reuses them')
let pki: Pki
const tlsEnv = () => ({ SSL_CERT_FILE: '', SSL_CERT_DIR: '', NODE_EXTRA_CA_CERTS: pki.rootCert })

interface Counting {
  url: string
  /** Connections accepted and requests seen, by the client's user-agent (Node's and the runtime's run at once). */
  stats(agent: string): { connections: number; requests: number }
  close(): Promise<void>
}

/** A server counting connections and requests per user-agent. */
async function counting(secure: boolean, handler: (req: IncomingMessage, res: ServerResponse, n: number) => void): Promise<Counting> {
  const perAgent = new Map<string, { connections: Set<Socket>; requests: number }>()
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const agent = String(req.headers['user-agent'])
    const s = perAgent.get(agent) ?? { connections: new Set<Socket>(), requests: 0 }
    perAgent.set(agent, s)
    s.connections.add(req.socket)
    handler(req, res, ++s.requests)
  }
  const peer = secure ? await httpsPeer(pki.leaves.ec, pki.chain, onRequest) : null
  const plain = secure ? null : createServer(onRequest)
  if (plain) await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve))
  const port = peer ? peer.port : (plain!.address() as { port: number }).port
  return {
    url: `${secure ? 'https' : 'http'}://localhost:${port}`,
    stats: (agent) => {
      const s = perAgent.get(agent)
      return { connections: s?.connections.size ?? 0, requests: s?.requests ?? 0 }
    },
    close: async () => {
      if (peer) await peer.close()
      if (plain) {
        plain.closeAllConnections()
        await new Promise<void>((resolve) => plain.close(() => resolve()))
      }
    },
  }
}

test.before(() => {
  pki = makePki()
})
test.after(() => pki?.dispose())

const sequential = (url: string, n: number, init = '{}') => `
  ;(async () => {
    const got = []
    for (let i = 0; i < ${n}; i++) got.push(await (await fetch(${JSON.stringify(url)} + '/' + i, ${init})).text())
    print(got.join(','))
  })()
`

for (const secure of [false, true]) {
  const scheme = secure ? 'https' : 'http'
  test(`sequential requests over ${scheme} share one connection; Node's fetch reuses too`, async () => {
    const server = await counting(secure, (_req, res, n) => res.end(String(n)))
    try {
      const { node, runtime } = await runBoth(sequential(server.url, 5), { env: tlsEnv() })
      assert.is(node.stdout, '1,2,3,4,5\n', node.stderr)
      assert.is(runtime.stdout, node.stdout, runtime.stderr)
      assert.equal(server.stats('scratchfn'), { connections: 1, requests: 5 })
      // Node's fetch pools too (undici opens a second connection at times, so only reuse is compared).
      const node5 = server.stats('node')
      assert.ok(node5.requests === 5 && node5.connections < 5, JSON.stringify(node5))
    } finally {
      await server.close()
    }
  })
}

test('a response with connection: close is not reused, and each origin has its own connections', async () => {
  const closing = await counting(false, (_req, res, n) => {
    res.setHeader('connection', 'close')
    res.end(String(n))
  })
  const a = await counting(false, (_req, res, n) => res.end(`a${n}`))
  const b = await counting(true, (_req, res, n) => res.end(`b${n}`))
  try {
    const r = await runInRuntime(
      `
      ;(async () => {
        const got = []
        for (let i = 0; i < 3; i++) got.push(await (await fetch(${JSON.stringify(closing.url)})).text())
        for (let i = 0; i < 2; i++) for (const u of [${JSON.stringify(a.url)}, ${JSON.stringify(b.url)}]) got.push(await (await fetch(u)).text())
        print(got.join(','))
      })()
    `,
      { env: tlsEnv() },
    )
    assert.is(r.stdout, '1,2,3,a1,b1,a2,b2\n', r.stderr)
    assert.equal(closing.stats('scratchfn'), { connections: 3, requests: 3 })
    assert.equal(a.stats('scratchfn'), { connections: 1, requests: 2 })
    assert.equal(b.stats('scratchfn'), { connections: 1, requests: 2 })
  } finally {
    await Promise.all([closing.close(), a.close(), b.close()])
  }
})

test('concurrent requests open connections of their own, which all go back to the pool', async () => {
  const server = await counting(false, (_req, res, n) => setTimeout(() => res.end(String(n)), 20))
  try {
    const r = await runInRuntime(
      `
      ;(async () => {
        const u = ${JSON.stringify(server.url)}
        await Promise.all([1, 2, 3].map(() => fetch(u).then((r) => r.text())))
        await Promise.all([1, 2, 3].map(() => fetch(u).then((r) => r.text())))
        print('done')
      })()
    `,
    )
    assert.is(r.stdout, 'done\n', r.stderr)
    assert.equal(server.stats('scratchfn'), { connections: 3, requests: 6 })
  } finally {
    await server.close()
  }
})

test('a pooled connection the server dropped is retried once for GET, and not for POST', async () => {
  // The second request on each connection finds it dropped without an answer.
  const perSocket = new Map<Socket, number>()
  const server = await counting(false, (req, res) => {
    const n = (perSocket.get(req.socket) ?? 0) + 1
    perSocket.set(req.socket, n)
    if (n === 2) return req.socket.destroy()
    res.end(`${req.method} ok`)
  })
  try {
    const r = await runInRuntime(
      `
      ;(async () => {
        const u = ${JSON.stringify(server.url)}
        print(await (await fetch(u)).text())
        print(await (await fetch(u)).text())
        try { await fetch(u, { method: 'POST', body: 'y' }); print('posted twice') } catch (e) { print(e.constructor.name, /kept-alive connection/.test(e.message)) }
      })()
    `,
    )
    assert.is(r.stdout, 'GET ok\nGET ok\nTypeError true\n', r.stderr)
    // GET: answered, then dropped and sent again on a new connection; the POST, dropped there, is not sent again.
    assert.equal(server.stats('scratchfn'), { connections: 2, requests: 4 })
  } finally {
    await server.close()
  }
})

test('an idle pooled connection does not keep a script alive', async () => {
  // The server allows a minute of idling: the script must still end on its own (it is killed after 10 s).
  const server = await counting(false, (_req, res) => {
    res.setHeader('keep-alive', 'timeout=60')
    res.end('ok')
  })
  try {
    const r = await runInRuntime(`fetch(${JSON.stringify(server.url)}).then((r) => r.text()).then(print)`)
    assert.is(r.stdout, 'ok\n')
    assert.is(r.code, 0, 'ended by itself')
  } finally {
    await server.close()
  }
})

test.run()
