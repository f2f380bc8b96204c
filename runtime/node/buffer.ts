// node:buffer. Buffer is a Uint8Array subclass, as in Node, with Node 20's argument
// checks and error codes (ERR_OUT_OF_RANGE, ERR_INVALID_ARG_TYPE, ...) and messages.
// Not kept from Node: the 8 KB pool behind allocUnsafe and small from() calls (every
// Buffer here has its own ArrayBuffer), and transcode().
import { byteLengthOf, decode, encode, encodeInto, normalizeEncoding, type Encoding } from './internal/encodings.ts'
import { invalidArgType, invalidArgValue, nodeError, outOfRange, validateNumber } from './internal/errors.ts'

export const kMaxLength = 2 ** 32
export const kStringMaxLength = 2 ** 29 - 24
export const constants = { MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: kStringMaxLength }
export let INSPECT_MAX_BYTES = 50

const customInspect = Symbol.for('nodejs.util.inspect.custom')

class FastBuffer extends Uint8Array {}
// The typed array's own methods, which Buffer's of the same names shadow.
const u8Fill = Uint8Array.prototype.fill
const u8IndexOf = Uint8Array.prototype.indexOf

function unknownEncoding(enc: unknown): Error {
  return nodeError(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${enc}`)
}

function outOfBounds(name?: string): Error {
  return nodeError(
    RangeError,
    'ERR_BUFFER_OUT_OF_BOUNDS',
    name ? `"${name}" is outside of buffer bounds` : 'Attempt to access memory outside buffer bounds',
  )
}

function encodingOf(enc: unknown): Encoding {
  const e = normalizeEncoding(enc)
  if (e === undefined) throw unknownEncoding(enc)
  return e
}

function validateOffset(value: unknown, name: string, min = 0, max = kMaxLength): number {
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value)
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value)
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value)
  return value
}

function isUint8Array(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array
}

function wrap(bytes: Uint8Array): Buffer {
  return new FastBuffer(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length) as Buffer
}

function fromString(s: string, enc: unknown): Buffer {
  const e = typeof enc !== 'string' || enc.length === 0 ? 'utf8' : encodingOf(enc)
  return wrap(encode(s, e))
}

function fromArrayBuffer(ab: ArrayBuffer, byteOffset?: unknown, length?: unknown): Buffer {
  let offset = byteOffset === undefined ? 0 : +(byteOffset as number)
  if (Number.isNaN(offset)) offset = 0
  const maxLength = ab.byteLength - offset
  if (maxLength < 0) throw outOfBounds('offset')
  let len: number
  if (length === undefined) len = maxLength
  else {
    len = +(length as number)
    if (len > 0) {
      if (len > maxLength) throw outOfBounds('length')
    } else len = 0
  }
  return new FastBuffer(ab, offset, len) as Buffer
}

function fromArrayLike(items: ArrayLike<number>): Buffer {
  const buf = new FastBuffer(items.length) as Buffer
  if (isUint8Array(items)) buf.set(items)
  else for (let i = 0; i < items.length; i++) buf[i] = items[i]
  return buf
}

function from(value: unknown, encodingOrOffset?: unknown, length?: unknown): Buffer {
  if (typeof value === 'string') return fromString(value, encodingOrOffset)
  if (typeof value === 'object' && value !== null) {
    if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && value instanceof SharedArrayBuffer))
      return fromArrayBuffer(value as ArrayBuffer, encodingOrOffset, length)
    const valueOf = (value as { valueOf?: () => unknown }).valueOf?.()
    if (valueOf != null && valueOf !== value && (typeof valueOf === 'string' || typeof valueOf === 'object'))
      return from(valueOf, encodingOrOffset, length)
    const obj = value as { length?: unknown; buffer?: unknown; type?: unknown; data?: unknown }
    if (obj.length !== undefined || obj.buffer instanceof ArrayBuffer) {
      if (typeof obj.length !== 'number') return new FastBuffer() as Buffer
      return fromArrayLike(obj as ArrayLike<number>)
    }
    if (obj.type === 'Buffer' && Array.isArray(obj.data)) return fromArrayLike(obj.data)
    const toPrimitive = (value as { [Symbol.toPrimitive]?: (hint: string) => unknown })[Symbol.toPrimitive]
    if (typeof toPrimitive === 'function') {
      const primitive = toPrimitive.call(value, 'string')
      if (typeof primitive === 'string') return fromString(primitive, encodingOrOffset)
    }
  }
  throw invalidArgType('first argument', ['string', 'Buffer', 'ArrayBuffer', 'Array', 'Array-like Object'], value)
}

function alloc(size: unknown, fill?: unknown, encoding?: unknown): Buffer {
  validateNumber(size, 'size', 0, kMaxLength)
  const buf = new FastBuffer(size) as Buffer
  if (fill !== undefined && fill !== 0 && size > 0) fillBuffer(buf, fill, 0, buf.length, encoding)
  return buf
}

function allocUnsafe(size: unknown): Buffer {
  validateNumber(size, 'size', 0, kMaxLength)
  return new FastBuffer(size) as Buffer
}

function fillBuffer(buf: Uint8Array, value: unknown, offset?: unknown, end?: unknown, encoding?: unknown): Uint8Array {
  let enc: Encoding | undefined
  if (typeof value === 'string') {
    if (offset === undefined || typeof offset === 'string') {
      encoding = offset
      offset = 0
      end = buf.length
    } else if (typeof end === 'string') {
      encoding = end
      end = buf.length
    }
    enc = normalizeEncoding(encoding)
    if (enc === undefined) {
      if (typeof encoding !== 'string') throw invalidArgType('encoding', 'string', encoding)
      throw unknownEncoding(encoding)
    }
    if (value.length === 0) value = 0
    else if (value.length === 1) {
      if (enc === 'utf8' && value.charCodeAt(0) < 128) value = value.charCodeAt(0)
      else if (enc === 'latin1') value = value.charCodeAt(0)
    }
  }
  let start: number
  let stop: number
  if (offset === undefined) {
    start = 0
    stop = buf.length
  } else {
    start = validateOffset(offset, 'offset')
    stop = end === undefined ? buf.length : validateOffset(end, 'end', 0, buf.length)
    if (start >= stop) return buf
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    if (stop - start + start > buf.byteLength) throw outOfBounds()
    u8Fill.call(buf, Number(value) & 255, start, stop)
    return buf
  }
  const bytes =
    typeof value === 'string'
      ? encode(value, enc!)
      : isUint8Array(value)
        ? value
        : ArrayBuffer.isView(value)
          ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
          : null
  if (bytes === null) {
    u8Fill.call(buf, Number(value) & 255, start, stop)
    return buf
  }
  if (bytes.length === 0) throw invalidArgValue('value', value)
  if (start > buf.length) throw outOfBounds()
  for (let i = start; i < stop; i += bytes.length) buf.set(stop - i >= bytes.length ? bytes : bytes.subarray(0, stop - i), i)
  return buf
}

function byteLength(string: unknown, encoding?: unknown): number {
  if (typeof string !== 'string') {
    if (ArrayBuffer.isView(string) || string instanceof ArrayBuffer) return string.byteLength
    throw invalidArgType('string', ['string', 'Buffer', 'ArrayBuffer'], string)
  }
  const e = normalizeEncoding(encoding) ?? 'utf8'
  return byteLengthOf(string, e)
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0
}

function compare(buf1: unknown, buf2: unknown): number {
  if (!isUint8Array(buf1)) throw invalidArgType('buf1', ['Buffer', 'Uint8Array'], buf1)
  if (!isUint8Array(buf2)) throw invalidArgType('buf2', ['Buffer', 'Uint8Array'], buf2)
  return buf1 === buf2 ? 0 : compareBytes(buf1, buf2)
}

function concat(list: unknown, length?: unknown): Buffer {
  if (!Array.isArray(list)) throw invalidArgType('list', 'Array', list)
  if (list.length === 0) return new FastBuffer() as Buffer
  let total: number
  if (length === undefined) {
    total = 0
    for (let i = 0; i < list.length; i++) {
      if (!isUint8Array(list[i])) throw invalidArgType(`list[${i}]`, ['Buffer', 'Uint8Array'], list[i])
      total += list[i].length
    }
  } else total = validateOffset(length, 'length')
  const out = new FastBuffer(total) as Buffer
  let pos = 0
  for (let i = 0; i < list.length && pos < total; i++) {
    const item = list[i]
    if (!isUint8Array(item)) throw invalidArgType(`list[${i}]`, ['Buffer', 'Uint8Array'], item)
    const part = pos + item.length > total ? item.subarray(0, total - pos) : item
    out.set(part, pos)
    pos += part.length
  }
  return out
}

function adjustOffset(offset: unknown, length: number): number {
  const n = Math.trunc(offset as number)
  if (n === 0 || Number.isNaN(n)) return 0
  if (n < 0) return n + length > 0 ? n + length : 0
  return n < length ? n : length
}

// lastIndexOf and indexOf as Node's C++ does: where the search starts, by direction.
function startOffset(length: number, offset: number, needle: number, forward: boolean): number {
  if (offset < 0) {
    if (offset + length >= 0) return length + offset
    return forward || needle === 0 ? 0 : -1
  }
  if (offset + needle <= length) return offset
  if (needle === 0) return length
  return forward ? -1 : length - 1
}

function indexOf(buf: Uint8Array, value: unknown, byteOffset: unknown, encoding: unknown, forward: boolean): number {
  if (typeof byteOffset === 'string') {
    encoding = byteOffset
    byteOffset = undefined
  }
  let offset = +(byteOffset as number)
  if (offset > 0x7fffffff) offset = 0x7fffffff
  else if (offset < -0x80000000) offset = -0x80000000
  if (Number.isNaN(offset)) offset = forward ? 0 : buf.length
  offset = Math.trunc(offset)
  let needle: Uint8Array
  if (typeof value === 'number') needle = new Uint8Array([value >>> 0])
  else if (typeof value === 'string') needle = encode(value, encoding === undefined ? 'utf8' : encodingOf(encoding))
  else if (isUint8Array(value)) needle = value
  else throw invalidArgType('value', ['number', 'string', 'Buffer', 'Uint8Array'], value)
  const n = needle.length
  const start = startOffset(buf.length, offset, n, forward)
  if (n === 0) return start
  if (buf.length === 0 || start <= -1) return -1
  if ((forward && n + start > buf.length) || n > buf.length) return -1
  const first = needle[0]
  if (forward) {
    for (let i = u8IndexOf.call(buf, first, start); i !== -1 && i + n <= buf.length; i = u8IndexOf.call(buf, first, i + 1))
      if (matchAt(buf, needle, i)) return i
  } else {
    for (let i = Math.min(start, buf.length - n); i >= 0; i--) if (buf[i] === first && matchAt(buf, needle, i)) return i
  }
  return -1
}

function matchAt(buf: Uint8Array, needle: Uint8Array, at: number): boolean {
  for (let j = 1; j < needle.length; j++) if (buf[at + j] !== needle[j]) return false
  return true
}

// --- bounds checks for the read/write methods, as Node's lib/internal/buffer.js words them

function boundsError(value: number, length: number, type?: string): never {
  if (Math.floor(value) !== value) {
    if (type) validateNumber(value, type)
    throw outOfRange(type || 'offset', 'an integer', value)
  }
  if (length < 0) throw outOfBounds()
  throw outOfRange(type || 'offset', `>= ${type ? 1 : 0} and <= ${length}`, value)
}

/** Checks `bytes` bytes at offset exist; returns the offset. */
function at(buf: Uint8Array, offset: unknown, bytes: number): number {
  validateNumber(offset, 'offset')
  if (buf[offset] === undefined || buf[offset + bytes - 1] === undefined) boundsError(offset, buf.length - bytes)
  return offset
}

function checkInt(
  value: number | bigint,
  min: number | bigint,
  max: number | bigint,
  buf: Uint8Array,
  offset: unknown,
  bytes: number,
): number {
  if (value > max || value < min) {
    const n = typeof min === 'bigint' ? 'n' : ''
    let range: string
    if (bytes > 4) {
      if (min === 0 || min === 0n) range = `>= 0${n} and < 2${n} ** ${bytes * 8}${n}`
      else range = `>= -(2${n} ** ${bytes * 8 - 1}${n}) and < 2${n} ** ${bytes * 8 - 1}${n}`
    } else range = `>= ${min}${n} and <= ${max}${n}`
    throw outOfRange('value', range, value)
  }
  return at(buf, offset, bytes)
}

function byteCount(byteLength: unknown): number {
  if (byteLength === undefined) throw invalidArgType('byteLength', 'number', byteLength)
  validateNumber(byteLength, 'byteLength')
  if (!(byteLength >= 1 && byteLength <= 6 && Number.isInteger(byteLength))) boundsError(byteLength, 6, 'byteLength')
  return byteLength
}

function readUInt(buf: Uint8Array, offset: unknown, bytes: number, littleEndian: boolean): number {
  const o = at(buf, offset, bytes)
  let v = 0
  if (littleEndian) for (let i = bytes - 1; i >= 0; i--) v = v * 256 + buf[o + i]
  else for (let i = 0; i < bytes; i++) v = v * 256 + buf[o + i]
  return v
}

function readInt(buf: Uint8Array, offset: unknown, bytes: number, littleEndian: boolean): number {
  const v = readUInt(buf, offset, bytes, littleEndian)
  const limit = 2 ** (bytes * 8 - 1)
  return v >= limit ? v - limit * 2 : v
}

function writeInt(buf: Uint8Array, value: unknown, offset: unknown, bytes: number, littleEndian: boolean, signed: boolean): number {
  const v = +(value as number)
  const min = signed ? -(2 ** (bytes * 8 - 1)) : 0
  const max = signed ? 2 ** (bytes * 8 - 1) - 1 : 2 ** (bytes * 8) - 1
  let o: number
  if (bytes === 1) {
    // One byte: the offset is checked first, as Node does there.
    validateNumber(offset, 'offset')
    if (v > max || v < min) throw outOfRange('value', `>= ${min} and <= ${max}`, v)
    if (buf[offset] === undefined) boundsError(offset, buf.length - 1)
    o = offset
  } else o = checkInt(v, min, max, buf, offset, bytes)
  let rest = v
  for (let i = 0; i < bytes; i++) {
    buf[littleEndian ? o + i : o + bytes - 1 - i] = rest
    rest = Math.floor(rest / 256)
  }
  return o + bytes
}

const f32 = new Float32Array(1)
const f64 = new Float64Array(1)
const f32Bytes = new Uint8Array(f32.buffer)
const f64Bytes = new Uint8Array(f64.buffer)

function readFloat(buf: Uint8Array, offset: unknown, double: boolean, littleEndian: boolean): number {
  const n = double ? 8 : 4
  const o = at(buf, offset, n)
  const bytes = double ? f64Bytes : f32Bytes
  for (let i = 0; i < n; i++) bytes[littleEndian ? i : n - 1 - i] = buf[o + i]
  return double ? f64[0] : f32[0]
}

function writeFloat(buf: Uint8Array, value: unknown, offset: unknown, double: boolean, littleEndian: boolean): number {
  const n = double ? 8 : 4
  const v = +(value as number)
  const o = at(buf, offset, n)
  if (double) f64[0] = v
  else f32[0] = v
  const bytes = double ? f64Bytes : f32Bytes
  for (let i = 0; i < n; i++) buf[o + i] = bytes[littleEndian ? i : n - 1 - i]
  return o + n
}

function readBig(buf: Uint8Array, offset: unknown, signed: boolean, littleEndian: boolean): bigint {
  const o = at(buf, offset, 8)
  let v = 0n
  for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(buf[o + (littleEndian ? 7 - i : i)])
  return signed ? BigInt.asIntN(64, v) : v
}

function writeBig(buf: Uint8Array, value: bigint, offset: unknown, signed: boolean, littleEndian: boolean): number {
  const min = signed ? -(2n ** 63n) : 0n
  const max = signed ? 2n ** 63n - 1n : 2n ** 64n - 1n
  const o = checkInt(value, min, max, buf, offset, 8)
  let rest = BigInt.asUintN(64, value)
  for (let i = 0; i < 8; i++) {
    buf[littleEndian ? o + i : o + 7 - i] = Number(rest & 0xffn)
    rest >>= 8n
  }
  return o + 8
}

function swap(buf: Uint8Array, size: number): Uint8Array {
  if (buf.length % size !== 0) throw nodeError(RangeError, 'ERR_INVALID_BUFFER_SIZE', `Buffer size must be a multiple of ${size * 8}-bits`)
  for (let i = 0; i < buf.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = buf[a]
      buf[a] = buf[b]
      buf[b] = t
    }
  }
  return buf
}

function toInteger(n: unknown, fallback: number): number {
  const v = +(n as number)
  if (!Number.isNaN(v) && v >= Number.MIN_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER) return v % 1 === 0 ? v : Math.floor(v)
  return fallback
}

export interface Buffer extends Uint8Array {
  [key: string]: any // eslint-disable-line @typescript-eslint/no-explicit-any
}

interface BufferConstructor {
  (value: unknown, encodingOrOffset?: unknown, length?: unknown): Buffer
  new (value: unknown, encodingOrOffset?: unknown, length?: unknown): Buffer
  [key: string]: any // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Buffer(x) and new Buffer(x): deprecated in Node, still working there and here. */
export const Buffer = function Buffer(value: unknown, encodingOrOffset?: unknown, length?: unknown): Buffer {
  if (typeof value === 'number') {
    if (typeof encodingOrOffset === 'string') throw invalidArgType('string', 'string', value)
    return alloc(value)
  }
  return from(value, encodingOrOffset, length)
} as unknown as BufferConstructor

Object.defineProperty(Buffer, 'name', { value: 'Buffer' })
Buffer.prototype = FastBuffer.prototype
Object.defineProperty(FastBuffer.prototype, 'constructor', { value: Buffer, writable: true, configurable: true })
Object.setPrototypeOf(Buffer, Uint8Array)
Object.defineProperty(Buffer, Symbol.species, { get: () => FastBuffer, configurable: true })

Object.assign(Buffer, {
  poolSize: 8192,
  from,
  of: (...items: number[]) => fromArrayLike(items),
  alloc,
  allocUnsafe,
  allocUnsafeSlow: allocUnsafe,
  byteLength,
  compare,
  concat,
  isBuffer: (b: unknown) => b instanceof Buffer,
  isEncoding: (enc: unknown) => typeof enc === 'string' && enc.length !== 0 && normalizeEncoding(enc) !== undefined,
  copyBytesFrom(view: unknown, offset?: unknown, length?: unknown): Buffer {
    if (!ArrayBuffer.isView(view) || view instanceof DataView) throw invalidArgType('view', 'TypedArray', view)
    const typed = view as unknown as { length: number; BYTES_PER_ELEMENT: number; byteOffset: number; buffer: ArrayBuffer }
    const start = offset === undefined ? 0 : validateOffset(offset, 'offset', 0)
    const end = length === undefined ? typed.length : Math.min(typed.length, start + validateOffset(length, 'length', 0))
    if (start >= typed.length || end <= start) return new FastBuffer() as Buffer
    const size = typed.BYTES_PER_ELEMENT
    return fromArrayLike(new Uint8Array(typed.buffer, typed.byteOffset + start * size, (end - start) * size))
  },
})

type Self = Buffer

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const methods: Record<string, (this: Self, ...args: any[]) => unknown> & ThisType<Self> = {
  toString(encoding?: unknown, start?: unknown, end?: unknown): string {
    if (arguments.length === 0) return decode(this, 'utf8')
    const len = this.length
    let s: number
    if ((start as number) <= 0) s = 0
    else if ((start as number) >= len) return ''
    else s = Math.trunc(start as number) || 0
    const e = end === undefined || (end as number) > len ? len : Math.trunc(end as number) || 0
    if (e <= s) return ''
    const enc = encoding === undefined ? 'utf8' : encodingOf(encoding)
    return decode(s === 0 && e === len ? this : this.subarray(s, e), enc)
  },
  toLocaleString(encoding?: unknown, start?: unknown, end?: unknown): string {
    return (methods.toString as (...a: unknown[]) => string).call(this, encoding, start, end)
  },
  write(string: unknown, offset?: unknown, length?: unknown, encoding?: unknown): number {
    if (typeof string !== 'string') throw Object.assign(new TypeError('argument must be a string'), { code: 'ERR_INVALID_ARG_TYPE' })
    let o = 0
    let len = this.length
    if (offset === undefined) {
      // write(string)
    } else if (length === undefined && typeof offset === 'string') {
      encoding = offset
    } else {
      o = validateOffset(offset, 'offset', 0, this.length)
      const remaining = this.length - o
      if (length === undefined) len = remaining
      else if (typeof length === 'string') {
        encoding = length
        len = remaining
      } else {
        len = Math.min(validateOffset(length, 'length', 0, this.length), remaining)
      }
    }
    const enc = !encoding ? 'utf8' : encodingOf(encoding)
    return encodeInto(string, this.subarray(o, o + len), enc)
  },
  toJSON(): { type: 'Buffer'; data: number[] } {
    return { type: 'Buffer', data: Array.prototype.slice.call(this) as number[] }
  },
  equals(other: unknown): boolean {
    if (!isUint8Array(other)) throw invalidArgType('otherBuffer', ['Buffer', 'Uint8Array'], other)
    return this === other || (this.length === other.length && compareBytes(this, other) === 0)
  },
  compare(target: unknown, targetStart?: unknown, targetEnd?: unknown, sourceStart?: unknown, sourceEnd?: unknown): number {
    if (!isUint8Array(target)) throw invalidArgType('target', ['Buffer', 'Uint8Array'], target)
    const ts = targetStart === undefined ? 0 : validateOffset(targetStart, 'targetStart')
    const te = targetEnd === undefined ? target.length : validateOffset(targetEnd, 'targetEnd', 0, target.length)
    const ss = sourceStart === undefined ? 0 : validateOffset(sourceStart, 'sourceStart')
    const se = sourceEnd === undefined ? this.length : validateOffset(sourceEnd, 'sourceEnd', 0, this.length)
    if (ss >= se) return ts >= te ? 0 : -1
    if (ts >= te) return 1
    return compareBytes(this.subarray(ss, se), target.subarray(ts, te))
  },
  copy(target: unknown, targetStart?: unknown, sourceStart?: unknown, sourceEnd?: unknown): number {
    if (!isUint8Array(target)) throw invalidArgType('target', ['Buffer', 'Uint8Array'], target)
    let ts = 0
    if (targetStart !== undefined) {
      ts = toInteger(targetStart, 0)
      if (ts < 0) throw outOfRange('targetStart', '>= 0', ts)
    }
    let ss = 0
    if (sourceStart !== undefined) {
      ss = toInteger(sourceStart, 0)
      if (ss < 0 || ss > this.length) throw outOfRange('sourceStart', `>= 0 && <= ${this.length}`, ss)
    }
    let se = this.length
    if (sourceEnd !== undefined) {
      se = toInteger(sourceEnd, 0)
      if (se < 0) throw outOfRange('sourceEnd', '>= 0', se)
    }
    if (ts >= target.length || ss >= se) return 0
    if (se - ss > target.length - ts) se = ss + target.length - ts
    const n = Math.min(se - ss, this.length - ss)
    target.set(new Uint8Array(this.buffer, this.byteOffset + ss, n), ts)
    return n
  },
  fill(value: unknown, offset?: unknown, end?: unknown, encoding?: unknown): Self {
    return fillBuffer(this, value, offset, end, encoding) as Self
  },
  indexOf(value: unknown, byteOffset?: unknown, encoding?: unknown): number {
    return indexOf(this, value, byteOffset, encoding, true)
  },
  lastIndexOf(value: unknown, byteOffset?: unknown, encoding?: unknown): number {
    return indexOf(this, value, byteOffset, encoding, false)
  },
  includes(value: unknown, byteOffset?: unknown, encoding?: unknown): boolean {
    return indexOf(this, value, byteOffset, encoding, true) !== -1
  },
  subarray(start?: unknown, end?: unknown): Self {
    const len = this.length
    const s = adjustOffset(start, len)
    const e = end !== undefined ? adjustOffset(end, len) : len
    return new FastBuffer(this.buffer as ArrayBuffer, this.byteOffset + s, e > s ? e - s : 0) as Self
  },
  slice(start?: unknown, end?: unknown): Self {
    return methods.subarray.call(this, start, end) as Self
  },
  swap16(): Self {
    return swap(this, 2) as Self
  },
  swap32(): Self {
    return swap(this, 4) as Self
  },
  swap64(): Self {
    return swap(this, 8) as Self
  },
  readUIntLE(offset: unknown, byteLength: unknown): number {
    if (offset === undefined) throw invalidArgType('offset', 'number', offset)
    return readUInt(this, offset, byteCount(byteLength), true)
  },
  readUIntBE(offset: unknown, byteLength: unknown): number {
    if (offset === undefined) throw invalidArgType('offset', 'number', offset)
    return readUInt(this, offset, byteCount(byteLength), false)
  },
  readIntLE(offset: unknown, byteLength: unknown): number {
    if (offset === undefined) throw invalidArgType('offset', 'number', offset)
    return readInt(this, offset, byteCount(byteLength), true)
  },
  readIntBE(offset: unknown, byteLength: unknown): number {
    if (offset === undefined) throw invalidArgType('offset', 'number', offset)
    return readInt(this, offset, byteCount(byteLength), false)
  },
  writeUIntLE(value: unknown, offset: unknown, byteLength: unknown): number {
    return writeInt(this, value, offset, byteCount(byteLength), true, false)
  },
  writeUIntBE(value: unknown, offset: unknown, byteLength: unknown): number {
    return writeInt(this, value, offset, byteCount(byteLength), false, false)
  },
  writeIntLE(value: unknown, offset: unknown, byteLength: unknown): number {
    return writeInt(this, value, offset, byteCount(byteLength), true, true)
  },
  writeIntBE(value: unknown, offset: unknown, byteLength: unknown): number {
    return writeInt(this, value, offset, byteCount(byteLength), false, true)
  },
  readFloatLE(offset: unknown = 0): number {
    return readFloat(this, offset, false, true)
  },
  readFloatBE(offset: unknown = 0): number {
    return readFloat(this, offset, false, false)
  },
  readDoubleLE(offset: unknown = 0): number {
    return readFloat(this, offset, true, true)
  },
  readDoubleBE(offset: unknown = 0): number {
    return readFloat(this, offset, true, false)
  },
  writeFloatLE(value: unknown, offset: unknown = 0): number {
    return writeFloat(this, value, offset, false, true)
  },
  writeFloatBE(value: unknown, offset: unknown = 0): number {
    return writeFloat(this, value, offset, false, false)
  },
  writeDoubleLE(value: unknown, offset: unknown = 0): number {
    return writeFloat(this, value, offset, true, true)
  },
  writeDoubleBE(value: unknown, offset: unknown = 0): number {
    return writeFloat(this, value, offset, true, false)
  },
  readBigUInt64LE(offset: unknown = 0): bigint {
    return readBig(this, offset, false, true)
  },
  readBigUInt64BE(offset: unknown = 0): bigint {
    return readBig(this, offset, false, false)
  },
  readBigInt64LE(offset: unknown = 0): bigint {
    return readBig(this, offset, true, true)
  },
  readBigInt64BE(offset: unknown = 0): bigint {
    return readBig(this, offset, true, false)
  },
  writeBigUInt64LE(value: bigint, offset: unknown = 0): number {
    return writeBig(this, value, offset, false, true)
  },
  writeBigUInt64BE(value: bigint, offset: unknown = 0): number {
    return writeBig(this, value, offset, false, false)
  },
  writeBigInt64LE(value: bigint, offset: unknown = 0): number {
    return writeBig(this, value, offset, true, true)
  },
  writeBigInt64BE(value: bigint, offset: unknown = 0): number {
    return writeBig(this, value, offset, true, false)
  },
}

// The fixed-width integers: readUInt8 ... writeInt32BE, each with its lower-case alias.
for (const [bits, bytes] of [
  [8, 1],
  [16, 2],
  [32, 4],
] as const) {
  for (const signed of [false, true]) {
    for (const endian of bytes === 1 ? [''] : ['LE', 'BE']) {
      const little = endian !== 'BE'
      const name = `${signed ? 'Int' : 'UInt'}${bits}${endian}`
      methods[`read${name}`] = function (this: Self, offset: unknown = 0) {
        return signed ? readInt(this, offset, bytes, little) : readUInt(this, offset, bytes, little)
      }
      methods[`write${name}`] = function (this: Self, value: unknown, offset: unknown = 0) {
        return writeInt(this, value, offset, bytes, little, signed)
      }
    }
  }
}
for (const name of Object.keys(methods)) {
  const alias = name.replace('UInt', 'Uint')
  if (alias !== name) methods[alias] = methods[name]
}

for (const name of Object.keys(methods)) {
  Object.defineProperty(FastBuffer.prototype, name, { value: methods[name], writable: true, configurable: true })
}

Object.defineProperty(FastBuffer.prototype, customInspect, {
  value(this: Self): string {
    const max = INSPECT_MAX_BYTES
    const shown = decode(this.subarray(0, max), 'hex')
      .replace(/(.{2})/g, '$1 ')
      .trim()
    const remaining = this.length - max
    const more = remaining > 0 ? ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}` : ''
    return `<${this.constructor.name} ${shown}${more}>`
  },
  writable: true,
  configurable: true,
})

/** Deprecated in Node; a Buffer without its pool here too. */
export function SlowBuffer(size: number): Buffer {
  return allocUnsafe(size)
}

export function isUtf8(input: ArrayBufferView | ArrayBuffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(input)
    return true
  } catch {
    return false
  }
}

export function isAscii(input: ArrayBufferView | ArrayBuffer): boolean {
  const bytes = input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
  for (let i = 0; i < bytes.length; i++) if (bytes[i] > 0x7f) return false
  return true
}

export const atob = globalThis.atob
export const btoa = globalThis.btoa
export const Blob = globalThis.Blob
export const File = globalThis.File

export function setInspectMaxBytes(n: number): void {
  INSPECT_MAX_BYTES = n
}

export default {
  Buffer,
  SlowBuffer,
  kMaxLength,
  kStringMaxLength,
  constants,
  get INSPECT_MAX_BYTES() {
    return INSPECT_MAX_BYTES
  },
  set INSPECT_MAX_BYTES(n: number) {
    INSPECT_MAX_BYTES = n
  },
  isUtf8,
  isAscii,
  atob,
  btoa,
  Blob,
  File,
}
