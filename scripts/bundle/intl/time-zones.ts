// The IANA time-zone data a bundle carries, out of @formatjs/intl-datetimeformat's
// add-all-tz.js (452 zones, 1.35 MB): all of it, or the zones a function names, which
// register the same way (`Intl.DateTimeFormat.__addTZData`). The polyfill's own table of
// links ('US/Eastern' -> 'America/New_York') stays in it; a named link brings its zone.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { formatjsDir } from '../../shared/intl-locales.ts'

interface PackedZones {
  abbrvs: string
  offsets: string
  /** 'Zone/Name|transition|transition...' */
  zones: string[]
}

let cache: { data: PackedZones; links: Record<string, string> } | undefined

function load() {
  if (cache) return cache
  const dir = formatjsDir('datetimeformat')
  const all = readFileSync(join(dir, 'add-all-tz.js'), 'utf8')
  const start = all.indexOf('__addTZData(')
  const end = all.lastIndexOf('})')
  const polyfill = readFileSync(join(dir, 'polyfill-force.js'), 'utf8')
  const linksAt = polyfill.indexOf('var links_default = {')
  const linksEnd = polyfill.indexOf('\n};', linksAt)
  if (start < 0 || end < start || linksAt < 0 || linksEnd < 0) {
    throw new Error('intl: the time-zone data of @formatjs/intl-datetimeformat changed its shape; update scripts/bundle/intl/time-zones.ts')
  }
  const links = JSON.parse(polyfill.slice(linksAt + 'var links_default = '.length, linksEnd).replace(/,\s*$/, '') + '}')
  cache = { data: JSON.parse(all.slice(start + '__addTZData('.length, end + 1)), links }
  return cache
}

/** Every zone and link name the polyfill accepts, by its spelling in the data. */
export function timeZoneNames(): Set<string> {
  const { data, links } = load()
  return new Set([...data.zones.map((z) => z.slice(0, z.indexOf('|'))), ...Object.keys(links)])
}

/** The zones there is data for (links not included). */
export function dataZoneNames(): string[] {
  return load().data.zones.map((z) => z.slice(0, z.indexOf('|')))
}

/** The zone a link names, or the zone itself. */
function zoneOf(name: string): string {
  return load().links[name] ?? name
}

/** A module that registers just these zones (links resolved to their zones). */
export function timeZoneSubsetSource(names: string[]): string {
  const { data } = load()
  const wanted = new Set(names.map(zoneOf))
  const zones = data.zones.filter((z) => wanted.has(z.slice(0, z.indexOf('|'))))
  return `Intl.DateTimeFormat.__addTZData(${JSON.stringify({ ...data, zones })})\n`
}
