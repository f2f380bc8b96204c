// The module a bundle imports first when it uses Intl: FormatJS's polyfills and their locale
// data in the order they need each other at run time, then our shims and the defaults. Each
// polyfill-force.js installs unconditionally (QuickJS never has a native Intl), and locale
// data follows its polyfill. The first locale loaded is FormatJS's default until defaults.ts
// sets en-US, so config.locales[0] goes first.
import { fileURLToPath } from 'node:url'
import { localeFile, type LocaleDataPackage } from '../../shared/intl-locales.ts'
import type { IntlFeature } from './detect.ts'

/** What each part calls at run time. */
const NEEDS: Record<IntlFeature, IntlFeature[]> = {
  getcanonicallocales: [],
  pluralrules: ['getcanonicallocales'],
  numberformat: ['pluralrules'],
  datetimeformat: ['numberformat'],
  relativetimeformat: ['numberformat'],
  listformat: ['getcanonicallocales'],
  supportedvaluesof: [],
  collator: [],
  stringcase: [],
  arraylocale: [],
}
const ORDER = Object.keys(NEEDS) as IntlFeature[]

const shim = (name: string) => fileURLToPath(new URL(`../../../runtime/intl/${name}.ts`, import.meta.url))

/** The features with everything they need, in load order. */
function withDependencies(features: IntlFeature[]): IntlFeature[] {
  const out = new Set<IntlFeature>()
  const visit = (f: IntlFeature) => {
    if (out.has(f)) return
    NEEDS[f].forEach(visit)
    out.add(f)
  }
  features.forEach(visit)
  return ORDER.filter((f) => out.has(f))
}

export interface EntryOptions {
  features: IntlFeature[]
  locales: string[]
  /** The module that registers the time-zone data, if any. */
  timeZoneModule?: string
  /** The module that installs Intl.supportedValuesOf. */
  supportedValuesModule: string
}

export function entrySource(o: EntryOptions): string {
  const lines: string[] = []
  const add = (path: string) => lines.push(`import ${JSON.stringify(path)}`)
  for (const f of withDependencies(o.features)) {
    if (f === 'getcanonicallocales') add(shim('canonical-locales'))
    else if (f === 'supportedvaluesof') add(o.supportedValuesModule)
    else if (f === 'collator') add(shim('collator'))
    else if (f === 'stringcase') add(shim('string-case'))
    else if (f === 'arraylocale') add(shim('array-locale'))
    else {
      add(`@formatjs/intl-${f}/polyfill-force.js`)
      const files = new Set(o.locales.map((tag) => localeFile(f as LocaleDataPackage, tag)!))
      for (const file of files) add(`@formatjs/intl-${f}/locale-data/${file}.js`)
      if (f === 'datetimeformat' && o.timeZoneModule) add(o.timeZoneModule)
    }
  }
  // Both reach for Intl, which toLocaleUpperCase alone does not bring.
  if (o.features.some((f) => f !== 'stringcase')) {
    add(shim('formatjs-fixes'))
    add(shim('defaults'))
  }
  return lines.join('\n') + '\n'
}
