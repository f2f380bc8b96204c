// connect() with TLS in the runtime, against real servers this file starts: secureTransport
// 'on' to Debian's openssl s_server (TLS 1.3 and 1.2), and 'starttls' + startTls() to a
// Node server that upgrades a plain connection; certificates verified against the host
// name (or expectedServerHostname) with the trust from NODE_EXTRA_CA_CERTS, and refused
// with Node's codes (fetch's) for an unknown CA or a wrong name.
import { createServer, type Server, type Socket } from 'node:net'
import { readFileSync } from 'node:fs'
import { TLSSocket } from 'node:tls'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { runInRuntime } from '../../support/script.ts'
import { makePki, type Pki } from '../../support/tls-pki.ts'
import { opensslPeer, type Peer } from '../../support/tls-servers.ts'

const test = suite("connect() with secureTransport 'on' and 'starttls'")
let pki: Pki
let ossl13: Peer, ossl12: Peer
let upgrader: Server
const held = new Set<Socket>()
const ports: Record<string, string> = {}

test.before(async () => {
  pki = makePki()
  ;[ossl13, ossl12] = await Promise.all([
    opensslPeer(pki.leaves.ec, pki.chain, '-tls1_3'),
    opensslPeer(pki.leaves.rsa, pki.chain, '-tls1_2'),
  ])
  // Plain first: one line is answered "GO\n", then TLS, echoing in upper case.
  const cert = readFileSync(pki.leaves.ec.cert, 'utf8') + readFileSync(pki.chain, 'utf8')
  upgrader = createServer((raw) => {
    held.add(raw)
    raw.on('error', () => {})
    raw.once('data', () =>
      raw.write('GO\n', () => {
        const tls = new TLSSocket(raw, { isServer: true, key: readFileSync(pki.leaves.ec.key), cert })
        tls.on('error', () => {})
        tls.on('data', (d) => tls.write(d.toString().toUpperCase()))
        tls.on('end', () => tls.end())
      }),
    )
  })
  await new Promise<void>((r) => upgrader.listen(0, '127.0.0.1', r))
  Object.assign(ports, {
    OSSL13: String(ossl13.port),
    OSSL12: String(ossl12.port),
    UPGRADE: String((upgrader.address() as { port: number }).port),
  })
})
test.after(async () => {
  for (const s of held) s.destroy()
  await Promise.all([ossl13.close(), ossl12.close(), new Promise((r) => upgrader.close(r))])
  pki?.dispose()
})

async function run(body: string, trusted = true): Promise<string[]> {
  const src = `import { connect } from 'cloudflare:sockets'
const port = (n: string) => Number(process.env[n])
const text = (b: Uint8Array) => new TextDecoder().decode(b)
const why = (e: any) => (e?.cause?.code ?? e?.code) + ' ' + (e?.cause?.message ?? e?.message)
async function get(s: any): Promise<string> {
  const w = s.writable.getWriter()
  await w.write(new TextEncoder().encode('GET / HTTP/1.0\\r\\n\\r\\n'))
  let body = ''
  for await (const chunk of s.readable) body += text(chunk)
  return body.split('\\r\\n')[0]
}
;(async () => {\n${body}\n})().catch((e) => print('FAILED', e.stack))`
  const env = { ...ports, SSL_CERT_FILE: '', SSL_CERT_DIR: '', NODE_EXTRA_CA_CERTS: trusted ? pki.rootCert : '' }
  const r = await runInRuntime(src, { env })
  assert.is(r.code, 0, r.stderr)
  return r.stdout.trim().split('\n')
}

test("secureTransport 'on': TLS 1.3 and 1.2, verified against the host name or IP", async () => {
  const out = await run(`
    for (const [name, addr] of [['tls13', 'localhost:' + port('OSSL13')], ['tls12-ip', '127.0.0.1:' + port('OSSL12')]]) {
      const s = connect(addr, { secureTransport: 'on' })
      const info = await s.opened
      print(name, s.secureTransport, typeof info.remoteAddress, await get(s))
      await s.closed
    }`)
  assert.equal(out, ['tls13 on string HTTP/1.0 200 ok', 'tls12-ip on string HTTP/1.0 200 ok'])
})

test("secureTransport 'on' refuses an unknown CA with Node's code; the reason is the cause", async () => {
  const out = await run(
    `
    const s = connect('localhost:' + port('OSSL13'), { secureTransport: 'on' })
    print(await s.opened.then(() => 'opened', why))
    print(await s.closed.then(() => 'closed', why))`,
    false,
  )
  assert.equal(out, [
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY unable to get local issuer certificate',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY unable to get local issuer certificate',
  ])
})

test("'starttls': plain bytes first, then startTls() returns the socket that carries TLS", async () => {
  const out = await run(`
    const plain = connect({ hostname: 'localhost', port: port('UPGRADE') }, { secureTransport: 'starttls' })
    await plain.opened
    const w = plain.writable.getWriter()
    await w.write(new TextEncoder().encode('STARTTLS\\n'))
    const r = plain.readable.getReader()
    print('plain', text((await r.read()).value!).trim())
    w.releaseLock()
    r.releaseLock()
    const secure = plain.startTls()
    await secure.opened
    print('upgraded', plain.upgraded, secure.secureTransport)
    const sw = secure.writable.getWriter()
    await sw.write(new TextEncoder().encode('hello over tls'))
    const sr = secure.readable.getReader()
    print('echo', text((await sr.read()).value!))
    await secure.close()
    print('closed')`)
  assert.equal(out, ['plain GO', 'upgraded true on', 'echo HELLO OVER TLS', 'closed'])
})

test('startTls() checks the name given as expectedServerHostname', async () => {
  const out = await run(`
    const plain = connect('127.0.0.1:' + port('UPGRADE'), { secureTransport: 'starttls' })
    const w = plain.writable.getWriter()
    await w.write(new TextEncoder().encode('STARTTLS\\n'))
    const r = plain.readable.getReader()
    await r.read()
    w.releaseLock()
    r.releaseLock()
    const secure = plain.startTls({ expectedServerHostname: 'db.example' })
    print(await secure.opened.then(() => 'opened', why))`)
  assert.equal(out, [
    "ERR_TLS_CERT_ALTNAME_INVALID Hostname/IP does not match certificate's altnames: Host: db.example. is not in the cert's altnames: DNS:localhost, IP Address:127.0.0.1",
  ])
})

test.run()
