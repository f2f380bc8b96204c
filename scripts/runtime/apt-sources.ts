// Which Debian archive this machine's apt already uses, so a source download goes to the
// mirror the machine is set up for (a proxy, a local mirror) and not to one we picked.
// Reads /etc/apt/sources.list.d/*.sources (deb822), *.list and /etc/apt/sources.list
// (one-line form); never writes them.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface AptEntry {
  types: string[]
  uri: string
  suites: string[]
  components: string[]
  /** The file it came from, for messages. */
  file: string
}

/** Entries of a deb822 .sources file; a stanza with `Enabled: no` is left out. */
export function parseDeb822(text: string, file: string): AptEntry[] {
  const entries: AptEntry[] = []
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields: Record<string, string> = {}
    let last = ''
    for (const line of stanza.split('\n')) {
      if (line.startsWith('#') || line.trim() === '') continue
      if (/^\s/.test(line) && last) {
        fields[last] += ' ' + line.trim()
        continue
      }
      const colon = line.indexOf(':')
      if (colon <= 0) continue
      last = line.slice(0, colon).trim().toLowerCase()
      fields[last] = line.slice(colon + 1).trim()
    }
    if (!fields.uris || (fields.enabled ?? 'yes').toLowerCase() === 'no') continue
    const words = (key: string) => (fields[key] ?? '').split(/\s+/).filter(Boolean)
    for (const uri of words('uris')) {
      entries.push({ types: words('types'), uri, suites: words('suites'), components: words('components'), file })
    }
  }
  return entries
}

/** Entries of a one-line sources.list: `deb [options] URI suite component...`. */
export function parseOneLine(text: string, file: string): AptEntry[] {
  const entries: AptEntry[] = []
  for (const raw of text.split('\n')) {
    const line = raw
      .replace(/#.*/, '')
      .replace(/\[[^\]]*\]/, ' ')
      .trim()
    const [type, uri, suite, ...components] = line.split(/\s+/)
    if ((type === 'deb' || type === 'deb-src') && uri && suite) entries.push({ types: [type], uri, suites: [suite], components, file })
  }
  return entries
}

/** Every entry of the machine's apt sources, in apt's order (sources.list, then sources.list.d/ by name). */
export function machineAptEntries(etcApt = '/etc/apt'): AptEntry[] {
  const entries: AptEntry[] = []
  const list = join(etcApt, 'sources.list')
  if (existsSync(list)) entries.push(...parseOneLine(readFileSync(list, 'utf8'), list))
  const dir = join(etcApt, 'sources.list.d')
  const names = existsSync(dir) ? readdirSync(dir).sort() : []
  for (const name of names) {
    const file = join(dir, name)
    if (name.endsWith('.sources')) entries.push(...parseDeb822(readFileSync(file, 'utf8'), file))
    else if (name.endsWith('.list')) entries.push(...parseOneLine(readFileSync(file, 'utf8'), file))
  }
  return entries
}

/**
 * The URI of Debian's main archive among the entries: the first whose path ends in
 * /debian (deb.debian.org/debian and its mirrors; not /debian-security, not third-party
 * repositories), or undefined.
 */
export function debianArchiveUri(entries: AptEntry[]): string | undefined {
  const entry = entries.find((e) => /^[a-z+]+:\/\/?[^/]*(\/[^\s]*)?\/debian\/?$/.test(e.uri))
  return entry?.uri.replace(/\/+$/, '')
}
