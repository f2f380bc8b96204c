// TextEncoderStream and TextDecoderStream (Encoding Standard): TextEncoder and
// TextDecoder wrapped in a TransformStream. They use the global encoder classes,
// so they follow whatever the fetch family installs.
import { streams, type TransformStream } from './streams.ts'

export class TextEncoderStream {
  #stream: TransformStream<string, Uint8Array>

  constructor() {
    const encoder = new TextEncoder()
    // A chunk may end inside a surrogate pair; hold the high half for the next one.
    let pending = ''
    this.#stream = new (streams().TransformStream)<string, Uint8Array>({
      transform(chunk, controller) {
        let text = pending + String(chunk)
        pending = ''
        const last = text.charCodeAt(text.length - 1)
        if (last >= 0xd800 && last <= 0xdbff) {
          pending = text.slice(-1)
          text = text.slice(0, -1)
        }
        if (text) controller.enqueue(encoder.encode(text))
      },
      flush(controller) {
        if (pending) controller.enqueue(new Uint8Array([0xef, 0xbf, 0xbd]))
      },
    })
  }

  get encoding(): string {
    return 'utf-8'
  }
  get readable() {
    return this.#stream.readable
  }
  get writable() {
    return this.#stream.writable
  }
}

export class TextDecoderStream {
  #decoder: TextDecoder
  #stream: TransformStream<BufferSource, string>

  constructor(label?: string, options?: TextDecoderOptions) {
    const decoder = new TextDecoder(label, options)
    this.#decoder = decoder
    this.#stream = new (streams().TransformStream)<BufferSource, string>({
      transform(chunk, controller) {
        const text = decoder.decode(chunk, { stream: true })
        if (text) controller.enqueue(text)
      },
      flush(controller) {
        const text = decoder.decode()
        if (text) controller.enqueue(text)
      },
    })
  }

  get encoding(): string {
    return this.#decoder.encoding
  }
  get fatal(): boolean {
    return this.#decoder.fatal
  }
  get ignoreBOM(): boolean {
    return this.#decoder.ignoreBOM
  }
  get readable() {
    return this.#stream.readable
  }
  get writable() {
    return this.#stream.writable
  }
}
