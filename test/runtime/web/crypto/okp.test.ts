// Ed25519 and X25519 against Node's WebCrypto: keys and signatures made on either side
// verify on the other, X25519 secrets agree, every format re-exports to the other side's
// bytes; and RFC 8032's and RFC 7748's own vectors.
import { test } from 'uvu'
import { lines, sameAsNode } from '../../../support/same-as-node.ts'
import { exchange, helpers } from './exchange.ts'

const shared = `const message = utf8('an EdDSA JWT, say')
const exportAll = async (k: CryptoKeyPair) => ({
  jwkPublic: await subtle.exportKey('jwk', k.publicKey),
  jwkPrivate: await subtle.exportKey('jwk', k.privateKey),
  raw: hex(await subtle.exportKey('raw', k.publicKey)),
  spki: hex(await subtle.exportKey('spki', k.publicKey)),
  pkcs8: hex(await subtle.exportKey('pkcs8', k.privateKey)),
})
`

const produce = `${shared}
;(async () => {
  const ed = (await subtle.generateKey('Ed25519', true, ['sign', 'verify'])) as CryptoKeyPair
  const a = (await subtle.generateKey('X25519', true, ['deriveBits'])) as CryptoKeyPair
  const b = (await subtle.generateKey('X25519', true, ['deriveBits'])) as CryptoKeyPair
  print(JSON.stringify({
    ed: { ...(await exportAll(ed)), signature: hex(await subtle.sign('Ed25519', ed.privateKey, message)) },
    a: await exportAll(a),
    b: await exportAll(b),
    secret: hex(await subtle.deriveBits({ name: 'X25519', public: b.publicKey }, a.privateKey, 256)),
  }))
})()
`

const consume = `${shared}
const same = async (key: CryptoKey, format: 'raw' | 'spki' | 'pkcs8', expected: string) => hex(await subtle.exportKey(format, key)) === expected
const sameJwk = async (key: CryptoKey, expected: unknown) => JSON.stringify(await subtle.exportKey('jwk', key)) === JSON.stringify(expected)
;(async () => {
  const e = INPUT.ed
  const raw = await subtle.importKey('raw', unhex(e.raw), 'Ed25519', true, ['verify'])
  const spki = await subtle.importKey('spki', unhex(e.spki), { name: 'Ed25519' }, true, ['verify'])
  const pkcs8 = await subtle.importKey('pkcs8', unhex(e.pkcs8), 'Ed25519', true, ['sign'])
  const jwk = await subtle.importKey('jwk', e.jwkPrivate, 'Ed25519', true, ['sign'])
  const signature = unhex(e.signature)
  // Ed25519 is deterministic: both sides sign the message to the same bytes.
  const mine = hex(await subtle.sign('Ed25519', pkcs8, message))
  print('Ed25519', await same(raw, 'spki', e.spki), await same(spki, 'raw', e.raw), await same(jwk, 'pkcs8', e.pkcs8),
    await sameJwk(pkcs8, e.jwkPrivate), await sameJwk(raw, e.jwkPublic),
    await subtle.verify('Ed25519', raw, signature, message), await subtle.verify('Ed25519', spki, signature, utf8('other')), mine === e.signature)
  const aPrivate = await subtle.importKey('pkcs8', unhex(INPUT.a.pkcs8), 'X25519', true, ['deriveBits'])
  const bPublic = await subtle.importKey('raw', unhex(INPUT.b.raw), 'X25519', true, [])
  const bPrivate = await subtle.importKey('jwk', INPUT.b.jwkPrivate, 'X25519', true, ['deriveBits'])
  const aPublic = await subtle.importKey('spki', unhex(INPUT.a.spki), 'X25519', true, [])
  print('X25519', hex(await subtle.deriveBits({ name: 'X25519', public: bPublic }, aPrivate, 256)) === INPUT.secret,
    hex(await subtle.deriveBits({ name: 'X25519', public: aPublic }, bPrivate, null)) === INPUT.secret,
    await same(bPrivate, 'pkcs8', INPUT.b.pkcs8), await sameJwk(aPrivate, INPUT.a.jwkPrivate), await same(aPublic, 'raw', INPUT.a.raw))
})()
`

test('Ed25519 keys and signatures, and X25519 secrets, cross between Node and the runtime', async () => {
  await exchange(produce, consume, lines('Ed25519 true true true true true true false true', 'X25519 true true true true true'))
})

test('Ed25519 signs and verifies RFC 8032 test vectors 1 to 3; X25519 computes RFC 7748 section 6.1', async () => {
  await sameAsNode(
    helpers +
      `
    const vectors = [
      ['9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', ''],
      ['4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', '72'],
      ['c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7', 'af82'],
    ]
    const pkcs8 = (seed: string) => unhex('302e020100300506032b657004220420' + seed)
    ;(async () => {
      for (const [seed, msg] of vectors) {
        const priv = await subtle.importKey('pkcs8', pkcs8(seed), 'Ed25519', true, ['sign'])
        const jwk = (await subtle.exportKey('jwk', priv)) as JsonWebKey
        const pub = await subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, 'Ed25519', true, ['verify'])
        const sig = await subtle.sign('Ed25519', priv, unhex(msg))
        print(hex(await subtle.exportKey('raw', pub)), hex(sig), await subtle.verify('Ed25519', pub, sig, unhex(msg)))
      }
      const alice = await subtle.importKey('pkcs8', unhex('302e020100300506032b656e04220420' + '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'), 'X25519', true, ['deriveBits'])
      const bob = await subtle.importKey('raw', unhex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f'), 'X25519', true, [])
      print(hex(await subtle.deriveBits({ name: 'X25519', public: bob }, alice, 256)))
    })()
  `,
    lines(
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b true',
      '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c 92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00 true',
      'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025 6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a true',
      '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742',
    ),
  )
})

test.run()
