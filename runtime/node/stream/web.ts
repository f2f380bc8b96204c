// node:stream/web: the runtime's WHATWG streams, which are also globals.
export const ReadableStream = globalThis.ReadableStream
export const ReadableStreamDefaultReader = globalThis.ReadableStreamDefaultReader
export const ReadableStreamBYOBReader = globalThis.ReadableStreamBYOBReader
export const ReadableStreamBYOBRequest = globalThis.ReadableStreamBYOBRequest
export const ReadableByteStreamController = globalThis.ReadableByteStreamController
export const ReadableStreamDefaultController = globalThis.ReadableStreamDefaultController
export const WritableStream = globalThis.WritableStream
export const WritableStreamDefaultWriter = globalThis.WritableStreamDefaultWriter
export const WritableStreamDefaultController = globalThis.WritableStreamDefaultController
export const TransformStream = globalThis.TransformStream
export const TransformStreamDefaultController = globalThis.TransformStreamDefaultController
export const ByteLengthQueuingStrategy = globalThis.ByteLengthQueuingStrategy
export const CountQueuingStrategy = globalThis.CountQueuingStrategy
export const TextEncoderStream = globalThis.TextEncoderStream
export const TextDecoderStream = globalThis.TextDecoderStream

export default {
  ReadableStream,
  ReadableStreamDefaultReader,
  ReadableStreamBYOBReader,
  ReadableStreamBYOBRequest,
  ReadableByteStreamController,
  ReadableStreamDefaultController,
  WritableStream,
  WritableStreamDefaultWriter,
  WritableStreamDefaultController,
  TransformStream,
  TransformStreamDefaultController,
  ByteLengthQueuingStrategy,
  CountQueuingStrategy,
  TextEncoderStream,
  TextDecoderStream,
}
