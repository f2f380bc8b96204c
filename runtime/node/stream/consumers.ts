// node:stream/consumers: read a whole stream (Node's, a web ReadableStream, or any async
// iterable) as bytes, text or JSON.
import { Buffer } from '../buffer.ts'

type Source = AsyncIterable<unknown> | ReadableStream<unknown>

async function chunks(stream: Source): Promise<Uint8Array[]> {
  const out: Uint8Array[] = []
  const iterable = (
    Symbol.asyncIterator in (stream as object) ? stream : readerIterable(stream as ReadableStream<unknown>)
  ) as AsyncIterable<unknown>
  for await (const chunk of iterable) out.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array))
  return out
}

async function* readerIterable(stream: ReadableStream<unknown>): AsyncGenerator<unknown> {
  const reader = stream.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      yield value
    }
  } finally {
    reader.releaseLock()
  }
}

export async function buffer(stream: Source): Promise<Buffer> {
  return Buffer.concat(await chunks(stream))
}

export async function arrayBuffer(stream: Source): Promise<ArrayBuffer> {
  const b = await buffer(stream)
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer
}

export async function blob(stream: Source): Promise<Blob> {
  return new Blob((await chunks(stream)) as BlobPart[])
}

export async function text(stream: Source): Promise<string> {
  const decoder = new TextDecoder()
  let out = ''
  for (const chunk of await chunks(stream)) out += decoder.decode(chunk, { stream: true })
  return out + decoder.decode()
}

export async function json(stream: Source): Promise<unknown> {
  return JSON.parse(await text(stream))
}

export default { arrayBuffer, blob, buffer, json, text }
