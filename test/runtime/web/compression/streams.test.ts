// CompressionStream and DecompressionStream, under Node and in the runtime: what one side
// compresses the other decompresses (both ways, every format), and errors, trailing bytes,
// multi-member gzip, backpressure and the classes' shape are the same.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { gunzipSync, gzipSync, deflateSync, deflateRawSync, inflateSync, inflateRawSync } from 'node:zlib'
import { lines, matchesNode, sameAsNode } from '../../../support/same-as-node.ts'
import { runInRuntime } from '../../../support/script.ts'

const sample = 'scratchfn '.repeat(5000) + Array.from({ length: 3000 }, (_, i) => String((i * 7919) % 1000)).join(',')

const helpers = `
const readAll = async (readable) => new Uint8Array(await new Response(readable).arrayBuffer())
const compress = async (format, bytes, chunk = 1000) => {
  const cs = new CompressionStream(format)
  const writer = cs.writable.getWriter()
  ;(async () => { for (let i = 0; i < bytes.length; i += chunk) await writer.write(bytes.subarray(i, i + chunk)); await writer.close() })()
  return readAll(cs.readable)
}
const decompress = async (format, bytes) => readAll(new Blob([bytes]).stream().pipeThrough(new DecompressionStream(format)))
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
const fail = (e) => [e.constructor.name, e.code, e.errno, e.message].join(' ')
`

test('what the runtime compresses, Node decompresses to the same bytes, for gzip, deflate and deflate-raw', async () => {
  const r = await runInRuntime(`
    ${helpers}
    ;(async () => {
      const text = new TextEncoder().encode(${JSON.stringify(sample)})
      for (const f of ['gzip', 'deflate', 'deflate-raw']) print(f, hex(await compress(f, text)))
    })()
  `)
  assert.is(r.code, 0, r.stderr)
  const out = Object.fromEntries(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' ')),
  )
  const inflaters = { gzip: gunzipSync, deflate: inflateSync, 'deflate-raw': inflateRawSync }
  for (const [f, inflate] of Object.entries(inflaters)) {
    const bytes = Buffer.from(out[f], 'hex')
    assert.ok(bytes.length < sample.length / 5, `${f} compresses`)
    assert.is(inflate(bytes).toString(), sample, f)
  }
  assert.is(Buffer.from(out.gzip, 'hex').subarray(0, 2).toString('hex'), '1f8b', 'a gzip header')
})

test("what Node's zlib compresses, the runtime decompresses, in chunks of any size", async () => {
  const cases = { gzip: gzipSync(sample), deflate: deflateSync(sample), 'deflate-raw': deflateRawSync(sample) }
  await sameAsNode(
    `
    ${helpers}
    ;(async () => {
      const cases = ${JSON.stringify(Object.fromEntries(Object.entries(cases).map(([k, v]) => [k, v.toString('hex')])))}
      for (const [f, h] of Object.entries(cases)) {
        const bytes = new Uint8Array(h.match(/../g).map((x) => parseInt(x, 16)))
        const whole = new TextDecoder().decode(await decompress(f, bytes))
        // One byte at a time: every state of the decoder sees a chunk boundary.
        const ds = new DecompressionStream(f)
        const w = ds.writable.getWriter()
        ;(async () => { for (let i = 0; i < bytes.length; i++) await w.write(bytes.subarray(i, i + 1)); await w.close() })()
        const bytewise = new TextDecoder().decode(await readAll(ds.readable))
        print(f, whole.length, whole === bytewise, whole.slice(0, 20))
      }
    })()
  `,
    lines(...['gzip', 'deflate', 'deflate-raw'].map((f) => `${f} ${sample.length} true scratchfn scratchfn `)),
  )
})

test('a round trip through both streams gives the input back, large and empty', async () => {
  await sameAsNode(
    `
    ${helpers}
    ;(async () => {
      const big = new Uint8Array(3 << 20)
      for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24 & (i % 7 === 0 ? 0xff : 0x0f)
      for (const f of ['gzip', 'deflate', 'deflate-raw']) {
        const back = await decompress(f, await compress(f, big, 65536))
        let same = back.length === big.length
        for (let i = 0; same && i < big.length; i++) same = back[i] === big[i]
        const empty = await decompress(f, await compress(f, new Uint8Array(0)))
        print(f, same, empty.length)
      }
    })()
  `,
    lines('gzip true 0', 'deflate true 0', 'deflate-raw true 0'),
  )
})

test("bad data, a cut stream, trailing bytes and two gzip members behave as Node's", async () => {
  const g = gzipSync('hello')
  const cat = (...parts: (Buffer | string | number[])[]) => Buffer.concat(parts.map((p) => Buffer.from(p as any))).toString('hex')
  const cases = {
    'gzip garbage after': cat(g, 'xyz'),
    'gzip zeros after': cat(g, [0, 0, 0]),
    'gzip two members': cat(g, g),
    'deflate bytes after': cat(deflateSync('hello'), 'xyz'),
    'raw bytes after': cat(deflateRawSync('hello'), 'xyz'),
    'gzip cut short': g.subarray(0, 12).toString('hex'),
    'gzip not gzip': Buffer.from('not gzip at all').toString('hex'),
    'deflate not deflate': Buffer.from('not deflate').toString('hex'),
    'gzip empty': '',
  }
  await matchesNode(`
    ${helpers}
    ;(async () => {
      const cases = ${JSON.stringify(cases)}
      for (const [name, h] of Object.entries(cases)) {
        const f = name.startsWith('raw') ? 'deflate-raw' : name.split(' ')[0]
        const bytes = new Uint8Array((h.match(/../g) || []).map((x) => parseInt(x, 16)))
        try { print(name, 'ok', new TextDecoder().decode(await decompress(f, bytes))) } catch (e) { print(name, 'error', fail(e)) }
      }
      try { new CompressionStream('br') } catch (e) { print('br', fail(e)) }
      try { new DecompressionStream() } catch (e) { print('none', fail(e)) }
      print(Object.prototype.toString.call(new DecompressionStream('gzip')), typeof CompressionStream, Object.getOwnPropertyNames(CompressionStream.prototype).join())
      const cs = new CompressionStream('gzip')
      print(cs.readable instanceof ReadableStream, cs.writable instanceof WritableStream)
    })()
  `)
})

test('decompression makes output only as it is read: a stalled reader holds the writer back', async () => {
  // 1 MB of zeros inflates from 1 KB; with nobody reading, the writes must not all complete.
  const bomb = gzipSync(Buffer.alloc(8 << 20)).toString('hex')
  const r = await runInRuntime(`
    ;(async () => {
      const bytes = new Uint8Array(${JSON.stringify(bomb)}.match(/../g).map((x) => parseInt(x, 16)))
      const ds = new DecompressionStream('gzip')
      const writer = ds.writable.getWriter()
      let written = false
      writer.write(bytes).then(() => { written = true })
      await new Promise((r) => setTimeout(r, 50))
      print('written before reading', written, 'queued', ds.readable.locked)
      const reader = ds.readable.getReader()
      let total = 0, reads = 0
      for (;;) { const { done, value } = await reader.read(); if (done) break; total += value.length; reads++; if (reads === 1) writer.close() }
      print('written after', written, 'total', total, 'chunks of at most 64 KB', reads >= total / 65536)
    })()
  `)
  assert.is(r.code, 0, r.stderr)
  assert.is(
    r.stdout,
    lines('written before reading false queued false', `written after true total ${8 << 20} chunks of at most 64 KB true`),
  )
})

test.run()
