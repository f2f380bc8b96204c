// Intl.supportedValuesOf over lists the build computed from pinned CLDR and FormatJS data
// (scripts/bundle/intl/supported-values.ts), one space-separated string per key: FormatJS's
// own version probes its formatters and lists currencies no longer in use.
export type SupportedValues = Record<'calendar' | 'collation' | 'currency' | 'numberingSystem' | 'timeZone' | 'unit', string>

export function installSupportedValuesOf(lists: SupportedValues): void {
  const supportedValuesOf = function supportedValuesOf(key: unknown): string[] {
    const name = String(key)
    if (!Object.prototype.hasOwnProperty.call(lists, name)) throw new RangeError(`Invalid key : ${name}`)
    return lists[name as keyof SupportedValues].split(' ')
  }
  Object.defineProperty(Intl, 'supportedValuesOf', { value: supportedValuesOf, writable: true, configurable: true })
}
