// fetch over https against real servers this file starts (Node's https and Debian's
// openssl s_server), the same script under Node and in the runtime: what each answers, or
// the `cause.code` it fails with, must be the same: a trusted chain (RSA and EC), TLS 1.3-
// and 1.2-only servers, an untrusted CA, a self-signed certificate, a missing intermediate,
// a wrong host name, expired and not-yet-valid certificates, servers that answer the
// ClientHello with plain HTTP, garbage or a close, SNI and ALPN. The trust comes from
// NODE_EXTRA_CA_CERTS, SSL_CERT_FILE and SSL_CERT_DIR.
import { mkdtempSync, copyFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { lines, sameAsNode } from '../../../support/same-as-node.ts'
import { freePort } from '../../../support/process.ts'
import { runInRuntime } from '../../../support/script.ts'
import { makePki, type Pki } from '../../../support/tls-pki.ts'
import { httpsPeer, opensslPeer, rawPeer, type Peer } from '../../../support/tls-servers.ts'

const test = suite('fetch over https, against real TLS servers')
// This machine's own environment may name CA files (SSL_CERT_FILE, ...): each run names its own.
const tlsEnv = (env: Record<string, string> = {}) => ({ SSL_CERT_FILE: '', SSL_CERT_DIR: '', NODE_EXTRA_CA_CERTS: '', ...env })
let pki: Pki
const peers: Record<string, Peer> = {}
const url = (name: string, host = 'localhost', path = '/') => `https://${host}:${peers[name].port}${path}`

const hello = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
  const socket = req.socket as import('node:tls').TLSSocket
  res.setHeader('content-type', 'text/plain')
  res.end(`${req.url === '/sni' ? `sni=${socket.servername} alpn=${socket.alpnProtocol}` : 'secure hello'} ${socket.getProtocol()}`)
}

test.before(async () => {
  pki = makePki()
  const l = pki.leaves
  const [ec, rsa12, otherName, expired, future, self, untrusted, leafOnly, ossl13, ossl12] = await Promise.all([
    httpsPeer(l.ec, pki.chain, hello),
    httpsPeer(l.rsa, pki.chain, hello, { maxVersion: 'TLSv1.2' }),
    httpsPeer(l.otherName, pki.chain, hello),
    httpsPeer(l.expired, pki.chain, hello),
    httpsPeer(l.future, pki.chain, hello),
    httpsPeer(l.self, null, hello),
    httpsPeer(l.untrusted, null, hello),
    httpsPeer(l.ec, null, hello),
    opensslPeer(l.ec, pki.chain, '-tls1_3'),
    opensslPeer(l.rsa, pki.chain, '-tls1_2'),
  ])
  Object.assign(peers, { ec, rsa12, otherName, expired, future, self, untrusted, leafOnly, ossl13, ossl12 })
  peers.plainHttp = await rawPeer((s) => s.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n'))
  peers.garbage = await rawPeer((s) => s.end(Buffer.from('\x00\x01\x02garbage garbage garbage')))
  // A whole handshake record, but of a message type no client expects first (7).
  peers.badHandshake = await rawPeer((s) => s.end(Buffer.from([0x16, 0x03, 0x03, 0x00, 0x08, 0x07, 0x00, 0x00, 0x04, 1, 2, 3, 4])))
  peers.closes = await rawPeer((s) => s.end())
  peers.stalls = await rawPeer(() => {})
})
test.after(async () => {
  await Promise.all(Object.values(peers).map((p) => p.close()))
  pki?.dispose()
})

// Prints `name: status body` or `name: error <cause.code>` for each URL, in order.
const probe = (targets: Record<string, string>) => `
  ;(async () => {
    for (const [name, u] of Object.entries(${JSON.stringify(targets)})) {
      try {
        const r = await fetch(u)
        const text = await r.text()
        print(name + ':', r.status, text.startsWith('<HTML>') ? 'status page' : text)
      } catch (e) {
        print(name + ':', e.constructor.name, 'cause', e.cause?.code)
      }
    }
  })()
`

test('verifies the chain and the name, with the codes Node gives for each failure', async () => {
  const env = tlsEnv({ NODE_EXTRA_CA_CERTS: pki.rootCert })
  await sameAsNode(
    probe({
      ec: url('ec'),
      rsaTls12: url('rsa12'),
      ipLiteral: url('ec', '127.0.0.1'),
      opensslTls13: url('ossl13'),
      opensslTls12: url('ossl12'),
      wrongName: url('otherName'),
      expired: url('expired'),
      notYetValid: url('future'),
      selfSigned: url('self'),
      untrustedCa: url('untrusted'),
      noIntermediate: url('leafOnly'),
    }),
    lines(
      'ec: 200 secure hello TLSv1.3',
      'rsaTls12: 200 secure hello TLSv1.2',
      'ipLiteral: 200 secure hello TLSv1.3',
      'opensslTls13: 200 status page',
      'opensslTls12: 200 status page',
      'wrongName: TypeError cause ERR_TLS_CERT_ALTNAME_INVALID',
      'expired: TypeError cause CERT_HAS_EXPIRED',
      'notYetValid: TypeError cause CERT_NOT_YET_VALID',
      'selfSigned: TypeError cause DEPTH_ZERO_SELF_SIGNED_CERT',
      'untrustedCa: TypeError cause UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'noIntermediate: TypeError cause UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    ),
    { env, timeoutMs: 20_000 },
  )
})

test('fails servers that answer with plain HTTP, garbage or a close, and a refused port, as Node does', async () => {
  const closedPort = await freePort()
  await sameAsNode(
    probe({
      plainHttp: url('plainHttp'),
      garbage: url('garbage'),
      badHandshake: url('badHandshake'),
      closes: url('closes'),
      refused: `https://127.0.0.1:${closedPort}/`,
    }),
    lines(
      'plainHttp: TypeError cause ERR_SSL_WRONG_VERSION_NUMBER',
      'garbage: TypeError cause ERR_SSL_WRONG_VERSION_NUMBER',
      'badHandshake: TypeError cause ERR_SSL_UNEXPECTED_MESSAGE',
      'closes: TypeError cause ECONNRESET',
      'refused: TypeError cause ECONNREFUSED',
    ),
    { env: tlsEnv({ NODE_EXTRA_CA_CERTS: pki.rootCert }) },
  )
})

test('sends SNI for a name but not for an IP literal, and offers ALPN http/1.1', async () => {
  await sameAsNode(
    probe({ name: url('ec', 'localhost', '/sni'), ip: url('ec', '127.0.0.1', '/sni') }),
    lines('name: 200 sni=localhost alpn=http/1.1 TLSv1.3', 'ip: 200 sni=false alpn=http/1.1 TLSv1.3'),
    { env: tlsEnv({ NODE_EXTRA_CA_CERTS: pki.rootCert }) },
  )
})

test('the error names the failure: the message and the code of the cause', async () => {
  const r = await runInRuntime(
    `fetch(${JSON.stringify(url('otherName'))}).catch((e) => print(e.message, '|', e.cause.code, '|', e.cause.message))`,
    { env: tlsEnv({ NODE_EXTRA_CA_CERTS: pki.rootCert }) },
  )
  assert.match(
    r.stdout,
    /^fetch failed: .*\(GET https:\/\/localhost:\d+\/\) \| ERR_TLS_CERT_ALTNAME_INVALID \| Hostname\/IP does not match certificate's altnames: Host: localhost\. is not in the cert's altnames: DNS:other\.example\n$/,
  )
})

test('a handshake that stalls counts against SCRATCHFN_FETCH_TIMEOUT_MS, and an AbortSignal stops it', async () => {
  const r = await runInRuntime(
    `
    ;(async () => {
      try { await fetch(${JSON.stringify(url('stalls'))}) } catch (e) { print(e.constructor.name, e.cause?.name, e.cause?.code, /within 300 ms/.test(e.message)) }
      const signal = AbortSignal.timeout(100)
      try { await fetch(${JSON.stringify(url('stalls'))}, { signal }) } catch (e) { print(e.name) }
    })()
  `,
    { env: tlsEnv({ SCRATCHFN_FETCH_TIMEOUT_MS: '300' }) },
  )
  assert.is(r.stdout, lines('TypeError ConnectTimeoutError UND_ERR_CONNECT_TIMEOUT true', 'TimeoutError'), r.stderr)
  // Node gives the same reason for the signal (its own connect timeout is undici's 10 s, so only the signal is compared).
  await sameAsNode(
    // Node keeps the stalled socket (and so the process) open until its own connect timeout: exit once answered.
    `fetch(${JSON.stringify(url('stalls'))}, { signal: AbortSignal.timeout(100) }).catch((e) => print(e.name, e.constructor.name)).then(() => process.exit(0))`,
    lines('TimeoutError DOMException'),
  )
})

test('SSL_CERT_FILE and SSL_CERT_DIR replace the default CAs; NODE_EXTRA_CA_CERTS adds to them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scratchfn-cadir-'))
  copyFileSync(pki.rootCert, join(dir, 'root.pem'))
  try {
    const count = `print(__core.tlsTrustCount())`
    const file = await runInRuntime(count, { env: tlsEnv({ SSL_CERT_FILE: pki.rootCert }) })
    const inDir = await runInRuntime(count, { env: tlsEnv({ SSL_CERT_DIR: dir }) })
    const both = await runInRuntime(count, {
      env: tlsEnv({ SSL_CERT_FILE: pki.rootCert, SSL_CERT_DIR: dir, NODE_EXTRA_CA_CERTS: pki.otherRootCert }),
    })
    const defaults = await runInRuntime(count, { env: tlsEnv({ NODE_EXTRA_CA_CERTS: pki.rootCert }) })
    assert.is(file.stdout, '1\n', file.stderr)
    assert.is(inDir.stdout, '1\n', inDir.stderr)
    assert.is(both.stdout, '3\n', both.stderr)
    assert.ok(Number(defaults.stdout) > 100, `the system bundle and one more: ${defaults.stdout} ${defaults.stderr}`)
    for (const env of [{ SSL_CERT_FILE: pki.rootCert }, { SSL_CERT_DIR: dir }] as Record<string, string>[]) {
      const r = await runInRuntime(probe({ ec: url('ec') }), { env: tlsEnv(env) })
      assert.is(r.stdout, lines('ec: 200 secure hello TLSv1.3'), JSON.stringify(env) + r.stderr)
    }
    // Only the other CA: the test root is not trusted.
    const other = await runInRuntime(probe({ ec: url('ec') }), { env: tlsEnv({ SSL_CERT_FILE: pki.otherRootCert }) })
    assert.is(other.stdout, lines('ec: TypeError cause UNABLE_TO_GET_ISSUER_CERT_LOCALLY'))
    // A file that cannot be read is a warning, as in Node, and the defaults stay.
    const missing = await runInRuntime(probe({ ec: url('ec') }), { env: tlsEnv({ NODE_EXTRA_CA_CERTS: join(dir, 'nope.pem') }) })
    assert.is(missing.stdout, lines('ec: TypeError cause UNABLE_TO_GET_ISSUER_CERT_LOCALLY'))
    assert.match(missing.stderr, /Warning: Ignoring extra certs from `[^`]*nope\.pem`, load failed: No such file or directory/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a function that makes no https call never reads the CA bundle', async () => {
  const r = await runInRuntime(`print(typeof fetch)`, { env: tlsEnv({ SSL_CERT_FILE: '/nonexistent/ca.pem' }) })
  assert.is(r.stdout, 'function\n')
  assert.is(r.stderr, '', 'no warning: the bundle was not read')
})

test.run()
