// CompressionStream and DecompressionStream (Compression Streams spec) on zlib in the core
// (runtime/core/zlib-stream.c), for gzip, deflate and deflate-raw. Part of the lazy
// 'compression' builtin (runtime/web/builtins/compression.ts), so a function that never
// compresses does not read it at start.
//
// Not a TransformStream: output is made as the readable side is read, one chunk of at
// most 64 KB per pull, and a write resolves once zlib has taken all of its bytes. The
// readable keeps at most one chunk ready, so a reader that stops stops the (de)compressing,
// the writer waits in turn, and a gzip bomb only grows as far as it is read. Errors are
// Node's: zlib's message with code Z_DATA_ERROR or Z_BUF_ERROR ("unexpected end of file").
import { core, type ZlibHandle } from './core.ts'

type Format = 'gzip' | 'deflate' | 'deflate-raw'
const FORMATS = ['gzip', 'deflate', 'deflate-raw']

interface Pair {
  readable: ReadableStream<Uint8Array>
  writable: WritableStream<BufferSource>
}

interface Waiter {
  resolve: () => void
  reject: (err: unknown) => void
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk)
  // Node's zlib takes strings too, as UTF-8.
  if (typeof chunk === 'string') return new Uint8Array(core.utf8Encode(chunk))
  const err = new TypeError(
    `The "chunk" argument must be of type string or an instance of Buffer, TypedArray, or DataView.${describe(chunk)}`,
  )
  ;(err as any).code = 'ERR_INVALID_ARG_TYPE'
  throw err
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return ` Received ${v}`
  if (typeof v === 'object') return ` Received an instance of ${(v as object).constructor?.name ?? 'Object'}`
  return ` Received type ${typeof v} (${String(v)})`
}

function checkFormat(format: unknown): Format {
  if (FORMATS.indexOf(format as string) < 0) {
    const err = new TypeError(`The argument 'format' is invalid. Received ${typeof format === 'string' ? `'${format}'` : String(format)}`)
    ;(err as any).code = 'ERR_INVALID_ARG_VALUE'
    throw err
  }
  return format as Format
}

export interface PairOptions {
  /** A stream cut short ends without an error, and 'deflate' may be raw deflate too: as Node's fetch decodes bodies. */
  lenient?: boolean
  /** What the readable side errors with, given zlib's error. */
  wrapError?: (err: unknown) => unknown
}

/**
 * The readable/writable pair over one zlib stream. Used by the two classes and by fetch
 * (runtime/web/fetch-decode.ts) to decode response bodies.
 */
export function zlibPair(format: Format, decompress: boolean, options: PairOptions = {}): Pair {
  const lenient = options.lenient === true
  // Lenient 'deflate' picks zlib or raw deflate by the first byte, as undici does.
  let handle: ZlibHandle | null = lenient && format === 'deflate' ? null : core.zlibNew(format, decompress)
  const run = (bytes: Uint8Array | undefined, at: number, finish: boolean) => {
    if (handle === null) handle = core.zlibNew(bytes !== undefined && (bytes[at] & 0x0f) !== 8 ? 'deflate-raw' : 'deflate', true)
    try {
      return core.zlibRun(handle, bytes, at, finish)
    } catch (err) {
      if (lenient && finish && (err as any)?.code === 'Z_BUF_ERROR') return [null, 0, true] as [null, number, boolean]
      throw options.wrapError ? options.wrapError(err) : err
    }
  }
  const end = () => {
    if (handle !== null) core.zlibEnd(handle)
  }
  let input: Uint8Array | null = null
  let offset = 0
  let writeWaiter: Waiter | null = null
  let closeWaiter: Waiter | null = null
  let finishing = false
  let ended = false
  let failed: unknown = null
  let wakeReader: (() => void) | null = null

  const wake = () => {
    const w = wakeReader
    wakeReader = null
    w?.()
  }
  const settleWrite = (err?: unknown) => {
    const w = writeWaiter
    writeWaiter = null
    input = null
    if (w) err === undefined ? w.resolve() : w.reject(err)
  }
  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, err: unknown) => {
    failed = err
    end()
    controller.error(err)
    settleWrite(err)
    const c = closeWaiter
    closeWaiter = null
    c?.reject(err)
  }

  const produce = (controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> | void => {
    for (;;) {
      if (failed !== null) return
      if (input !== null && !ended) {
        let r: [ArrayBuffer | null, number, boolean]
        try {
          r = run(input, offset, false)
        } catch (err) {
          return fail(controller, err)
        }
        offset += r[1]
        if (r[2]) ended = true
        // Bytes after the end of a deflate stream are ignored, as Node does.
        if (offset >= input.byteLength || ended) settleWrite()
        if (r[0] !== null) return controller.enqueue(new Uint8Array(r[0]))
        continue
      }
      if (input !== null) settleWrite()
      if (finishing) {
        if (ended) {
          controller.close()
          const c = closeWaiter
          closeWaiter = null
          c?.resolve()
          return
        }
        let r: [ArrayBuffer | null, number, boolean]
        try {
          r = run(undefined, 0, true)
        } catch (err) {
          return fail(controller, err)
        }
        if (r[2]) ended = true
        if (r[0] !== null) return controller.enqueue(new Uint8Array(r[0]))
        continue
      }
      return new Promise<void>((resolve) => {
        wakeReader = resolve
      }).then(() => produce(controller))
    }
  }

  let readController: ReadableStreamDefaultController<Uint8Array>
  const readable = new ReadableStream<Uint8Array>(
    {
      start(c) {
        readController = c
      },
      pull: (c) => produce(c),
      cancel(reason) {
        failed = reason ?? new TypeError('the readable side was cancelled')
        end()
        settleWrite(failed)
        const c = closeWaiter
        closeWaiter = null
        c?.reject(failed)
        wake()
      },
    },
    { highWaterMark: 1 },
  )
  const writable = new WritableStream<BufferSource>({
    write(chunk) {
      if (failed !== null) return Promise.reject(failed)
      const bytes = toBytes(chunk)
      if (bytes.byteLength === 0 || ended) return
      input = bytes
      offset = 0
      return new Promise<void>((resolve, reject) => {
        writeWaiter = { resolve, reject }
        wake()
      })
    },
    close() {
      if (failed !== null) return Promise.reject(failed)
      finishing = true
      return new Promise<void>((resolve, reject) => {
        closeWaiter = { resolve, reject }
        wake()
      })
    },
    abort(reason) {
      if (failed === null) fail(readController, reason)
    },
  })
  return { readable, writable }
}

const kPair = Symbol('pair')

export class CompressionStream {
  declare [kPair]: Pair
  constructor(format: Format) {
    this[kPair] = zlibPair(checkFormat(format), false)
  }
  get readable(): ReadableStream<Uint8Array> {
    return this[kPair].readable
  }
  get writable(): WritableStream<BufferSource> {
    return this[kPair].writable
  }
}

export class DecompressionStream {
  declare [kPair]: Pair
  constructor(format: Format) {
    this[kPair] = zlibPair(checkFormat(format), true)
  }
  get readable(): ReadableStream<Uint8Array> {
    return this[kPair].readable
  }
  get writable(): WritableStream<BufferSource> {
    return this[kPair].writable
  }
}

for (const C of [CompressionStream, DecompressionStream]) {
  Object.defineProperty(C.prototype, Symbol.toStringTag, {
    value: C === CompressionStream ? 'CompressionStream' : 'DecompressionStream',
    configurable: true,
  })
}
