// A token service for the registry's Bearer auth, as the distribution token spec
// describes: GET /token?service=...&scope=... with Basic credentials answers a JWT
// that the registry checks against rootcertbundle. The key and self-signed
// certificate come from openssl; the JWT is signed with node:crypto (RS256, the
// certificate in the x5c header, which the registry verifies against its bundle).
import { execFileSync } from 'node:child_process'
import { createPrivateKey, createSign, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { freePort } from './process.ts'

export interface TokenServer {
  realm: string
  service: string
  issuer: string
  rootCertBundle: string
  /** Each token request: the user (or '' for anonymous) and the scopes asked for. */
  requests: Array<{ user: string; scopes: string[]; granted: boolean }>
  close(): Promise<void>
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url')

export async function startTokenServer(dir: string, users: Record<string, string>): Promise<TokenServer> {
  const keyFile = join(dir, 'token.key')
  const certFile = join(dir, 'token.crt')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=scratchfn-test-token',
    ],
    { stdio: 'ignore' },
  )
  const key = createPrivateKey(readFileSync(keyFile))
  const der = new X509Certificate(readFileSync(certFile)).raw
  const port = await freePort()
  const service = 'scratchfn-test-registry'
  const issuer = 'scratchfn-test-issuer'
  const requests: TokenServer['requests'] = []
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const scopes = url.searchParams.getAll('scope')
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')
    const [user, pass] = basic ? Buffer.from(basic[1], 'base64').toString().split(/:(.*)/s) : ['', '']
    const granted = !!user && users[user] === pass
    requests.push({ user, scopes, granted })
    if (!granted) {
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'wrong user name or password' }] }))
      return
    }
    const access = scopes.map((s) => {
      const [type, name, actions] = [
        s.slice(0, s.indexOf(':')),
        s.slice(s.indexOf(':') + 1, s.lastIndexOf(':')),
        s.slice(s.lastIndexOf(':') + 1),
      ]
      return { type, name, actions: actions.split(',') }
    })
    const now = Math.floor(Date.now() / 1000)
    const header = { alg: 'RS256', typ: 'JWT', x5c: [der.toString('base64')] }
    const claims = {
      iss: issuer,
      sub: user,
      aud: service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: `${now}-${requests.length}`,
      access,
    }
    const signing = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`
    const signature = createSign('RSA-SHA256').update(signing).sign(key)
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ token: `${signing}.${b64url(signature)}`, expires_in: 300 }))
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    rootCertBundle: certFile,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
