import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { lines, matchesNode, sameAsNode } from '../../support/same-as-node.ts'
import { runInRuntime } from '../../support/script.ts'

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

test("TextDecoder knows the standard's labels for utf-8, utf-16le, utf-16be and windows-1252", async () => {
  await matchesNode(`
    for (const label of ['utf8', 'UTF-16', 'utf-16le', 'ucs-2', 'unicode', 'utf-16be', 'unicodefffe', 'latin1', 'iso-8859-1', 'ascii', 'us-ascii', 'windows-1252', 'cp1252', ' L1 '])
      print(label, new TextDecoder(label).encoding)
    try { new TextDecoder('klingon') } catch (e: any) { print(e.constructor.name, e.code, e.message) }
  `)
})

test('UTF-16 decodes both byte orders with BOM handling, fatal errors and streaming', async () => {
  await matchesNode(`
    const le = new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x3d, 0xd8, 0x00, 0xde, 0xac, 0x20])
    const be = new Uint8Array([0xfe, 0xff, 0x00, 0x61, 0xd8, 0x3d, 0xde, 0x00, 0x20, 0xac])
    print(JSON.stringify(new TextDecoder('utf-16le').decode(le)), JSON.stringify(new TextDecoder('utf-16be').decode(be)))
    print(JSON.stringify(new TextDecoder('utf-16le', { ignoreBOM: true }).decode(le)))
    print(JSON.stringify(new TextDecoder('utf-16le').decode(new Uint8Array([0x00, 0xd8, 0x61, 0x00, 0x00, 0xdc, 0x62]))))
    try { new TextDecoder('utf-16le', { fatal: true }).decode(new Uint8Array([0x00, 0xd8])); print('decoded') } catch (e: any) { print(e.constructor.name) }
    try { new TextDecoder('utf-16be', { fatal: true }).decode(new Uint8Array([0x00])); print('decoded') } catch (e: any) { print(e.constructor.name) }
    const d = new TextDecoder('utf-16le')
    let out = ''
    for (let i = 0; i < le.length; i++) out += d.decode(le.subarray(i, i + 1), { stream: true })
    out += d.decode()
    print(JSON.stringify(out), JSON.stringify(d.decode(new Uint8Array([0xff, 0xfe, 0x62, 0x00]))))
    const odd = new TextDecoder('utf-16le')
    print(JSON.stringify(odd.decode(new Uint8Array([0x61]), { stream: true })), JSON.stringify(odd.decode()))
  `)
})

test('windows-1252 (latin1, ascii) decodes as Node does outside 0x80-0x9F', async () => {
  await matchesNode(`
    const bytes = new Uint8Array(224).map((_, i) => (i < 128 ? i : i + 32))
    for (const label of ['windows-1252', 'latin1', 'ascii']) print(label, JSON.stringify(new TextDecoder(label).decode(bytes)))
  `)
})

// Node 20 decodes these as C1 controls (U+0080-U+009F), the Encoding standard as below.
test('windows-1252 decodes 0x80-0x9F as the Encoding standard says (0x80 is the euro sign)', async () => {
  const run = await runInRuntime(`
    const d = new TextDecoder('iso-8859-1')
    print([...d.decode(new Uint8Array(32).map((_, i) => 0x80 + i))].map((c) => c.codePointAt(0)!.toString(16)).join(' '))
  `)
  assert.is(
    run.stdout,
    '20ac 81 201a 192 201e 2026 2020 2021 2c6 2030 160 2039 152 8d 17d 8f 90 2018 2019 201c 201d 2022 2013 2014 2dc 2122 161 203a 153 9d 17e 178\n',
  )
})

test.run()
