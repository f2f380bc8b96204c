// Redis clients on node:net against a real redis-server: ioredis and node-redis doing
// SET/GET/INCR under concurrency, the same script under Node and in the runtime.
import { test } from 'uvu'
import { startRedis, type Redis } from '../../support/redis.ts'
import { matchesNode } from '../../support/same-as-node.ts'

let redis: Redis
let n = 0
test.before(async () => {
  redis = await startRedis()
})
test.after(async () => {
  await redis?.destroy()
})

// Each run (Node's and the runtime's, in parallel) gets its own keys.
const script = (body: string) => `
import Redis from 'ioredis'
import { createClient } from 'redis'
const url = process.env.REDIS_URL!
const ns = process.env.NS + ':' + (typeof (globalThis as any).__core === 'object' ? 'rt' : 'node')
;(async () => {
${body}
})().catch((e) => { print('FAILED', e.stack); process.exit(1) })`

test('ioredis: SET, GET, INCR from 100 concurrent commands, a MULTI, and quit', async () => {
  await matchesNode(
    script(`
    const r = new Redis(url)
    print(await r.set(ns + ':k', 'v1'), await r.get(ns + ':k'))
    const counts = await Promise.all(Array.from({ length: 100 }, () => r.incr(ns + ':n')))
    print('max', Math.max(...counts), 'distinct', new Set(counts).size)
    print(JSON.stringify(await r.multi().set(ns + ':a', '1').incrby(ns + ':a', 41).get(ns + ':a').exec()))
    print(await r.quit())`),
    { env: { REDIS_URL: redis.url, NS: `io${++n}` } },
  )
})

test('node-redis: SET, GET, INCR from 100 concurrent commands on one connection, and a second client', async () => {
  await matchesNode(
    script(`
    const c = createClient({ url })
    c.on('error', (e: Error) => print('error', e.message))
    await c.connect()
    print(await c.set(ns + ':k', 'v2'), await c.get(ns + ':k'))
    const counts = await Promise.all(Array.from({ length: 100 }, () => c.incr(ns + ':n')))
    print('max', Math.max(...counts), 'distinct', new Set(counts).size)
    const d = c.duplicate()
    await d.connect()
    print('second client sees', await d.get(ns + ':n'))
    await d.quit()
    await c.quit()
    print('quit')`),
    { env: { REDIS_URL: redis.url, NS: `nr${++n}` } },
  )
})

test.run()
