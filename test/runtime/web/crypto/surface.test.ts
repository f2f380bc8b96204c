// What scripts see of Web Crypto's objects, as in Node: the globals, CryptoKey's
// attributes and how console.log shows a key, a generated pair's shape, and the one
// crypto.subtle object.
import { test } from 'uvu'
import { lines, sameAsNode } from '../../../support/same-as-node.ts'
import { helpers } from './exchange.ts'

test('CryptoKey, SubtleCrypto and crypto.subtle look and print as in Node', async () => {
  await sameAsNode(
    `
    ;(async () => {
      print(typeof CryptoKey, typeof SubtleCrypto, CryptoKey.name, SubtleCrypto.name, crypto.subtle === crypto.subtle, crypto.subtle instanceof SubtleCrypto)
      print(Object.prototype.toString.call(crypto.subtle), Object.keys(globalThis).includes('CryptoKey'))
      const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign', 'verify'])) as CryptoKeyPair
      print(Object.keys(pair).join(), pair.publicKey instanceof CryptoKey, Object.prototype.toString.call(pair.privateKey))
      const k = pair.privateKey
      print(k.type, k.extractable, JSON.stringify(k.algorithm), JSON.stringify(k.usages), k.algorithm === k.algorithm, Object.keys(k).length)
      console.log(pair.publicKey)
      console.log(await crypto.subtle.importKey('raw', new Uint8Array(32), 'AES-KW', true, ['wrapKey', 'unwrapKey']))
      const rsa = (await crypto.subtle.generateKey({ name: 'RSA-PSS', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign'])) as CryptoKeyPair
      console.log(rsa.privateKey)
    })()
  `,
    lines(
      'function function CryptoKey SubtleCrypto true true',
      '[object SubtleCrypto] false',
      'publicKey,privateKey true [object CryptoKey]',
      'private false {"name":"ECDSA","namedCurve":"P-384"} ["sign"] true 0',
      'CryptoKey {',
      "  type: 'public',",
      '  extractable: true,',
      "  algorithm: { name: 'ECDSA', namedCurve: 'P-384' },",
      "  usages: [ 'verify' ]",
      '}',
      'CryptoKey {',
      "  type: 'secret',",
      '  extractable: true,',
      "  algorithm: { name: 'AES-KW', length: 256 },",
      "  usages: [ 'wrapKey', 'unwrapKey' ]",
      '}',
      'CryptoKey {',
      "  type: 'private',",
      '  extractable: true,',
      '  algorithm: {',
      "    name: 'RSA-PSS',",
      '    modulusLength: 1024,',
      '    publicExponent: [Uint8Array],',
      '    hash: [Object]',
      '  },',
      "  usages: [ 'sign' ]",
      '}',
    ),
  )
})

test('the details as Node has them: JWK members and their order, usages of generated pairs, exponents, lenient base64url', async () => {
  await sameAsNode(
    helpers +
      `;(async () => {
  const s: any = subtle
  const cases: [string, () => Promise<unknown>][] = [
    ['HMAC 100 bits', async () => { const k = await s.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 100 }, true, ['sign']); return JSON.stringify(k.algorithm) + ' ' + (await s.exportKey('raw', k)).byteLength }],
    ['HMAC 0 bits', () => s.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 0 }, true, ['sign'])],
    ['HMAC jwk HS1', async () => JSON.stringify(await s.exportKey('jwk', await s.importKey('raw', new Uint8Array(4), { name: 'HMAC', hash: 'SHA-1' }, true, ['sign'])))],
    ['AES jwk export', async () => JSON.stringify(await s.exportKey('jwk', await s.importKey('raw', new Uint8Array(24), 'AES-CTR', true, ['encrypt'])))],
    ['AES-KW jwk export', async () => JSON.stringify(await s.exportKey('jwk', await s.importKey('raw', new Uint8Array(16), 'AES-KW', true, ['wrapKey'])))],
    ['generate AES usages dup', async () => (await s.generateKey({ name: 'AES-GCM', length: 128 }, true, ['encrypt', 'encrypt', 'decrypt'])).usages.join()],
    ['import AES usages dup', async () => (await s.importKey('raw', new Uint8Array(16), 'AES-GCM', true, ['encrypt', 'encrypt'])).usages.join()],
    ['gen ECDSA usages order', async () => { const p = await s.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify', 'sign', 'verify']); return p.publicKey.usages.join() + '/' + p.privateKey.usages.join() }],
    ['gen RSA-OAEP usages', async () => { const p = await s.generateKey({ name: 'RSA-OAEP', modulusLength: 1024, publicExponent: new Uint8Array([1,0,1]), hash: 'SHA-1' }, true, ['unwrapKey', 'decrypt', 'encrypt']); return p.publicKey.usages.join() + '/' + p.privateKey.usages.join() + ' ' + p.publicKey.extractable }],
    ['gen X25519 usages', async () => { const p = await s.generateKey('X25519', false, ['deriveKey', 'deriveBits']); return p.publicKey.usages.join() + '/' + p.privateKey.usages.join() + ' ' + p.privateKey.extractable }],
    ['Ed25519 pub jwk', async () => { const p = await s.generateKey('Ed25519', true, ['sign', 'verify']); const j = await s.exportKey('jwk', p.publicKey); return Object.keys(j).join() + ' ' + j.key_ops }],
    ['EC pub jwk order', async () => { const p = await s.generateKey({ name: 'ECDH', namedCurve: 'P-521' }, true, ['deriveBits']); const j = await s.exportKey('jwk', p.privateKey); return Object.keys(j).join() + ' ' + j.x.length + ' ' + j.d.length }],
    ['RSA pub jwk order', async () => { const p = await s.generateKey({ name: 'RSA-PSS', modulusLength: 1024, publicExponent: new Uint8Array([1,0,1]), hash: 'SHA-384' }, true, ['sign']); const j = await s.exportKey('jwk', p.publicKey); return Object.keys(j).join() + ' ' + j.alg + ' ' + j.e }],
    ['RSA exponent 3', async () => { const p = await s.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([3]), hash: 'SHA-256' }, true, ['sign']); return JSON.stringify(p.privateKey.algorithm) + (await s.exportKey('jwk', p.publicKey)).e }],
    ['RSA exponent 0,1,0,1', async () => { const p = await s.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([0, 1, 0, 1]), hash: 'SHA-256' }, true, ['sign']); return JSON.stringify(p.privateKey.algorithm) }],
    ['imported RSA exponent', async () => { const p = await s.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([0, 1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']); const k = await s.importKey('spki', await s.exportKey('spki', p.publicKey), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['verify']); return JSON.stringify(k.algorithm) }],
    ['ECDSA verify other hash', async () => { const p = await s.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']); const sig = await s.sign({ name: 'ECDSA', hash: 'SHA-256' }, p.privateKey, new Uint8Array(1)); return await s.verify({ name: 'ECDSA', hash: 'SHA-384' }, p.publicKey, sig, new Uint8Array(1)) }],
    ['digest empty', async () => hex(await s.digest({ name: 'SHA-1' }, new ArrayBuffer(0)))],
    ['digest DataView', async () => hex(await s.digest('sha-256', new DataView(new Uint8Array([1, 2, 3]).buffer, 1, 2)))],
    ['jwk with extra members', async () => (await s.importKey('jwk', { kty: 'oct', k: 'AAAAAAAAAAAAAAAAAAAAAA', foo: 1, kid: 'x' }, 'AES-GCM', true, ['encrypt'])).type],
    ['jwk k not string', () => s.importKey('jwk', { kty: 'oct', k: 5 }, 'AES-GCM', true, ['encrypt'])],
    ['hmac jwk k base64 padded', async () => (await s.importKey('jwk', { kty: 'oct', k: 'c2VjcmV0=' }, { name: 'HMAC', hash: 'SHA-256' }, true, ['sign'])).algorithm.length],
    ['hmac jwk k invalid char', async () => (await s.importKey('jwk', { kty: 'oct', k: 'c2Vj*mV0' }, { name: 'HMAC', hash: 'SHA-256' }, true, ['sign'])).algorithm.length],
    ['deriveBits undefined length ECDH', async () => { const p = await s.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']); return (await s.deriveBits({ name: 'ECDH', public: p.publicKey }, p.privateKey)).byteLength }],
    ['wrapKey non-extractable', async () => s.wrapKey('raw', await s.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['encrypt']), await s.generateKey({ name: 'AES-KW', length: 128 }, true, ['wrapKey']), 'AES-KW')],
    ['exportKey jwk HKDF', async () => s.exportKey('jwk', await s.importKey('raw', new Uint8Array(16), 'HKDF', false, ['deriveBits']))],
    ['unwrap jwk via GCM', async () => { const kek = await s.generateKey({ name: 'AES-GCM', length: 128 }, true, ['wrapKey', 'unwrapKey']); const iv = new Uint8Array(12); const w = await s.wrapKey('jwk', kek, kek, { name: 'AES-GCM', iv }); return (await s.unwrapKey('jwk', w, kek, { name: 'AES-GCM', iv }, 'AES-CBC', true, ['encrypt'])).algorithm.name }],
  ]
  for (const [what, run] of cases) print(what, '->', await outcome(Promise.resolve().then(run)))
})()
`,
    lines(
      "HMAC 100 bits -> TypeError: The property 'algorithm.length' must be a multiple of 8. Received 100",
      'HMAC 0 bits -> OperationError: The operation failed for an operation-specific reason',
      'HMAC jwk HS1 -> ok {"key_ops":["sign"],"ext":true,"kty":"oct","k":"AAAAAA","alg":"HS1"}',
      'AES jwk export -> ok {"key_ops":["encrypt"],"ext":true,"kty":"oct","k":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","alg":"A192CTR"}',
      'AES-KW jwk export -> ok {"key_ops":["wrapKey"],"ext":true,"kty":"oct","k":"AAAAAAAAAAAAAAAAAAAAAA","alg":"A128KW"}',
      'generate AES usages dup -> ok encrypt,decrypt',
      'import AES usages dup -> ok encrypt,encrypt',
      'gen ECDSA usages order -> ok verify/sign',
      'gen RSA-OAEP usages -> ok encrypt/decrypt,unwrapKey true',
      'gen X25519 usages -> ok /deriveKey,deriveBits false',
      'Ed25519 pub jwk -> ok key_ops,ext,crv,x,kty,alg verify',
      'EC pub jwk order -> ok key_ops,ext,kty,x,y,crv,d 88 88',
      'RSA pub jwk order -> ok key_ops,ext,kty,n,e,alg PS384 AQAB',
      'RSA exponent 3 -> ok {"name":"RSASSA-PKCS1-v1_5","modulusLength":1024,"publicExponent":{"0":3},"hash":{"name":"SHA-256"}}Aw',
      'RSA exponent 0,1,0,1 -> ok {"name":"RSASSA-PKCS1-v1_5","modulusLength":1024,"publicExponent":{"0":0,"1":1,"2":0,"3":1},"hash":{"name":"SHA-256"}}',
      'imported RSA exponent -> ok {"name":"RSASSA-PKCS1-v1_5","modulusLength":1024,"publicExponent":{"0":1,"1":0,"2":1},"hash":{"name":"SHA-256"}}',
      'ECDSA verify other hash -> ok false',
      'digest empty -> ok da39a3ee5e6b4b0d3255bfef95601890afd80709',
      'digest DataView -> ok ee9040f65c341855e070ff438eb0ea9d5b831b2a2c270fb7ef592d750408e3b3',
      'jwk with extra members -> ok secret',
      'jwk k not string -> DataError: Invalid key length',
      'hmac jwk k base64 padded -> ok 48',
      'hmac jwk k invalid char -> ok 40',
      'deriveBits undefined length ECDH -> ok 32',
      'wrapKey non-extractable -> InvalidAccessError: key is not extractable',
      'exportKey jwk HKDF -> InvalidAccessError: key is not extractable',
      'unwrap jwk via GCM -> DataError: Key operations and usage mismatch',
    ),
  )
})

test.run()
