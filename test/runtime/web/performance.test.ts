import { test } from 'uvu'
import { lines, sameAsNode } from '../../support/same-as-node.ts'

test('performance.now() counts milliseconds from process start, monotonically, on the same clock as timeOrigin', async () => {
  await sameAsNode(
    `
    const a = performance.now()
    const start = Date.now()
    while (Date.now() - start < 5) {}
    const b = performance.now()
    print(typeof a, a >= 0, a < 2000, b > a, b - a >= 4)
    print(Math.abs(performance.timeOrigin + performance.now() - Date.now()) < 50, typeof performance.toJSON().timeOrigin)
  `,
    lines('number true true true true', 'true number'),
  )
})

test.run()
