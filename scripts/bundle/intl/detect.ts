// What Intl a bundle uses, read from the bundled output (so uses inside dependencies count,
// and TypeScript is already gone). Strings and comments are not told apart from code: a
// false positive costs only size, a miss would cost correctness.

/** A part of Intl the bundle can carry; entry.ts orders them and adds what each needs. */
export type IntlFeature =
  | 'getcanonicallocales'
  | 'pluralrules'
  | 'numberformat'
  | 'datetimeformat'
  | 'relativetimeformat'
  | 'listformat'
  | 'supportedvaluesof'
  | 'collator'
  | 'stringcase'
  | 'arraylocale'

const BY_NAME: Record<string, IntlFeature> = {
  getCanonicalLocales: 'getcanonicallocales',
  PluralRules: 'pluralrules',
  NumberFormat: 'numberformat',
  DateTimeFormat: 'datetimeformat',
  RelativeTimeFormat: 'relativetimeformat',
  ListFormat: 'listformat',
  supportedValuesOf: 'supportedvaluesof',
  Collator: 'collator',
}
const EVERYTHING: IntlFeature[] = [...Object.values(BY_NAME), 'stringcase', 'arraylocale']

export function detectIntl(code: string): IntlFeature[] {
  const found = new Set<IntlFeature>()
  for (const m of code.matchAll(/\bIntl\b(?:\s*\.\s*([A-Za-z_$][\w$]*)|\s*\[\s*(["'`])(\w+)\2\s*\])?/g)) {
    const name = m[1] ?? m[3]
    if (name && BY_NAME[name]) found.add(BY_NAME[name])
    // Intl as a value (`const { NumberFormat } = Intl`, `Intl[x]`): it may reach anything.
    else if (name === undefined) EVERYTHING.forEach((f) => found.add(f))
  }
  const method = (name: string) => new RegExp(`\\.\\s*${name}\\b|\\[\\s*["'\`]${name}["'\`]\\s*\\]`).test(code)
  // The receiver is unknown: a number, a date or an array.
  if (method('toLocaleString')) ['numberformat', 'datetimeformat', 'arraylocale'].forEach((f) => found.add(f as IntlFeature))
  if (method('toLocaleDateString') || method('toLocaleTimeString')) found.add('datetimeformat')
  if (method('localeCompare')) found.add('collator')
  if (method('toLocaleUpperCase') || method('toLocaleLowerCase')) found.add('stringcase')
  return [...found]
}

/**
 * The zones the bundle names in string literals ('Europe/Berlin'), out of `known`; 'all' when
 * a timeZone option takes anything but a string literal (`{ timeZone: tz }`), so the zone is
 * only known when it runs. Reading `.timeZone` (resolvedOptions) needs no data of its own.
 */
export function detectTimeZones(code: string, known: ReadonlySet<string>): { zones: string[]; dynamic: boolean } {
  const named = new Set<string>()
  for (const m of code.matchAll(/["'`]([A-Za-z][A-Za-z_+-]*(?:\/[A-Za-z0-9_+-]+){0,2})["'`]/g)) {
    if (known.has(m[1]) && !isUtc(m[1])) named.add(m[1])
  }
  const dynamic = /(?<![.\w$])timeZone\b(?!\s*:\s*["'`])/.test(code)
  return { zones: [...named].sort(), dynamic }
}

/** UTC by any of its names: the polyfill has it built in, no data needed. */
export function isUtc(zone: string): boolean {
  return /^(Etc\/)?(UTC|GMT|UCT|Universal|Zulu|Greenwich|GMT0|GMT[+-]0)$/i.test(zone)
}
