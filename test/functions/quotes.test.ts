// The quotes function under Node with app.request().
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import app from '../../functions/quotes.ts'

const test = suite('functions/quotes.ts')

test('GET /random answers a quote and the instance that served it', async () => {
  const res = await app.request('/random')
  assert.is(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', 'application/json')
  const body = await res.json()
  assert.equal(Object.keys(body).sort(), ['author', 'instance', 'text'])
  assert.ok(body.text.length > 0 && body.author.length > 0)
  assert.ok(body.instance.length > 0)
  // One process is one instance.
  assert.is((await (await app.request('/random')).json()).instance, body.instance)
})

test('GET /random picks among the quotes', async () => {
  const texts = new Set<string>()
  for (let i = 0; i < 50; i++) texts.add((await (await app.request('/random')).json()).text)
  assert.ok(texts.size > 1)
})

test('GET / lists every quote', async () => {
  const body = await (await app.request('/')).json()
  assert.is(body.count, body.items.length)
  assert.ok(body.count >= 5)
})

test('an unknown path answers 404', async () => {
  assert.is((await app.request('/nope/nope')).status, 404)
})

test.run()
