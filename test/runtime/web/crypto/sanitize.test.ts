// Every crypto.subtle algorithm and operation once, in the runtime built with
// AddressSanitizer and UndefinedBehaviorSanitizer (runtime/Makefile VARIANT=sanitize; ASan
// on mbedTLS and libsodium, both on our crypto-*.c): the same answers as Node, and no
// report. The whole crypto suite runs there too with
// SCRATCHFN_TEST_RUNTIME=$PWD/.scratchfn/runtime-sanitize/scratchfn-runtime npm test -- test/runtime/web/crypto
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { buildRuntime } from '../../../../scripts/runtime/build-runtime.ts'
import { bundleScript, runCommand } from '../../../support/script.ts'
import { helpers } from './exchange.ts'

const tour = `
;(async () => {
  const m = utf8('tour')
  const rsa = { modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }
  const formats = async (pair: CryptoKeyPair, name: any) => {
    const pub = await subtle.importKey('spki', await subtle.exportKey('spki', pair.publicKey), name, true, pair.publicKey.usages)
    const priv = await subtle.importKey('pkcs8', await subtle.exportKey('pkcs8', pair.privateKey), name, true, pair.privateKey.usages)
    const jwk = await subtle.importKey('jwk', await subtle.exportKey('jwk', priv), name, true, pair.privateKey.usages)
    return { pub, priv: jwk }
  }
  for (const [name, params] of [['RSASSA-PKCS1-v1_5', {}], ['RSA-PSS', { saltLength: 20 }], ['ECDSA', { hash: 'SHA-384' }], ['Ed25519', {}]] as const) {
    const gen = name.startsWith('RSA') ? { name, ...rsa } : name === 'ECDSA' ? { name, namedCurve: 'P-521' } : { name }
    const k = await formats((await subtle.generateKey(gen as any, true, ['sign', 'verify'])) as CryptoKeyPair, gen)
    const sig = await subtle.sign({ name, ...params }, k.priv, m)
    print(name, await subtle.verify({ name, ...params }, k.pub, sig, m), await subtle.verify({ name, ...params }, k.pub, sig, utf8('x')))
  }
  const oaep = await formats((await subtle.generateKey({ name: 'RSA-OAEP', ...rsa }, true, ['encrypt', 'decrypt'])) as CryptoKeyPair, { name: 'RSA-OAEP', hash: 'SHA-256' })
  print('RSA-OAEP', new TextDecoder().decode(await subtle.decrypt({ name: 'RSA-OAEP', label: m }, oaep.priv, await subtle.encrypt({ name: 'RSA-OAEP', label: m }, oaep.pub, m)).catch(() => new ArrayBuffer(0))))
  for (const [name, curve] of [['ECDH', 'P-256'], ['X25519', '']]) {
    const gen = curve ? { name, namedCurve: curve } : { name }
    const a = (await subtle.generateKey(gen, true, ['deriveBits'])) as CryptoKeyPair
    const b = (await subtle.generateKey(gen, true, ['deriveBits'])) as CryptoKeyPair
    const raw = await subtle.importKey('raw', await subtle.exportKey('raw', b.publicKey), gen, true, [])
    print(name, hex(await subtle.deriveBits({ name, public: raw }, a.privateKey, 256)) === hex(await subtle.deriveBits({ name, public: a.publicKey }, b.privateKey, 256)))
  }
  for (const [name, params] of [['AES-GCM', { iv: new Uint8Array(12), additionalData: m }], ['AES-CBC', { iv: new Uint8Array(16) }], ['AES-CTR', { counter: new Uint8Array(16), length: 32 }]] as const) {
    const k = await subtle.importKey('raw', new Uint8Array(32).fill(7), name, true, ['encrypt', 'decrypt'])
    const c = await subtle.encrypt({ name, ...params }, k, utf8('an odd-length message!'))
    print(name, hex(c), new TextDecoder().decode(await subtle.decrypt({ name, ...params }, k, c)))
  }
  const kw = await subtle.importKey('raw', new Uint8Array(16).fill(1), 'AES-KW', false, ['wrapKey', 'unwrapKey'])
  const hmac = await subtle.importKey('raw', utf8('key'), { name: 'HMAC', hash: 'SHA-512' }, true, ['sign', 'verify'])
  const wrapped = await subtle.wrapKey('jwk', hmac, kw, 'AES-KW')
  const back = await subtle.unwrapKey('jwk', wrapped, kw, 'AES-KW', { name: 'HMAC', hash: 'SHA-512' }, true, ['sign'])
  print('AES-KW', hex(wrapped).length, hex(await subtle.sign('HMAC', back, m)) === hex(await subtle.sign('HMAC', hmac, m)))
  const hkdf = await subtle.importKey('raw', m, 'HKDF', false, ['deriveBits'])
  const pbkdf2 = await subtle.importKey('raw', m, 'PBKDF2', false, ['deriveBits'])
  print('HKDF', hex(await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-1', salt: m, info: m }, hkdf, 128)))
  print('PBKDF2', hex(await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-384', salt: m, iterations: 10 }, pbkdf2, 128)))
  for (const h of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']) print(h, hex(await subtle.digest(h, m)))
  print(await outcome(subtle.importKey('spki', new Uint8Array(300).fill(0x30), { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify'])))
  print(await outcome(subtle.importKey('pkcs8', new Uint8Array(300).fill(0x30), { name: 'RSA-PSS', hash: 'SHA-1' }, true, ['sign'])))
})()
`

test('every algorithm once, as in Node, with nothing for ASan or UBSan to report', async () => {
  const { binary } = await buildRuntime({ variant: 'sanitize', quiet: true })
  const script = await bundleScript(helpers + tour)
  try {
    const [node, runtime] = await Promise.all([
      runCommand(process.execPath, [script.file]),
      runCommand(binary, ['--script', script.file], { timeoutMs: 120_000 }),
    ])
    assert.not.match(runtime.stderr, /AddressSanitizer|UndefinedBehaviorSanitizer|runtime error:/, runtime.stderr.slice(0, 4000))
    assert.is(runtime.stdout, node.stdout, `the sanitizer build differs from Node (stderr: ${runtime.stderr.slice(0, 2000)})`)
    assert.is(runtime.code, 0)
    assert.match(node.stdout, /^RSA-OAEP tour$/m, node.stdout + node.stderr)
  } finally {
    script.dispose()
  }
})

test.run()
