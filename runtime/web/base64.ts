// atob/btoa (HTML Standard, "forgiving-base64"), with Node's error messages:
// InvalidCharacterError for a character outside the alphabet or a misplaced '=',
// and for a length that cannot be base64.
import { core } from './core.ts'
import type { DOMException } from './dom-exception.ts'
import { domExceptionClass } from './dom-exception-class.ts'

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
// Char code -> 6-bit value; -1 for '=', -2 for ASCII whitespace, -3 for anything else.
// Both tables are built on first use rather than at every process start.
let decodeTable: Int8Array | undefined
let encodeTable: Uint8Array | undefined

function decoder(): Int8Array {
  if (decodeTable) return decodeTable
  const table = new Int8Array(128).fill(-3)
  for (let i = 0; i < 64; i++) table[alphabet.charCodeAt(i)] = i
  table[61] = -1
  for (const c of [9, 10, 12, 13, 32]) table[c] = -2
  return (decodeTable = table)
}

function encoder(): Uint8Array {
  if (encodeTable) return encodeTable
  const table = new Uint8Array(64)
  for (let i = 0; i < 64; i++) table[i] = alphabet.charCodeAt(i)
  return (encodeTable = table)
}

function invalid(message = 'Invalid character'): DOMException {
  return new (domExceptionClass())(message, 'InvalidCharacterError')
}

export function atob(data: string): string {
  if (arguments.length === 0) throw new TypeError('The "input" argument must be specified')
  const input = String(data)
  const decodeTable = decoder()
  const values = new Uint8Array(input.length)
  let count = 0
  let padding = 0
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i)
    const v = c < 128 ? decodeTable[c] : -3
    if (v >= 0) {
      if (padding) throw invalid()
      values[count++] = v
    } else if (v === -1) {
      if (++padding > 2) throw invalid()
    } else if (v === -3) {
      throw invalid()
    }
  }
  // With padding, the whole must be whole quads; without, a lone sextet is the one impossible tail.
  if (padding && (count + padding) % 4 !== 0) throw invalid()
  if (count % 4 === 1) throw invalid('The string to be decoded is not correctly encoded.')
  const out = new Uint8Array((count * 3) >> 2)
  let o = 0
  let i = 0
  for (; i + 4 <= count; i += 4) {
    const n = (values[i] << 18) | (values[i + 1] << 12) | (values[i + 2] << 6) | values[i + 3]
    out[o++] = n >> 16
    out[o++] = (n >> 8) & 255
    out[o++] = n & 255
  }
  if (count - i === 2) {
    out[o++] = (values[i] << 2) | (values[i + 1] >> 4)
  } else if (count - i === 3) {
    const n = (values[i] << 10) | (values[i + 1] << 4) | (values[i + 2] >> 2)
    out[o++] = n >> 8
    out[o++] = n & 255
  }
  return core.latin1Decode(out)
}

export function btoa(data: string): string {
  if (arguments.length === 0) throw new TypeError('The "input" argument must be specified')
  const input = String(data)
  const encodeTable = encoder()
  const len = input.length
  const out = new Uint8Array(Math.ceil(len / 3) * 4)
  let o = 0
  let i = 0
  const byte = (k: number): number => {
    const c = input.charCodeAt(k)
    if (c > 255) throw invalid()
    return c
  }
  for (; i + 3 <= len; i += 3) {
    const n = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2)
    out[o++] = encodeTable[n >> 18]
    out[o++] = encodeTable[(n >> 12) & 63]
    out[o++] = encodeTable[(n >> 6) & 63]
    out[o++] = encodeTable[n & 63]
  }
  if (len - i === 1) {
    const n = byte(i)
    out[o++] = encodeTable[n >> 2]
    out[o++] = encodeTable[(n & 3) << 4]
    out[o++] = 61
    out[o++] = 61
  } else if (len - i === 2) {
    const n = (byte(i) << 8) | byte(i + 1)
    out[o++] = encodeTable[n >> 10]
    out[o++] = encodeTable[(n >> 4) & 63]
    out[o++] = encodeTable[(n & 15) << 2]
    out[o++] = 61
  }
  return core.latin1Decode(out)
}
