// TextEncoder and TextDecoder (Encoding spec), UTF-8 only: the C core does the work in
// one call each way. Other labels throw RangeError, as Node does for unknown ones.
import { core } from './core.ts'
import { bytesView } from './blob.ts'

const UTF8_LABELS = ['utf-8', 'utf8', 'unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'x-unicode20utf8']

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

export class TextDecoder {
  #fatal: boolean
  #ignoreBOM: boolean
  #pending: Uint8Array | null = null
  #started = false

  constructor(label: string = 'utf-8', options?: { fatal?: boolean; ignoreBOM?: boolean }) {
    const name = `${label}`.trim().toLowerCase()
    if (UTF8_LABELS.indexOf(name) < 0)
      throw new RangeError(`TextDecoder: the "${label}" encoding is not supported (this runtime decodes UTF-8 only).`)
    this.#fatal = Boolean(options?.fatal)
    this.#ignoreBOM = Boolean(options?.ignoreBOM)
  }

  get encoding(): string {
    return 'utf-8'
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

  get [Symbol.toStringTag](): string {
    return 'TextDecoder'
  }
}

function toView(input: unknown): Uint8Array {
  if (input instanceof ArrayBuffer || ArrayBuffer.isView(input)) return bytesView(input)
  throw new TypeError('TextDecoder.decode: the input must be an ArrayBuffer or a view.')
}
