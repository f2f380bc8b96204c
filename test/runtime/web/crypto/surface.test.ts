// What scripts see of Web Crypto's objects, as in Node: the globals, CryptoKey's
// attributes and how console.log shows a key, a generated pair's shape, and the one
// crypto.subtle object.
import { test } from 'uvu'
import { lines, sameAsNode } from '../../../support/same-as-node.ts'

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

test.run()
