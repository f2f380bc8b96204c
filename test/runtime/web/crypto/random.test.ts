// crypto.getRandomValues and randomUUID against Node.
import { test } from 'uvu'
import { lines, sameAsNode } from '../../../support/same-as-node.ts'

test('randomUUID gives distinct v4 UUIDs; getRandomValues fills integer arrays up to 65536 bytes', async () => {
  await sameAsNode(
    `
    const uuids = new Set(Array.from({ length: 200 }, () => crypto.randomUUID()))
    print(uuids.size, [...uuids].every((u) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(u)))
    const a = new Uint32Array(64)
    print(crypto.getRandomValues(a) === a, a.some((x) => x !== 0), crypto.getRandomValues(new Uint8Array(65536)).length)
    for (const bad of [new Float32Array(1), new Uint8Array(65537), new DataView(new ArrayBuffer(2))]) {
      try { crypto.getRandomValues(bad); print('accepted') } catch (e) { print(e.name, e.code, e.message) }
    }
  `,
    lines(
      '200 true',
      'true true 65536',
      'TypeMismatchError 17 The data argument must be an integer-type TypedArray',
      'QuotaExceededError 22 The requested length exceeds 65,536 bytes',
      'TypeMismatchError 17 The data argument must be an integer-type TypedArray',
    ),
  )
})

test.run()
