// Which locales Intl can be built for, and which locale file of each FormatJS package serves
// a locale. The packages come with scratchfn (its package.json pins them), so they resolve
// from here, not from the function's project. Each package ships its own set: PluralRules
// has languages only ('de'), the formatters also regions ('de-CH', 'en-IN'); a tag takes the
// nearest file up its subtags ('de-CH' -> 'de').
import { existsSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** The FormatJS packages that carry locale data, by the feature name the bundle uses. */
export const LOCALE_DATA_PACKAGES = ['pluralrules', 'numberformat', 'datetimeformat', 'relativetimeformat', 'listformat'] as const
export type LocaleDataPackage = (typeof LOCALE_DATA_PACKAGES)[number]

const require = createRequire(import.meta.url)

/** The folder of an @formatjs/intl-<name> package. */
export function formatjsDir(name: string): string {
  return dirname(require.resolve(`@formatjs/intl-${name}`))
}

/** The locale-data file (without .js) of `pkg` that serves `tag`, or undefined. */
export function localeFile(pkg: LocaleDataPackage, tag: string): string | undefined {
  const dir = join(formatjsDir(pkg), 'locale-data')
  for (let parts = tag.split('-'); parts.length > 0; parts.pop()) {
    if (existsSync(join(dir, `${parts.join('-')}.js`))) return parts.join('-')
  }
  return undefined
}

let available: string[] | undefined
/** Every tag config.locales may name: those each package can serve. */
export function availableLocales(): string[] {
  available ??= readdirSync(join(formatjsDir('numberformat'), 'locale-data'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -3))
    .filter((tag) => LOCALE_DATA_PACKAGES.every((pkg) => localeFile(pkg, tag) !== undefined))
    .sort()
  return available
}
