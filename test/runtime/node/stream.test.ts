import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { readFileSync } from 'node:fs'
import { matchesNode } from '../../support/same-as-node.ts'

// A source that can produce 12 objects, a transform, and a Writable that takes 2 ms a
// write: with highWaterMark 4 and 2 the pipeline reads ahead only as far as the buffers
// allow, and the writer never has two writes at once.
test('a pipeline with a slow Writable respects highWaterMark (backpressure), as in Node', async () => {
  const out = await matchesNode(readFileSync(new URL('../../fixtures/node/stream-backpressure.ts', import.meta.url), 'utf8'))
  assert.match(out, 'pipeline done ok maxInFlight 1')
  // Reading stops while the writer is busy: never more than the buffers hold ahead of it.
  assert.match(out, 'write returns true false false 9 true')
})

test.run()
