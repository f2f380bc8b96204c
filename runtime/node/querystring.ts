// node:querystring as Node 20 has it: parse() gives a null-prototype object with arrays
// for repeated keys, '+' as space, maxKeys (1000), and malformed escapes kept as they are;
// stringify() writes strings, finite numbers, bigints and booleans (others as empty).
type ParsedQuery = Record<string, string | string[]>
type Decode = (s: string) => string

const hexTable = Array.from({ length: 256 }, (_, i) => '%' + ((i < 16 ? '0' : '') + i.toString(16)).toUpperCase())
// Node leaves these unescaped: A-Z a-z 0-9 - . _ ~ ! ' ( ) *
const noEscape = /[A-Za-z0-9\-._~!'()*]/

export function escape(str: unknown): string {
  const s = typeof str === 'string' ? str : typeof str === 'object' && str !== null ? String(str) : `${str}`
  let out = ''
  let last = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80 && noEscape.test(s[i])) continue
    out += s.slice(last, i)
    if (c < 0x80) out += hexTable[c]
    else if (c < 0x800) out += hexTable[0xc0 | (c >> 6)] + hexTable[0x80 | (c & 0x3f)]
    else if (c < 0xd800 || c >= 0xe000) out += hexTable[0xe0 | (c >> 12)] + hexTable[0x80 | ((c >> 6) & 0x3f)] + hexTable[0x80 | (c & 0x3f)]
    else {
      const next = s.charCodeAt(i + 1)
      if (i + 1 >= s.length || (next & 0xfc00) !== 0xdc00) {
        const err = new URIError('URI malformed') as URIError & { code: string }
        err.code = 'ERR_INVALID_URI'
        throw err
      }
      i++
      const cp = 0x10000 + (((c & 0x3ff) << 10) | (next & 0x3ff))
      out +=
        hexTable[0xf0 | (cp >> 18)] +
        hexTable[0x80 | ((cp >> 12) & 0x3f)] +
        hexTable[0x80 | ((cp >> 6) & 0x3f)] +
        hexTable[0x80 | (cp & 0x3f)]
    }
    last = i + 1
  }
  return last === 0 ? s : out + s.slice(last)
}

/** decodeURIComponent, or, for malformed input, the bytes decoded one %XX at a time as Node's unescapeBuffer does. */
export function unescape(s: string, decodeSpaces?: boolean): string {
  try {
    return decodeURIComponent(s)
  } catch {
    const bytes: number[] = []
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i)
      if (c === 0x2b && decodeSpaces) bytes.push(0x20)
      else if (c === 0x25 && i + 2 < s.length + 0 && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
        bytes.push(parseInt(s.slice(i + 1, i + 3), 16))
        i += 2
      } else if (c < 0x80) bytes.push(c)
      else for (const b of new TextEncoder().encode(s[i])) bytes.push(b)
    }
    return new TextDecoder().decode(new Uint8Array(bytes))
  }
}

function stringifyPrimitive(v: unknown): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' && Number.isFinite(v)) return `${v}`
  if (typeof v === 'bigint') return `${v}`
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  return ''
}

export function stringify(obj: unknown, sep = '&', eq = '=', options?: { encodeURIComponent?: (s: string) => string }): string {
  const encode = options?.encodeURIComponent ?? escape
  if (obj === null || typeof obj !== 'object') return ''
  const parts: string[] = []
  for (const key of Object.keys(obj)) {
    const value = (obj as Record<string, unknown>)[key]
    const ks = encode(stringifyPrimitive(key)) + eq
    if (Array.isArray(value)) {
      for (const item of value) parts.push(ks + encode(stringifyPrimitive(item)))
    } else parts.push(ks + encode(stringifyPrimitive(value)))
  }
  return parts.join(sep)
}

export function parse(qs: unknown, sep = '&', eq = '=', options?: { maxKeys?: number; decodeURIComponent?: Decode }): ParsedQuery {
  const obj: ParsedQuery = Object.create(null)
  if (typeof qs !== 'string' || qs.length === 0) return obj
  const separator = sep ? `${sep}` : '&'
  const equals = eq ? `${eq}` : '='
  const maxKeys = typeof options?.maxKeys === 'number' ? options.maxKeys : 1000
  const custom = options?.decodeURIComponent
  const decode: Decode = (s) => {
    const spaced = s.indexOf('+') === -1 ? s : s.replace(/\+/g, ' ')
    if (custom && custom !== unescape) {
      try {
        return custom(spaced)
      } catch {
        return unescape(spaced, true)
      }
    }
    return spaced.indexOf('%') === -1 ? spaced : unescape(spaced, true)
  }
  let pieces = qs.split(separator)
  if (maxKeys > 0) pieces = pieces.slice(0, maxKeys)
  for (const piece of pieces) {
    if (piece.length === 0 && pieces.length > 1) continue
    const at = piece.indexOf(equals)
    const key = decode(at === -1 ? piece : piece.slice(0, at))
    const value = at === -1 ? '' : decode(piece.slice(at + equals.length))
    const existing = obj[key]
    if (existing === undefined) obj[key] = value
    else if (Array.isArray(existing)) existing.push(value)
    else obj[key] = [existing, value]
  }
  return obj
}

export const decode = parse
export const encode = stringify

export default { parse, stringify, escape, unescape, decode, encode, unescapeBuffer: (s: string) => new TextEncoder().encode(unescape(s)) }
