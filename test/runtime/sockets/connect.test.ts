// connect() from cloudflare:sockets (and scratchfn:sockets) in the runtime, against servers
// this suite runs: bytes both ways, EOF and half-close, backpressure in both directions,
// workerd's errors, startTls()'s preconditions, the socket limit, and the
// connect and idle timeouts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { startDnsServer, type DnsServer } from '../../support/dns-server.ts'
import { freePort } from '../../support/process.ts'
import { runInRuntime } from '../../support/script.ts'

const servers: Server[] = []
const open = new Set<Socket>()
const ports: Record<string, number> = {}
const events: string[] = []
let dns: DnsServer
let dir: string

function listen(name: string, onConnection: (s: Socket) => void): Promise<void> {
  const server = createServer((s) => {
    open.add(s)
    s.on('close', () => open.delete(s))
    s.on('error', () => {})
    onConnection(s)
  })
  servers.push(server)
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      ports[name] = (server.address() as { port: number }).port
      resolve()
    }),
  )
}

test.before(async () => {
  await listen('ECHO', (s) => {
    s.on('data', (d) => s.write(d.toString().toUpperCase()))
    s.on('end', () => s.end())
  })
  await listen('HANGUP', (s) => s.end('bye'))
  // Writes 16 MiB as fast as it may, and reports when its own buffer backs up (the client reads slowly).
  await listen('FLOOD', (s) => {
    const chunk = Buffer.alloc(1 << 20, 98)
    let sent = 0
    const pump = () => {
      while (sent < 16) {
        sent++
        if (!s.write(chunk)) {
          events.push('flood: backed up')
          return void s.once('drain', pump)
        }
      }
      s.end()
    }
    pump()
  })
  // Reads nothing for 300 ms, then everything, counting.
  await listen('SINK', (s) => {
    s.pause()
    let got = 0
    s.on('data', (d) => {
      got += d.length
    })
    s.on('end', () => s.end(`got ${got}`))
    setTimeout(() => {
      events.push('sink: reading')
      s.resume()
    }, 300)
  })
  await listen('SILENT', () => {})
  ports.FREE = await freePort()
  dns = await startDnsServer({ 'silent.test': { drop: true } })
  dir = mkdtempSync(join(tmpdir(), 'scratchfn-connect-'))
})
test.after(async () => {
  for (const s of open) s.destroy()
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  await dns.close()
  rmSync(dir, { recursive: true, force: true })
})

async function run(body: string, env: Record<string, string> = {}): Promise<string[]> {
  const src = `import { connect } from 'cloudflare:sockets'\nimport * as own from 'scratchfn:sockets'\nconst port = (n: string) => Number(process.env[n])\nconst text = (b: Uint8Array) => new TextDecoder().decode(b)\n;(async () => {\n${body}\n})().catch((e) => print('FAILED', e.stack))`
  const r = await runInRuntime(src, { env: { ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), ...env } })
  assert.is(r.code, 0, r.stderr)
  return r.stdout.trim().split('\n')
}

test('writes and reads bytes, closes the writable, and sees the readable end and closed resolve', async () => {
  const out = await run(`
    const s = connect({ hostname: '127.0.0.1', port: port('ECHO') })
    print(s.secureTransport, s.upgraded, own.connect === connect)
    const info = await s.opened
    print(info.remoteAddress === '127.0.0.1:' + port('ECHO'), typeof info.localAddress)
    const w = s.writable.getWriter()
    const r = s.readable.getReader()
    await w.write(new TextEncoder().encode('hello'))
    print(text((await r.read()).value!))
    await w.close()
    print('done', (await r.read()).done)
    await s.closed
    print('closed')`)
  assert.equal(out, ['off false true', 'true string', 'HELLO', 'done true', 'closed'])
})

test('when the peer ends, the writable is closed too (allowHalfOpen false) and closed resolves', async () => {
  const out = await run(`
    const s = connect('127.0.0.1:' + port('HANGUP'))
    const r = s.readable.getReader()
    print(text((await r.read()).value!), (await r.read()).done)
    await s.closed
    print('closed')
    const t = connect('127.0.0.1:' + port('ECHO'))
    await t.opened
    await t.close()
    print('close() resolves')`)
  assert.equal(out, ['bye true', 'closed', 'close() resolves'])
})

test('a slow reader stops the socket from reading, so the sender backs up; all bytes arrive', async () => {
  events.length = 0
  const out = await run(`
    const s = connect('127.0.0.1:' + port('FLOOD'))
    const r = s.readable.getReader()
    let got = (await r.read()).value!.byteLength
    await new Promise((res) => setTimeout(res, 300))
    for (;;) { const { value, done } = await r.read(); if (done) break; got += value.byteLength }
    print('got', got)`)
  assert.equal(out, [`got ${16 << 20}`])
  assert.ok(events.includes('flood: backed up'), 'the server never saw backpressure')
})

test('writes wait while the peer does not read, then all arrive', async () => {
  events.length = 0
  const out = await run(`
    const s = connect('127.0.0.1:' + port('SINK'))
    const w = s.writable.getWriter()
    const chunk = new Uint8Array(1 << 20)
    let resolved = 0
    const writes = Array.from({ length: 16 }, () => w.write(chunk).then(() => resolved++))
    await new Promise((res) => setTimeout(res, 150))
    print('resolved before the peer reads', resolved < 16)
    await Promise.all(writes)
    await w.close()
    const r = s.readable.getReader()
    print(text((await r.read()).value!))`)
  assert.equal(out, ['resolved before the peer reads true', `got ${16 << 20}`])
  assert.equal(events, ['sink: reading'])
})

test("failures reject opened and closed with workerd's error, the reason as its cause", async () => {
  const out = await run(`
    const why = async (s: any) => { try { await s.opened; return 'opened' } catch (e: any) { const c = await s.closed.catch((x: any) => x); return [e.message, e.cause?.code, c === e].join(' | ') } }
    print(await why(connect('127.0.0.1:' + port('FREE'))))
    print(await why(connect('no-such-host.invalid:5432')))
    for (const bad of ['', 'a b:1', ':80', '[]:1']) { try { connect(bad); print('no throw') } catch (e: any) { print(e.name + ': ' + e.message) } }
    try { connect('x:1', { secureTransport: 'maybe' as any }) } catch (e: any) { print(e.name + ': ' + e.message) }`)
  assert.equal(out, [
    'connection attempt failed | ECONNREFUSED | true',
    'connection attempt failed | ENOTFOUND | true',
    'TypeError: Specified address is missing hostname.',
    'TypeError: Specified address is empty string, contains unsupported characters or is too long.',
    'TypeError: Specified address is missing hostname.',
    'TypeError: Specified address is missing hostname.',
    'TypeError: Unsupported value in secureTransport socket option: maybe',
  ])
})

test('startTls checks its preconditions as workerd does (TLS itself: tls.test.ts)', async () => {
  const out = await run(`
    const plain = connect('127.0.0.1:' + port('ECHO'))
    try { plain.startTls() } catch (e: any) { print(e.message) }
    const st = connect('127.0.0.1:' + port('ECHO'), { secureTransport: 'starttls' })
    await st.opened
    const tls = st.startTls()
    print(st.upgraded, tls.secureTransport)
    try { st.startTls() } catch (e: any) { print(e.message) }
    try { tls.startTls() } catch (e: any) { print(e.message) }
    await tls.close()
    await plain.close()`)
  assert.equal(out, [
    "The `secureTransport` socket option must be set to 'starttls' for startTls to be used.",
    'true on',
    'startTls can only be called once.',
    'Cannot startTls on a TLS socket.',
  ])
})

test('past SCRATCHFN_MAX_SOCKETS a connect fails with EMFILE; closing one makes room', async () => {
  const out = await run(
    `
    const a = connect('127.0.0.1:' + port('SILENT')), b = connect('127.0.0.1:' + port('SILENT'))
    await Promise.all([a.opened, b.opened])
    const c = connect('127.0.0.1:' + port('SILENT'))
    print(await c.opened.then(() => 'opened', (e: any) => e.cause.code + ' ' + /SCRATCHFN_MAX_SOCKETS is 2/.test(e.cause.message)))
    await a.close()
    const d = connect('127.0.0.1:' + port('SILENT'))
    print(await d.opened.then(() => 'opened'))
    print(JSON.stringify((globalThis as any).__core.socketStats()))
    await b.close(); await d.close()`,
    { SCRATCHFN_MAX_SOCKETS: '2' },
  )
  assert.equal(out, ['EMFILE true', 'opened', '{"open":2,"opened":4,"refused":1,"limit":2}'])
})

test('the idle timeout closes a silent socket; the connect timeout covers a lookup that never answers', async () => {
  const resolv = join(dir, 'resolv.conf')
  writeFileSync(resolv, dns.resolvConf('options timeout:5'))
  const out = await run(
    `
    const s = connect('127.0.0.1:' + port('SILENT'))
    await s.opened
    print(await s.closed.then(() => 'closed', (e: any) => e.code + ' ' + e.message))
    const t = connect('silent.test:80')
    print(await t.opened.then(() => 'opened', (e: any) => e.cause.code + ' ' + e.cause.syscall))`,
    { SCRATCHFN_SOCKET_IDLE_TIMEOUT_MS: '100', SCRATCHFN_SOCKET_CONNECT_TIMEOUT_MS: '200', SCRATCHFN_RESOLV_CONF: resolv },
  )
  assert.equal(out, ['ETIMEDOUT socket idle for 100 ms (SCRATCHFN_SOCKET_IDLE_TIMEOUT_MS)', 'ETIMEDOUT connect'])
})

test.run()
