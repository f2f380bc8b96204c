// Buffer's encodings as Node 20 has them: what each one reads and writes, and how it
// measures a string. UTF-8 and Latin-1 go through the runtime's C encoders; the others
// are byte loops with tables built on first use.
import { core } from './natives.ts'

export type Encoding = 'utf8' | 'utf16le' | 'latin1' | 'ascii' | 'base64' | 'base64url' | 'hex'

export function normalizeEncoding(enc: unknown): Encoding | undefined {
  if (enc == null || enc === 'utf8' || enc === 'utf-8') return 'utf8'
  switch (`${enc}`.toLowerCase()) {
    case 'utf8':
    case 'utf-8':
    case '':
      return 'utf8'
    case 'ucs2':
    case 'ucs-2':
    case 'utf16le':
    case 'utf-16le':
      return 'utf16le'
    case 'latin1':
    case 'binary':
      return 'latin1'
    case 'base64':
      return 'base64'
    case 'base64url':
      return 'base64url'
    case 'hex':
      return 'hex'
    case 'ascii':
      return 'ascii'
  }
  return undefined
}

export function utf8Length(s: string): number {
  let n = s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) continue
    if (c < 0x800) n += 1
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2 // the pair's two units become four bytes
      i++
    } else n += 2
  }
  return n
}

function base64Length(s: string): number {
  let n = s.length
  if (n > 0 && s.charCodeAt(n - 1) === 0x3d) n--
  if (n > 1 && s.charCodeAt(n - 1) === 0x3d) n--
  return (n * 3) >>> 2
}

export function byteLengthOf(s: string, enc: Encoding): number {
  switch (enc) {
    case 'utf8':
      return utf8Length(s)
    case 'utf16le':
      return s.length * 2
    case 'latin1':
    case 'ascii':
      return s.length
    case 'hex':
      return s.length >>> 1
    default:
      return base64Length(s)
  }
}

/** The string's bytes in the encoding (hex stops at the first pair that is not hex). */
export function encode(s: string, enc: Encoding): Uint8Array {
  switch (enc) {
    case 'utf8':
      return new Uint8Array(core.utf8Encode(s))
    case 'latin1':
    case 'ascii': {
      const out = new Uint8Array(s.length)
      for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i)
      return out
    }
    case 'utf16le': {
      const out = new Uint8Array(s.length * 2)
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i)
        out[i * 2] = c
        out[i * 2 + 1] = c >>> 8
      }
      return out
    }
    case 'hex':
      return hexDecode(s)
    default:
      return base64Decode(s)
  }
}

let hexValues: Int8Array | undefined
let hexPairs: string[] | undefined

function hexDecode(s: string): Uint8Array {
  if (!hexValues) {
    hexValues = new Int8Array(128).fill(-1)
    for (let i = 0; i < 16; i++) hexValues['0123456789abcdef'.charCodeAt(i)] = hexValues['0123456789ABCDEF'.charCodeAt(i)] = i
  }
  const n = s.length >>> 1
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const a = s.charCodeAt(i * 2)
    const b = s.charCodeAt(i * 2 + 1)
    const hi = a < 128 ? hexValues[a] : -1
    const lo = b < 128 ? hexValues[b] : -1
    if (hi < 0 || lo < 0) return out.subarray(0, i)
    out[i] = (hi << 4) | lo
  }
  return out
}

let base64Values: Int8Array | undefined
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

// Node's decoder is lenient: both alphabets in either encoding, anything else skipped,
// and the first '=' ends the data.
function base64Decode(s: string): Uint8Array {
  if (!base64Values) {
    base64Values = new Int8Array(128).fill(-1)
    for (let i = 0; i < 64; i++) base64Values[alphabet.charCodeAt(i)] = i
    base64Values[45] = 62 // '-'
    base64Values[95] = 63 // '_'
  }
  const out = new Uint8Array(base64Length(s))
  let o = 0
  let acc = 0
  let bits = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 0x3d) break
    const v = c < 128 ? base64Values[c] : -1
    if (v < 0) continue
    acc = ((acc << 6) | v) & 0xffffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = acc >>> bits
    }
  }
  return o === out.length ? out : out.subarray(0, o)
}

function base64Encode(bytes: Uint8Array, url: boolean): string {
  const table = url ? alphabet.slice(0, 62) + '-_' : alphabet
  let out = ''
  const n = bytes.length
  let i = 0
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2]
    out += table[v >>> 18] + table[(v >>> 12) & 63] + table[(v >>> 6) & 63] + table[v & 63]
  }
  if (i < n) {
    const v = (bytes[i] << 16) | (i + 1 < n ? bytes[i + 1] << 8 : 0)
    out += table[v >>> 18] + table[(v >>> 12) & 63]
    if (i + 1 < n) out += table[(v >>> 6) & 63]
    if (!url) out += i + 1 < n ? '=' : '=='
  }
  return out
}

function codeUnits(units: ArrayLike<number>): string {
  let out = ''
  for (let i = 0; i < units.length; i += 4096)
    out += String.fromCharCode.apply(null, Array.prototype.slice.call(units, i, i + 4096) as number[])
  return out
}

export function decode(bytes: Uint8Array, enc: Encoding): string {
  switch (enc) {
    case 'utf8':
      return core.utf8Decode(bytes, false, true)
    case 'latin1':
      return core.latin1Decode(bytes)
    case 'ascii': {
      let high = false
      for (let i = 0; i < bytes.length && !high; i++) high = bytes[i] > 0x7f
      if (!high) return core.latin1Decode(bytes)
      return core.latin1Decode(bytes.map((b) => b & 0x7f))
    }
    case 'utf16le': {
      const units = new Uint16Array(bytes.length >>> 1)
      for (let i = 0; i < units.length; i++) units[i] = bytes[i * 2] | (bytes[i * 2 + 1] << 8)
      return codeUnits(units)
    }
    case 'hex': {
      if (!hexPairs) {
        hexPairs = []
        for (let i = 0; i < 256; i++) hexPairs.push((i < 16 ? '0' : '') + i.toString(16))
      }
      let out = ''
      for (let i = 0; i < bytes.length; i++) out += hexPairs[bytes[i]]
      return out
    }
    default:
      return base64Encode(bytes, enc === 'base64url')
  }
}

/** Writes as much of `s` as fits whole into `dest`; returns the bytes written. */
export function encodeInto(s: string, dest: Uint8Array, enc: Encoding): number {
  if (enc === 'utf8') return core.utf8EncodeInto(s, dest)[1]
  let bytes = encode(s, enc)
  if (enc === 'utf16le' && bytes.length > dest.length) bytes = bytes.subarray(0, dest.length & ~1)
  const n = Math.min(bytes.length, dest.length)
  dest.set(n === bytes.length ? bytes : bytes.subarray(0, n))
  return n
}
