// Intl in the image against Node 20: the same script (cases.ts: numbers, dates, zones,
// plural rules, relative times, lists, sorting and the toLocale* methods in en, de and ja)
// prints the same lines under Node and in the runtime, in three process time zones. Where
// the runtime still differs (README, Known gaps), the test pins both answers.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { join } from 'node:path'
import { buildBoth } from '../../support/function-build.ts'
import { repoRoot } from '../../support/paths.ts'
import { startRuntime, startServer } from '../../support/process.ts'
import { runBoth } from '../../support/script.ts'
import { groups } from './cases.ts'

const test = suite('runtime/intl: formatting as Node 20 does')
const locales = ['en', 'de', 'ja']
const everything = `import { groups, run } from './test/runtime/intl/cases.ts'\nfor (const g of Object.keys(groups)) run(g, print)\n`

async function sameAsNode(source: string, tz: string, locales: string[]) {
  const { node, runtime } = await runBoth(source, { locales, env: { TZ: tz, LANG: 'C' }, timeoutMs: 60_000 })
  assert.is(node.code, 0, node.stderr)
  assert.is(runtime.code, 0, runtime.stderr)
  const expected = node.stdout.split('\n')
  const got = runtime.stdout.split('\n')
  const differing = expected.flatMap((line, i) => (line === got[i] ? [] : [`node:    ${line}\nruntime: ${got[i]}`]))
  assert.equal(differing, [], `${differing.length} of ${expected.length - 1} lines differ`)
  return expected.length - 1
}

for (const tz of ['UTC', 'America/New_York', 'Asia/Tokyo']) {
  test(`every case prints as on Node with TZ=${tz}`, async () => {
    const cases = await sameAsNode(everything, tz, locales)
    assert.is(cases, Object.values(groups).flat().length)
  })
}

test("toLocaleDateString('en-US') is 2/29/2024, Number#toLocaleString('de-DE') groups with dots", async () => {
  const { runtime } = await runBoth(
    "const d = new Date(Date.UTC(2024, 1, 29, 12))\nprint(d.toLocaleDateString('en-US'))\nprint((1234567.891).toLocaleString('de-DE'))\n",
    { locales: ['en', 'de'], env: { TZ: 'UTC' } },
  )
  assert.is(runtime.stdout, '2/29/2024\n1.234.567,891\n', runtime.stderr)
})

test('regional tags named in the locales format with their own data (de-CH, en-IN)', async () => {
  await sameAsNode(
    `print(new Intl.NumberFormat('de-CH', { style: 'currency', currency: 'CHF' }).format(1234.5))
print(new Intl.NumberFormat('en-IN').format(12345678.9))
print(new Date(Date.UTC(2024, 1, 29)).toLocaleDateString('de-CH', { timeZone: 'UTC' }))\n`,
    'UTC',
    ['en', 'de', 'de-CH', 'en-IN'],
  )
})

// README, Known gaps: each line is [what, Node 20's answer, the runtime's].
const GAPS: Array<[string, string, string]> = [
  ["new Intl.DateTimeFormat('de', { hour: 'numeric', dayPeriod: 'long', timeZone: 'UTC' }).format(D)", '15 Uhr', '15 Uhr nachmittags'],
  ["new Intl.DateTimeFormat('ja', { hour: 'numeric', dayPeriod: 'long', timeZone: 'UTC' }).format(D)", '15時', '昼15時'],
  ["new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { year: 'numeric', era: 'long', timeZone: 'UTC' }).format(D)", '令和6年', '西暦2024年'],
  ["new Intl.DateTimeFormat('en', { timeZone: 'Asia/Calcutta' }).resolvedOptions().timeZone", 'Asia/Calcutta', 'Asia/Kolkata'],
  ["new Intl.DateTimeFormat('en', { timeZone: '+05:30', timeStyle: 'long' }).format(D)", 'throws RangeError', '8:34:05 PM GMT+5:30'],
  ["Intl.supportedValuesOf('currency').length", '162', '153'],
  ["new Intl.NumberFormat('de-CH', { style: 'currency', currency: 'CHF' }).format(1234.5)", "CHF\u00a01'234.50", '1.234,50\u00a0CHF'],
  ["['ア', 'あ', 'カ', 'か', '漢', 'ー'].sort(new Intl.Collator('ja').compare).join()", 'ー,ア,あ,カ,か,漢', 'あ,ア,か,カ,ー,漢'],
  ['typeof Intl.Segmenter + typeof Intl.DisplayNames + typeof Intl.Locale', 'functionfunctionfunction', 'undefinedundefinedundefined'],
]

test('the known gaps answer as the README says, in the runtime and in Node', async () => {
  const source =
    'const D = new Date(Date.UTC(2024, 1, 29, 15, 4, 5))\n' +
    GAPS.map(([what]) => `try { print(String(${what})) } catch (e) { print('throws ' + (e as Error).name) }`).join('\n') +
    '\n'
  const { node, runtime } = await runBoth(source, { locales, env: { TZ: 'UTC' } })
  assert.equal(
    node.stdout.split('\n').slice(0, -1),
    GAPS.map((g) => g[1]),
    'Node 20',
  )
  assert.equal(
    runtime.stdout.split('\n').slice(0, -1),
    GAPS.map((g) => g[2]),
    `the runtime (${runtime.stderr})`,
  )
})

test('a time zone the bundle has no data for throws a RangeError naming the fix, instead of printing UTC', async () => {
  const { runtime } = await runBoth(
    "try { print(new Date(0).toLocaleString('en')) } catch (e) { print((e as Error).name + ': ' + (e as Error).message) }\n",
    { locales, env: { TZ: 'America/Chicago' } },
  )
  assert.match(
    runtime.stdout,
    /^RangeError: time zone data for America\/Chicago is not in this function's bundle: name the zone in a string literal/,
  )
})

test('a function formats its answers as under Node, for en, de and ja, with TZ=America/New_York', async () => {
  const built = await buildBoth(join(repoRoot, 'test/fixtures/intl/invoice.ts'), 'intl-invoice')
  const env = { TZ: 'America/New_York', LANG: 'C', SCRATCHFN_ACCESS_LOG: '0' }
  const [node, runtime] = await Promise.all([
    startServer({ command: process.execPath, args: [built.nodeBundle], env }),
    startRuntime(built.bin, env),
  ])
  try {
    for (const path of ['/intl-invoice/en', '/intl-invoice/de?items=1', '/intl-invoice/ja?items=21']) {
      const [expected, got] = await Promise.all([node, runtime].map(async (s) => (await fetch(s.url + path)).text()))
      assert.is(got, expected, path)
    }
  } finally {
    await Promise.all([node.stop(), runtime.stop()])
  }
})

test.run()
