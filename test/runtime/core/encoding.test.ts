// UTF-8 and Latin-1 in the core, checked against Node's TextEncoder/TextDecoder on the
// edge cases: lone surrogates, every kind of malformed sequence, BOMs, small buffers.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fixture, runRuntime } from './helpers.ts'

const units = (s: string) => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i))

const strings = [
  '',
  'abc',
  'é',
  '€',
  '😀',
  '\ud800',
  '\udc00',
  'a\ud800b',
  '\ud83d\ude00\ud83d',
  '\udc00\ud800',
  'x\u0000y',
  '\uffff\ufeff',
]
const encodeInto: Array<[string, number]> = []
for (const s of ['a€😀', '\ud800z', 'ab']) for (let size = 0; size <= 9; size++) encodeInto.push([s, size])
const malformed = [
  [],
  [0xef, 0xbb, 0xbf, 0x61],
  [0xef, 0xbb, 0xbf],
  [0xef, 0xbb],
  [0xc3],
  [0xc3, 0x28],
  [0xe2, 0x82],
  [0xe2, 0x82, 0x28],
  [0xf0, 0x9f, 0x98],
  [0xf0, 0x9f, 0x98, 0x80],
  [0xed, 0xa0, 0x80],
  [0xed, 0x9f, 0xbf],
  [0xc0, 0xaf],
  [0xc1, 0xbf],
  [0xe0, 0x80, 0xaf],
  [0xe0, 0xa0, 0x80],
  [0xf0, 0x80, 0x80, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf4, 0x8f, 0xbf, 0xbf],
  [0xf5, 0x80],
  [0xff],
  [0xfe, 0xff],
  [0x80, 0x80],
  [0x61, 0xf1, 0x80, 0x62],
  [0xf1, 0x80, 0x80],
  [0xe1, 0x80, 0xe1, 0x80, 0x80],
]
const decode: Array<[number[], boolean, boolean]> = []
for (const bytes of malformed)
  for (const fatal of [false, true]) for (const ignoreBOM of [false, true]) decode.push([bytes, fatal, ignoreBOM])
const latin1 = [[], [0x41, 0x00, 0x7f], [0x80, 0xe9, 0xff, 0x41]]

test('encodes and decodes exactly as the WHATWG Encoding standard says (as Node does)', async () => {
  const cases = { encode: strings.map(units), encodeInto: encodeInto.map(([s, n]) => [units(s), n]), decode, latin1 }
  const r = await runRuntime(['--script', fixture('encoding.js'), JSON.stringify(cases)])
  assert.is(r.code, 0, r.stderr)
  const out = JSON.parse(r.stdout)

  strings.forEach((s, i) => assert.equal(out.encode[i], Array.from(new TextEncoder().encode(s)), `encode ${JSON.stringify(s)}`))

  encodeInto.forEach(([s, size], i) => {
    const dest = new Uint8Array(size)
    const { read, written } = new TextEncoder().encodeInto(s, dest)
    assert.equal(out.encodeInto[i], [read, written, Array.from(dest.subarray(0, written))], `encodeInto ${JSON.stringify(s)} into ${size}`)
  })

  decode.forEach(([bytes, fatal, ignoreBOM], i) => {
    let expected: number[] | { error: string }
    try {
      expected = units(new TextDecoder('utf-8', { fatal, ignoreBOM }).decode(new Uint8Array(bytes)))
    } catch {
      expected = { error: 'TypeError' }
    }
    assert.equal(out.decode[i], expected, `decode [${bytes.map((b) => b.toString(16))}] fatal=${fatal} ignoreBOM=${ignoreBOM}`)
  })

  assert.equal(out.decodeView, units('é'))
  latin1.forEach((bytes, i) => assert.equal(out.latin1[i], units(Buffer.from(bytes).toString('latin1'))))
})

test.run()
