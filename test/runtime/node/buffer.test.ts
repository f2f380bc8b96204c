import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { matchesNode } from '../../support/same-as-node.ts'

// Each line: the value as bytes, a string, or the error's name, code, message and String().
const SHOW = `
const show = (f: () => unknown) => {
  try {
    const v = f()
    print(typeof v === 'string' ? JSON.stringify(v) : v instanceof Uint8Array ? \`\${v.constructor.name}[\${Array.from(v).join(',')}]\` : String(v))
  } catch (e: any) {
    print('threw', e.name, e.code, JSON.stringify(e.message), String(e))
  }
}
`

test("Buffer is node:buffer's, global and imported, and encodes every encoding as Node does", async () => {
  const out = await matchesNode(
    SHOW +
      `
    import { Buffer as B, constants, kMaxLength } from 'node:buffer'
    print(B === Buffer, require('buffer').Buffer === Buffer, constants.MAX_LENGTH === kMaxLength)
    for (const enc of ['utf8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii', 'utf16le', 'ucs2'] as const) {
      const b = Buffer.from('héllo €😀 ~', enc === 'hex' || enc.startsWith('base64') ? 'utf8' : enc)
      show(() => b)
      show(() => b.toString(enc))
      show(() => Buffer.from(b.toString(enc), enc))
      show(() => Buffer.byteLength('héllo €😀', enc))
    }
    show(() => Buffer.from([0xef, 0xbb, 0xbf, 0x41, 0xff, 0xe2, 0x82]).toString())
    show(() => Buffer.from([0xe9, 0x41]).toString('ascii'))
    show(() => Buffer.from('héllo', 'utf16le').toString('ucs2', 1))
    show(() => Buffer.from('hello').toString('utf8', 1, 3))
    show(() => Buffer.from('hello').toString('utf8', -1, 99))
    show(() => Buffer.isEncoding('UTF-8') + ' ' + Buffer.isEncoding('utf-16le') + ' ' + Buffer.isEncoding('nope') + ' ' + Buffer.isEncoding(''))
  `,
  )
  assert.match(out, 'Buffer[104,195,169,108,108,111,32,226,130,172,240,159,152,128,32,126]')
})

test('Buffer edge cases: invalid hex, base64 without padding, lone surrogates, array-likes', async () => {
  await matchesNode(
    SHOW +
      `
    show(() => Buffer.from('abzz', 'hex'))
    show(() => Buffer.from('abc', 'hex'))
    show(() => Buffer.from('zz', 'hex'))
    show(() => Buffer.from('YWJjZA', 'base64'))
    show(() => Buffer.from('YWJjZA==', 'base64url'))
    show(() => Buffer.from('YW Jj\\n-_', 'base64'))
    show(() => Buffer.from('ab=cd', 'base64'))
    show(() => Buffer.from([1, 2, 250, 255]).toString('base64') + ' ' + Buffer.from([1, 2, 250, 255]).toString('base64url'))
    show(() => Buffer.from('\\ud800x'))
    show(() => Buffer.from('x\\udc00'))
    show(() => Buffer.from('\\ud83d'))
    show(() => Buffer.byteLength('\\ud800') + ' ' + Buffer.byteLength('aGk=', 'base64') + ' ' + Buffer.byteLength('aGk', 'base64'))
    show(() => Buffer.from('€', 'latin1'))
    show(() => Buffer.from(new Uint16Array([1, 256, 258])))
    show(() => Buffer.from(new Uint16Array([1, 256]).buffer))
    show(() => Buffer.from(new Uint8Array([1, 2, 3, 4]).buffer, 1, 2))
    show(() => Buffer.from(new ArrayBuffer(4), 5))
    show(() => Buffer.from(new ArrayBuffer(4), 1, 9))
    show(() => Buffer.from({ type: 'Buffer', data: [1, 2] } as any))
    show(() => Buffer.from({ length: 2, 0: 7, 1: 8 } as any))
    show(() => Buffer.from(new String('ab') as any))
    show(() => Buffer.of(1, 2, 300))
    show(() => Buffer.from(5 as any))
    show(() => Buffer.from('x', 'bogus'))
    show(() => Buffer.alloc(-1))
    show(() => Buffer.alloc(5, 'abc'))
    show(() => Buffer.alloc(4, 257))
    show(() => Buffer.alloc(4, 'aGk=', 'base64'))
    show(() => Buffer.alloc(3).fill('zz', 'hex'))
    show(() => Buffer.alloc(5).fill('ab', 1, 4))
    show(() => Buffer.alloc(4).fill(Buffer.from([1, 2, 3])))
  `,
  )
})

test("reads and writes check offsets and values with ERR_OUT_OF_RANGE and Node's messages", async () => {
  const out = await matchesNode(
    SHOW +
      `
    show(() => Buffer.alloc(2).readUInt8(2))
    show(() => Buffer.alloc(2).readUInt16LE(1))
    show(() => Buffer.alloc(2).readUInt8(-1))
    show(() => Buffer.alloc(2).readUInt8(1.5))
    show(() => Buffer.alloc(0).readUInt8(0))
    show(() => Buffer.alloc(2).readUInt8('1' as any))
    show(() => Buffer.alloc(4).readInt32BE(1))
    show(() => Buffer.alloc(8).readDoubleLE(1))
    show(() => Buffer.alloc(8).readBigInt64LE(1))
    show(() => Buffer.alloc(6).readIntBE(0, 7))
    show(() => Buffer.alloc(6).readUIntLE(0, 0))
    show(() => Buffer.alloc(6).readIntLE(undefined as any, 2))
    show(() => Buffer.alloc(4).writeUInt8(256))
    show(() => Buffer.alloc(4).writeInt8(-129))
    show(() => Buffer.alloc(4).writeUInt16BE(65536))
    show(() => Buffer.alloc(8).writeUInt32LE(2 ** 33))
    show(() => Buffer.alloc(8).writeInt32BE(-(2 ** 31) - 1))
    show(() => Buffer.alloc(8).writeIntLE(2 ** 47, 0, 6))
    show(() => Buffer.alloc(8).writeUIntBE(2 ** 40, 0, 5))
    show(() => Buffer.alloc(8).writeBigUInt64LE(-1n))
    show(() => Buffer.alloc(8).writeBigInt64BE(2n ** 63n))
    show(() => Buffer.alloc(8).writeUInt32LE(1, 5))
    show(() => Buffer.alloc(8).writeFloatLE(1, 5))
  `,
  )
  assert.match(out, 'threw RangeError ERR_OUT_OF_RANGE "The value of \\"offset\\" is out of range. It must be >= 0 and <= 1. Received 2"')
})

test('integers, floats and bigints round-trip in both byte orders', async () => {
  await matchesNode(
    SHOW +
      `
    const b = Buffer.alloc(16)
    for (const [w, r, v, n] of [['writeUInt8', 'readUInt8', 255], ['writeInt8', 'readInt8', -128], ['writeUInt16LE', 'readUInt16LE', 65535], ['writeInt16BE', 'readInt16BE', -2],
      ['writeUInt32BE', 'readUInt32BE', 4294967295], ['writeInt32LE', 'readInt32LE', -123456789], ['writeFloatBE', 'readFloatBE', 1.5], ['writeDoubleLE', 'readDoubleLE', Math.PI],
      ['writeUint16LE', 'readUint16LE', 513], ['writeUint32BE', 'readUint32BE', 16909060]] as const) {
      show(() => (b as any)[w](v, 1) + ' ' + (b as any)[r](1) + ' ' + b.toString('hex'))
    }
    for (const n of [1, 2, 3, 4, 5, 6]) {
      show(() => b.writeIntLE(-(2 ** (8 * n - 1)) + 3, 0, n) + ' ' + b.readIntLE(0, n) + ' ' + b.readUIntLE(0, n) + ' ' + b.readIntBE(0, n))
      show(() => b.writeUIntBE(2 ** (8 * n) - 2, 2, n) + ' ' + b.readUIntBE(2, n) + ' ' + b.readIntBE(2, n) + ' ' + b.toString('hex'))
    }
    show(() => b.writeBigInt64LE(-2n) + ' ' + b.readBigInt64LE() + ' ' + b.readBigUInt64LE() + ' ' + b.readBigInt64BE())
    show(() => b.writeBigUInt64BE(2n ** 64n - 3n, 8) + ' ' + b.readBigUInt64BE(8) + ' ' + b.readBigUint64LE(8))
    show(() => b.writeFloatLE(NaN) + ' ' + b.readFloatLE() + ' ' + b.writeDoubleBE(-0) + ' ' + Object.is(b.readDoubleBE(), -0))
  `,
  )
})

test("compare, concat, equals, copy, indexOf, slice and subarray behave as Node's", async () => {
  await matchesNode(
    SHOW +
      `
    show(() => Buffer.compare(Buffer.from('a'), Buffer.from('b')) + ' ' + Buffer.compare(Buffer.from('b'), Buffer.from('a')) + ' ' + Buffer.compare(Buffer.from('ab'), Buffer.from('a')))
    show(() => Buffer.compare('a' as any, Buffer.from('a')))
    show(() => Buffer.from('abc').equals(Buffer.from('abc')) + ' ' + Buffer.from('abc').equals(new Uint8Array([97])) + ' ' + Buffer.from('abc').compare(Buffer.from('abd')) + ' ' + Buffer.from('abcdef').compare(Buffer.from('cd'), 0, 2, 2, 4))
    show(() => Buffer.from('abc').equals('abc' as any))
    show(() => Buffer.concat([Buffer.from('a'), new Uint8Array([98])], 3))
    show(() => Buffer.concat([Buffer.from('abc'), Buffer.from('def')], 4))
    show(() => Buffer.concat([]))
    show(() => Buffer.concat([Buffer.from('a'), 'b' as any]))
    show(() => Buffer.concat('ab' as any))
    show(() => { const t = Buffer.alloc(4); return Buffer.from('abcdef').copy(t, 1, 2) + t.toString('hex') })
    show(() => { const t = Buffer.alloc(4); return Buffer.from('abcdef').copy(t, 0, 4, 99) + t.toString('hex') })
    show(() => Buffer.from('abc').copy(Buffer.alloc(2), -1))
    const h = Buffer.from('abcabc')
    show(() => [h.indexOf('c'), h.lastIndexOf('b'), h.indexOf(98), h.indexOf(98, 2), h.includes('bc', -2), h.indexOf(''), h.indexOf('', 99), h.lastIndexOf('c', -5), h.indexOf('a', 10), h.lastIndexOf('a', 10), h.indexOf(Buffer.from('ca')), h.indexOf('YWJj', 'base64'), h.indexOf('6263', 0, 'hex'), h.lastIndexOf('abc'), h.indexOf('b', -3), h.indexOf(353)].join())
    show(() => h.indexOf({} as any))
    const s = Buffer.from('hello')
    show(() => s.slice(-3))
    show(() => s.subarray(1, -1))
    show(() => s.slice(3, 1))
    show(() => s.slice('1' as any, 99))
    show(() => s.slice(1) instanceof Buffer)
    show(() => { const v = s.subarray(1, 3); v[0] = 69; return s.toString() })
    show(() => s.map((x) => x + 1))
    show(() => s.filter((x) => x > 104).constructor.name)
  `,
  )
})

test('toJSON, swap16/32/64, write() and inspect', async () => {
  await matchesNode(
    SHOW +
      `
    import { inspect } from 'node:util'
    show(() => JSON.stringify(Buffer.from('hi')) + ' ' + JSON.stringify(Buffer.alloc(0)))
    show(() => Buffer.from(JSON.parse(JSON.stringify(Buffer.from([1, 2, 3])))))
    show(() => Buffer.from([1, 2, 3, 4]).swap16())
    show(() => Buffer.from([1, 2, 3, 4]).swap32())
    show(() => Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]).swap64())
    show(() => Buffer.alloc(3).swap16())
    show(() => Buffer.alloc(6).swap32())
    show(() => { const b = Buffer.alloc(10); return b.write('héllo', 1) + ' ' + b.write('abcd', 8, 'hex') + ' ' + b.toString('hex') })
    show(() => { const b = Buffer.alloc(3); return b.write('€€') + ' ' + b.toString('hex') })
    show(() => { const b = Buffer.alloc(6); return b.write('abcdef', 2, 2, 'latin1') + ' ' + b.write('aGk=', 'base64') + ' ' + b.toString('hex') })
    show(() => { const b = Buffer.alloc(5); return b.write('xyz', 4, 'utf16le') + ' ' + b.toString('hex') })
    show(() => Buffer.alloc(2).write(5 as any))
    show(() => Buffer.alloc(2).write('a', 3))
    print(inspect(Buffer.from('hi')), inspect(Buffer.alloc(0)), inspect(Buffer.alloc(60)))
    print(inspect({ b: Buffer.from([1, 2]) }))
  `,
  )
})

test.run()
