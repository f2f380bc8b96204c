// The Intl cases run as the same script under Node 20 and in the runtime (intl.test.ts):
// each prints `name<TAB>JSON(result)`, and the runtime must print what Node prints. The
// locales are the ones the test bundles carry (en, de, ja); dates are fixed instants, the
// process time zone comes from TZ.
type Case = [name: string, run: () => unknown]
export const LOCALES = ['en', 'de', 'ja']
const D = new Date(Date.UTC(2024, 1, 29, 15, 4, 5, 123)) // a leap day, 15:04:05.123 UTC
const SUMMER = new Date(Date.UTC(2024, 6, 1, 3, 30, 0)) // DST in New York, early morning UTC
const nf = (l: string, o?: Intl.NumberFormatOptions) => new Intl.NumberFormat(l, o)
const dtf = (l: string, o?: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(l, o)
const caught = (f: () => unknown) => {
  try {
    return f()
  } catch (e) {
    return `throws ${(e as Error).constructor.name}`
  }
}

export const groups: Record<string, Case[]> = { numbers: [], dates: [], zones: [], words: [], sorting: [], methods: [] }
const add = (group: string, name: string, run: () => unknown) => groups[group].push([name, run])

for (const l of LOCALES) {
  for (const c of ['USD', 'EUR', 'JPY']) {
    add('numbers', `currency.${l}.${c}`, () => nf(l, { style: 'currency', currency: c }).format(1234567.891))
    add('numbers', `currency.${l}.${c}.negative`, () => nf(l, { style: 'currency', currency: c }).format(-42.5))
    add('numbers', `currency.${l}.${c}.name`, () => nf(l, { style: 'currency', currency: c, currencyDisplay: 'name' }).format(2))
    add('numbers', `currency.${l}.${c}.code`, () => nf(l, { style: 'currency', currency: c, currencyDisplay: 'code' }).format(1))
    add('numbers', `currency.${l}.${c}.accounting`, () => nf(l, { style: 'currency', currency: c, currencySign: 'accounting' }).format(-5))
  }
  add('numbers', `decimal.${l}`, () => nf(l).format(1234567.891))
  add('numbers', `decimal.${l}.small`, () => nf(l).format(0.000123456))
  add('numbers', `decimal.${l}.big`, () => nf(l).format(1e21))
  add('numbers', `decimal.${l}.specials`, () => [NaN, Infinity, -Infinity, -0].map((x) => nf(l).format(x)).join('|'))
  add('numbers', `decimal.${l}.minimumFractionDigits`, () => nf(l, { minimumFractionDigits: 2 }).format(5))
  add('numbers', `decimal.${l}.significant`, () => nf(l, { maximumSignificantDigits: 3 }).format(123456))
  add('numbers', `decimal.${l}.bigint`, () => nf(l).format(123456789012345678901234567890n))
  add('numbers', `decimal.${l}.signDisplay`, () => nf(l, { signDisplay: 'always' }).format(3))
  add('numbers', `percent.${l}`, () => nf(l, { style: 'percent' }).format(0.256))
  add('numbers', `percent.${l}.fraction`, () => nf(l, { style: 'percent', maximumFractionDigits: 1 }).format(0.25678))
  for (const unitDisplay of ['long', 'short', 'narrow'] as const)
    add('numbers', `unit.${l}.kmh.${unitDisplay}`, () =>
      [1, 50].map((x) => nf(l, { style: 'unit', unit: 'kilometer-per-hour', unitDisplay }).format(x)).join('|'),
    )
  add('numbers', `unit.${l}.celsius`, () => nf(l, { style: 'unit', unit: 'celsius' }).format(21.5))
  add('numbers', `unit.${l}.liter.long`, () => nf(l, { style: 'unit', unit: 'liter', unitDisplay: 'long' }).format(2))
  for (const compactDisplay of ['short', 'long'] as const)
    add('numbers', `compact.${l}.${compactDisplay}`, () =>
      [999, 1234, 15300, 1234567, 5e9].map((x) => nf(l, { notation: 'compact', compactDisplay }).format(x)).join('|'),
    )
  add('numbers', `scientific.${l}`, () => nf(l, { notation: 'scientific' }).format(123456))
  add('numbers', `engineering.${l}`, () => nf(l, { notation: 'engineering' }).format(123456))
  add('numbers', `parts.${l}`, () => JSON.stringify(nf(l, { style: 'currency', currency: 'EUR' }).formatToParts(-1234.5)))
  add('numbers', `resolvedOptions.${l}`, () => JSON.stringify(nf(l, { style: 'currency', currency: 'EUR' }).resolvedOptions()))
}
add('numbers', 'supportedLocalesOf', () => Intl.NumberFormat.supportedLocalesOf(['de-AT', 'xx', 'ja-JP']).join(','))
add('numbers', 'roundingMode', () => nf('en', { maximumFractionDigits: 0, roundingMode: 'floor' } as Intl.NumberFormatOptions).format(2.7))
add('numbers', 'narrowSymbol', () => nf('en', { style: 'currency', currency: 'GBP', currencyDisplay: 'narrowSymbol' }).format(9.99))
add('numbers', 'compact.ja.big', () => nf('ja', { notation: 'compact' }).format(123456789))
add('numbers', 'formatRange', () => caught(() => (nf('en', { style: 'currency', currency: 'USD' }) as any).formatRange(3, 5)))
add('numbers', 'defaultLocale', () => nf(undefined as unknown as string).resolvedOptions().locale)
add('numbers', 'missingCurrency', () => caught(() => nf('en', { style: 'currency' })))

for (const l of LOCALES) {
  for (const tz of ['UTC', 'America/New_York', 'Asia/Tokyo']) {
    for (const s of ['full', 'long', 'medium', 'short'] as const)
      add('dates', `style.${l}.${tz}.${s}`, () => dtf(l, { dateStyle: s, timeStyle: s, timeZone: tz }).format(D))
    add('dates', `components.${l}.${tz}`, () =>
      dtf(l, {
        weekday: 'long',
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        second: '2-digit',
        timeZoneName: 'short',
        timeZone: tz,
      }).format(D),
    )
    add('dates', `components2.${l}.${tz}`, () =>
      dtf(l, { year: '2-digit', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: tz }).format(
        SUMMER,
      ),
    )
    add('dates', `default.${l}.${tz}`, () => dtf(l, { timeZone: tz }).format(D))
    add('dates', `timeZoneName.${l}.${tz}`, () => dtf(l, { timeZoneName: 'long', timeZone: tz }).format(SUMMER))
  }
  add('dates', `parts.${l}`, () =>
    JSON.stringify(dtf(l, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'America/New_York' }).formatToParts(D)),
  )
  add('dates', `range.${l}`, () => dtf(l, { dateStyle: 'medium', timeZone: 'UTC' }).formatRange(D, SUMMER))
  add('dates', `resolvedOptions.${l}`, () => JSON.stringify(dtf(l, { timeZone: 'Asia/Tokyo' }).resolvedOptions()))
  add('dates', `noOptions.${l}`, () => dtf(l).format(D))
  add('dates', `fractionalSeconds.${l}`, () =>
    dtf(l, { minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, timeZone: 'UTC' }).format(D),
  )
}
add('dates', 'hour12false.en', () => dtf('en', { hour: 'numeric', minute: 'numeric', hour12: false, timeZone: 'UTC' }).format(D))
add('dates', 'hour12true.de', () => dtf('de', { hour: 'numeric', minute: 'numeric', hour12: true, timeZone: 'UTC' }).format(D))
add('dates', 'era.ja', () => dtf('ja', { era: 'long', year: 'numeric', timeZone: 'UTC' }).format(D))
add('dates', 'weekday.narrow.de', () => dtf('de', { weekday: 'narrow', timeZone: 'UTC' }).format(D))
add('dates', 'month.long.ja', () => dtf('ja', { month: 'long', timeZone: 'UTC' }).format(D))
add('dates', 'shortOffset.de.NY', () =>
  dtf('de', { timeZoneName: 'shortOffset', hour: 'numeric', timeZone: 'America/New_York' }).format(SUMMER),
)
add('dates', 'defaultLocale', () => dtf(undefined as unknown as string).resolvedOptions().locale)

add('zones', 'default', () => dtf('en').resolvedOptions().timeZone)
add('zones', 'invalid', () => caught(() => dtf('en', { timeZone: 'Mars/Olympus' })))
add('zones', 'link', () => dtf('en', { timeZone: 'US/Eastern', timeStyle: 'long' }).format(D))
for (const tz of ['Etc/UTC', 'GMT', 'Etc/GMT', 'utc', 'america/new_york', 'US/Eastern'])
  add('zones', `alias.${tz}`, () =>
    caught(() => {
      const f = dtf('en', { timeZone: tz, timeStyle: 'long' })
      return `${f.resolvedOptions().timeZone}|${f.format(D)}`
    }),
  )

for (const l of LOCALES) {
  add('words', `plural.cardinal.${l}`, () => [0, 1, 2, 5, 1.5, 21].map((n) => new Intl.PluralRules(l).select(n)).join(','))
  add('words', `plural.ordinal.${l}`, () =>
    [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101].map((n) => new Intl.PluralRules(l, { type: 'ordinal' }).select(n)).join(','),
  )
  add('words', `plural.categories.${l}`, () => new Intl.PluralRules(l).resolvedOptions().pluralCategories.join(','))
  for (const style of ['long', 'short', 'narrow'] as const)
    add('words', `relative.${l}.${style}`, () => {
      const f = new Intl.RelativeTimeFormat(l, { style })
      return [f.format(-1, 'day'), f.format(3, 'month'), f.format(-2, 'year'), f.format(1.5, 'hour'), f.format(0, 'second')].join('|')
    })
  add('words', `relative.${l}.auto`, () => {
    const f = new Intl.RelativeTimeFormat(l, { numeric: 'auto' })
    return [f.format(-1, 'day'), f.format(1, 'day'), f.format(0, 'year'), f.format(-1, 'week'), f.format(2, 'day')].join('|')
  })
  add('words', `relative.${l}.parts`, () => JSON.stringify(new Intl.RelativeTimeFormat(l).formatToParts(1234.5, 'minute')))
  for (const type of ['conjunction', 'disjunction', 'unit'] as const)
    for (const style of ['long', 'short', 'narrow'] as const)
      add('words', `list.${l}.${type}.${style}`, () => new Intl.ListFormat(l, { type, style }).format(['A', 'B', 'C']))
  add('words', `list.${l}.two`, () => new Intl.ListFormat(l).format(['A', 'B']))
}
add('words', 'getCanonicalLocales', () => Intl.getCanonicalLocales(['EN-us', 'de-de', 'zh-hant-tw', 'iw']).join(','))
for (const key of ['calendar', 'collation', 'numberingSystem', 'timeZone', 'unit'] as const)
  add('words', `supportedValuesOf.${key}`, () => Intl.supportedValuesOf(key).join(','))
add('words', 'supportedValuesOf.unknown', () => caught(() => Intl.supportedValuesOf('colour' as 'unit')))
add('words', 'toStringTag', () => `${Object.prototype.toString.call(Intl)} ${Object.prototype.toString.call(new Intl.NumberFormat())}`)

const WORDS = ['Z', 'a', 'z', 'ä', 'e', 'é', 'b']
add('sorting', 'localeCompare.default', () => [...WORDS].sort((a, b) => a.localeCompare(b)).join(','))
for (const l of ['en', 'de', 'sv']) {
  add('sorting', `localeCompare.${l}`, () => [...WORDS].sort((a, b) => a.localeCompare(b, l)).join(','))
  add('sorting', `collator.${l}`, () => [...WORDS].sort(new Intl.Collator(l).compare).join(','))
}
add('sorting', 'base', () => ['a', 'ä', 'A'].map((x) => new Intl.Collator('de', { sensitivity: 'base' }).compare('a', x)).join(','))
add('sorting', 'accent', () => ['a', 'ä', 'A'].map((x) => new Intl.Collator('de', { sensitivity: 'accent' }).compare('a', x)).join(','))
add('sorting', 'numeric', () => ['10', '9', '2', '1'].sort(new Intl.Collator('en', { numeric: true }).compare).join(','))
add('sorting', 'caseFirst', () => ['a', 'A', 'b', 'B'].sort(new Intl.Collator('en', { caseFirst: 'upper' }).compare).join(','))
add('sorting', 'mixed', () =>
  ['résumé', 'resume', 'Resume', 'rèsume', 'apple', 'Äpfel', 'zebra', 'Zürich', 'ñandu', 'nube', 'co-op', 'coop', 'ß', 'ss']
    .sort(new Intl.Collator('en').compare)
    .join(','),
)
add('sorting', 'names.de', () =>
  ['Müller', 'Mueller', 'Muller', 'Möller', 'Moller', 'Schäfer', 'Schafer', 'Zoë', 'Zoe', 'Ärger', 'Arger']
    .sort(new Intl.Collator('de').compare)
    .join(','),
)
add('sorting', 'values', () =>
  [
    ['a', 'b'],
    ['b', 'a'],
    ['a', 'a'],
    ['a', 'A'],
    ['ä', 'a'],
  ]
    .map(([x, y]) => x.localeCompare(y))
    .join(','),
)
add('sorting', 'resolvedOptions', () => JSON.stringify(new Intl.Collator('de').resolvedOptions()))

add('methods', 'toLocaleDateString.en-US.UTC', () => D.toLocaleDateString('en-US', { timeZone: 'UTC' }))
add('methods', 'toLocaleDateString.en-US', () => D.toLocaleDateString('en-US'))
add('methods', 'toLocaleString', () => D.toLocaleString())
add('methods', 'toLocaleString.de-DE', () => D.toLocaleString('de-DE'))
add('methods', 'toLocaleString.ja-JP', () => D.toLocaleString('ja-JP'))
add('methods', 'toLocaleTimeString.en', () => D.toLocaleTimeString('en'))
add('methods', 'toLocaleTimeString.de.NY', () => D.toLocaleTimeString('de', { timeZone: 'America/New_York' }))
add('methods', 'toLocaleDateString.ja.Tokyo', () => D.toLocaleDateString('ja', { dateStyle: 'long', timeZone: 'Asia/Tokyo' }))
add('methods', 'toLocaleString.invalidDate', () => new Date(NaN).toLocaleString('en'))
add('methods', 'toLocaleString.badZone', () => caught(() => D.toLocaleString('en', { timeZone: 'Mars/Olympus' })))
add('methods', 'number.de-DE', () => (1234567.891).toLocaleString('de-DE'))
add('methods', 'number.default', () => (1234567.891).toLocaleString())
add('methods', 'number.ja-JP.JPY', () => (1234.5).toLocaleString('ja-JP', { style: 'currency', currency: 'JPY' }))
add('methods', 'number.en-US.USD', () => (1234.5).toLocaleString('en-US', { style: 'currency', currency: 'USD' }))
add('methods', 'bigint.de', () => 12345678901234567890n.toLocaleString('de'))
add('methods', 'array.de', () => [1234.5, 7, D].toLocaleString('de', { timeZone: 'UTC' }))
add('methods', 'typedArray.de', () => new Float64Array([1234.5, 0.25]).toLocaleString('de'))
add('methods', 'upper.tr', () => 'istanbul ılık'.toLocaleUpperCase('tr'))
add('methods', 'lower.tr', () => 'İSTANBUL IŞIK'.toLocaleLowerCase('tr'))
add('methods', 'upper.default', () => 'istanbul straße'.toLocaleUpperCase())
add('methods', 'upper.de', () => 'straße'.toLocaleUpperCase('de'))
add('methods', 'lower.lt', () => 'Ì'.toLocaleLowerCase('lt'))

/** Prints every case of the group as `name<TAB>JSON(result)`. */
export function run(group: string, print: (line: string) => void): void {
  for (const [name, f] of groups[group]) {
    let out: unknown
    try {
      out = f()
    } catch (e) {
      out = `THROWS ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`
    }
    print(`${name}\t${JSON.stringify(out)}`)
  }
}
