import { test } from 'uvu'
import { lines, sameAsNode } from '../../support/same-as-node.ts'

test('TextEncoder writes UTF-8, replacing lone surrogates', async () => {
  await sameAsNode(
    `
    const e = new TextEncoder()
    print(e.encoding, e.encode('a\u00e9\u20ac\ud83d\ude00').join(), e.encode().length, e.encode('\ud800x').join())
    const dest = new Uint8Array(5)
    const r = e.encodeInto('ab\u20acc', dest)
    print(r.read, r.written, dest.join())
    print(JSON.stringify(e.encodeInto('\ud83d\ude00', new Uint8Array(3))))
  `,
    lines('utf-8 97,195,169,226,130,172,240,159,152,128 0 239,191,189,120', '3 5 97,98,226,130,172', '{"read":0,"written":0}'),
  )
})

test('TextDecoder decodes UTF-8, strips one BOM unless told not to, and replaces bad bytes', async () => {
  await sameAsNode(
    `
    const d = new TextDecoder()
    print(d.encoding, d.fatal, d.ignoreBOM)
    print(JSON.stringify(d.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 104, 105]))))
    print(JSON.stringify(new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array([0xef, 0xbb, 0xbf, 104]))))
    print(JSON.stringify(d.decode(new Uint8Array([104, 0xff, 0xc3]))), JSON.stringify(d.decode()))
    print(new TextDecoder(' UTF8 ').encoding, d.decode(new Uint16Array([0x6968])), d.decode(new DataView(new Uint8Array([120, 121]).buffer, 1)))
    try { new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])); print('decoded') } catch (e) { print(e.constructor.name) }
    try { new TextDecoder('klingon'); print('accepted') } catch (e) { print(e.constructor.name) }
  `,
    lines('utf-8 false false', '"\ufeffhi"', '"\ufeffh"', '"h\ufffd\ufffd" ""', 'utf-8 hi y', 'TypeError', 'RangeError'),
  )
})

test('TextDecoder with stream: true joins characters split across chunks', async () => {
  await sameAsNode(
    `
    const d = new TextDecoder()
    const bytes = new TextEncoder().encode('\ufeffa\u20ac\ud83d\ude00b')
    let out = ''
    for (let i = 0; i < bytes.length; i++) out += d.decode(bytes.subarray(i, i + 1), { stream: true })
    out += d.decode()
    print(JSON.stringify(out))
    const e = new TextDecoder()
    print(JSON.stringify(e.decode(new Uint8Array([0xe2, 0x82]), { stream: true })), JSON.stringify(e.decode()))
    print(JSON.stringify(e.decode(new Uint8Array([0xef, 0xbb, 0xbf, 120]))))
  `,
    lines('"a\u20ac\ud83d\ude00b"', '"" "\ufffd"', '"x"'),
  )
})

test.run()
