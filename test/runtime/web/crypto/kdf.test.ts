// HKDF and PBKDF2 against Node and their RFC vectors (RFC 5869 A.1 and A.3, RFC 6070,
// RFC 7914 section 11), deriveKey into AES and HMAC keys, and their keys' rules.
import { test } from 'uvu'
import { lines, sameAsNode } from '../../../support/same-as-node.ts'
import { helpers } from './exchange.ts'

test('HKDF gives RFC 5869 A.1 and A.3; PBKDF2 gives RFC 6070 (SHA-1) and RFC 7914 (SHA-256)', async () => {
  await sameAsNode(
    helpers +
      `
    const seq = (from: number, to: number) => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i)
    ;(async () => {
      const ikm = await subtle.importKey('raw', new Uint8Array(22).fill(0x0b), 'HKDF', false, ['deriveBits'])
      print('A.1', hex(await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: seq(0, 12), info: seq(0xf0, 0xf9) }, ikm, 42 * 8)))
      print('A.3', hex(await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(), info: new Uint8Array() }, ikm, 42 * 8)))
      const password = await subtle.importKey('raw', utf8('password'), 'PBKDF2', false, ['deriveBits'])
      for (const iterations of [1, 2, 4096]) {
        print('6070', iterations, hex(await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-1', salt: utf8('salt'), iterations }, password, 160)))
      }
      const passwd = await subtle.importKey('raw', utf8('passwd'), { name: 'PBKDF2' }, false, ['deriveBits'])
      print('7914', hex(await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: utf8('salt'), iterations: 1 }, passwd, 512)))
    })()
  `,
    lines(
      'A.1 3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
      'A.3 8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
      '6070 1 0c60c80f961f0e71f3a9b524af6012062fe037a6',
      '6070 2 ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957',
      '6070 4096 4b007901b765489abead49d926f721d065a429c1',
      '7914 55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783',
    ),
  )
})

test('deriveKey makes AES and HMAC keys of the right length from HKDF and PBKDF2', async () => {
  await sameAsNode(
    helpers +
      `
    ;(async () => {
      const base = await subtle.importKey('raw', utf8('secret'), 'HKDF', false, ['deriveKey', 'deriveBits'])
      const hkdf = { name: 'HKDF', hash: 'SHA-384', salt: utf8('s'), info: utf8('i') }
      for (const target of [{ name: 'AES-GCM', length: 256 }, { name: 'AES-KW', length: 128 }, { name: 'HMAC', hash: 'SHA-256' }, { name: 'HMAC', hash: 'SHA-512', length: 200 }]) {
        const k = (await subtle.deriveKey(hkdf, base, target, true, target.name === 'AES-KW' ? ['wrapKey'] : target.name === 'HMAC' ? ['sign'] : ['encrypt'])) as CryptoKey
        print(JSON.stringify(k.algorithm), k.usages.join(), hex(await subtle.exportKey('raw', k)))
      }
      const pbkdf2 = await subtle.importKey('raw', utf8('pw'), 'PBKDF2', false, ['deriveKey'])
      const aes = await subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: utf8('salt'), iterations: 1000 }, pbkdf2, { name: 'AES-CBC', length: 192 }, true, ['decrypt'])
      print(JSON.stringify(aes.algorithm), hex(await subtle.exportKey('raw', aes)))
      print(await outcome(subtle.deriveKey(hkdf, base, { name: 'AES-GCM', length: 100 }, true, ['encrypt'])))
      print(await outcome(subtle.deriveKey(hkdf, base, 'HKDF', false, ['deriveBits'])))
      print(await outcome(subtle.deriveKey(hkdf, base, 'Ed25519', false, ['sign'])))
      print(await outcome(subtle.deriveBits(hkdf, base, 12)))
      print(await outcome(subtle.deriveBits(hkdf, base, 255 * 48 * 8 + 8)))
      print(await outcome(subtle.deriveBits(hkdf, base, 0)))
      print(await outcome(subtle.deriveBits({ ...hkdf, hash: 'SHA-1' }, base)))
      print(await outcome(subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: utf8('s'), iterations: 0 }, await subtle.importKey('raw', utf8('pw'), 'PBKDF2', false, ['deriveBits']), 128)))
      print(await outcome(subtle.importKey('raw', utf8('x'), 'PBKDF2', true, ['deriveBits'])))
      print(await outcome(subtle.importKey('raw', utf8('x'), 'HKDF', false, ['sign'])))
      print(await outcome(subtle.importKey('jwk', { kty: 'oct', k: 'eA' }, 'HKDF', false, ['deriveBits'])))
      print(await outcome(subtle.exportKey('raw', base)))
    })()
  `,
    lines(
      '{"name":"AES-GCM","length":256} encrypt 506bb48aab2483cda8966de730b900721332784b1f72e110c783172e8fb1452e',
      '{"name":"AES-KW","length":128} wrapKey 506bb48aab2483cda8966de730b90072',
      '{"name":"HMAC","hash":{"name":"SHA-256"},"length":512} sign 506bb48aab2483cda8966de730b900721332784b1f72e110c783172e8fb1452edc23f385d50f25b485590dfdb3b8857358099ed42a0f54228fd2d2e684123ec0',
      '{"name":"HMAC","hash":{"name":"SHA-512"},"length":200} sign 506bb48aab2483cda8966de730b900721332784b1f72e110c7',
      '{"name":"AES-CBC","length":192} 0a38253555ce37f5c72a6b703f996814ebf241f203af146e',
      'OperationError: Invalid key length',
      'OperationError: length cannot be null',
      'NotSupportedError: Unrecognized algorithm name',
      'OperationError: length must be a multiple of 8',
      'OperationError: The operation failed for an operation-specific reason',
      'ok ',
      'OperationError: length cannot be null',
      'OperationError: iterations cannot be zero',
      'SyntaxError: PBKDF2 keys are not extractable',
      'SyntaxError: Unsupported key usage for a HKDF key',
      'NotSupportedError: Unable to import HKDF key with format jwk',
      'InvalidAccessError: key is not extractable',
    ),
  )
})

test.run()
