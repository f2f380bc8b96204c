// node:stream: readable-stream 4 (Node 18's streams, published by the Node.js project
// for other runtimes), on our Buffer, events, process and string_decoder.
import StreamModule from 'readable-stream/lib/stream.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const Stream = StreamModule as any

export const {
  Readable,
  Writable,
  Duplex,
  Transform,
  PassThrough,
  pipeline,
  finished,
  addAbortSignal,
  destroy,
  compose,
  isDisturbed,
  isErrored,
  isReadable,
} = Stream
export const promises = Stream.promises
export { Stream }
export default Stream
