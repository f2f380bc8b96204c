// node:crypto's ciphers under Node and in the runtime: AES-GCM (additional data, tags),
// CBC (padding on and off) and CTR at every key size, update() by update().
import { test } from 'uvu'
import { matchesNode } from '../../support/same-as-node.ts'

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

test('createCipheriv and createDecipheriv give what Node gives, piece by piece', async () => {
  await matchesNode(
    SHOW +
      `
    import crypto from 'node:crypto'
    // ciphers
    const key = Buffer.alloc(32, 7), iv = Buffer.alloc(12, 1)
    const c = crypto.createCipheriv('aes-256-gcm', key, iv)
    c.setAAD(Buffer.from('aad'))
    const ct = Buffer.concat([c.update('hello world, this is longer than a block', 'utf8'), c.final()])
    const tag = c.getAuthTag()
    t('gcm', () => ct.toString('hex') + ' ' + tag.toString('hex'))
    const d = crypto.createDecipheriv('aes-256-gcm', key, iv)
    d.setAAD(Buffer.from('aad')); d.setAuthTag(tag)
    t('gcm dec', () => d.update(ct, undefined, 'utf8') + d.final('utf8'))
    const d2 = crypto.createDecipheriv('aes-256-gcm', key, iv); d2.setAuthTag(Buffer.alloc(16))
    t('gcm bad tag', () => { d2.update(ct); return d2.final() })
    for (const alg of ['aes-128-cbc', 'aes-192-cbc', 'aes-256-cbc', 'aes-128-ctr', 'aes-256-ctr']) {
      const k = Buffer.alloc(parseInt(alg.slice(4, 7)) / 8, 3), v = Buffer.alloc(16, 9)
      const e = crypto.createCipheriv(alg, k, v)
      const parts = [e.update('0123456789'), e.update('abcdefghijklmnop'), e.final()]
      t(alg, () => parts.map((p) => p.toString('hex')).join('|'))
      const dd = crypto.createDecipheriv(alg, k, v)
      t(alg + ' dec', () => dd.update(Buffer.concat(parts)).toString() + dd.final().toString())
    }
    const np = crypto.createCipheriv('aes-128-cbc', Buffer.alloc(16), Buffer.alloc(16)); np.setAutoPadding(false)
    t('nopad', () => Buffer.concat([np.update(Buffer.alloc(32, 1)), np.final()]))
    t('ciphers', () => ['aes-128-gcm','aes-256-cbc','aes-192-ctr','aes128','id-aes256-GCM'].map(c => crypto.getCiphers().includes(c)).join())
    t('curves', () => ['prime256v1','secp384r1','secp521r1'].map(c => crypto.getCurves().includes(c)).join())
    for (const bits of [128, 192, 256]) {
      const e = crypto.createCipheriv(\`aes-\${bits}-gcm\`, Buffer.alloc(bits / 8, 5), Buffer.alloc(16, 2), { authTagLength: 12 })
      const out = Buffer.concat([e.update('a'), e.update(Buffer.alloc(40, 1)), e.final()])
      t('gcm ' + bits, () => out.toString('hex') + ' ' + e.getAuthTag().toString('hex'))
      const dd = crypto.createDecipheriv(\`aes-\${bits}-gcm\`, Buffer.alloc(bits / 8, 5), Buffer.alloc(16, 2), { authTagLength: 12 })
      dd.setAuthTag(e.getAuthTag())
      t('gcm dec ' + bits, () => Buffer.concat([dd.update(out), dd.final()]).toString('hex'))
    }
    const hexed = crypto.createCipheriv('aes-128-ctr', 'k'.repeat(16), 'v'.repeat(16))
    t('string key, iv and encodings', () => hexed.update('hello', 'utf8', 'hex') + hexed.final('hex'))
    const np2 = crypto.createDecipheriv('aes-128-cbc', Buffer.alloc(16), Buffer.alloc(16)); np2.setAutoPadding(false)
    t('decrypt without padding', () => Buffer.concat([np2.update(Buffer.alloc(32, 1)), np2.final()]))
  `,
  )
})

test.run()
