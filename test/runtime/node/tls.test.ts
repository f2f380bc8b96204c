// node:tls's client against real servers this file starts (Debian's openssl s_server, and
// a Node server that upgrades a plain connection): the same script under Node and in the
// runtime prints the same: verified with `ca` (trusted instead of the defaults), refused
// without it and for a wrong host name with Node's codes, rejectUnauthorized: false with
// authorized/authorizationError, and an upgrade of a connected net.Socket ({ socket }).
import { createServer, type Server, type Socket } from 'node:net'
import { readFileSync } from 'node:fs'
import { TLSSocket } from 'node:tls'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { lines, sameAsNode } from '../../support/same-as-node.ts'
import { runInRuntime } from '../../support/script.ts'
import { makePki, type Pki } from '../../support/tls-pki.ts'
import { opensslPeer, type Peer } from '../../support/tls-servers.ts'

const test = suite('node:tls connect, against real TLS servers')
let pki: Pki
let ossl13: Peer, ossl12: Peer, untrusted: Peer
let upgrader: Server
const held = new Set<Socket>()
const env: Record<string, string> = {}

test.before(async () => {
  pki = makePki()
  ;[ossl13, ossl12, untrusted] = await Promise.all([
    opensslPeer(pki.leaves.ec, pki.chain, '-tls1_3'),
    opensslPeer(pki.leaves.rsa, pki.chain, '-tls1_2'),
    opensslPeer(pki.leaves.untrusted, pki.otherRootCert, '-tls1_3'),
  ])
  // Plain first: "STARTTLS\n" is answered "GO\n", then TLS, then it echoes in upper case.
  const cert = readFileSync(pki.leaves.ec.cert, 'utf8') + readFileSync(pki.chain, 'utf8')
  upgrader = createServer((raw) => {
    held.add(raw)
    raw.on('error', () => {})
    raw.once('data', () => {
      raw.write('GO\n', () => {
        const tls = new TLSSocket(raw, { isServer: true, key: readFileSync(pki.leaves.ec.key), cert })
        tls.on('error', () => {})
        tls.on('data', (d) => tls.write(d.toString().toUpperCase()))
        tls.on('end', () => tls.end())
      })
    })
  })
  await new Promise<void>((r) => upgrader.listen(0, '127.0.0.1', r))
  Object.assign(env, {
    OSSL13: String(ossl13.port),
    OSSL12: String(ossl12.port),
    UNTRUSTED: String(untrusted.port),
    UPGRADE: String((upgrader.address() as { port: number }).port),
    CA: pki.read(pki.rootCert),
    OTHER_CA: pki.read(pki.otherRootCert),
    SSL_CERT_FILE: '',
    SSL_CERT_DIR: '',
    NODE_EXTRA_CA_CERTS: '',
  })
})
test.after(async () => {
  for (const s of held) s.destroy()
  await Promise.all([ossl13.close(), ossl12.close(), untrusted.close(), new Promise((r) => upgrader.close(r))])
  pki?.dispose()
})

const PRELUDE = `
import tls from 'node:tls'
import net from 'node:net'
const port = (n: string) => Number(process.env[n])
const CA = process.env.CA!
// Connects, sends a GET (s_server -www answers with a status page), prints what the socket says.
function get(name: string, options: any): Promise<void> {
  return new Promise((resolve) => {
    const s = tls.connect(options, () => {
      print(name, 'secure', s.authorized, s.authorizationError, s.getProtocol(), s.alpnProtocol, s.encrypted)
      s.write('GET / HTTP/1.0\\r\\n\\r\\n')
    })
    let body = ''
    s.on('data', (d: Buffer) => (body += d.toString()))
    s.on('error', (e: any) => print(name, 'error', e.code, e.message))
    s.on('close', () => {
      if (body) print(name, 'got', body.startsWith('HTTP/1.0 200 ok'))
      resolve()
    })
  })
}
`

test('verified with ca (TLS 1.3 and 1.2), by host name and IP; refused without it, with another CA, and for a wrong name', async () => {
  await sameAsNode(
    PRELUDE +
      `;(async () => {
  await get('ca13', { host: 'localhost', port: port('OSSL13'), ca: CA })
  await get('ca12-ip', { host: '127.0.0.1', port: port('OSSL12'), ca: [process.env.OTHER_CA, Buffer.from(CA)] })
  await new Promise<void>((resolve) => {
    const s = tls.connect(port('OSSL13'), 'localhost', { ca: CA }, () => { print('port-host-options', s.authorized); s.end() })
    s.on('close', () => resolve())
  })
  await new Promise<void>((resolve) => {
    // Written and ended before the handshake is done: both wait for it.
    const s = tls.connect({ host: 'localhost', port: port('OSSL13'), ca: CA })
    s.end('GET / HTTP/1.0\\r\\n\\r\\n')
    let body = ''
    s.on('data', (d: Buffer) => (body += d.toString()))
    s.on('close', () => { print('end-early', body.startsWith('HTTP/1.0 200 ok')); resolve() })
  })
  await get('no-ca', { host: 'localhost', port: port('OSSL13') })
  await get('other-ca', { host: 'localhost', port: port('OSSL13'), ca: process.env.OTHER_CA })
  await get('no-pem-ca', { host: 'localhost', port: port('OSSL13'), ca: 'not a certificate' })
  await get('wrong-name', { host: '127.0.0.1', port: port('OSSL13'), servername: 'db.example', ca: CA })
  await get('untrusted-root', { host: 'localhost', port: port('UNTRUSTED') })
  await get('unverified', { host: 'localhost', port: port('UNTRUSTED'), rejectUnauthorized: false })
})()`,
    lines(
      'ca13 secure true null TLSv1.3 false true',
      'ca13 got true',
      'ca12-ip secure true null TLSv1.2 false true',
      'ca12-ip got true',
      'port-host-options true',
      'end-early true',
      'no-ca error UNABLE_TO_GET_ISSUER_CERT_LOCALLY unable to get local issuer certificate',
      'other-ca error UNABLE_TO_GET_ISSUER_CERT_LOCALLY unable to get local issuer certificate',
      'no-pem-ca error UNABLE_TO_GET_ISSUER_CERT_LOCALLY unable to get local issuer certificate',
      "wrong-name error ERR_TLS_CERT_ALTNAME_INVALID Hostname/IP does not match certificate's altnames: Host: db.example. is not in the cert's altnames: DNS:localhost, IP Address:127.0.0.1",
      'untrusted-root error SELF_SIGNED_CERT_IN_CHAIN self-signed certificate in certificate chain',
      'unverified secure false SELF_SIGNED_CERT_IN_CHAIN TLSv1.3 false true',
      'unverified got true',
    ),
    { env },
  )
})

test('tls.connect({ socket }) upgrades a connected net.Socket; both close', async () => {
  await sameAsNode(
    PRELUDE +
      `const raw = net.connect(port('UPGRADE'), '127.0.0.1', () => raw.write('STARTTLS\\n'))
raw.once('data', (d: Buffer) => {
  print('plain', d.toString().trim())
  const s = tls.connect({ socket: raw, servername: 'localhost', ca: CA }, () => {
    print('secure', s.authorized, s.getProtocol())
    s.write('hello over tls')
  })
  s.on('data', (d: Buffer) => { print('echo', d.toString()); s.end() })
  s.on('error', (e: any) => print('error', e.code))
  s.on('close', () => print('tls close'))
})
raw.on('close', () => print('raw close'))`,
    lines('plain GO', 'secure true TLSv1.3', 'echo HELLO OVER TLS', 'raw close', 'tls close'),
    { env },
  )
})

test('what the runtime cannot do says so', async () => {
  const r = await runInRuntime(
    PRELUDE +
      `for (const o of [{ key: 'x' }, { ALPNProtocols: ['h2'] }]) {
  try { tls.connect({ port: 1, ...o }) } catch (e: any) { print(e.code, e.message) }
}
try { tls.createSecureContext() } catch (e: any) { print(e.code) }`,
    { env },
  )
  assert.equal(r.stdout.trim().split('\n'), [
    'ERR_TLS_OPTION_UNSUPPORTED tls: the key option (client certificates) is not supported in scratchfn (the TLS client verifies the server; it has no client certificates, ALPN or sessions)',
    'ERR_TLS_OPTION_UNSUPPORTED tls: ALPNProtocols is not supported in scratchfn (the TLS client verifies the server; it has no client certificates, ALPN or sessions)',
    'ERR_TLS_OPTION_UNSUPPORTED',
  ])
})

test.run()
