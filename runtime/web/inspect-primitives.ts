// How inspect() prints strings and numbers: Node's choice of quotes and escapes,
// -0, and long strings split at line breaks when they sit inside an object.
import type { Context } from './inspect-context.ts'

const escapeTest = /[\x00-\x1f\x27\x5c\x7f-\x9f]|[\ud800-\udfff]/

function escapeChar(c: number): string {
  if (c === 8) return '\\b'
  if (c === 9) return '\\t'
  if (c === 10) return '\\n'
  if (c === 12) return '\\f'
  if (c === 13) return '\\r'
  if (c === 39) return "\\'"
  if (c === 92) return '\\\\'
  if (c >= 0xd800) return '\\u' + c.toString(16)
  return '\\x' + (c < 16 ? '0' : '') + c.toString(16).toUpperCase()
}

export function strEscape(str: string): string {
  // Single quotes unless the string has some; then double, then backticks.
  let quote = "'"
  if (str.indexOf("'") !== -1) {
    if (str.indexOf('"') === -1) quote = '"'
    else if (str.indexOf('`') === -1 && str.indexOf('${') === -1) quote = '`'
  }
  if (!escapeTest.test(str)) return quote + str + quote
  let out = ''
  let last = 0
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i)
    if ((c === 39 && quote === "'") || c === 92 || c < 32 || (c > 126 && c < 160)) {
      out += str.slice(last, i) + escapeChar(c)
      last = i + 1
    } else if (c >= 0xd800 && c <= 0xdfff) {
      if (c <= 0xdbff && i + 1 < str.length) {
        const next = str.charCodeAt(i + 1)
        if (next >= 0xdc00 && next <= 0xdfff) {
          i++
          continue
        }
      }
      out += str.slice(last, i) + escapeChar(c)
      last = i + 1
    }
  }
  return quote + out + str.slice(last) + quote
}

export function formatNumber(n: number): string {
  return Object.is(n, -0) ? '-0' : `${n}`
}

export function formatPrimitive(ctx: Context, value: unknown): string {
  if (typeof value === 'string') {
    let trailer = ''
    if (value.length > 10000) {
      trailer = `... ${value.length - 10000} more characters`
      value = value.slice(0, 10000)
    }
    const s = value as string
    if (s.length > 16 && s.length > ctx.breakLength - ctx.indentationLvl - 4) {
      const lines: string[] = []
      for (let start = 0; start < s.length;) {
        const nl = s.indexOf('\n', start)
        const end = nl === -1 ? s.length : nl + 1
        lines.push(strEscape(s.slice(start, end)))
        start = end
      }
      return lines.join(` +\n${' '.repeat(ctx.indentationLvl + 2)}`) + trailer
    }
    return strEscape(s) + trailer
  }
  if (typeof value === 'number') return formatNumber(value)
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'symbol') return value.toString()
  return String(value)
}
