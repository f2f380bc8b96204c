// The route bench/etag.ts measures: a 4 KB JSON answer behind hono/etag, which hashes
// every body with crypto.subtle.digest('SHA-1') to make its ETag.
import { Hono } from 'hono'
import { etag } from 'hono/etag'

const app = new Hono()
const items = Array.from({ length: 40 }, (_, i) => ({ id: 10000 + i, name: `item-${i}`, tags: ['a', 'b', 'c'], price: i * 1.25 }))
app.use('*', etag())
app.get('/items', (c) => c.json({ items }))

export default app
