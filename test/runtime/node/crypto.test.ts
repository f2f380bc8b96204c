// node:crypto under Node and in the runtime, the same script on both: digests, HMAC,
// random values, key derivation. Node 20 is the reference, line by line.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { matchesNode } from '../../support/same-as-node.ts'

// Each line: a label, then the value (bytes as hex, objects as JSON) or the error's name, code and message.
const SHOW = `
const t = (label: string, f: () => unknown) => {
  try {
    const r = f()
    print(label, r instanceof ArrayBuffer ? Buffer.from(r).toString('hex') : Buffer.isBuffer(r) ? r.toString('hex') : typeof r === 'object' ? JSON.stringify(r, (k, v) => (typeof v === 'bigint' ? String(v) : v)) : String(r))
  } catch (e: any) {
    print(label, 'throws', e.name, e.code, JSON.stringify(e.message))
  }
}
`

test("createHash and createHmac give Node's digests for md5, sha1 and sha2, in every output encoding, with update() in pieces and copy()", async () => {
  const out = await matchesNode(
    SHOW +
      `
    import { createHash, createHmac } from 'node:crypto'
for (const alg of ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'SHA256', 'RSA-SHA256']) {
  t(alg, () => createHash(alg).update('hello ').update(Buffer.from('world')).digest('hex'))
  t(alg + ' b64', () => createHash(alg).update('68656c6c6f', 'hex').digest('base64'))
  t(alg + ' hmac', () => createHmac(alg, 'key').update('data').digest('base64url'))
}
const h = createHash('sha256').update('a'); const h2 = h.copy(); h2.update('b')
t('copy', () => h.digest('hex') + ' ' + h2.digest('hex'))
t('digest buffer', () => createHash('sha1').update('').digest())
t('latin1', () => createHash('md5').update('x').digest('latin1').length)
    t('digest base64url', () => createHash('sha512').update(new Uint16Array([1, 2, 3])).digest('base64url'))
    t('update latin1', () => createHash('sha256').update('héllo', 'latin1').digest('hex'))
    t('big input', () => createHash('sha256').update(Buffer.alloc(1 << 20, 97)).digest('hex'))
    t('hmac keyed by a Buffer', () => createHmac('sha384', Buffer.from('00ff', 'hex')).update('x').digest('hex'))
    t('hmac long key', () => createHmac('sha256', 'k'.repeat(200)).update('x').digest('hex'))
  `,
  )
  assert.match(out, 'sha256 b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9')
  assert.match(out, 'md5 5eb63bbbe01eeed093cb22bb8f5acdc3')
})

test('pbkdf2, hkdf and scrypt derive what Node derives (RFC 7914 vectors included), sync and with callbacks', async () => {
  const out = await matchesNode(
    SHOW +
      `
    import crypto, { pbkdf2Sync, hkdfSync, scryptSync } from 'crypto'
    t('pbkdf2', () => pbkdf2Sync('password', 'salt', 1000, 32, 'sha256'))
    t('pbkdf2 sha1', () => pbkdf2Sync('password', 'salt', 2, 20, 'sha1'))
    t('pbkdf2 md5 sha224 sha512', () => [pbkdf2Sync('p', 's', 3, 10, 'md5'), pbkdf2Sync('p', 's', 3, 10, 'SHA224'), pbkdf2Sync(Buffer.from('p'), new Uint8Array(4), 3, 70, 'sha512')].map((b) => b.toString('hex')).join())
    t('pbkdf2 empty', () => pbkdf2Sync('', '', 1, 0, 'sha256').length)
    t('hkdf', () => hkdfSync('sha256', 'key', 'salt', 'info', 42))
    t('hkdf keyobject, 255 hash lengths', () => hkdfSync('sha1', crypto.createSecretKey(Buffer.from('k')), Buffer.alloc(0), '', 255 * 20).byteLength)
    t('scrypt rfc 7914 1', () => scryptSync('', '', 64, { N: 16, r: 1, p: 1 }))
    t('scrypt rfc 7914 2', () => scryptSync('password', 'NaCl', 64, { N: 1024, r: 8, p: 16 }))
    t('scrypt defaults', () => scryptSync('password', 'salt', 32))
    t('scrypt long names', () => scryptSync('pw', 'salt', 16, { cost: 256, blockSize: 4, parallelization: 2 }))
    // One after another: Node's thread pool may finish them in any order.
    const show = (label: string, key: ArrayBuffer | Buffer) => print(label, Buffer.from(key as ArrayBuffer).toString('hex'))
    crypto.pbkdf2('p', 's', 10, 16, 'sha512', (err, a) => {
      show('pbkdf2 callback ' + err, a)
      crypto.hkdf('sha512', 'k', 's', 'i', 16, (err, b) => {
        show('hkdf callback ' + err, b)
        crypto.scrypt('p', 's', 16, { N: 1024 }, (err, c) => {
          show('scrypt callback ' + err, c)
          crypto.scrypt('p', 's', 16, (err, d) => show('scrypt callback, default cost ' + err, d))
        })
      })
    })
  `,
  )
  assert.match(
    out,
    'scrypt rfc 7914 1 77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906',
  )
})

test('random values: randomBytes, randomFill(Sync), randomInt, randomUUID and getRandomValues take and check what Node does', async () => {
  await matchesNode(
    SHOW +
      `
    import crypto from 'node:crypto'
    t('randomBytes', () => crypto.randomBytes(70000).length)
    const b = Buffer.alloc(8)
    t('randomFillSync offset', () => crypto.randomFillSync(b, 4).subarray(0, 4))
    t('randomFillSync views', () => [crypto.randomFillSync(new Uint32Array(3)).length, crypto.randomFillSync(new ArrayBuffer(5)).byteLength].join())
    const seen = new Set<number>()
    for (let i = 0; i < 2000; i++) seen.add(crypto.randomInt(-3, 3))
    t('randomInt covers its range', () => [...seen].sort().join())
    t('randomInt one argument', () => crypto.randomInt(1) === 0)
    t('randomUUID', () => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID({ disableEntropyCache: true })))
    t('getRandomValues', () => crypto.getRandomValues(new Uint8Array(4)).length + ' ' + (crypto.getRandomValues === undefined))
    t('timingSafeEqual', () => [crypto.timingSafeEqual(Buffer.from('abc'), Buffer.from('abc')), crypto.timingSafeEqual(new Uint8Array([1]), new Uint8Array([2])), crypto.timingSafeEqual(new ArrayBuffer(2), new Uint16Array(1))].join())
    // The callbacks are awaited one at a time: Node runs them on its thread pool, so two in
    // flight together may finish in either order.
    const settled = (start: (done: () => void) => void) => new Promise<void>((r) => start(r))
    void (async () => {
      await settled((done) => crypto.randomBytes(8, (err, b) => { print('randomBytes callback', err, b.length); done() }))
      await settled((done) => crypto.randomFill(new Uint32Array(4), (err, a) => { print('randomFill callback', err, a.length); done() }))
      await settled((done) => crypto.randomFill(Buffer.alloc(10), 2, 3, (err, a) => { print('randomFill range', err, a.subarray(5).toString('hex'), a.subarray(0, 2).toString('hex')); done() }))
      await settled((done) => crypto.randomInt(5, 6, (err, n) => { print('randomInt callback', err, n); done() }))
    })()
  `,
  )
})

test("webcrypto and subtle are the runtime's own, and getHashes, getCiphers, getCurves and constants name what is there", async () => {
  const out = await matchesNode(
    SHOW +
      `
    import crypto, { webcrypto, subtle, constants } from 'node:crypto'
    t('same objects', () => [webcrypto === globalThis.crypto, subtle === globalThis.crypto.subtle, crypto.subtle === subtle, crypto.webcrypto === webcrypto, require('crypto') === crypto].join())
    t('hashes', () => ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'RSA-SHA256', 'sha256WithRSAEncryption'].map((h) => crypto.getHashes().includes(h)).join())
    t('ciphers', () => ['aes-128-gcm', 'aes-192-gcm', 'aes-256-gcm', 'aes-128-cbc', 'aes-256-cbc', 'aes-128-ctr', 'aes-256-ctr', 'aes256', 'id-aes128-GCM'].map((c) => crypto.getCiphers().includes(c)).join())
    t('curves', () => ['prime256v1', 'secp384r1', 'secp521r1'].map((c) => crypto.getCurves().includes(c)).join())
    t('constants', () => [constants.RSA_PKCS1_PADDING, constants.RSA_PKCS1_PSS_PADDING, constants.RSA_PSS_SALTLEN_DIGEST, constants.RSA_PSS_SALTLEN_MAX_SIGN, constants.RSA_PSS_SALTLEN_AUTO, constants.POINT_CONVERSION_COMPRESSED].join())
    t('hash one-shot', () => crypto.hash('sha1', 'abc') + ' ' + crypto.hash('md5', Buffer.from('abc'), 'base64'))
    subtle.digest('SHA-256', new TextEncoder().encode('abc')).then((d) => print('subtle digest', Buffer.from(d).toString('hex') === crypto.createHash('sha256').update('abc').digest('hex')))
  `,
  )
  assert.match(out, 'same objects true,true,true,true,true')
})

test.run()
