// RSASSA-PKCS1-v1_5, RSA-PSS and RSA-OAEP against Node's WebCrypto: keys, signatures and
// ciphertexts made on either side are used on the other, and every key format re-exports
// to the other side's bytes.
import { test } from 'uvu'
import { lines } from '../../../support/same-as-node.ts'
import { exchange } from './exchange.ts'

const cases = `const cases: [string, string, number][] = [
  ['RSASSA-PKCS1-v1_5', 'SHA-256', 2048],
  ['RSASSA-PKCS1-v1_5', 'SHA-1', 1024],
  ['RSA-PSS', 'SHA-384', 1024],
  ['RSA-PSS', 'SHA-512', 2048],
  ['RSA-OAEP', 'SHA-256', 2048],
  ['RSA-OAEP', 'SHA-1', 1024],
]
const usagesOf = (name: string) => (name === 'RSA-OAEP' ? ['encrypt', 'decrypt'] : ['sign', 'verify'])
const signParams = (name: string) => (name === 'RSA-PSS' ? { name, saltLength: 32 } : { name })
const message = utf8('made on one side, checked on the other')
`

const produce = `${cases}
;(async () => {
  const out: any = {}
  for (const [name, hash, modulusLength] of cases) {
    const k = await subtle.generateKey({ name, modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash }, true, usagesOf(name) as KeyUsage[])
    const entry: any = {
      jwkPublic: await subtle.exportKey('jwk', k.publicKey),
      jwkPrivate: await subtle.exportKey('jwk', k.privateKey),
      spki: hex(await subtle.exportKey('spki', k.publicKey)),
      pkcs8: hex(await subtle.exportKey('pkcs8', k.privateKey)),
    }
    if (name === 'RSA-OAEP') {
      entry.ciphertext = hex(await subtle.encrypt({ name, label: utf8('label') }, k.publicKey, message))
      entry.noLabel = hex(await subtle.encrypt({ name }, k.publicKey, message))
    } else {
      entry.signature = hex(await subtle.sign(signParams(name), k.privateKey, message))
    }
    out[name + ' ' + hash] = entry
  }
  print(JSON.stringify(out))
})()
`

const consume = `${cases}
;(async () => {
  for (const [name, hash] of cases) {
    const e = INPUT[name + ' ' + hash]
    const alg = { name, hash }
    const [pubUse, privUse] = name === 'RSA-OAEP' ? [['encrypt'], ['decrypt']] : [['verify'], ['sign']]
    const pub = await subtle.importKey('jwk', e.jwkPublic, alg, true, pubUse as KeyUsage[])
    const priv = await subtle.importKey('jwk', e.jwkPrivate, alg, true, privUse as KeyUsage[])
    const spki = await subtle.importKey('spki', unhex(e.spki), alg, true, pubUse as KeyUsage[])
    const pkcs8 = await subtle.importKey('pkcs8', unhex(e.pkcs8), alg, true, privUse as KeyUsage[])
    const formats = [
      hex(await subtle.exportKey('spki', pub)) === e.spki,
      hex(await subtle.exportKey('pkcs8', priv)) === e.pkcs8,
      JSON.stringify(await subtle.exportKey('jwk', spki)) === JSON.stringify(e.jwkPublic),
      JSON.stringify(await subtle.exportKey('jwk', pkcs8)) === JSON.stringify(e.jwkPrivate),
    ]
    let result: unknown[]
    if (name === 'RSA-OAEP') {
      const decrypted = new TextDecoder().decode(await subtle.decrypt({ name, label: utf8('label') }, pkcs8, unhex(e.ciphertext)))
      const plain = new TextDecoder().decode(await subtle.decrypt({ name }, priv, unhex(e.noLabel)))
      const wrongLabel = await outcome(subtle.decrypt({ name, label: utf8('other') }, priv, unhex(e.ciphertext)))
      const again = await subtle.encrypt({ name }, spki, message)
      const roundTrip = new TextDecoder().decode(await subtle.decrypt({ name }, pkcs8, again))
      result = [decrypted, plain === decrypted, wrongLabel, roundTrip === plain]
    } else {
      const params = signParams(name)
      const signature = unhex(e.signature)
      const ok = await subtle.verify(params, pub, signature, message)
      const tampered = await subtle.verify(params, spki, signature, utf8('something else'))
      const mine = await subtle.sign(params, pkcs8, message)
      // PKCS#1 v1.5 is deterministic: both sides must make the very same bytes.
      const same = name === 'RSASSA-PKCS1-v1_5' ? hex(mine) === e.signature : await subtle.verify(params, pub, mine, message)
      result = [ok, tampered, same]
    }
    print(name, hash, pub.algorithm.modulusLength, JSON.stringify(Array.from(pub.algorithm.publicExponent as Uint8Array)), formats.join(','), result.join(' | '))
  }
})()
`

test('keys, signatures and ciphertexts cross between Node and the runtime, and spki/pkcs8/JWK re-export byte for byte', async () => {
  await exchange(
    produce,
    consume,
    lines(
      'RSASSA-PKCS1-v1_5 SHA-256 2048 [1,0,1] true,true,true,true true | false | true',
      'RSASSA-PKCS1-v1_5 SHA-1 1024 [1,0,1] true,true,true,true true | false | true',
      'RSA-PSS SHA-384 1024 [1,0,1] true,true,true,true true | false | true',
      'RSA-PSS SHA-512 2048 [1,0,1] true,true,true,true true | false | true',
      'RSA-OAEP SHA-256 2048 [1,0,1] true,true,true,true made on one side, checked on the other | true | OperationError: The operation failed for an operation-specific reason | true',
      'RSA-OAEP SHA-1 1024 [1,0,1] true,true,true,true made on one side, checked on the other | true | OperationError: The operation failed for an operation-specific reason | true',
    ),
    { timeoutMs: 120_000 },
  )
})

test.run()
