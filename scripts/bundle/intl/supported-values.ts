// The lists behind Intl.supportedValuesOf, computed at build time from pinned data, so the
// same sources give the same bundle on any machine (the build host's Node has its own ICU):
// CLDR's BCP 47 keys (calendars, collations, time zones by CLDR's canonical names, as ICU
// lists them), CLDR's numeric numbering systems and currencies in use, and the units
// ECMA-402 sanctions, as @formatjs/intl-numberformat lists them.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { SupportedValues } from '../../../runtime/intl/supported-values.ts'
import { formatjsDir } from '../../shared/intl-locales.ts'

const require = createRequire(import.meta.url)
type Bcp47Key = Record<string, { _deprecated?: string; _alias?: string } | string>

function bcp47(file: string, key: string): Array<[string, { _deprecated?: string; _alias?: string }]> {
  const keys = (require(`cldr-bcp47/bcp47/${file}.json`) as { keyword: { u: Record<string, Bcp47Key> } }).keyword.u[key]
  return Object.entries(keys).filter(
    (e): e is [string, { _deprecated?: string; _alias?: string }] => !e[0].startsWith('_') && typeof e[1] === 'object' && !e[1]._deprecated,
  )
}

function sanctionedUnits(): string[] {
  const source = readFileSync(join(formatjsDir('numberformat'), 'polyfill-force.js'), 'utf8')
  const at = source.indexOf('const SANCTIONED_UNITS = [')
  if (at < 0) throw new Error('intl: SANCTIONED_UNITS moved in @formatjs/intl-numberformat; update scripts/bundle/intl/supported-values.ts')
  const list = JSON.parse(
    source.slice(at + 'const SANCTIONED_UNITS = '.length, source.indexOf(']', at) + 1).replace(/,\s*]$/, ']'),
  ) as string[]
  return list.map((u) => u.slice(u.indexOf('-') + 1))
}

function currenciesInUse(): string[] {
  const data = require('cldr-core/supplemental/currencyData.json') as {
    supplemental: { currencyData: { region: Record<string, Array<Record<string, { _to?: string; _tender?: string }>>> } }
  }
  const inUse = new Set<string>()
  for (const periods of Object.values(data.supplemental.currencyData.region))
    for (const period of periods) for (const [code, v] of Object.entries(period)) if (!v._to && v._tender !== 'false') inUse.add(code)
  return [...inUse]
}

let cache: SupportedValues | undefined
export function supportedValues(): SupportedValues {
  if (cache) return cache
  const systems = (
    require('cldr-core/supplemental/numberingSystems.json') as { supplemental: { numberingSystems: Record<string, { _type: string }> } }
  ).supplemental.numberingSystems
  const lists = {
    calendar: bcp47('calendar', 'ca').map(([name]) => name),
    // ECMA-402 leaves out 'standard' and 'search', and ICU 'ducet'.
    collation: bcp47('collation', 'co')
      .map(([name]) => name)
      .filter((name) => !['standard', 'search', 'ducet'].includes(name)),
    currency: currenciesInUse(),
    numberingSystem: Object.keys(systems).filter((name) => systems[name]._type === 'numeric'),
    // CLDR's canonical id is the first alias ('Asia/Calcutta'); Etc/* zones are not listed.
    timeZone: bcp47('timezone', 'tz')
      .map(([, v]) => v._alias?.split(' ')[0] ?? '')
      .filter((zone) => zone && !zone.startsWith('Etc/')),
    unit: sanctionedUnits(),
  }
  const sorted = (list: string[]) => [...new Set(list)].sort().join(' ')
  cache = Object.fromEntries(Object.entries(lists).map(([key, list]) => [key, sorted(list)])) as SupportedValues
  return cache
}
