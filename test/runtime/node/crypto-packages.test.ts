// Real npm packages that need node:crypto, under Node and in the runtime: jsonwebtoken
// (HS256, RS256, PS256, ES256 through jws and jwa), cookie-signature (express's cookie
// signing: createHmac and timingSafeEqual).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { matchesNode } from '../../support/same-as-node.ts'

test('jsonwebtoken signs and verifies HS256, RS256, PS256 and ES256 tokens, with PEM keys and KeyObjects', async () => {
  const out = await matchesNode(
    `
    import jwt from 'jsonwebtoken'
    import crypto from 'node:crypto'
    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
    const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const opts = { noTimestamp: true } as const
    const hs = jwt.sign({ sub: 'u1', admin: true }, 'shhh', { ...opts, algorithm: 'HS256' })
    print('HS256', hs)
    print('HS256 verify', JSON.stringify(jwt.verify(hs, 'shhh')))
    try { jwt.verify(hs, 'wrong') } catch (e: any) { print('HS256 wrong', e.name, e.message) }
    for (const [alg, pair] of [['RS256', rsa], ['PS256', rsa], ['ES256', ec]] as const) {
      const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
      const tok = jwt.sign({ sub: 'u2' }, pem, { ...opts, algorithm: alg, keyid: 'k1' })
      print(alg, tok.split('.').length, JSON.stringify(jwt.decode(tok, { complete: true })!.header))
      print(alg, 'verify pem', JSON.stringify(jwt.verify(tok, pair.publicKey.export({ type: 'spki', format: 'pem' }) as string, { algorithms: [alg] })))
      print(alg, 'verify keyobject', JSON.stringify(jwt.verify(tok, pair.publicKey)))
      try { jwt.verify(tok.slice(0, -4) + 'AAAA', pair.publicKey) } catch (e: any) { print(alg, 'tampered', e.name, e.message) }
    }
    try { jwt.sign({ a: 1 }, rsa.privateKey, { algorithm: 'ES256' }) } catch (e: any) { print('mismatch', e.message) }
    const rsTok = jwt.sign({ a: 1 }, rsa.privateKey, { ...opts, algorithm: 'RS256' })
    print('RS256 deterministic', rsTok === jwt.sign({ a: 1 }, rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }), { ...opts, algorithm: 'RS256' }))
  `,
    { timeoutMs: 60_000 },
  )
  assert.match(out, 'HS256 eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1MSIsImFkbWluIjp0cnVlfQ.')
  assert.match(out, 'ES256 verify keyobject {"sub":"u2"}')
  assert.match(out, 'RS256 deterministic true')
})

test('cookie-signature signs and unsigns cookies', async () => {
  const out = await matchesNode(`
    import { sign, unsign } from 'cookie-signature'
    const c1 = sign('hello', 'tobiiscool')
    print(c1, unsign(c1, 'tobiiscool'), unsign(c1, 'luna'), unsign(c1 + 'x', 'tobiiscool'), unsign(c1, Buffer.from('tobiiscool')))
  `)
  assert.match(out, 'hello.DGDUkGlIkCzPz+C0B064FNgHdEjox7ch8tOBGslZ5QI hello false false hello')
})

test.run()
