// Intl.Collator and String.prototype.localeCompare: a stand-in until @formatjs/intl-collator
// can be installed (the registry this project uses does not serve it). QuickJS's own
// localeCompare compares code units, so 'Z' < 'a' < 'ä'.
//
// A three-level approximation of the Unicode Collation Algorithm's root order, with no data:
// primary = the base letter (script groups: punctuation < symbols < currency < digits <
// Latin < other scripts < kana < CJK), secondary = the combining marks after NFD, tertiary =
// case (lower first). ß, æ, œ, ø, đ, ł expand; sv/fi, da/nb/nn/no and es tailor their
// letters. Options: sensitivity, numeric, caseFirst, ignorePunctuation, and the -u-kn/-u-kf
// extensions. It is not ICU: README's Known gaps says where it differs.
type Element = [group: number, primary: number, secondary: number, tertiary: number, digits?: string]
interface Resolved {
  locale: string
  lang: string
  usage: string
  sensitivity: string
  ignorePunctuation: boolean
  collation: string
  numeric: boolean
  caseFirst: string
  bound?: (x: unknown, y: unknown) => number
}

const PUNCT = '\t\n\v\f\r _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$'
const MARKS = '\u0301\u0300\u0306\u0302\u030c\u030a\u0308\u030b\u0303\u0307\u0338\u0327\u0328\u0304'
// Letters that NFD does not decompose: [expansion, the level that tells them apart].
const EXPANSIONS: Record<string, [string, 2 | 3]> = {
  ß: ['ss', 3],
  æ: ['ae', 2],
  œ: ['oe', 2],
  ø: ['o', 2],
  đ: ['d', 2],
  ð: ['d', 2],
  ł: ['l', 2],
  ħ: ['h', 2],
  ŧ: ['t', 2],
}
const AFTER_Z = 0x7b * 16
const NORDIC_SV = { å: 1, ä: 2, æ: 2, ö: 3, ø: 3 }
const NORDIC_DA = { æ: 1, ä: 1, ø: 2, ö: 2, å: 3 }
// Letters that a language sorts after z (by rank), or, for -1, right after their base letter.
const TAILORINGS: Record<string, Record<string, number>> = {
  sv: NORDIC_SV,
  fi: NORDIC_SV,
  da: NORDIC_DA,
  nb: NORDIC_DA,
  nn: NORDIC_DA,
  no: NORDIC_DA,
  es: { ñ: -1 },
}
const SUPPORTED = ['en', 'de', 'ja', 'sv', 'fi', 'da', 'nb', 'nn', 'no', 'es', 'fr', 'it', 'nl', 'pt']

function primaryOf(c: string): [number, number, number?] | null {
  const cp = c.codePointAt(0)!
  const p = PUNCT.indexOf(c)
  if (p >= 0) return [1, 0x100 + p]
  if (cp >= 0x61 && cp <= 0x7a) return [5, cp * 16]
  if (cp === 0x131) return [5, 0x69 * 16 + 1]
  if (cp === 0xfe) return [5, AFTER_Z + 8]
  if (cp >= 0x30a1 && cp <= 0x30f6) return [7, cp - 0x60, 1]
  if (cp >= 0x3041 && cp <= 0x3096) return [7, cp]
  if (/\p{L}/u.test(c)) return [cp >= 0x2e80 ? 8 : 6, cp]
  if (/\p{Nd}/u.test(c)) return [4, cp]
  if (/[\p{Cc}\p{Cf}]/u.test(c)) return null
  return [/\p{Sc}/u.test(c) ? 3 : 2, cp]
}

function elements(text: string, o: Resolved): Element[] {
  const out: Element[] = []
  const tailoring = TAILORINGS[o.lang]
  for (const ch of text.normalize('NFC')) {
    const lower = ch.toLowerCase()
    const tertiary = lower !== ch ? 8 : 2
    const rank = tailoring?.[lower]
    if (rank !== undefined) {
      out.push([5, rank < 0 ? lower.normalize('NFD').codePointAt(0)! * 16 + 8 : AFTER_Z + rank, 0x20, tertiary])
      continue
    }
    const expansion = EXPANSIONS[lower]
    if (expansion) {
      for (const x of expansion[0]) out.push([5, x.codePointAt(0)! * 16, 0x20, tertiary])
      const last = out[out.length - 1]
      if (expansion[1] === 2) last[2] = 0x40
      else last[3] = tertiary + 2
      continue
    }
    for (const d of lower.normalize('NFD')) {
      const cp = d.codePointAt(0)!
      if (cp >= 0x300 && cp <= 0x36f) {
        const m = MARKS.indexOf(d)
        out.push([0, 0, m >= 0 ? 0x21 + m : 0x40 + cp - 0x300, 2])
        continue
      }
      const p = primaryOf(d)
      if (!p) continue
      if (o.ignorePunctuation && p[0] <= 3) continue
      out.push([p[0], p[1], 0x20, p[2] ? tertiary + p[2] : tertiary])
    }
  }
  return o.numeric ? foldDigits(out) : out
}

// numeric: a run of ASCII digits becomes one element, ordered by its value.
function foldDigits(list: Element[]): Element[] {
  const out: Element[] = []
  const isDigit = (e: Element | undefined) => e !== undefined && e[0] === 4 && e[1] >= 0x30 && e[1] <= 0x39
  for (let i = 0; i < list.length; i++) {
    if (!isDigit(list[i])) {
      out.push(list[i])
      continue
    }
    let digits = ''
    while (isDigit(list[i])) digits += String.fromCharCode(list[i++][1])
    i--
    digits = digits.replace(/^0+(?=.)/, '')
    out.push([4, digits.length * 1e6, 0x20, 2, digits])
  }
  return out
}

function compareLevel(a: Element[], b: Element[], key: (e: Element) => number | string | null): number {
  let i = 0
  let j = 0
  for (;;) {
    while (i < a.length && key(a[i]) === null) i++
    while (j < b.length && key(b[j]) === null) j++
    if (i >= a.length || j >= b.length) return Number(i < a.length) - Number(j < b.length)
    const x = key(a[i])!
    const y = key(b[j])!
    if (x !== y) return x < y ? -1 : 1
    i++
    j++
  }
}

function compareStrings(x: string, y: string, o: Resolved): number {
  const a = elements(x, o)
  const b = elements(y, o)
  let r = compareLevel(a, b, (e) => (e[0] === 0 ? null : e[0] * 1e9 + e[1]))
  if (r === 0 && o.numeric) r = compareLevel(a, b, (e) => e[4] ?? (e[0] === 0 ? null : ''))
  if (r || o.sensitivity === 'base') return r
  if (o.sensitivity !== 'case') {
    r = compareLevel(a, b, (e) => e[2])
    if (r || o.sensitivity === 'accent') return r
  }
  return compareLevel(a, b, (e) => (o.caseFirst === 'upper' ? (e[3] >= 8 ? e[3] - 7 : e[3] + 6) : e[3]))
}

function canonical(locales: unknown): string[] {
  const list = locales === undefined ? [] : typeof locales === 'string' ? [locales] : Array.from(locales as ArrayLike<string>)
  const intl = Intl as unknown as { getCanonicalLocales?: (l: string[]) => string[] }
  return intl.getCanonicalLocales ? intl.getCanonicalLocales(list) : list.map(String)
}

function resolve(locales: unknown, options: unknown): Resolved {
  const opts = (options === undefined ? {} : Object(options)) as Record<string, unknown>
  let locale = 'en-US'
  const ext: Record<string, string> = {}
  for (const tag of canonical(locales)) {
    const [base, unicode] = tag.split('-u-')
    if (!SUPPORTED.includes(base.split('-')[0])) continue
    locale = base
    if (unicode) {
      const parts = unicode.split('-')
      for (let i = 0; i < parts.length; i++) if (parts[i].length === 2) ext[parts[i]] = parts[i + 1]?.length > 2 ? parts[i + 1] : 'true'
    }
    break
  }
  const get = (key: string, allowed: string[], fallback: string): string => {
    if (opts[key] === undefined) return fallback
    const value = String(opts[key])
    if (!allowed.includes(value)) throw new RangeError(`Value ${value} out of range for Intl.Collator options property ${key}`)
    return value
  }
  return {
    locale,
    lang: locale.split('-')[0],
    usage: get('usage', ['sort', 'search'], 'sort'),
    sensitivity: get('sensitivity', ['base', 'accent', 'case', 'variant'], 'variant'),
    ignorePunctuation: Boolean(opts.ignorePunctuation),
    collation: 'default',
    numeric: opts.numeric !== undefined ? Boolean(opts.numeric) : ext.kn === 'true',
    caseFirst: get('caseFirst', ['upper', 'lower', 'false'], ext.kf ?? 'false'),
  }
}

const slots = new WeakMap<object, Resolved>()

class Collator {
  constructor(locales?: unknown, options?: unknown) {
    slots.set(this, resolve(locales, options))
  }
  get compare(): (x: unknown, y: unknown) => number {
    const o = slots.get(this)
    if (!o) throw new TypeError('Method Intl.Collator.prototype.compare called on an incompatible receiver')
    o.bound ??= (x, y) => compareStrings(String(x), String(y), o)
    return o.bound
  }
  resolvedOptions(): Record<string, unknown> {
    const o = slots.get(this)
    if (!o) throw new TypeError('Method Intl.Collator.prototype.resolvedOptions called on an incompatible receiver')
    const { locale, usage, sensitivity, ignorePunctuation, collation, numeric, caseFirst } = o
    return { locale, usage, sensitivity, ignorePunctuation, collation, numeric, caseFirst }
  }
  static supportedLocalesOf(locales?: unknown): string[] {
    return canonical(locales).filter((tag) => SUPPORTED.includes(tag.split('-')[0]))
  }
}
Object.defineProperty(Collator.prototype, Symbol.toStringTag, { value: 'Intl.Collator', configurable: true })
if (typeof (globalThis as { Intl?: object }).Intl !== 'object')
  Object.defineProperty(globalThis, 'Intl', { value: {}, writable: true, configurable: true })
Object.defineProperty(Intl, 'Collator', { value: Collator, writable: true, configurable: true })

let shared: Collator | undefined
Object.defineProperty(String.prototype, 'localeCompare', {
  writable: true,
  configurable: true,
  value: function localeCompare(this: unknown, that: unknown, locales?: unknown, options?: unknown): number {
    if (this === null || this === undefined) throw new TypeError('String.prototype.localeCompare called on null or undefined')
    const collator = locales === undefined && options === undefined ? (shared ??= new Collator()) : new Collator(locales, options)
    return collator.compare(String(this), String(that))
  },
})
