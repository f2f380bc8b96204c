// ECDSA and ECDH on P-256, P-384 and P-521 against Node's WebCrypto: keys and signatures
// made on either side verify on the other, shared secrets agree, and raw/spki/pkcs8/JWK
// re-export to the other side's bytes.
import { test } from 'uvu'
import { lines } from '../../../support/same-as-node.ts'
import { exchange } from './exchange.ts'

const cases = `const cases: [string, string][] = [['P-256', 'SHA-256'], ['P-384', 'SHA-384'], ['P-521', 'SHA-512'], ['P-256', 'SHA-1']]
const message = utf8('signed here, verified there')
const exportAll = async (k: CryptoKeyPair) => ({
  jwkPublic: await subtle.exportKey('jwk', k.publicKey),
  jwkPrivate: await subtle.exportKey('jwk', k.privateKey),
  raw: hex(await subtle.exportKey('raw', k.publicKey)),
  spki: hex(await subtle.exportKey('spki', k.publicKey)),
  pkcs8: hex(await subtle.exportKey('pkcs8', k.privateKey)),
})
`

const produce = `${cases}
;(async () => {
  const out: any = { ecdsa: {}, ecdh: {} }
  for (const [namedCurve, hash] of cases) {
    const k = (await subtle.generateKey({ name: 'ECDSA', namedCurve }, true, ['sign', 'verify'])) as CryptoKeyPair
    out.ecdsa[namedCurve + hash] = { ...(await exportAll(k)), signature: hex(await subtle.sign({ name: 'ECDSA', hash }, k.privateKey, message)) }
  }
  for (const namedCurve of ['P-256', 'P-384', 'P-521']) {
    const a = (await subtle.generateKey({ name: 'ECDH', namedCurve }, true, ['deriveBits'])) as CryptoKeyPair
    const b = (await subtle.generateKey({ name: 'ECDH', namedCurve }, true, ['deriveBits', 'deriveKey'])) as CryptoKeyPair
    const secret = hex(await subtle.deriveBits({ name: 'ECDH', public: b.publicKey }, a.privateKey, null))
    out.ecdh[namedCurve] = { a: await exportAll(a), b: await exportAll(b), secret }
  }
  print(JSON.stringify(out))
})()
`

const consume = `${cases}
const same = async (key: CryptoKey, format: 'raw' | 'spki' | 'pkcs8', expected: string) => hex(await subtle.exportKey(format, key)) === expected
;(async () => {
  for (const [namedCurve, hash] of cases) {
    const e = INPUT.ecdsa[namedCurve + hash]
    const alg = { name: 'ECDSA', namedCurve }
    const raw = await subtle.importKey('raw', unhex(e.raw), alg, true, ['verify'])
    const spki = await subtle.importKey('spki', unhex(e.spki), alg, true, ['verify'])
    const jwk = await subtle.importKey('jwk', e.jwkPublic, alg, true, ['verify'])
    const pkcs8 = await subtle.importKey('pkcs8', unhex(e.pkcs8), alg, true, ['sign'])
    const jwkPrivate = await subtle.importKey('jwk', e.jwkPrivate, alg, true, ['sign'])
    const formats = [
      await same(jwk, 'raw', e.raw),
      await same(raw, 'spki', e.spki),
      await same(jwkPrivate, 'pkcs8', e.pkcs8),
      JSON.stringify(await subtle.exportKey('jwk', pkcs8)) === JSON.stringify(e.jwkPrivate),
      JSON.stringify(await subtle.exportKey('jwk', spki)) === JSON.stringify(e.jwkPublic),
    ]
    const signature = unhex(e.signature)
    const params = { name: 'ECDSA', hash }
    const mine = await subtle.sign(params, pkcs8, message)
    print('ECDSA', namedCurve, hash, formats.join(','), signature.length, await subtle.verify(params, raw, signature, message),
      await subtle.verify(params, spki, signature, utf8('tampered')), await subtle.verify(params, jwk, mine, message))
  }
  for (const namedCurve of ['P-256', 'P-384', 'P-521']) {
    const e = INPUT.ecdh[namedCurve]
    const alg = { name: 'ECDH', namedCurve }
    const aPrivate = await subtle.importKey('pkcs8', unhex(e.a.pkcs8), alg, true, ['deriveBits'])
    const bPublic = await subtle.importKey('raw', unhex(e.b.raw), alg, true, [])
    const bPrivate = await subtle.importKey('jwk', e.b.jwkPrivate, alg, true, ['deriveBits', 'deriveKey'])
    const aPublic = await subtle.importKey('spki', unhex(e.a.spki), alg, true, [])
    const ab = hex(await subtle.deriveBits({ name: 'ECDH', public: bPublic }, aPrivate, null))
    const ba = hex(await subtle.deriveBits({ name: 'ECDH', public: aPublic }, bPrivate, 128))
    const aes = await subtle.deriveKey({ name: 'ECDH', public: aPublic }, bPrivate, { name: 'AES-GCM', length: 128 }, true, ['encrypt'])
    print('ECDH', namedCurve, ab === e.secret, ab.length / 2, ba === e.secret.slice(0, 32), hex(await subtle.exportKey('raw', aes)) === e.secret.slice(0, 32),
      await same(bPrivate, 'pkcs8', e.b.pkcs8), JSON.stringify(await subtle.exportKey('jwk', aPrivate)) === JSON.stringify(e.a.jwkPrivate))
  }
})()
`

test('ECDSA keys and signatures, and ECDH secrets, cross between Node and the runtime on every curve', async () => {
  await exchange(
    produce,
    consume,
    lines(
      'ECDSA P-256 SHA-256 true,true,true,true,true 64 true false true',
      'ECDSA P-384 SHA-384 true,true,true,true,true 96 true false true',
      'ECDSA P-521 SHA-512 true,true,true,true,true 132 true false true',
      'ECDSA P-256 SHA-1 true,true,true,true,true 64 true false true',
      'ECDH P-256 true 32 true true true true',
      'ECDH P-384 true 48 true true true true',
      'ECDH P-521 true 66 true true true true',
    ),
  )
})

test.run()
