// What Intl a function's bundle carries (scripts/bundle/intl-plugin.ts): nothing for a
// function that uses none, the data of config.locales only, the zones it names, all zones
// for a computed one (with a note), and a build error at its place for a locale there is
// no data for.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { bundleFunction, type BundleResult } from '../../../scripts/bundle/bundle.ts'
import { repoRoot } from '../../support/paths.ts'

const test = suite('scripts/bundle/intl-plugin.ts: Intl only where it is used')
let n = 0

async function bundle(source: string): Promise<BundleResult> {
  const root = join(repoRoot, '.scratchfn/test', `intl-bundle-${process.pid}-${++n}`)
  rmSync(root, { recursive: true, force: true })
  mkdirSync(join(root, 'functions'), { recursive: true })
  writeFileSync(join(root, 'functions/fn.ts'), source)
  try {
    return await bundleFunction({ root, name: 'fn', file: join(root, 'functions/fn.ts'), outDir: join(root, '.scratchfn/out') })
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

const fn = (body: string, config = '') => `import { Hono } from 'hono'\nconst app = new Hono()\n${body}\nexport default app\n${config}`
const inputs = (b: BundleResult) => Object.keys(b.metafile.inputs)
const localeData = (b: BundleResult) =>
  inputs(b)
    .map((f) => /intl-(\w+)\/locale-data\/([\w-]+)\.js$/.exec(f))
    .filter((m) => m !== null)
    .map((m) => `${m![1]}/${m![2]}`)
    .sort()

test('a function that uses no Intl gets none of it (the examples keep their sizes: size-baseline.json)', async () => {
  const source = fn("app.get('/', (c) => c.json({ n: 1234.5, at: new Date(0).toISOString() }))")
  const out = await bundle(source)
  assert.equal(
    inputs(out).filter((f) => /formatjs|runtime\/intl|scratchfn-intl/.test(f)),
    [],
  )
  assert.equal(out.notes, [])
  assert.not.match(out.js, /__addLocaleData|getCanonicalLocales|localeCompare/)
})

test("Intl.NumberFormat with locales ['en', 'de'] carries the en and de data of NumberFormat and PluralRules, nothing else", async () => {
  const out = await bundle(
    fn(
      "const f = new Intl.NumberFormat('de', { style: 'currency', currency: 'EUR' })\napp.get('/', (c) => c.text(f.format(1)))",
      "export const config = { locales: ['en', 'de'] }\n",
    ),
  )
  assert.equal(localeData(out), ['numberformat/de', 'numberformat/en', 'pluralrules/de', 'pluralrules/en'])
  assert.not.ok(
    inputs(out).some((f) => /intl-datetimeformat|time-zones|add-all-tz/.test(f)),
    'no DateTimeFormat, no zones',
  )
  assert.match(out.js, /Andorranische Pesete/, 'de currency names')
  assert.not.match(out.js, /アンドラ/, 'no ja data')
})

test('locales default to en', async () => {
  const out = await bundle(fn("app.get('/', (c) => c.text(new Intl.PluralRules().select(1)))"))
  assert.equal(localeData(out), ['pluralrules/en'])
})

test("a timeZone: 'Europe/Berlin' literal brings that zone's data and no other", async () => {
  const out = await bundle(fn("app.get('/', (c) => c.text(new Date().toLocaleString('en', { timeZone: 'Europe/Berlin' })))"))
  assert.ok(inputs(out).includes('scratchfn-intl:time-zones'))
  assert.not.ok(inputs(out).some((f) => f.endsWith('add-all-tz.js')))
  assert.match(out.js, /Europe\/Berlin\|/)
  assert.not.match(out.js, /America\/New_York\||Asia\/Tokyo\|/)
  assert.equal(out.notes, [])
})

test('config.env.TZ brings its zone; UTC alone brings none', async () => {
  const withTz = await bundle(
    fn("app.get('/', (c) => c.text(new Date().toLocaleString()))", "export const config = { env: { TZ: 'Asia/Tokyo' } }\n"),
  )
  assert.match(withTz.js, /Asia\/Tokyo\|/)
  const utc = await bundle(fn("app.get('/', (c) => c.text(new Date().toLocaleString('en', { timeZone: 'UTC' })))"))
  assert.not.ok(inputs(utc).some((f) => /time-zones|add-all-tz/.test(f)))
})

test('a computed timeZone brings every zone, and the build says so in a note', async () => {
  const out = await bundle(fn("app.get('/', (c) => c.text(new Date().toLocaleString('en', { timeZone: c.req.query('tz') })))"))
  assert.ok(inputs(out).some((f) => f.endsWith('@formatjs/intl-datetimeformat/add-all-tz.js')))
  assert.is(out.notes.length, 1)
  assert.match(
    out.notes[0],
    /^functions\/fn\.ts: note: a timeZone option takes a computed value, so the data of all \d+ time zones goes into the bundle/,
  )
})

test('localeCompare alone brings the collator, no FormatJS', async () => {
  const out = await bundle(fn("app.get('/', (c) => c.text(['b', 'a'].sort((x, y) => x.localeCompare(y)).join()))"))
  assert.ok(inputs(out).some((f) => f.endsWith('runtime/intl/collator.ts')))
  assert.not.ok(inputs(out).some((f) => f.includes('@formatjs')))
})

test('a locale without data fails the build at its place, listing the ones there are', async () => {
  const err = await bundle(fn('', "export const config = {\n  locales: ['en', 'xx'],\n}\n")).then(
    () => 'it built',
    (e: Error) => e.message,
  )
  assert.match(err, /^functions\/fn\.ts:6:19: error: config\.locales: there is no locale data for 'xx'\n  available: af, af-NA, /)
  assert.match(err, / de, de-AT, de-BE, de-CH,/)
})

test('a locale tag is written canonically, once', async () => {
  const fail = (locales: string) =>
    bundle(fn('', `export const config = { locales: ${locales} }\n`)).then(
      () => '',
      (e: Error) => e.message,
    )
  assert.match(await fail("['de-de']"), /config\.locales: write "de-de" as 'de-DE'/)
  assert.match(await fail("['de', 'de']"), /config\.locales names 'de' twice/)
  assert.match(await fail('[]'), /config\.locales must be a list of locale tags such as \['en', 'de'\], got \[\]/)
  assert.match(await fail("['not a tag']"), /"not a tag" is not a locale tag/)
})

test.run()
