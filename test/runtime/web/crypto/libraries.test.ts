// Real libraries on crypto.subtle, run as a user's function answering HTTP, in the static
// runtime and under Node (test/fixtures/crypto/jwt.ts): Hono's jwt middleware with RS256,
// ES256 and EdDSA, hono/jwk with a JWKS served over https (a test CA the function trusts
// through NODE_EXTRA_CA_CERTS, in both runtimes), and jose's JWS, JWE
// (RSA-OAEP-256 + A256GCM) and JWK thumbprints. Tokens made by the test (Node) are checked
// by the function in both, tokens made by the function in the runtime are checked by Node,
// and both functions give the same answers.
import { join } from 'node:path'
import * as jose from 'jose'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { buildBoth } from '../../../support/function-build.ts'
import { repoRoot } from '../../../support/paths.ts'
import { startRuntime, startServer, type Server } from '../../../support/process.ts'
import { makePki, type Pki } from '../../../support/tls-pki.ts'
import { httpsPeer, type Peer } from '../../../support/tls-servers.ts'

const test = suite('jose and hono/jwt on crypto.subtle: the same function in the runtime and under Node')
const algs = ['RS256', 'ES256', 'EdDSA'] as const
type Alg = (typeof algs)[number]
const genParams: Record<Alg | 'RSA-OAEP-256', RsaHashedKeyGenParams | EcKeyGenParams | Algorithm> = {
  RS256: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  EdDSA: { name: 'Ed25519' },
  'RSA-OAEP-256': { name: 'RSA-OAEP', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
}
const payload = { sub: 'user-1', iss: 'scratchfn-test', iat: 1700000000 }

const publicJwks: Record<string, JsonWebKey> = {}
const privateJwks: Record<string, JsonWebKey> = {}
let pki: Pki
let jwksServer: Peer
let node: Server
let runtime: Server
let jwksFetches = 0

test.before(async () => {
  for (const [alg, params] of Object.entries(genParams)) {
    const usages: KeyUsage[] = alg === 'RSA-OAEP-256' ? ['encrypt', 'decrypt'] : ['sign', 'verify']
    const pair = (await crypto.subtle.generateKey(params, true, usages)) as CryptoKeyPair
    publicJwks[alg] = { ...(await crypto.subtle.exportKey('jwk', pair.publicKey)), kid: alg } as JsonWebKey
    // JOSE's "alg" (Node exports Ed25519 keys with alg "Ed25519", which hono/jwt would sign with).
    privateJwks[alg] = { ...(await crypto.subtle.exportKey('jwk', pair.privateKey)), alg } as JsonWebKey
  }
  pki = makePki()
  jwksServer = await httpsPeer(pki.leaves.ec, pki.chain, (_req, res) => {
    jwksFetches++
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ keys: algs.map((alg) => ({ ...publicJwks[alg], alg })) }))
  })
  const env = {
    SCRATCHFN_ACCESS_LOG: '0',
    PUBLIC_JWKS: JSON.stringify(publicJwks),
    PRIVATE_JWKS: JSON.stringify(privateJwks),
    JWKS_URL: `https://localhost:${jwksServer.port}/jwks.json`,
    // The test CA added to the defaults, as Node does; nothing else from the host's settings.
    NODE_EXTRA_CA_CERTS: pki.rootCert,
    SSL_CERT_FILE: '',
    SSL_CERT_DIR: '',
  }
  const built = await buildBoth(join(repoRoot, 'test/fixtures/crypto/jwt.ts'), 'jwt')
  ;[node, runtime] = await Promise.all([
    startServer({ command: process.execPath, args: [built.nodeBundle], env }),
    startRuntime(built.bin, env),
  ])
})
test.after(async () => {
  await Promise.all([node?.stop(), runtime?.stop()])
  await jwksServer?.close()
  pki?.dispose()
})

async function call(server: Server, path: string, init: RequestInit = {}): Promise<{ status: number; body: string }> {
  const res = await fetch(`${server.url}/jwt${path}`, init)
  return { status: res.status, body: await res.text() }
}

/** The same request to both functions: both must answer `status` with the same body. */
async function both(path: string, init: RequestInit, status: number): Promise<string> {
  const [a, b] = [await call(node, path, init), await call(runtime, path, init)]
  assert.is(a.status, status, `Node: ${path} answered ${a.status} ${a.body}`)
  assert.is(b.status, status, `runtime: ${path} answered ${b.status} ${b.body} (stderr: ${runtime.stderr()})`)
  assert.is(b.body, a.body, `the runtime's answer to ${path}`)
  return a.body
}

async function nodeToken(alg: Alg, claims: jose.JWTPayload = payload): Promise<string> {
  return new jose.SignJWT(claims).setProtectedHeader({ alg, kid: alg }).sign(await jose.importJWK(privateJwks[alg] as jose.JWK, alg))
}
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } })

test('hono/jwt accepts RS256, ES256 and EdDSA tokens signed under Node, and turns away tampered ones with 401', async () => {
  for (const alg of algs) {
    const token = await nodeToken(alg)
    assert.equal(JSON.parse(await both(`/hono/verify/${alg}`, bearer(token), 200)), payload, alg)
    const [head, body, sig] = token.split('.')
    const forged = `${head}.${Buffer.from(JSON.stringify({ ...payload, sub: 'admin' })).toString('base64url')}.${sig}`
    await both(`/hono/verify/${alg}`, bearer(forged), 401)
    await both(`/hono/verify/${alg}`, bearer(`${head}.${body}.${sig.slice(0, -4)}AAAA`), 401)
  }
})

test('tokens signed by the function in the runtime (hono/jwt and jose) verify under Node, and in the Node function', async () => {
  for (const alg of algs) {
    const publicKey = await jose.importJWK(publicJwks[alg] as jose.JWK, alg)
    for (const route of [`/hono/sign/${alg}`, `/jose/sign/${alg}`]) {
      const signed = await call(runtime, route)
      assert.is(signed.status, 200, `${route}: ${signed.body} ${runtime.stderr()}`)
      const { payload: claims } = await jose.jwtVerify(signed.body, publicKey)
      assert.equal(claims, payload, `${route} verifies under Node`)
      assert.equal(
        JSON.parse((await call(node, `/hono/verify/${alg}`, bearer(signed.body))).body),
        payload,
        `${route} verifies in the Node function`,
      )
    }
  }
})

test('hono/jwk verifies tokens of every algorithm against a JWKS fetched over https, and refuses unknown keys', async () => {
  const before = jwksFetches
  for (const alg of algs) assert.equal(JSON.parse(await both('/hono/jwks', bearer(await nodeToken(alg)), 200)), payload, alg)
  const stranger = (await crypto.subtle.generateKey(genParams.ES256, true, ['sign', 'verify'])) as CryptoKeyPair
  const token = await new jose.SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: 'ES256' }).sign(stranger.privateKey)
  await both('/hono/jwks', bearer(token), 401)
  // hono/jwk fetches the JWKS for each request: both functions went to the https server.
  assert.ok(jwksFetches - before >= 2 * (algs.length + 1), `JWKS fetches over https: ${jwksFetches - before}`)
})

test('jose verifies JWS under both, with its own error codes for a bad signature and a wrong issuer', async () => {
  for (const alg of algs) {
    const post = (body: string) => ({ method: 'POST', body })
    assert.equal(JSON.parse(await both(`/jose/verify/${alg}`, post(await nodeToken(alg)), 200)), { claims: payload, alg })
    await both(`/jose/verify/${alg}`, post(await nodeToken(alg, { ...payload, iss: 'someone-else' })), 401)
    const token = await nodeToken(alg)
    const body = await both(`/jose/verify/${alg}`, post(token.slice(0, -6) + (token.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA')), 401)
    assert.equal(JSON.parse(body), { error: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' })
  }
})

test('jose JWE with RSA-OAEP-256 and A256GCM: encrypted on either side, decrypted on the other', async () => {
  const message = 'the launch codes are 0000'
  const publicKey = await jose.importJWK(publicJwks['RSA-OAEP-256'] as jose.JWK, 'RSA-OAEP-256')
  const fromNode = await new jose.CompactEncrypt(new TextEncoder().encode(message))
    .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM' })
    .encrypt(publicKey)
  assert.equal(JSON.parse(await both('/jose/decrypt', { method: 'POST', body: fromNode }, 200)), { plaintext: message, enc: 'A256GCM' })
  const fromRuntime = await call(runtime, '/jose/encrypt', { method: 'POST', body: message })
  assert.is(fromRuntime.status, 200, fromRuntime.body)
  const privateKey = await jose.importJWK(privateJwks['RSA-OAEP-256'] as jose.JWK, 'RSA-OAEP-256')
  assert.is(new TextDecoder().decode((await jose.compactDecrypt(fromRuntime.body, privateKey)).plaintext), message)
  const [h, k, iv, ct, tag] = fromNode.split('.')
  const tampered = [h, k, iv, ct, tag.startsWith('A') ? 'B' + tag.slice(1) : 'A' + tag.slice(1)].join('.')
  assert.equal(JSON.parse(await both('/jose/decrypt', { method: 'POST', body: tampered }, 400)), { error: 'ERR_JWE_DECRYPTION_FAILED' })
})

test('JWK thumbprints (RFC 7638) are the same in both, and the ones jose computes under Node', async () => {
  const body = JSON.parse(await both('/jose/thumbprints', {}, 200))
  for (const [alg, key] of Object.entries(publicJwks)) assert.is(body[alg], await jose.calculateJwkThumbprint(key as jose.JWK), alg)
})

test.run()
