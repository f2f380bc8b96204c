// Array.prototype.toLocaleString and %TypedArray%.prototype.toLocaleString pass (locales,
// options) on to each element (ECMA-402 §19.5.1); QuickJS calls element.toLocaleString()
// without them, so [1234.5].toLocaleString('de') would come out in English.
function toLocaleString(this: unknown, locales?: unknown, options?: unknown): string {
  const list = Object(this) as ArrayLike<unknown>
  const length = Math.min(Math.max(Math.trunc(Number(list.length)) || 0, 0), Number.MAX_SAFE_INTEGER)
  let out = ''
  for (let i = 0; i < length; i++) {
    if (i > 0) out += ','
    const item = list[i]
    if (item !== undefined && item !== null)
      out += String((Object(item) as { toLocaleString(l: unknown, o: unknown): unknown }).toLocaleString(locales, options))
  }
  return out
}
Object.defineProperty(Array.prototype, 'toLocaleString', { value: toLocaleString, writable: true, configurable: true })
Object.defineProperty(Object.getPrototypeOf(Int8Array.prototype), 'toLocaleString', {
  value: toLocaleString,
  writable: true,
  configurable: true,
})
