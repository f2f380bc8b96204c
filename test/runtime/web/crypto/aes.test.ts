// AES-GCM, AES-CBC, AES-CTR and AES-KW against Node's WebCrypto: keys and ciphertexts made
// on either side decrypt on the other (and re-encrypt to the same bytes), plus the
// standard vectors (GCM test case 2 and 4, SP 800-38A CBC and CTR, RFC 3394).
import { test } from 'uvu'
import { lines, sameAsNode } from '../../../support/same-as-node.ts'
import { exchange, helpers } from './exchange.ts'

const cases = `const cases: [string, number, any][] = [
  ['AES-GCM', 128, { iv: 12 }],
  ['AES-GCM', 256, { iv: 12, additionalData: 'header', tagLength: 96 }],
  ['AES-GCM', 192, { iv: 16, tagLength: 32 }],
  ['AES-CBC', 128, { iv: 16 }],
  ['AES-CBC', 256, { iv: 16 }],
  ['AES-CTR', 128, { counter: 16, length: 64 }],
  ['AES-CTR', 256, { counter: 16, length: 8 }],
]
const plaintext = utf8('forty-seven bytes of plaintext, not a multiple.')
const params = (name: string, p: any, bytes: Record<string, string>) => {
  const out: any = { name }
  for (const [k, v] of Object.entries(p)) out[k] = typeof v === 'number' && (k === 'iv' || k === 'counter') ? unhex(bytes[k]) : k === 'additionalData' ? utf8(v as string) : v
  return out
}
`

const produce = `${cases}
;(async () => {
  const out: any[] = []
  for (const [name, length, p] of cases) {
    const k = (await subtle.generateKey({ name, length }, true, ['encrypt', 'decrypt'])) as CryptoKey
    const bytes: Record<string, string> = {}
    for (const m of ['iv', 'counter']) if (p[m]) bytes[m] = hex(crypto.getRandomValues(new Uint8Array(p[m])))
    // A counter whose low byte is about to wrap, so the 8-bit counter wraps mid-message.
    if (p.length === 8) bytes.counter = bytes.counter.slice(0, 30) + 'fe'
    out.push({ jwk: await subtle.exportKey('jwk', k), raw: hex(await subtle.exportKey('raw', k)), bytes, ciphertext: hex(await subtle.encrypt(params(name, p, bytes), k, plaintext)) })
  }
  const kek = (await subtle.generateKey({ name: 'AES-KW', length: 256 }, true, ['wrapKey', 'unwrapKey'])) as CryptoKey
  const wrapped = (await subtle.generateKey({ name: 'AES-GCM', length: 128 }, true, ['encrypt'])) as CryptoKey
  print(JSON.stringify({ out, kek: await subtle.exportKey('jwk', kek), key: hex(await subtle.exportKey('raw', wrapped)),
    wrappedRaw: hex(await subtle.wrapKey('raw', wrapped, kek, 'AES-KW')), wrappedJwk: hex(await subtle.wrapKey('jwk', wrapped, kek, { name: 'AES-KW' })) }))
})()
`

const consume = `${cases}
;(async () => {
  for (let i = 0; i < cases.length; i++) {
    const [name, length, p] = cases[i]
    const e = INPUT.out[i]
    const fromJwk = await subtle.importKey('jwk', e.jwk, name, true, ['encrypt', 'decrypt'])
    const fromRaw = await subtle.importKey('raw', unhex(e.raw), { name }, true, ['decrypt'])
    const alg = params(name, p, e.bytes)
    const plain = new TextDecoder().decode(await subtle.decrypt(alg, fromRaw, unhex(e.ciphertext)))
    const again = hex(await subtle.encrypt(alg, fromJwk, plaintext))
    const tampered = unhex(e.ciphertext)
    tampered[0] ^= 1
    const bad = name === 'AES-GCM' ? await outcome(subtle.decrypt(alg, fromRaw, tampered)) : '-'
    print(name, length, JSON.stringify(fromJwk.algorithm), plain === new TextDecoder().decode(plaintext), again === e.ciphertext,
      JSON.stringify(await subtle.exportKey('jwk', fromRaw)).replace(/"key_ops":[^\\]]*\\],/, '') === JSON.stringify(e.jwk).replace(/"key_ops":[^\\]]*\\],/, ''), bad)
  }
  const kek = await subtle.importKey('jwk', INPUT.kek, 'AES-KW', true, ['wrapKey', 'unwrapKey'])
  const raw = await subtle.unwrapKey('raw', unhex(INPUT.wrappedRaw), kek, 'AES-KW', 'AES-GCM', true, ['encrypt'])
  const jwk = await subtle.unwrapKey('jwk', unhex(INPUT.wrappedJwk), kek, 'AES-KW', { name: 'AES-GCM' }, true, ['encrypt'])
  print('AES-KW', hex(await subtle.exportKey('raw', raw)) === INPUT.key, hex(await subtle.exportKey('raw', jwk)) === INPUT.key,
    hex(await subtle.wrapKey('raw', raw, kek, 'AES-KW')) === INPUT.wrappedRaw, hex(await subtle.wrapKey('jwk', jwk, kek, 'AES-KW')) === INPUT.wrappedJwk)
})()
`

test('AES keys and ciphertexts cross between Node and the runtime in every mode, and re-encrypt to the same bytes', async () => {
  await exchange(
    produce,
    consume,
    lines(
      'AES-GCM 128 {"name":"AES-GCM","length":128} true true true OperationError: The operation failed for an operation-specific reason',
      'AES-GCM 256 {"name":"AES-GCM","length":256} true true true OperationError: The operation failed for an operation-specific reason',
      'AES-GCM 192 {"name":"AES-GCM","length":192} true true true OperationError: The operation failed for an operation-specific reason',
      'AES-CBC 128 {"name":"AES-CBC","length":128} true true true -',
      'AES-CBC 256 {"name":"AES-CBC","length":256} true true true -',
      'AES-CTR 128 {"name":"AES-CTR","length":128} true true true -',
      'AES-CTR 256 {"name":"AES-CTR","length":256} true true true -',
      'AES-KW true true true true',
    ),
  )
})

test('AES modes give the standard vectors: GCM test cases 2 and 4, SP 800-38A F.2.1 CBC and F.5.1 CTR, RFC 3394 4.1 and 4.6', async () => {
  await sameAsNode(
    helpers +
      `
    const key = (h: string, name: string, use: KeyUsage[] = ['encrypt', 'decrypt']) => subtle.importKey('raw', unhex(h), name, false, use)
    ;(async () => {
      const zero = await key('00000000000000000000000000000000', 'AES-GCM')
      print('GCM 2', hex(await subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, zero, new Uint8Array(16))))
      const k4 = await key('feffe9928665731c6d6a8f9467308308', 'AES-GCM')
      const p4 = unhex('d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39')
      const a4 = unhex('feedfacedeadbeeffeedfacedeadbeefabaddad2')
      const c4 = await subtle.encrypt({ name: 'AES-GCM', iv: unhex('cafebabefacedbaddecaf888'), additionalData: a4 }, k4, p4)
      print('GCM 4', hex(c4))
      print('GCM 4 decrypts', hex(await subtle.decrypt({ name: 'AES-GCM', iv: unhex('cafebabefacedbaddecaf888'), additionalData: a4 }, k4, c4)) === hex(p4))
      const sp = unhex('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51')
      const cbc = await key('2b7e151628aed2a6abf7158809cf4f3c', 'AES-CBC')
      print('CBC', hex(await subtle.encrypt({ name: 'AES-CBC', iv: unhex('000102030405060708090a0b0c0d0e0f') }, cbc, sp)))
      const ctr = await key('2b7e151628aed2a6abf7158809cf4f3c', 'AES-CTR')
      print('CTR', hex(await subtle.encrypt({ name: 'AES-CTR', counter: unhex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff'), length: 64 }, ctr, sp)))
      const kek = await key('000102030405060708090a0b0c0d0e0f', 'AES-KW', ['wrapKey', 'unwrapKey'])
      const data = await subtle.importKey('raw', unhex('00112233445566778899aabbccddeeff'), 'AES-CBC', true, ['encrypt'])
      print('KW 4.1', hex(await subtle.wrapKey('raw', data, kek, 'AES-KW')))
      const kek256 = await key('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'AES-KW', ['wrapKey', 'unwrapKey'])
      const data256 = await subtle.importKey('raw', unhex('00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f'), 'AES-CBC', true, ['encrypt'])
      const w = await subtle.wrapKey('raw', data256, kek256, 'AES-KW')
      print('KW 4.6', hex(w))
      const back = await subtle.unwrapKey('raw', w, kek256, 'AES-KW', 'AES-CBC', true, ['encrypt'])
      print('unwrapped', hex(await subtle.exportKey('raw', back)))
    })()
  `,
    lines(
      'GCM 2 0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf',
      'GCM 4 42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e0915bc94fbc3221a5db94fae95ae7121a47',
      'GCM 4 decrypts true',
      'CBC 7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b255e21d7100b988ffec32feeafaf23538',
      'CTR 874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff',
      'KW 4.1 1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5',
      'KW 4.6 28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21',
      'unwrapped 00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f',
    ),
  )
})

test.run()
