// wrapKey and unwrapKey with the ciphers that do it by encrypt/decrypt (AES-GCM, AES-CBC,
// RSA-OAEP) and in every format: a key wrapped on one side unwraps on the other.
import { test } from 'uvu'
import { lines } from '../../../support/same-as-node.ts'
import { exchange } from './exchange.ts'

const produce = `;(async () => {
  const oaep = (await subtle.generateKey({ name: 'RSA-OAEP', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['wrapKey', 'unwrapKey'])) as CryptoKeyPair
  const gcm = (await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['wrapKey', 'unwrapKey'])) as CryptoKey
  const cbc = (await subtle.generateKey({ name: 'AES-CBC', length: 128 }, true, ['wrapKey', 'unwrapKey'])) as CryptoKey
  const ed = (await subtle.generateKey('Ed25519', true, ['sign', 'verify'])) as CryptoKeyPair
  const ec = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign'])) as CryptoKeyPair
  const hmac = (await subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, ['sign'])) as CryptoKey
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const iv16 = crypto.getRandomValues(new Uint8Array(16))
  print(JSON.stringify({
    oaep: await subtle.exportKey('jwk', oaep.privateKey), gcm: hex(await subtle.exportKey('raw', gcm)), cbc: hex(await subtle.exportKey('raw', cbc)),
    iv: hex(iv), iv16: hex(iv16),
    ed: await subtle.exportKey('jwk', ed.privateKey), ec: hex(await subtle.exportKey('pkcs8', ec.privateKey)), hmac: hex(await subtle.exportKey('raw', hmac)),
    edByOaep: hex(await subtle.wrapKey('jwk', ed.privateKey, oaep.publicKey, { name: 'RSA-OAEP' })),
    ecByGcm: hex(await subtle.wrapKey('pkcs8', ec.privateKey, gcm, { name: 'AES-GCM', iv })),
    hmacByCbc: hex(await subtle.wrapKey('raw', hmac, cbc, { name: 'AES-CBC', iv: iv16 })),
    edByGcm: hex(await subtle.wrapKey('jwk', ed.privateKey, gcm, { name: 'AES-GCM', iv })),
  }))
})()
`

const consume = `;(async () => {
  const oaep = await subtle.importKey('jwk', INPUT.oaep, { name: 'RSA-OAEP', hash: 'SHA-256' }, true, ['unwrapKey'])
  const gcm = await subtle.importKey('raw', unhex(INPUT.gcm), 'AES-GCM', true, ['wrapKey', 'unwrapKey'])
  const cbc = await subtle.importKey('raw', unhex(INPUT.cbc), 'AES-CBC', true, ['unwrapKey'])
  const iv = unhex(INPUT.iv)
  const ed = await subtle.unwrapKey('jwk', unhex(INPUT.edByOaep), oaep, { name: 'RSA-OAEP' }, 'Ed25519', true, ['sign'])
  const ec = await subtle.unwrapKey('pkcs8', unhex(INPUT.ecByGcm), gcm, { name: 'AES-GCM', iv }, { name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign'])
  const hmac = await subtle.unwrapKey('raw', unhex(INPUT.hmacByCbc), cbc, { name: 'AES-CBC', iv: unhex(INPUT.iv16) }, { name: 'HMAC', hash: 'SHA-256' }, true, ['sign'])
  const ed2 = await subtle.unwrapKey('jwk', unhex(INPUT.edByGcm), gcm, { name: 'AES-GCM', iv }, 'Ed25519', true, ['sign'])
  print(JSON.stringify(await subtle.exportKey('jwk', ed)) === JSON.stringify(INPUT.ed), JSON.stringify(ed.algorithm), ed.usages.join())
  print(hex(await subtle.exportKey('pkcs8', ec)) === INPUT.ec, JSON.stringify(ec.algorithm))
  print(hex(await subtle.exportKey('raw', hmac)) === INPUT.hmac, JSON.stringify(hmac.algorithm))
  print(JSON.stringify(await subtle.exportKey('jwk', ed2)) === JSON.stringify(INPUT.ed))
  // JSON is the same on both sides, so the wrapped bytes are too.
  print(hex(await subtle.wrapKey('jwk', ed2, gcm, { name: 'AES-GCM', iv })) === INPUT.edByGcm)
})()
`

test('keys wrapped with RSA-OAEP, AES-GCM and AES-CBC on one side unwrap on the other, in jwk, pkcs8 and raw', async () => {
  await exchange(
    produce,
    consume,
    lines(
      'true {"name":"Ed25519"} sign',
      'true {"name":"ECDSA","namedCurve":"P-384"}',
      'true {"name":"HMAC","hash":{"name":"SHA-256"},"length":512}',
      'true',
      'true',
    ),
  )
})

test.run()
