// Real npm packages that need Node's built-ins, under Node and in the runtime.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { matchesNode } from '../../support/same-as-node.ts'

test('qs (object-inspect reaches util.inspect) parses and stringifies nested queries', async () => {
  await matchesNode(`
    import qs from 'qs'
    print(qs.stringify({ a: { b: [1, 2] }, c: 'x y' }), JSON.stringify(qs.parse('a[b][0]=1&a[b][1]=2&c=x%20y&d[e]=f')))
  `)
})

// bcryptjs takes node:crypto's randomBytes when require('crypto') answers, as on Node
// (Web Crypto is its fallback), so its salts come from the same source either way.
test('bcryptjs hashes and verifies, drawing its salts from node:crypto\'s randomBytes', async () => {
  const out = await matchesNode(`
    import crypto from 'node:crypto'
    import bcrypt from 'bcryptjs'
    let calls = 0
    const randomBytes = crypto.randomBytes
    crypto.randomBytes = ((n: number) => (calls++, randomBytes(n))) as typeof crypto.randomBytes
    const salt = bcrypt.genSaltSync(4)
    print('randomBytes calls', calls)
    const hash = bcrypt.hashSync('secret', salt)
    print(hash.length, hash.slice(0, 7), bcrypt.compareSync('secret', hash), bcrypt.compareSync('wrong', hash))
    print(bcrypt.hashSync('secret', '$2a$04$Mbg6cbvY9lkbVK2SVEUY5O'))
  `)
  assert.match(out, 'randomBytes calls 1')
  assert.match(out, '60 $2a$04$ true false')
})

test('node-cache, an EventEmitter-based SDK, emits its events and keeps stats', async () => {
  await matchesNode(`
    import NodeCache from 'node-cache'
    const cache = new NodeCache({ stdTTL: 100, checkperiod: 1 })
    cache.on('set', (k: string, v: unknown) => print('set event', k, JSON.stringify(v)))
    cache.on('del', (k: string) => print('del event', k))
    cache.on('expired', (k: string) => print('expired event', k))
    cache.set('a', { n: 1 }); cache.set('b', 2); cache.set('short', 1, 0.001)
    print(JSON.stringify(cache.get('a')), cache.keys().join(), cache.del('a'), JSON.stringify(cache.getStats()), cache instanceof require('events'))
    setTimeout(() => { print('after ttl', cache.get('short')); cache.close() }, 20)
  `)
})

// handlebars' main build registers a require() hook with fs; its package.json's browser
// field points Web-API bundlers at dist/cjs/handlebars.js, which the bundle follows.
test('handlebars compiles and renders templates', async () => {
  await matchesNode(`
    import Handlebars from 'handlebars'
    Handlebars.registerHelper('upper', (s: string) => s.toUpperCase())
    const t = Handlebars.compile('Hello {{name}}! {{#each items}}[{{upper this}}]{{/each}} {{{raw}}}')
    print(t({ name: '<b>World</b>', items: ['a', 'b'], raw: '<i>x</i>' }))
  `)
})

test.run()
