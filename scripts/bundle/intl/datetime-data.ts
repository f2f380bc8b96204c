// Build-time fixes to @formatjs/intl-datetimeformat's locale data, so a bundle formats dates
// as Node 20 does. They run in Node when the bundle is made; the bundle only carries the
// fixed data.
//
// 1. Long and full date styles join date and time with CLDR's "atTime" pattern ("{1} 'at'
//    {0}", de "{1} 'um' {0}"), which FormatJS's data generator leaves out. No npm package
//    carries it short of cldr-dates-full (100 MB), so it is read from the build machine's
//    Node (its ICU has every locale's CLDR data); a locale Node lacks keeps FormatJS's.
// 2. Skeleton keys built from a localized date pattern ("y年M月d日 Hms") parse to the same
//    fields as a plain skeleton ("yMd Hms"), and the first one wins the tie: ja would print
//    2024年2月29日 where Node prints 2024/2/29. Such keys are dropped.
// 3. A zone name with date fields only ({ timeZoneName: 'long' }) has no skeleton, so the
//    best fit took one with an hour; date + zone entries are added, as ICU has them.
// 4. Without formatRange in the bundle, its interval patterns (45% of the data) go.
import { readFileSync } from 'node:fs'

interface DateTimeDataOptions {
  /** Keep the interval patterns (the bundle calls formatRange or formatRangeToParts). */
  intervals: boolean
}

interface LocaleData {
  locale: string
  data: {
    dateTimeFormat: Record<'full' | 'long' | 'medium' | 'short', string>
    formats: Record<string, Record<string, string>>
    intervalFormats?: Record<string, unknown>
  }
}

const TIME_FIELDS = /[hHkKmsaBbzvVOXx]/

/** Node's "{1} … {0}" pattern of a date style with a time, or undefined when Node cannot tell. */
function nodeDateTimePattern(locale: string, style: 'full' | 'long'): string | undefined {
  if (!Intl.DateTimeFormat.supportedLocalesOf(locale).length) return undefined
  const at = new Date(Date.UTC(2024, 1, 29, 15, 4, 5))
  const f = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { ...o, timeZone: 'UTC' }).format(at)
  const both = f({ dateStyle: style, timeStyle: 'short' })
  const date = f({ dateStyle: style })
  const time = f({ timeStyle: 'short' })
  const d = both.indexOf(date)
  const t = both.indexOf(time)
  if (d < 0 || t < 0) return undefined
  const pattern = d < t ? `{1}${both.slice(d + date.length, t)}{0}` : `{0}${both.slice(t + time.length, d)}{1}`
  if (pattern.length !== both.length - date.length - time.length + 6) return undefined
  // Letters in a CLDR pattern are fields; literal words are quoted.
  return pattern.replace(/[A-Za-z\u00c0-\uffff]+/g, (word) => `'${word}'`)
}

function fixDateTimeData(d: LocaleData, options: DateTimeDataOptions): LocaleData {
  const data = d.data
  const formats = data.formats.gregory
  const separator = data.dateTimeFormat.medium.replace('{1}', '').replace('{0}', '')
  const atTime: Partial<Record<'full' | 'long', string>> = {}
  for (const style of ['full', 'long'] as const) {
    const pattern = nodeDateTimePattern(d.locale, style)
    if (pattern) atTime[style] = data.dateTimeFormat[style] = pattern
  }
  // The connector a date part with a long month takes (ICU's choice for skeletons).
  const connector = (dateKey: string) =>
    (/MMMM|LLLL/.test(dateKey) ? atTime[/EEEE/.test(dateKey) ? 'full' : 'long'] : undefined) ?? data.dateTimeFormat.medium

  for (const key of Object.keys(formats)) {
    for (let i = key.indexOf(separator); i > 0; i = key.indexOf(separator, i + 1)) {
      const dateKey = key.slice(0, i)
      const timeKey = key.slice(i + separator.length)
      if (formats[dateKey] === undefined || formats[timeKey] === undefined) continue
      if (TIME_FIELDS.test(dateKey.replace(/'[^']*'/g, '')) || !/^[hHkKB]/.test(timeKey)) continue
      if (/MMMM|LLLL/.test(dateKey)) formats[key] = connector(dateKey).replace('{1}', formats[dateKey]).replace('{0}', formats[timeKey])
      break
    }
  }

  const fields = (key: string) => (key.replace(/'[^']*'/g, '').match(/([A-Za-z])\1*/g) ?? []).sort().join('.')
  const plain = new Set(
    Object.keys(formats)
      .filter((k) => /^[A-Za-z]+([ ,]+[A-Za-z]+)*$/.test(k))
      .map(fields),
  )
  for (const key of Object.keys(formats)) {
    const time = key.search(TIME_FIELDS)
    const datePart = time < 0 ? key : key.slice(0, time)
    if (/[^A-Za-z ,]/.test(datePart) && plain.has(fields(key))) delete formats[key]
  }

  for (const dateKey of Object.keys(formats)) {
    if (!/^[A-Za-z]+$/.test(dateKey) || TIME_FIELDS.test(dateKey)) continue
    for (const zone of ['z', 'zzzz', 'O', 'OOOO', 'v', 'vvvv']) {
      const key = dateKey + separator + zone
      formats[key] ??= connector(dateKey).replace('{1}', formats[dateKey]).replace('{0}', zone)
    }
  }

  if (!options.intervals && data.intervalFormats) {
    const fallback = data.intervalFormats.intervalFormatFallback
    data.intervalFormats = fallback ? { intervalFormatFallback: fallback } : {}
  }
  return d
}

/** A locale-data file of the package with its data fixed. */
export function fixedDateTimeLocaleFile(file: string, options: DateTimeDataOptions): string {
  const source = readFileSync(file, 'utf8')
  const m = /JSON\.parse\(("(?:[^"\\]|\\.)*")\)/s.exec(source)
  if (!m) throw new Error(`intl: ${file} no longer holds its data as JSON.parse("..."); update scripts/bundle/intl/datetime-data.ts`)
  const fixed = fixDateTimeData(JSON.parse(JSON.parse(m[1])) as LocaleData, options)
  return source.slice(0, m.index) + `JSON.parse(${JSON.stringify(JSON.stringify(fixed))})` + source.slice(m.index + m[0].length)
}
