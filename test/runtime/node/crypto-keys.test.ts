// node:crypto's keys and signatures under Node and in the runtime: KeyObjects from PEM,
// DER and JWK and back, RSA (PKCS#1 v1.5, PSS), ECDSA (DER, ieee-p1363), Ed25519, ECDH
// and X25519, KeyObject.from; and keys made on one side used on the other.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, diffieHellman, constants } from 'node:crypto'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { matchesNode } from '../../support/same-as-node.ts'
import { runInRuntime } from '../../support/script.ts'

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

test('KeyObjects import and export PEM, DER and JWK (spki, pkcs8, pkcs1, sec1) as Node does, and sign and verify with every scheme', async () => {
  const out = await matchesNode(
    SHOW +
      `
    import crypto from 'node:crypto'
    const rsaPem = crypto.generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })
    print(typeof rsaPem.publicKey, typeof rsaPem.privateKey)
    // fixed keys: made by node once
    const ecJwk = { kty: 'EC', x: 'j-PteBsIMB-nNlXd4msythCJlKjO2QzVytDmJNmahc0', y: 'S8zqJ3D8NrwfTcU5pFR_tOV5wLbE8Ji1WuUncA1xK6s', crv: 'P-256', d: 'NT9P6w8ao7VCgMQ8QcoAcf3ZFQhWSBpKUObqwM66C54' }
    const ecPriv = crypto.createPrivateKey({ key: ecJwk, format: 'jwk' })
    const ecPub = crypto.createPublicKey(ecPriv)
    t('ec details', () => [ecPriv.type, ecPriv.asymmetricKeyType, JSON.stringify(ecPriv.asymmetricKeyDetails), ecPub.type].join())
    t('ec spki pem', () => ecPub.export({ type: 'spki', format: 'pem' }))
    t('ec pkcs8 der', () => ecPriv.export({ type: 'pkcs8', format: 'der' }))
    t('ec sec1 pem', () => ecPriv.export({ type: 'sec1', format: 'pem' }))
    t('ec jwk', () => ecPriv.export({ format: 'jwk' }))
    t('ec pub jwk', () => ecPub.export({ format: 'jwk' }))
    t('ec roundtrip sec1', () => crypto.createPrivateKey(ecPriv.export({ type: 'sec1', format: 'pem' }) as string).equals(ecPriv))
    t('ec roundtrip sec1 der', () => crypto.createPrivateKey({ key: ecPriv.export({ type: 'sec1', format: 'der' }), format: 'der', type: 'sec1' }).equals(ecPriv))
    t('ec roundtrip pkcs8 der', () => crypto.createPrivateKey({ key: ecPriv.export({ type: 'pkcs8', format: 'der' }), format: 'der', type: 'pkcs8' }).equals(ecPriv))
    t('ec spki der', () => crypto.createPublicKey({ key: ecPub.export({ type: 'spki', format: 'der' }), format: 'der', type: 'spki' }).equals(ecPub))
    const sigP = crypto.sign('sha256', Buffer.from('hello'), { key: ecPriv, dsaEncoding: 'ieee-p1363' })
    t('ec sig p1363 len', () => sigP.length)
    t('ec verify p1363', () => crypto.verify('sha256', Buffer.from('hello'), { key: ecPub, dsaEncoding: 'ieee-p1363' }, sigP))
    const sigD = crypto.createSign('SHA256').update('hel').update('lo').sign(ecPriv)
    t('ec verify der', () => crypto.createVerify('sha256').update('hello').verify(ecPub, sigD))
    t('ec verify der wrong', () => crypto.createVerify('sha256').update('hellO').verify(ecPub, sigD))
    // rsa
    const rsaPriv = crypto.createPrivateKey(rsaPem.privateKey)
    const rsaPub = crypto.createPublicKey(rsaPem.publicKey)
    t('rsa details', () => [rsaPriv.asymmetricKeyType, rsaPriv.asymmetricKeyDetails!.modulusLength, String(rsaPriv.asymmetricKeyDetails!.publicExponent)].join())
    t('rsa equals', () => crypto.createPublicKey(rsaPriv).equals(rsaPub))
    t('rsa pkcs1 roundtrip', () => crypto.createPrivateKey(rsaPriv.export({ type: 'pkcs1', format: 'pem' }) as string).equals(rsaPriv))
    t('rsa pub pkcs1 roundtrip', () => crypto.createPublicKey(rsaPub.export({ type: 'pkcs1', format: 'pem' }) as string).equals(rsaPub))
    t('rsa pub pkcs1 der', () => crypto.createPublicKey({ key: rsaPub.export({ type: 'pkcs1', format: 'der' }), format: 'der', type: 'pkcs1' }).equals(rsaPub))
    t('rsa jwk roundtrip', () => crypto.createPrivateKey({ key: rsaPriv.export({ format: 'jwk' }), format: 'jwk' }).equals(rsaPriv))
    t('rsa jwk keys', () => Object.keys(rsaPriv.export({ format: 'jwk' })).join())
    const s1 = crypto.sign('sha256', Buffer.from('data'), rsaPriv)
    t('rsa sign deterministic', () => s1.equals(crypto.createSign('RSA-SHA256').update('data').sign(rsaPem.privateKey)))
    t('rsa verify', () => crypto.verify('sha256', Buffer.from('data'), rsaPub, s1))
    t('rsa verify with private', () => crypto.verify('sha256', Buffer.from('data'), rsaPriv, s1))
    const pss = crypto.sign('sha256', Buffer.from('data'), { key: rsaPriv, padding: crypto.constants.RSA_PKCS1_PSS_PADDING })
    t('pss verify auto', () => crypto.verify('sha256', Buffer.from('data'), { key: rsaPub, padding: crypto.constants.RSA_PKCS1_PSS_PADDING }, pss))
    t('pss verify digest len', () => crypto.verify('sha256', Buffer.from('data'), { key: rsaPub, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, pss))
    const pss32 = crypto.sign('sha256', Buffer.from('data'), { key: rsaPriv, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST })
    t('pss32 verify 32', () => crypto.verify('sha256', Buffer.from('data'), { key: rsaPub, padding: 6, saltLength: 32 }, pss32))
    t('pss as pkcs1', () => crypto.verify('sha256', Buffer.from('data'), rsaPub, pss))
    // ed25519 / x25519
    const ed = crypto.createPrivateKey({ key: { crv: 'Ed25519', d: 'RCmS9Lso71u_z6eTGsr8ns6nvOAyCJ9ZNAg2Q5IG46s', x: '6dj-bLEOEOQTUWEgFSmhXRXpFlsvZJBP6bJ1kVGtAA0', kty: 'OKP' }, format: 'jwk' })
    t('ed sign', () => crypto.sign(null, Buffer.from('msg'), ed))
    t('ed pem', () => ed.export({ type: 'pkcs8', format: 'pem' }))
    t('ed pub pem', () => crypto.createPublicKey(ed).export({ type: 'spki', format: 'pem' }))
    t('ed verify', () => crypto.verify(null, Buffer.from('msg'), crypto.createPublicKey(ed.export({ type: 'pkcs8', format: 'pem' })), crypto.sign(null, Buffer.from('msg'), ed)))
    t('ed type', () => [ed.asymmetricKeyType, JSON.stringify(ed.asymmetricKeyDetails)].join())
    const x1 = crypto.generateKeyPairSync('x25519'), x2 = crypto.generateKeyPairSync('x25519')
    t('x25519 dh', () => crypto.diffieHellman({ privateKey: x1.privateKey, publicKey: x2.publicKey }).equals(crypto.diffieHellman({ privateKey: x2.privateKey, publicKey: x1.publicKey })))
    const e1 = crypto.generateKeyPairSync('ec', { namedCurve: 'secp384r1' }), e2 = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' })
    t('ecdh dh', () => crypto.diffieHellman({ privateKey: e1.privateKey, publicKey: e2.publicKey }).equals(crypto.diffieHellman({ privateKey: e2.privateKey, publicKey: e1.publicKey })))
    t('ecdh curve', () => JSON.stringify(e2.publicKey.asymmetricKeyDetails))
    // secret
    const sk = crypto.createSecretKey(Buffer.from('0123456789abcdef'))
    t('secret', () => [sk.type, sk.symmetricKeySize, sk.asymmetricKeyType, JSON.stringify(sk.export({ format: 'jwk' })), sk.export().toString()].join())
    t('hmac keyobject', () => crypto.createHmac('sha256', sk).update('x').digest('hex'))
  `,
    { timeoutMs: 30_000 },
  )
  assert.match(out, 'ec details private,ec,{"namedCurve":"prime256v1"},public')
  assert.match(out, 'rsa sign deterministic true')
})

test('createECDH makes, sets and exports keys (uncompressed and compressed) and computes secrets', async () => {
  await matchesNode(
    SHOW +
      `
    import crypto from 'node:crypto'
    const ecJwk = { kty: 'EC', x: 'j-PteBsIMB-nNlXd4msythCJlKjO2QzVytDmJNmahc0', y: 'S8zqJ3D8NrwfTcU5pFR_tOV5wLbE8Ji1WuUncA1xK6s', crv: 'P-256', d: 'NT9P6w8ao7VCgMQ8QcoAcf3ZFQhWSBpKUObqwM66C54' }
    const ecPriv = crypto.createPrivateKey({ key: ecJwk, format: 'jwk' })
    const ecdh = crypto.createECDH('prime256v1'); const ecdh2 = crypto.createECDH('prime256v1')
    ecdh.generateKeys(); ecdh2.setPrivateKey(ecPriv.export({ format: 'jwk' }).d as string, 'base64url')
    t('ecdh pub', () => ecdh2.getPublicKey('hex'))
    t('ecdh pub compressed', () => ecdh2.getPublicKey('hex', 'compressed'))
    t('ecdh priv', () => ecdh2.getPrivateKey('base64url'))
    t('ecdh secret', () => ecdh.computeSecret(ecdh2.getPublicKey()).equals(ecdh2.computeSecret(ecdh.getPublicKey())))
  `,
  )
})

test('KeyObject.from reads crypto.subtle keys, extractable or not, and they work together', async () => {
  const out = await matchesNode(`
    import crypto, { KeyObject } from 'node:crypto'
    const { subtle } = crypto
    const main = async () => {
      const hk = await subtle.importKey('raw', new TextEncoder().encode('secret'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
      const ko = KeyObject.from(hk)
      print(ko.type, ko.symmetricKeySize, crypto.createHmac('sha256', ko).update('x').digest('hex') === crypto.createHmac('sha256', 'secret').update('x').digest('hex'))
      const ec = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign', 'verify']) as CryptoKeyPair
      const ecPriv = KeyObject.from(ec.privateKey), ecPub = KeyObject.from(ec.publicKey)
      print(ecPriv.type, ecPriv.asymmetricKeyType, JSON.stringify(ecPriv.asymmetricKeyDetails), ecPub.type)
      const sig = crypto.sign('sha384', Buffer.from('m'), { key: ecPriv, dsaEncoding: 'ieee-p1363' })
      print(await subtle.verify({ name: 'ECDSA', hash: 'SHA-384' }, ec.publicKey, sig, Buffer.from('m')))
      const ed = await subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']) as CryptoKeyPair
      const edPriv = KeyObject.from(ed.privateKey)
      print(edPriv.asymmetricKeyType, await subtle.verify('Ed25519', ed.publicKey, crypto.sign(null, Buffer.from('m'), edPriv), Buffer.from('m')))
      const rsa = await subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']) as CryptoKeyPair
      const rsaPub = KeyObject.from(rsa.publicKey)
      const s2 = await subtle.sign('RSASSA-PKCS1-v1_5', rsa.privateKey, Buffer.from('m'))
      print(rsaPub.asymmetricKeyType, crypto.verify('sha256', Buffer.from('m'), rsaPub, Buffer.from(s2)))
      print(Buffer.from(await subtle.exportKey('spki', rsa.publicKey)).equals(rsaPub.export({ type: 'spki', format: 'der' }) as Buffer))
      try { KeyObject.from({} as any) } catch (e: any) { print(e.code, e.message) }
    }
    main()
  `)
  assert.match(out, 'secret 6 true')
})

// The runtime makes keys and signatures, Node checks them; Node makes keys, the runtime uses them.
test('keys and signatures made in the runtime verify under Node', async () => {
  const run = await runInRuntime(
    `
    import crypto from 'node:crypto'
    const out: Record<string, string> = {}
    const msg = Buffer.from('made in the runtime')
    for (const [name, type, opts] of [['rsa', 'rsa', { modulusLength: 2048 }], ['ec', 'ec', { namedCurve: 'secp521r1' }], ['ed', 'ed25519', {}], ['x', 'x25519', {}]] as const) {
      const { publicKey, privateKey } = crypto.generateKeyPairSync(type as 'rsa', opts as { modulusLength: number })
      out[name + 'Pub'] = publicKey.export({ type: 'spki', format: 'pem' }) as string
      out[name + 'Priv'] = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
      if (name !== 'x') out[name + 'Sig'] = crypto.sign(name === 'ed' ? null : 'sha512', msg, privateKey).toString('base64')
    }
    out.pssSig = crypto.sign('sha256', msg, { key: crypto.createPrivateKey(out.rsaPriv), padding: crypto.constants.RSA_PKCS1_PSS_PADDING }).toString('base64')
    out.rsaJwk = JSON.stringify(crypto.createPrivateKey(out.rsaPriv).export({ format: 'jwk' }))
    out.xShared = crypto.diffieHellman({ privateKey: crypto.createPrivateKey(out.xPriv), publicKey: crypto.createPublicKey(out.ecPub.length ? out.xPub : '') }).toString('hex')
    print(JSON.stringify(out))
  `,
    { timeoutMs: 60_000 },
  )
  assert.is(run.code, 0, run.stderr)
  const k = JSON.parse(run.stdout)
  const msg = Buffer.from('made in the runtime')
  assert.ok(verify('sha512', msg, k.rsaPub, Buffer.from(k.rsaSig, 'base64')), 'RS512')
  assert.ok(verify('sha512', msg, k.ecPub, Buffer.from(k.ecSig, 'base64')), 'ECDSA P-521, DER')
  assert.ok(verify(null, msg, k.edPub, Buffer.from(k.edSig, 'base64')), 'Ed25519')
  assert.ok(verify('sha256', msg, { key: k.rsaPub, padding: constants.RSA_PKCS1_PSS_PADDING }, Buffer.from(k.pssSig, 'base64')), 'PSS')
  assert.ok(createPrivateKey({ key: JSON.parse(k.rsaJwk), format: 'jwk' }).equals(createPrivateKey(k.rsaPriv)), 'JWK')
  assert.is(diffieHellman({ privateKey: createPrivateKey(k.xPriv), publicKey: createPublicKey(k.xPub) }).toString('hex'), k.xShared)
  for (const name of ['rsa', 'ec', 'ed', 'x']) assert.ok(createPublicKey(k[name + 'Priv']).equals(createPublicKey(k[name + 'Pub'])), name)
})

test('keys made by Node sign in the runtime, and the runtime verifies Node\'s signatures and agrees on ECDH secrets', async () => {
  const msg = Buffer.from('made by node')
  const keys: Record<string, string> = {}
  for (const [name, type, opts] of [['rsa', 'rsa', { modulusLength: 2048 }], ['ec', 'ec', { namedCurve: 'P-256' }], ['ed', 'ed25519', {}]] as const) {
    const { publicKey, privateKey } = generateKeyPairSync(type as 'rsa', opts as { modulusLength: number })
    keys[name + 'Pub'] = publicKey.export({ type: 'spki', format: 'pem' }) as string
    keys[name + 'Priv'] = privateKey.export({ type: name === 'rsa' ? 'pkcs1' : name === 'ec' ? 'sec1' : 'pkcs8', format: 'pem' }) as string
    keys[name + 'Sig'] = sign(name === 'ed' ? null : 'sha256', msg, privateKey).toString('base64')
  }
  const peer = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  keys.peerPub = JSON.stringify(peer.publicKey.export({ format: 'jwk' }))
  const run = await runInRuntime(`
    import crypto from 'node:crypto'
    const k = ${JSON.stringify(keys)}
    const msg = Buffer.from('made by node')
    print(['rsa', 'ec', 'ed'].map((n) => crypto.verify(n === 'ed' ? null : 'sha256', msg, k[n + 'Pub'], Buffer.from(k[n + 'Sig'], 'base64'))).join())
    print(JSON.stringify({
      rsa: crypto.sign('sha256', msg, k.rsaPriv).toString('base64'),
      ec: crypto.sign('sha256', msg, { key: k.ecPriv, dsaEncoding: 'ieee-p1363' }).toString('base64'),
      ed: crypto.sign(null, msg, k.edPriv).toString('base64'),
      shared: crypto.diffieHellman({ privateKey: crypto.createPrivateKey(k.ecPriv), publicKey: crypto.createPublicKey({ key: JSON.parse(k.peerPub), format: 'jwk' }) }).toString('hex'),
    }))
  `)
  assert.is(run.code, 0, run.stderr)
  const [verified, signed] = run.stdout.trim().split('\n')
  assert.is(verified, 'true,true,true')
  const s = JSON.parse(signed)
  assert.is(s.rsa, keys.rsaSig, 'PKCS#1 v1.5 signatures are deterministic')
  assert.ok(verify('sha256', msg, { key: keys.ecPub, dsaEncoding: 'ieee-p1363' }, Buffer.from(s.ec, 'base64')))
  assert.is(s.ed, keys.edSig, 'Ed25519 signatures are deterministic')
  assert.is(s.shared, diffieHellman({ privateKey: peer.privateKey, publicKey: createPublicKey(keys.ecPub) }).toString('hex'))
})

test('generateKeyPair, sign and generateKey with callbacks, and key encodings on generation', async () => {
  await matchesNode(`
    import crypto from 'node:crypto'
    const main = async () => {
      await new Promise<void>((res) => crypto.generateKeyPair('ec', { namedCurve: 'prime256v1' }, (err, pub, priv) => { print('ec', err, pub.type, priv.type, JSON.stringify(pub.asymmetricKeyDetails)); res() }))
      await new Promise<void>((res) => crypto.generateKeyPair('ed25519', { publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } } as any, (err, pub: any, priv: any) => { print('ed25519', err, pub.length, priv.split('\\n')[0]); res() }))
      await new Promise<void>((res) => crypto.generateKeyPair('rsa', { modulusLength: 1024, publicExponent: 3 }, (err, pub) => { print('rsa', err, String(pub.asymmetricKeyDetails!.publicExponent), pub.asymmetricKeyDetails!.modulusLength); res() }))
      await new Promise<void>((res) => crypto.sign('sha256', Buffer.from('x'), crypto.generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey, (err, sig) => { print('sign', err, sig.length > 130); res() }))
      await new Promise<void>((res) => crypto.generateKey('hmac', { length: 64 }, (err, key) => { print('generateKey', err, key.symmetricKeySize); res() }))
      print('generateKeySync', crypto.generateKeySync('aes', { length: 256 }).symmetricKeySize, crypto.generateKeySync('hmac', { length: 100 }).symmetricKeySize)
      try { crypto.generateKeyPair('rsa', {} as any, () => {}) } catch (e: any) { print('thrown at once', e.code) }
    }
    main()
  `)
})

test.run()
