// String.prototype.toLocaleUpperCase / toLocaleLowerCase with the language-specific rules of
// Unicode's SpecialCasing.txt (Turkish and Azeri dotted and dotless i, Lithuanian dot above):
// QuickJS ignores the locale argument. The other languages case as toUpperCase/toLowerCase do.
const nativeUpper = String.prototype.toUpperCase
const nativeLower = String.prototype.toLowerCase

function language(locales: unknown): string {
  const first = locales === undefined ? undefined : Array.isArray(locales) ? locales[0] : locales
  if (first === undefined) return ''
  let tag = String(first)
  const intl = (globalThis as { Intl?: { getCanonicalLocales?: (l: string) => string[] } }).Intl
  if (intl?.getCanonicalLocales) tag = intl.getCanonicalLocales(tag)[0]
  return tag.split('-')[0].toLowerCase()
}

function receiver(value: unknown, method: string): string {
  if (value === null || value === undefined) throw new TypeError(`String.prototype.${method} called on null or undefined`)
  return String(value)
}

// Combining marks of ccc 230 (above), after which a Lithuanian i keeps its dot.
const ABOVE = /([IJ\u012e])(?=[\u0300-\u0314\u033d-\u0344\u0346\u034a-\u034c\u0350-\u0352\u0357\u035b\u0363-\u036f])/g

const methods = {
  toLocaleUpperCase(this: unknown, locales?: unknown): string {
    let s = receiver(this, 'toLocaleUpperCase')
    const lang = language(locales)
    if (lang === 'tr' || lang === 'az') s = s.replace(/i/g, '\u0130')
    else if (lang === 'lt') s = s.replace(/([iIjJ\u012f\u012e])\u0307/g, '$1')
    return nativeUpper.call(s)
  },
  toLocaleLowerCase(this: unknown, locales?: unknown): string {
    let s = receiver(this, 'toLocaleLowerCase')
    const lang = language(locales)
    if (lang === 'tr' || lang === 'az')
      s = s
        .replace(/I\u0307/g, 'i')
        .replace(/\u0130/g, 'i')
        .replace(/I/g, '\u0131')
    else if (lang === 'lt') {
      s = s
        .replace(/\u00cc/g, 'i\u0307\u0300')
        .replace(/\u00cd/g, 'i\u0307\u0301')
        .replace(/\u0128/g, 'i\u0307\u0303')
        .replace(ABOVE, (c) => nativeLower.call(c) + '\u0307')
    }
    return nativeLower.call(s)
  },
}
for (const name of ['toLocaleUpperCase', 'toLocaleLowerCase'] as const) {
  Object.defineProperty(String.prototype, name, { value: methods[name], writable: true, configurable: true })
}
