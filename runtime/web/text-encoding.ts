// TextEncoder and TextDecoder (Encoding spec). TextEncoder is UTF-8, as the spec says;
// TextDecoder decodes UTF-8 (in C, one call), UTF-16LE/BE and windows-1252 (which the
// spec also names latin1, iso-8859-1, ascii and us-ascii) with fatal, ignoreBOM and
// streaming. Node 20 decodes windows-1252's 0x80-0x9F as Latin-1 (U+0080-U+009F); this
// follows the standard (0x80 is the euro sign). Unknown labels throw RangeError, as in Node.
import { core } from './core.ts'
import { bytesView } from './blob.ts'

const LABELS: Record<string, string> = {}
for (const [name, labels] of [
  ['utf-8', 'unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8'],
  ['utf-16le', 'csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le'],
  ['utf-16be', 'unicodefffe utf-16be'],
  [
    'windows-1252',
    'ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252',
  ],
])
  for (const label of labels.split(' ')) LABELS[label] = name

// windows-1252 from 0x80 to 0x9F; every other byte is its own code point.
const CP1252 =
  '\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178'

export class TextEncoder {
  get encoding(): string {
    return 'utf-8'
  }

  encode(input: string = ''): Uint8Array {
    return new Uint8Array(core.utf8Encode(`${input}`))
  }

  encodeInto(source: string, destination: Uint8Array): { read: number; written: number } {
    if (!(destination instanceof Uint8Array)) throw new TypeError('TextEncoder.encodeInto: the destination must be a Uint8Array.')
    const [read, written] = core.utf8EncodeInto(`${source}`, destination)
    return { read, written }
  }

  get [Symbol.toStringTag](): string {
    return 'TextEncoder'
  }
}

/** How many bytes at the end of `bytes` start a UTF-8 sequence that is not complete yet. */
function incompleteTail(bytes: Uint8Array): number {
  const n = bytes.length
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back]
    if ((b & 0xc0) !== 0x80) {
      const need = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 1
      return need > back ? back : 0
    }
  }
  return 0
}

function invalidData(encoding: string): TypeError {
  return Object.assign(new TypeError(`The encoded data was not valid for encoding ${encoding}`), {
    code: 'ERR_ENCODING_INVALID_ENCODED_DATA',
  })
}

function units(out: number[]): string {
  let s = ''
  for (let i = 0; i < out.length; i += 4096) s += String.fromCharCode.apply(null, out.slice(i, i + 4096))
  return s
}

export class TextDecoder {
  #encoding: string
  #fatal: boolean
  #ignoreBOM: boolean
  #pending: Uint8Array | null = null
  #started = false
  // UTF-16's state between chunks: the spec's leading byte and leading surrogate.
  #leadByte = -1
  #leadSurrogate = -1

  constructor(label: string = 'utf-8', options?: { fatal?: boolean; ignoreBOM?: boolean }) {
    const name = LABELS[`${label}`.trim().toLowerCase()]
    if (name === undefined)
      throw Object.assign(new RangeError(`The "${label}" encoding is not supported`), { code: 'ERR_ENCODING_NOT_SUPPORTED' })
    this.#encoding = name
    this.#fatal = Boolean(options?.fatal)
    this.#ignoreBOM = Boolean(options?.ignoreBOM)
  }

  get encoding(): string {
    return this.#encoding
  }

  get fatal(): boolean {
    return this.#fatal
  }

  get ignoreBOM(): boolean {
    return this.#ignoreBOM
  }

  decode(input?: ArrayBuffer | ArrayBufferView, options?: { stream?: boolean }): string {
    let bytes = input === undefined ? new Uint8Array(0) : toView(input)
    const stream = Boolean(options?.stream)
    if (this.#encoding === 'windows-1252') return core.latin1Decode(bytes).replace(/[\x80-\x9f]/g, (c) => CP1252[c.charCodeAt(0) - 0x80])
    if (this.#encoding !== 'utf-8') return this.#utf16(bytes, stream, this.#encoding === 'utf-16be')
    const pending = this.#pending
    if (pending !== null) {
      const joined = new Uint8Array(pending.length + bytes.length)
      joined.set(pending)
      joined.set(bytes, pending.length)
      bytes = joined
      this.#pending = null
    }
    if (stream) {
      const tail = incompleteTail(bytes)
      if (tail > 0) {
        this.#pending = bytes.slice(bytes.length - tail)
        bytes = bytes.subarray(0, bytes.length - tail)
      }
    }
    // A BOM is only a BOM at the start of the stream.
    const text = core.utf8Decode(bytes, this.#fatal, this.#ignoreBOM || this.#started)
    if (stream) {
      if (bytes.length > 0) this.#started = true
    } else {
      this.#started = false
    }
    return text
  }

  /** The Encoding standard's UTF-16 decoder, a byte at a time, carrying its state across chunks. */
  #utf16(bytes: Uint8Array, stream: boolean, bigEndian: boolean): string {
    const out: number[] = []
    const error = () => {
      if (this.#fatal) {
        this.#leadByte = this.#leadSurrogate = -1
        this.#started = false
        throw invalidData(this.#encoding)
      }
      out.push(0xfffd)
    }
    for (let i = 0; i < bytes.length; i++) {
      if (this.#leadByte < 0) {
        this.#leadByte = bytes[i]
        continue
      }
      const unit = bigEndian ? (this.#leadByte << 8) | bytes[i] : (bytes[i] << 8) | this.#leadByte
      this.#leadByte = -1
      if (this.#leadSurrogate >= 0) {
        const lead = this.#leadSurrogate
        this.#leadSurrogate = -1
        if (unit >= 0xdc00 && unit <= 0xdfff) {
          out.push(lead, unit)
          continue
        }
        error()
      }
      if (unit >= 0xd800 && unit <= 0xdbff) this.#leadSurrogate = unit
      else if (unit >= 0xdc00 && unit <= 0xdfff) error()
      else out.push(unit)
    }
    if (!stream && (this.#leadByte >= 0 || this.#leadSurrogate >= 0)) {
      this.#leadByte = this.#leadSurrogate = -1
      error()
    }
    // A BOM is dropped only as the stream's first character.
    if (!this.#started && out.length > 0) {
      this.#started = true
      if (out[0] === 0xfeff && !this.#ignoreBOM) out.shift()
    }
    if (!stream) this.#started = false
    return units(out)
  }

  get [Symbol.toStringTag](): string {
    return 'TextDecoder'
  }
}

function toView(input: unknown): Uint8Array {
  if (input instanceof ArrayBuffer || ArrayBuffer.isView(input)) return bytesView(input)
  throw new TypeError('TextDecoder.decode: the input must be an ArrayBuffer or a view.')
}
