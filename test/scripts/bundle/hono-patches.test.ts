// The patch to Hono's Context and HonoRequest (scripts/bundle/hono-patches.ts): it applies to
// the Hono this project installs, function bundles carry it, what it does not recognise it
// leaves alone, and a Hono app behaves in the runtime (patched) as under Node (not patched).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { patchContext, patchHonoFile, patchMatcher, patchRequest, patchUrl } from '../../../scripts/bundle/hono-patches.ts'
import { repoRoot } from '../../support/paths.ts'
import { lines, sameAsNode } from '../../support/same-as-node.ts'
import { bundleFunction } from '../../../scripts/bundle/bundle.ts'

const test = suite('scripts/bundle/hono-patches.ts: Hono without closures per request')
const honoDist = join(dirname(createRequire(join(repoRoot, 'package.json')).resolve('hono')), '.')
const read = (file: string) => readFileSync(join(honoDist, file), 'utf8')

const HELPERS = ['render', 'setLayout', 'getLayout', 'setRenderer', 'header', 'status', 'set', 'get']
const RESPONSES = ['newResponse', 'body', 'text', 'json', 'html', 'redirect', 'notFound']

test("the installed Hono's Context: every arrow-function field becomes an accessor", () => {
  const r = patchHonoFile(join(honoDist, 'context.js'), read('context.js'))
  assert.ok(r, 'context.js is patched')
  assert.equal(r!.fields.sort(), [...HELPERS, ...RESPONSES].sort())
  assert.not.match(r!.source, /^\tjson = \(/m)
  assert.match(r!.source, /^\tget json\(\) \{ return \(object, arg, headers\) => \{$/m)
  assert.match(r!.source, /\t\tif \(arg === undefined && headers === undefined && this\.#status === undefined && !this\.#res && !this\.#preparedHeaders\) return createResponseInstance\(text, /)
  assert.match(r!.source, /^\tenv;$/m)
  assert.match(r!.source, /^\t\tthis\.#rawRequest = req;\n\t\tif \(!options\) this\.env = \{\};\n\t\tif \(options\) \{$/m)
})

test("the Context's env: {} without options, options.env with them, in the same key order", async () => {
  await sameAsNode(
    `
    import { Context } from 'hono'
    const req = new Request('http://x/')
    const bare = new Context(req)
    const given = new Context(req, { env: { A: '1' } })
    const none = new Context(req, { env: undefined } as any)
    print(JSON.stringify(bare.env), JSON.stringify(given.env), String(none.env), bare.env === new Context(req).env)
    // (The helpers made accessors are not own keys in the image: only the fields are compared.)
    print(Object.keys(bare).slice(0, 3).join(), Object.keys(given).slice(0, 3).join())
    `,
    lines('{} {"A":"1"} undefined false', 'env,finalized,error env,finalized,error'),
  )
})

test("the installed Hono's HonoRequest: #cachedBody becomes a private method", () => {
  const r = patchHonoFile(join(honoDist, 'request.js'), read('request.js'))
  assert.ok(r, 'request.js is patched')
  assert.equal(r!.fields, ['#cachedBody'])
  assert.match(r!.source, /^\t#cachedBody\(key\) \{$/m)
})

test("the installed Hono's RegExpRouter matches with exec", () => {
  const r = patchHonoFile(join(honoDist, 'router/reg-exp-router/matcher.js'), read('router/reg-exp-router/matcher.js'))
  assert.ok(r, 'matcher.js is patched')
  assert.match(r!.source, /const match = matcher\[0\]\.exec\(path\);/)
  assert.equal(patchMatcher('const match = other(path);').fields, [])
})

test("the installed Hono's getPath starts its loop at the first '%', '?' or '#'", () => {
  const r = patchHonoFile(join(honoDist, 'utils/url.js'), read('utils/url.js'))
  assert.ok(r, 'url.js is patched')
  assert.match(r!.source, /\tat = url\.indexOf\("#", start\);\n\tif \(at !== -1 && at < i\) i = at;\n\tfor \(; i < url\.length; i\+\+\) \{/)
  assert.equal(patchUrl('const getPath = (r) => r.url;').fields, [])
})

test('fields it does not recognise stay fields; text without the class, or that would not parse, is left alone', () => {
  const src = [
    'var Context = class {',
    '\tenv = {};',
    '\tweird = (a = f()) => a;',
    '\tplain = (x) => x + 1;',
    '\tmulti = (y) => {',
    '\t\treturn y;',
    '\t};',
    '};',
    '',
  ].join('\n')
  const r = patchContext(src)
  assert.equal(r.fields, ['plain', 'multi'])
  assert.match(r.source, /\tenv = \{\};\n\tweird = \(a = f\(\)\) => a;\n\tget plain\(\) \{ return \(x\) => x \+ 1; \}/)
  assert.equal(patchContext('var Other = class {\n\tx = () => 1;\n};').fields, [])
  assert.equal(patchRequest('var HonoRequest = class {\n\t#a = (k) => {\n\t\treturn k;\n\t};\n};').fields, ['#a'])
  assert.is(patchHonoFile('/x/hono/dist/context.js', 'var Context = class {\n\tx = (a) => {\n};'), null)
})

test('a function bundle carries the patched Context', async () => {
  const outDir = join(repoRoot, '.scratchfn/test/hono-patches')
  const built = await bundleFunction({ root: repoRoot, name: 'hello', file: join(repoRoot, 'functions/hello.ts'), outDir })
  assert.match(built.js, /get json\(\)\{return\(/)
  assert.not.match(built.js, /\bjson=\(/)
})

test('Context behaves as unpatched: each helper, destructured helpers, helpers replaced by middleware', async () => {
  await sameAsNode(
    `
    import { Hono } from 'hono'
    const app = new Hono()
    app.use('/mw/*', async (c, next) => {
      const original = c.json
      c.json = (o, ...rest) => original({ wrapped: o }, ...rest)
      c.set('who', 'mw')
      await next()
      c.header('x-after', '1')
    })
    app.get('/mw/x', (c) => c.json({ v: c.get('who'), all: c.var }))
    app.get('/d', ({ json, req }) => json({ path: req.path }, 201))
    app.get('/j/plain', (c) => c.json({ a: [1, 'x'] }))
    app.get('/j/status', (c) => { c.status(418); return c.json({ s: 1 }) })
    app.get('/j/header', (c) => { c.header('x-h', '1'); return c.json({ h: 1 }) })
    app.get('/j/headers', (c) => c.json({ hs: 1 }, 200, { 'X-Hs': 'v', 'Content-Type': 'application/vnd+json' }))
    app.get('/j/init', (c) => c.json({ i: 1 }, { status: 201, headers: { 'x-i': '2' } }))
    app.get('/j/res', (c) => { c.res = new Response('old', { headers: { 'x-old': '1' } }); return c.json({ r: 1 }) })
    app.get('/j/tojson', (c) => c.json({ toJSON() { c.header('x-late', 'yes'); return { late: true } } }))
    app.get('/j/undefined', (c) => c.json(undefined))
    app.get('/p/:id{[0-9]+}/:name', (c) => c.json({ params: c.req.param(), id: c.req.param('id') }))
    app.get('/p/*', (c) => c.text('star ' + c.req.path))
    app.get('/t', (c) => { c.status(202); c.header('x-a', 'b'); return c.text('hi') })
    app.get('/h', (c) => c.html('<b>x</b>'))
    app.get('/b', (c) => c.body('raw', 203, { 'x-b': 'c' }))
    app.get('/n', (c) => c.newResponse(null, 204))
    app.get('/r', (c) => c.redirect('/elsewhere', 301))
    app.get('/nf', (c) => c.notFound())
    app.get('/render', (c) => { c.setLayout((x) => x); c.setRenderer((content) => c.html('<main>' + content + '</main>')); return c.render('page', { title: String(typeof c.getLayout()) }) })
    app.post('/body', async (c) => c.json({ text: await c.req.text(), again: await c.req.text(), json: await c.req.json() }))
    ;(async () => { for (const [method, path, body] of [['GET', '/mw/x'], ['GET', '/d'], ['GET', '/d?x=%41#h'], ['GET', '/j/plain'], ['GET', '/j/status'], ['GET', '/j/header'], ['GET', '/j/headers'], ['GET', '/j/init'], ['GET', '/j/res'], ['GET', '/j/tojson'], ['GET', '/j/undefined'], ['GET', '/p/42/ann%20b'], ['GET', '/p/%34%32/x?y'], ['GET', '/p/x/y'], ['GET', '/t'], ['GET', '/h'], ['GET', '/b'], ['GET', '/n'], ['GET', '/r'], ['GET', '/nf'], ['GET', '/render'], ['POST', '/body', '{"a":1}']]) {
      const res = await app.request(path, { method, body })
      const headers = [...res.headers].filter(([k]) => k !== 'date').map(([k, v]) => k + '=' + v).join(';')
      print(method, path, res.status, headers, await res.text())
    } })()
    `,
    lines(
      'GET /mw/x 200 content-type=application/json;x-after=1 {"wrapped":{"v":"mw","all":{"who":"mw"}}}',
      'GET /d 201 content-type=application/json {"path":"/d"}',
      'GET /d?x=%41#h 201 content-type=application/json {"path":"/d"}',
      'GET /j/plain 200 content-type=application/json {"a":[1,"x"]}',
      'GET /j/status 418 content-type=application/json {"s":1}',
      'GET /j/header 200 content-type=application/json;x-h=1 {"h":1}',
      'GET /j/headers 200 content-type=application/vnd+json;x-hs=v {"hs":1}',
      'GET /j/init 201 content-type=application/json;x-i=2 {"i":1}',
      'GET /j/res 200 content-type=application/json;x-old=1 {"r":1}',
      'GET /j/tojson 200 content-type=application/json;x-late=yes {"late":true}',
      'GET /j/undefined 200 content-type=application/json ',
      'GET /p/42/ann%20b 200 content-type=application/json {"params":{"name":"ann b","id":"42"},"id":"42"}',
      'GET /p/%34%32/x?y 200 content-type=application/json {"params":{"name":"x","id":"42"},"id":"42"}',
      'GET /p/x/y 200 content-type=text/plain;charset=UTF-8 star /p/x/y',
      'GET /t 202 content-type=text/plain; charset=UTF-8;x-a=b hi',
      'GET /h 200 content-type=text/html; charset=UTF-8 <b>x</b>',
      'GET /b 203 content-type=text/plain;charset=UTF-8;x-b=c raw',
      'GET /n 204  ',
      'GET /r 301 location=/elsewhere ',
      'GET /nf 404 content-type=text/plain; charset=UTF-8 404 Not Found',
      'GET /render 200 content-type=text/html; charset=UTF-8 <main>page</main>',
      'POST /body 200 content-type=application/json {"text":"{\\"a\\":1}","again":"{\\"a\\":1}","json":{"a":1}}',
    ),
  )
})

test.run()
