// The defaults Node takes from its host, set once the polyfills are loaded: the locale is
// en-US (FormatJS would take the first locale loaded, 'en'), and the time zone is $TZ (a
// zone name such as 'Europe/Berlin'), else UTC. A zone whose data the build left out is kept
// as the default anyway, so that formatting with it throws a RangeError naming it instead of
// silently printing UTC.
type Polyfilled = { __defaultLocale?: string; __defaultTimeZone?: string; __setDefaultTimeZone?: (tz: string) => void }
const intl = Intl as unknown as Record<string, Polyfilled | undefined>

for (const name of ['NumberFormat', 'DateTimeFormat', 'PluralRules', 'RelativeTimeFormat', 'ListFormat']) {
  const ctor = intl[name]
  if (ctor && '__defaultLocale' in ctor) ctor.__defaultLocale = 'en-US'
}

const dtf = intl.DateTimeFormat
const tz = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.TZ
if (dtf?.__setDefaultTimeZone && tz && !/^(Etc\/)?(UTC|GMT|UCT|Universal|Zulu)$/i.test(tz)) {
  try {
    dtf.__setDefaultTimeZone(tz)
  } catch {
    dtf.__defaultTimeZone = tz
  }
}

if (!Object.prototype.hasOwnProperty.call(Intl, Symbol.toStringTag)) {
  Object.defineProperty(Intl, Symbol.toStringTag, { value: 'Intl', configurable: true })
}
