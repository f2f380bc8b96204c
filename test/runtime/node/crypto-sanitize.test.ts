// node:crypto's own C (runtime/core/crypto-*.c: hash and cipher states, scrypt, PKCS#1 and
// SEC1 keys, EC keys from a private scalar) once each, in the runtime built with
// AddressSanitizer and UndefinedBehaviorSanitizer: the same answers as Node, no report.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { buildRuntime } from '../../../scripts/runtime/build-runtime.ts'
import { bundleScript, runCommand } from '../../support/script.ts'

const tour = `
import crypto from 'node:crypto'
const hex = (b: ArrayBuffer | Uint8Array) => Buffer.from(b as ArrayBuffer).toString('hex')
const fail = (f: () => unknown) => { try { f(); return 'no error' } catch (e: any) { return e.code ?? e.message } }
for (const h of ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512']) {
  const a = crypto.createHash(h).update('x'.repeat(1000))
  const b = a.copy().update('y')
  print(h, a.digest('hex'), b.digest('base64'), crypto.createHmac(h, 'k'.repeat(300)).update('m').digest('hex'), fail(() => a.update('z')))
}
print('scrypt', hex(crypto.scryptSync('pw', 'salt', 48, { N: 256, r: 3, p: 2 })))
for (const [type, opts] of [['rsa', { modulusLength: 1024 }], ['ec', { namedCurve: 'secp521r1' }]] as const) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync(type as 'rsa', opts as { modulusLength: number })
  const privTypes = type === 'rsa' ? ['pkcs1', 'pkcs8'] : ['sec1', 'pkcs8']
  for (const t of privTypes) {
    const der = privateKey.export({ type: t as 'pkcs8', format: 'der' })
    // Truncated: OpenSSL names its reasons by format; that it fails is what counts here.
    print(type, t, crypto.createPrivateKey({ key: der, format: 'der', type: t as 'pkcs8' }).equals(privateKey), fail(() => crypto.createPrivateKey({ key: der.subarray(0, 40), format: 'der', type: t as 'pkcs8' })) !== 'no error')
  }
  for (const t of type === 'rsa' ? ['pkcs1', 'spki'] : ['spki']) {
    const der = publicKey.export({ type: t as 'spki', format: 'der' })
    print(type, t, crypto.createPublicKey({ key: der, format: 'der', type: t as 'spki' }).equals(publicKey))
  }
  print(type, 'wrong format', fail(() => crypto.createPrivateKey({ key: privateKey.export({ type: 'pkcs8', format: 'der' }), format: 'der', type: type === 'rsa' ? 'sec1' : 'pkcs1' })))
}
const ecdh = crypto.createECDH('secp384r1')
ecdh.setPrivateKey(Buffer.alloc(48, 3))
print('ecdh', ecdh.getPublicKey('hex'), fail(() => ecdh.setPrivateKey(Buffer.alloc(48, 0))))
for (const alg of ['aes-128-gcm', 'aes-192-cbc', 'aes-256-ctr']) {
  const key = Buffer.alloc(Number(alg.slice(4, 7)) / 8, 1)
  const iv = Buffer.alloc(alg.endsWith('gcm') ? 12 : 16, 2)
  const c = crypto.createCipheriv(alg, key, iv)
  if (alg.endsWith('gcm')) c.setAAD(Buffer.from('aad'))
  const ct = Buffer.concat([c.update(Buffer.alloc(33, 4)), c.update(Buffer.alloc(0)), c.final()])
  const tag = alg.endsWith('gcm') ? (c as crypto.CipherGCM).getAuthTag() : undefined
  const d = crypto.createDecipheriv(alg, key, iv)
  if (tag) ((d as crypto.DecipherGCM).setAAD(Buffer.from('aad')), (d as crypto.DecipherGCM).setAuthTag(tag))
  print(alg, ct.toString('hex'), tag ? hex(tag) : '', Buffer.concat([d.update(ct), d.final()]).toString('hex') === Buffer.alloc(33, 4).toString('hex'))
  const bad = crypto.createDecipheriv(alg, key, iv)
  if (tag) (bad as crypto.DecipherGCM).setAuthTag(Buffer.alloc(16))
  print(alg, 'tampered', fail(() => (bad.update(ct.subarray(0, 31)), bad.final())))
}
`

test('node:crypto once through its C, as in Node, with nothing for ASan or UBSan to report', async () => {
  const { binary } = await buildRuntime({ variant: 'sanitize', quiet: true })
  const [script, nodeScript] = await Promise.all([bundleScript(tour), bundleScript(tour, { forNode: true })])
  try {
    const [node, runtime] = await Promise.all([
      runCommand(process.execPath, [nodeScript.file]),
      runCommand(binary, ['--script', script.file], { timeoutMs: 120_000 }),
    ])
    assert.not.match(runtime.stderr, /AddressSanitizer|UndefinedBehaviorSanitizer|runtime error:/, runtime.stderr.slice(0, 4000))
    assert.is(runtime.stdout, node.stdout, `the sanitizer build differs from Node (stderr: ${runtime.stderr.slice(0, 2000)})`)
    assert.is(runtime.code, 0)
    assert.match(node.stdout, /^aes-256-ctr tampered /m, node.stdout + node.stderr)
  } finally {
    script.dispose()
    nodeScript.dispose()
  }
})

test.run()
