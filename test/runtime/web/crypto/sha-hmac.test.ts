// crypto.subtle.digest and HMAC keys against Node, on the core's mbedTLS (FIPS 180 and
// RFC 4231 vectors), and the Hono middleware built on them.
import { test } from 'uvu'
import { lines, sameAsNode } from '../../../support/same-as-node.ts'
import { exchange, helpers } from './exchange.ts'

const hex = `const hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('')
const enc = new TextEncoder()
`

test('digest computes SHA-1/256/384/512 to the FIPS 180 vectors, from any BufferSource', async () => {
  await sameAsNode(
    hex +
      `
    ;(async () => {
      for (const alg of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']) print(alg, hex(await crypto.subtle.digest(alg, enc.encode('abc'))))
      print('lower-case name', hex(await crypto.subtle.digest({ name: 'sha-256' }, new Uint8Array(0))))
      print('view', hex(await crypto.subtle.digest('SHA-1', new Uint8Array([0, 97, 98, 99, 0]).subarray(1, 4))))
      print('ArrayBuffer', hex(await crypto.subtle.digest('SHA-1', enc.encode('abc').buffer)))
      const long = enc.encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')
      print('two blocks', hex(await crypto.subtle.digest('SHA-256', long)))
      for (const bad of [() => crypto.subtle.digest('MD5', new Uint8Array(1)), () => crypto.subtle.digest('SHA-256', 'abc')]) {
        await bad().then(() => print('resolved'), (e) => print('rejected', e.name))
      }
    })()
  `,
    lines(
      'SHA-1 a9993e364706816aba3e25717850c26c9cd0d89d',
      'SHA-256 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      'SHA-384 cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
      'SHA-512 ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
      'lower-case name e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'view a9993e364706816aba3e25717850c26c9cd0d89d',
      'ArrayBuffer a9993e364706816aba3e25717850c26c9cd0d89d',
      'two blocks 248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
      'rejected NotSupportedError',
      'rejected TypeError',
    ),
  )
})

test('HMAC keys sign and verify with every SHA hash, and export as raw or JWK', async () => {
  await sameAsNode(
    hex +
      `
    ;(async () => {
      for (const hash of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']) {
        const key = await crypto.subtle.importKey('raw', enc.encode('secret'), { name: 'HMAC', hash }, false, ['sign', 'verify'])
        const sig = await crypto.subtle.sign('HMAC', key, enc.encode('message'))
        print(hash, hex(sig), await crypto.subtle.verify('HMAC', key, sig, enc.encode('message')), await crypto.subtle.verify({ name: 'HMAC' }, key, sig, enc.encode('other')))
      }
      const k = await crypto.subtle.importKey('raw', enc.encode('secret'), { name: 'HMAC', hash: { name: 'SHA-256' } }, true, ['verify', 'sign'])
      print(k.type, k.extractable, JSON.stringify(k.algorithm), JSON.stringify(k.usages), k instanceof CryptoKey, Object.prototype.toString.call(k))
      print('raw', hex(await crypto.subtle.exportKey('raw', k)))
      print('jwk', JSON.stringify(await crypto.subtle.exportKey('jwk', k)))
      const fromJwk = await crypto.subtle.importKey('jwk', { kty: 'oct', k: 'c2VjcmV0', alg: 'HS256' }, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
      print('jwk import', hex(await crypto.subtle.sign('HMAC', fromJwk, enc.encode('m'))) === hex(await crypto.subtle.sign('HMAC', k, enc.encode('m'))))
      const g = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-384' }, true, ['sign'])
      print('generated', JSON.stringify(g.algorithm), (await crypto.subtle.exportKey('raw', g)).byteLength)
    })()
  `,
    lines(
      'SHA-1 0caf649feee4953d87bf903ac1176c45e028df16 true false',
      'SHA-256 8b5f48702995c1598c573db1e21866a9b825d4a794d169d7060a03605796360b true false',
      'SHA-384 ad0ef4e80da427b2a33d4457c972bf759f50766fbb665690d50b7cb38dd5217db559c93ea7cbee48e2ae1a5b4aafd34b true false',
      'SHA-512 1bba587c730eedba31f53abb0b6ca589e09de4e894ee455e6140807399759adaafa069eec7c01647bb173dcb17f55d22af49a18071b748c5c2edd7f7a829c632 true false',
      'secret true {"name":"HMAC","hash":{"name":"SHA-256"},"length":48} ["verify","sign"] true [object CryptoKey]',
      'raw 736563726574',
      'jwk {"key_ops":["verify","sign"],"ext":true,"kty":"oct","k":"c2VjcmV0","alg":"HS256"}',
      'jwk import true',
      'generated {"name":"HMAC","length":1024,"hash":{"name":"SHA-384"}} 128',
    ),
  )
})

test('rejects keys it cannot use: not extractable, wrong usage, empty, bad usages or length', async () => {
  await sameAsNode(
    hex +
      `
    ;(async () => {
      const verifyOnly = await crypto.subtle.importKey('raw', enc.encode('s'), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
      const cases = [
        () => crypto.subtle.exportKey('raw', verifyOnly),
        () => crypto.subtle.sign('HMAC', verifyOnly, enc.encode('m')),
        () => crypto.subtle.importKey('raw', new Uint8Array(0), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
        () => crypto.subtle.importKey('raw', new Uint8Array(3), { name: 'HMAC', hash: 'SHA-256' }, false, ['encrypt']),
        () => crypto.subtle.importKey('raw', new Uint8Array(3), { name: 'HMAC', hash: 'SHA-256' }, false, []),
        () => crypto.subtle.importKey('raw', new Uint8Array(3), { name: 'HMAC', hash: 'SHA-512', length: 20 }, true, ['verify']),
      ]
      for (const c of cases) await c().then(() => print('resolved'), (e) => print(e.name === 'InvalidAccessException' ? 'InvalidAccessError' : e.name, e.message))
    })()
  `,
    lines(
      'InvalidAccessError key is not extractable',
      'InvalidAccessError Unable to use this key to sign',
      'DataError Zero-length key is not supported',
      'SyntaxError Unsupported key usage for an HMAC key',
      'SyntaxError Usages cannot be empty when importing a secret key.',
      'DataError Invalid key length',
    ),
  )
})

test("Hono's etag, basicAuth, signed cookies and HS256/384/512 JWTs work on it", async () => {
  await sameAsNode(
    `
    import { Hono } from 'hono'
    import { etag } from 'hono/etag'
    import { basicAuth } from 'hono/basic-auth'
    import { sign, verify } from 'hono/jwt'
    import { getSignedCookie, setSignedCookie } from 'hono/cookie'
    const app = new Hono()
    app.use('/etag/*', etag())
    app.get('/etag/x', (c) => c.text('hello etag'))
    app.use('/auth/*', basicAuth({ username: 'u', password: 'p' }))
    app.get('/auth/x', (c) => c.text('authed'))
    app.get('/set', async (c) => { await setSignedCookie(c, 'sess', 'v1', 'secret'); return c.text('set') })
    app.get('/get', async (c) => c.text(String(await getSignedCookie(c, 'secret', 'sess'))))
    ;(async () => {
      let r = await app.request('/etag/x')
      const tag = r.headers.get('etag')
      print('etag', r.status, tag)
      print('etag match', (await app.request('/etag/x', { headers: { 'if-none-match': tag } })).status)
      print('auth', (await app.request('/auth/x')).status,
        (await app.request('/auth/x', { headers: { authorization: 'Basic ' + btoa('u:p') } })).status,
        (await app.request('/auth/x', { headers: { authorization: 'Basic ' + btoa('u:x') } })).status)
      const cookie = (await app.request('/set')).headers.get('set-cookie')
      print(cookie)
      const pair = cookie.split(';')[0]
      print('signed', await (await app.request('/get', { headers: { cookie: pair } })).text(),
        await (await app.request('/get', { headers: { cookie: pair.replace('v1', 'v2') } })).text())
      for (const alg of ['HS256', 'HS384', 'HS512']) {
        const token = await sign({ sub: 'u1', iat: 1700000000 }, 'jwt-secret', alg)
        const claims = await verify(token, 'jwt-secret', alg)
        const wrong = await verify(token, 'wrong', alg).then(() => 'accepted', (e) => e.name)
        print(alg, token.split('.')[2], JSON.stringify(claims), wrong)
      }
    })()
  `,
    lines(
      'etag 200 "28055371a5101cabbc33db300e974a3b8976bc5f"',
      'etag match 304',
      'auth 401 200 401',
      'sess=v1.t3TsUHd89qBUIYS%2FjzxTnR6TRQyP0biD3HiL6r37oEs%3D; Path=/',
      'signed v1 false',
      'HS256 SBDDuH92_7lpCbFgjm-eafuLuAxOKe39M1Hap5h6Y8w {"sub":"u1","iat":1700000000} JwtTokenSignatureMismatched',
      'HS384 lALe3lp_D3UR5mdOSvwxYN4LNKt_s72eQbw4JYTLzlF0vnynZfWv2vb-5wQs3dNr {"sub":"u1","iat":1700000000} JwtTokenSignatureMismatched',
      'HS512 WClStKBLOiwA8jYu-u7xM3RDBKZBw32cWs5ZxZhqGrCtPJgeMQUHLkws46zO7zR4A7xMm1-GxMStMi4eM369lA {"sub":"u1","iat":1700000000} JwtTokenSignatureMismatched',
    ),
  )
})

test('HMAC matches RFC 4231 test case 2 for SHA-256 and SHA-512, and a 131-byte key (case 6) is hashed first', async () => {
  await sameAsNode(
    helpers +
      `
    ;(async () => {
      for (const hash of ['SHA-256', 'SHA-512']) {
        const k = await subtle.importKey('raw', utf8('Jefe'), { name: 'HMAC', hash }, false, ['sign'])
        print(hash, hex(await subtle.sign('HMAC', k, utf8('what do ya want for nothing?'))))
      }
      const long = await subtle.importKey('raw', new Uint8Array(131).fill(0xaa), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
      print('case 6', hex(await subtle.sign('HMAC', long, utf8('Test Using Larger Than Block-Size Key - Hash Key First'))))
    })()
  `,
    lines(
      'SHA-256 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
      'SHA-512 164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
      'case 6 60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    ),
  )
})

test('generated HMAC keys cross between Node and the runtime as JWK and raw, and sign alike', async () => {
  await exchange(
    `;(async () => {
      const out: any = {}
      for (const [hash, length] of [['SHA-1', undefined], ['SHA-256', 256], ['SHA-384', undefined], ['SHA-512', 128]] as const) {
        const k = (await subtle.generateKey({ name: 'HMAC', hash, length }, true, ['sign', 'verify'])) as CryptoKey
        out[hash] = { jwk: await subtle.exportKey('jwk', k), raw: hex(await subtle.exportKey('raw', k)), mac: hex(await subtle.sign('HMAC', k, utf8('m'))) }
      }
      print(JSON.stringify(out))
    })()`,
    `;(async () => {
      for (const hash of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']) {
        const e = INPUT[hash]
        const fromJwk = await subtle.importKey('jwk', e.jwk, { name: 'HMAC', hash }, true, ['sign', 'verify'])
        const fromRaw = await subtle.importKey('raw', unhex(e.raw), { name: 'HMAC', hash }, true, ['verify'])
        print(hash, fromJwk.algorithm.length, await subtle.verify('HMAC', fromRaw, unhex(e.mac), utf8('m')), hex(await subtle.sign('HMAC', fromJwk, utf8('m'))) === e.mac,
          hex(await subtle.exportKey('raw', fromJwk)) === e.raw, JSON.stringify(await subtle.exportKey('jwk', fromJwk)) === JSON.stringify(e.jwk))
      }
    })()`,
    lines(
      'SHA-1 512 true true true true',
      'SHA-256 256 true true true true',
      'SHA-384 1024 true true true true',
      'SHA-512 128 true true true true',
    ),
  )
})

test.run()
