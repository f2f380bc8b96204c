// Fuzzes our glue between the socket and the TLS session (tcp.c -> tls-client.ts ->
// tls-js.c -> tls-session.c), not mbedTLS itself, in the runtime built with AddressSanitizer
// and UndefinedBehaviorSanitizer: a few hundred https fetches against a server that, per
// connection and from a seeded generator, answers with random bytes (in random pieces),
// resets or stalls, or relays a real TLS server's answer with bytes flipped or cut off
// at a random point. Every fetch must end as an answer or a clean `TypeError` with a
// string `cause.code`, the process must exit 0, and the sanitizers must report nothing.
import { connect, createServer, type Socket } from 'node:net'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { buildRuntime } from '../../../../scripts/runtime/build-runtime.ts'
import { bundleScript, runCommand } from '../../../support/script.ts'
import { makePki, type Pki } from '../../../support/tls-pki.ts'
import { httpsPeer, type Peer } from '../../../support/tls-servers.ts'

const test = suite('TLS glue under random server bytes and cut connections (ASan+UBSan)')
const CASES = 240
const SEED = Number(process.env.FUZZ_SEED ?? 20261201)
let pki: Pki
let upstream: Peer
let fuzz: ReturnType<typeof createServer>
let port = 0
const sockets = new Set<Socket>()

/** mulberry32: small and seeded, so a failure can be replayed with FUZZ_SEED. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

test.before(async () => {
  pki = makePki()
  const body = 'fuzzed but fine '.repeat(400)
  // Connection: close, so the keep-alive pool never reuses a connection and every fetch
  // meets a fresh (fuzzed) one.
  upstream = await httpsPeer(pki.leaves.ec, pki.chain, (_req, res) => res.setHeader('connection', 'close').end(body))
  let n = 0
  fuzz = createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => {})
    const random = rng(SEED + n++)
    const mode = Math.floor(random() * 5)
    if (mode <= 1) {
      // Random bytes after the ClientHello, in 1-4 writes, then a close (or a reset).
      client.once('data', () => {
        const pieces = 1 + Math.floor(random() * 4)
        for (let i = 0; i < pieces; i++) {
          const bytes = Buffer.alloc(1 + Math.floor(random() * 600))
          for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256)
          // Sometimes a plausible record header first, so the bytes reach the handshake parser.
          if (i === 0 && bytes.length >= 5 && random() < 0.5) bytes.set([0x16, 0x03, 0x03, random() * 4, random() * 256], 0)
          client.write(bytes)
        }
        if (mode === 0) client.end()
        else client.resetAndDestroy()
      })
      return
    }
    // Relay to the real server, corrupting or cutting what it sends back.
    const server = connect(upstream.port, '127.0.0.1')
    sockets.add(server)
    server.on('close', () => sockets.delete(server))
    server.on('error', () => client.destroy())
    client.pipe(server)
    const cutAt = mode === 2 ? Math.floor(random() * 3000) : Infinity
    const flips = mode === 3 ? 1 + Math.floor(random() * 3) : 0
    let sent = 0
    let flipped = 0
    server.on('data', (chunk: Buffer) => {
      const out = Buffer.from(chunk)
      if (flipped < flips && random() < 0.5) {
        out[Math.floor(random() * out.length)] ^= 1 << Math.floor(random() * 8)
        flipped++
      }
      if (sent + out.length >= cutAt) {
        client.end(out.subarray(0, cutAt - sent))
        server.destroy()
        return
      }
      sent += out.length
      client.write(out)
    })
    server.on('end', () => client.end())
    // mode 4 relays faithfully: those fetches must succeed.
  })
  await new Promise<void>((resolve) => fuzz.listen(0, '127.0.0.1', resolve))
  port = (fuzz.address() as { port: number }).port
})
test.after(async () => {
  for (const s of sockets) s.destroy()
  fuzz?.close()
  await upstream?.close()
  pki?.dispose()
})

test('every fetch ends as an answer or a clean TypeError, with nothing for the sanitizers to report', async () => {
  const { binary } = await buildRuntime({ variant: 'sanitize', quiet: true })
  const script = await bundleScript(`
    ;(async () => {
      const counts = {}
      for (let i = 0; i < ${CASES}; i++) {
        let line
        try {
          const r = await fetch('https://localhost:${port}/' + i)
          line = 'ok ' + (await r.text()).length
        } catch (e) {
          const code = e.cause?.code ?? e.code
          line = e instanceof TypeError && typeof code === 'string' ? 'fail ' + code : 'BAD ' + e + ' ' + code
        }
        print(line)
      }
    })()
  `)
  try {
    const run = await runCommand(binary, ['--script', script.file], {
      env: { SSL_CERT_FILE: '', SSL_CERT_DIR: '', NODE_EXTRA_CA_CERTS: pki.rootCert, SCRATCHFN_FETCH_TIMEOUT_MS: '400' },
      timeoutMs: 240_000,
    })
    assert.not.match(run.stderr, /AddressSanitizer|runtime error:|LeakSanitizer/, run.stderr.slice(0, 3000))
    assert.is(run.code, 0, run.stderr.slice(0, 3000))
    const lines = run.stdout.trim().split('\n')
    assert.is(lines.length, CASES)
    const bad = lines.filter((l) => !/^(ok \d+|fail [A-Z_0-9]+)$/.test(l))
    assert.equal(bad, [], 'each fetch answers or fails with a code')
    // The faithful relays (about a fifth) answer in full; the rest mostly fail.
    assert.ok(lines.filter((l) => l === 'ok 6400').length >= CASES / 10, lines.join('\n'))
    const tally: Record<string, number> = {}
    for (const l of lines) tally[l] = (tally[l] ?? 0) + 1
    assert.ok(lines.filter((l) => l.startsWith('fail')).length >= CASES / 3, JSON.stringify(tally))
  } finally {
    script.dispose()
  }
})

test.run()
