// Where FormatJS on QuickJS answers differently from Node 20 (V8 with ICU) at run time; the
// data differences are fixed at build time (scripts/bundle/intl/). Each fix applies only when
// the bundle carries the formatter it fixes.
type Formatter = { prototype: object }
const intl = Intl as unknown as Record<string, Formatter | undefined>

// V8 turns CLDR's U+202F (narrow no-break space, before AM/PM) into a plain space in
// DateTimeFormat#format, and so in Date#toLocale*String, but not in formatToParts or formatRange.
const dtf = intl.DateTimeFormat
if (dtf) {
  const format = Object.getOwnPropertyDescriptor(dtf.prototype, 'format')!.get!
  // On the formatter, not in a WeakMap: QuickJS never frees an entry whose value (this
  // function) refers back to its key.
  const bound = Symbol('format')
  Object.defineProperty(dtf.prototype, 'format', {
    configurable: true,
    get(this: { [bound]?: (date?: unknown) => string }) {
      let f = Object.prototype.hasOwnProperty.call(this, bound) ? this[bound] : undefined
      if (!f) {
        const inner = format.call(this) as (date?: unknown) => string
        f = (date?: unknown) => inner(date).replace(/\u202f/g, ' ')
        Object.defineProperty(this, bound, { value: f, configurable: true })
      }
      return f
    },
  })
}

// NumberFormat#resolvedOptions in the property order of ECMA-402 2023, as V8 returns it (the
// order shows in JSON.stringify).
const nf = intl.NumberFormat
if (nf) {
  const ORDER = [
    'locale',
    'numberingSystem',
    'style',
    'currency',
    'currencyDisplay',
    'currencySign',
    'unit',
    'unitDisplay',
    'minimumIntegerDigits',
    'minimumFractionDigits',
    'maximumFractionDigits',
    'minimumSignificantDigits',
    'maximumSignificantDigits',
    'useGrouping',
    'notation',
    'compactDisplay',
    'signDisplay',
    'roundingMode',
    'roundingIncrement',
    'trailingZeroDisplay',
    'roundingPriority',
  ]
  const resolved = (nf.prototype as { resolvedOptions(): Record<string, unknown> }).resolvedOptions
  Object.defineProperty(nf.prototype, 'resolvedOptions', {
    configurable: true,
    writable: true,
    value: function resolvedOptions(this: object) {
      const r = resolved.call(this)
      const out: Record<string, unknown> = {}
      for (const key of ORDER) if (r[key] !== undefined) out[key] = r[key]
      for (const key of Object.keys(r)) if (!(key in out)) out[key] = r[key]
      return out
    },
  })
}
