// Blob and File (File API). A function's blobs are small and in memory, so a Blob is one
// immutable byte array; slice() shares it.
import { core } from './core.ts'
import { ReadableStream } from './streams.ts'

export const kBytes = Symbol('blob bytes')
const kType = Symbol('blob type')
const kName = Symbol('file name')
const kModified = Symbol('file last modified')

export type BlobPartLike = string | ArrayBuffer | ArrayBufferView | Blob

/** A Uint8Array over the same memory as any ArrayBuffer or view. */
export function bytesView(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof Uint8Array) return data
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

export function concatBytes(chunks: Uint8Array[], total?: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]
  let size = total ?? 0
  if (total === undefined) for (const c of chunks) size += c.byteLength
  const out = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.byteLength
  }
  return out
}

function normalizeType(type: unknown): string {
  if (type === undefined) return ''
  const s = `${type}`
  // The spec drops a type with any character outside U+0020..U+007E.
  return /^[\x20-\x7e]*$/.test(s) ? s.toLowerCase() : ''
}

function partsToBytes(parts: unknown, endings: unknown): Uint8Array {
  if (parts === undefined) return new Uint8Array(0)
  if (typeof parts !== 'object' || parts === null || typeof (parts as any)[Symbol.iterator] !== 'function') {
    throw new TypeError('Blob: the first argument must be a sequence of parts.')
  }
  const native = endings === 'native'
  if (endings !== undefined && !native && endings !== 'transparent') {
    throw new TypeError(`Blob: "${endings}" is not a valid value for endings.`)
  }
  const chunks: Uint8Array[] = []
  for (const part of parts as Iterable<unknown>) {
    if (part instanceof Blob) chunks.push(part[kBytes])
    else if (part instanceof ArrayBuffer || ArrayBuffer.isView(part)) chunks.push(bytesView(part).slice())
    else {
      const s = `${part}`
      chunks.push(new Uint8Array(core.utf8Encode(native ? s.replace(/\r\n?/g, '\n') : s)))
    }
  }
  return chunks.length === 0 ? new Uint8Array(0) : concatBytes(chunks)
}

export class Blob {
  declare [kBytes]: Uint8Array;
  declare [kType]: string

  constructor(parts?: Iterable<BlobPartLike>, options?: { type?: string; endings?: 'transparent' | 'native' }) {
    const opts = options ?? {}
    this[kBytes] = partsToBytes(parts, opts.endings)
    this[kType] = normalizeType(opts.type)
  }

  get size(): number {
    return this[kBytes].byteLength
  }

  get type(): string {
    return this[kType]
  }

  slice(start?: number, end?: number, contentType?: string): Blob {
    const size = this[kBytes].byteLength
    const from = relative(start, 0, size)
    const to = relative(end, size, size)
    return blobFromBytes(this[kBytes].subarray(from, Math.max(from, to)), normalizeType(contentType))
  }

  text(): Promise<string> {
    return Promise.resolve(core.utf8Decode(this[kBytes], false, false))
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this[kBytes].slice().buffer)
  }

  bytes(): Promise<Uint8Array> {
    return Promise.resolve(this[kBytes].slice())
  }

  stream(): ReadableStream<Uint8Array> {
    const bytes = this[kBytes]
    return new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (bytes.byteLength > 0) controller.enqueue(bytes.slice())
          controller.close()
        },
      },
      { highWaterMark: 0 },
    ) as unknown as ReadableStream<Uint8Array>
  }

  get [Symbol.toStringTag](): string {
    return 'Blob'
  }
}

function relative(value: number | undefined, fallback: number, size: number): number {
  if (value === undefined) return fallback
  const n = Math.trunc(Number(value)) || 0
  return n < 0 ? Math.max(size + n, 0) : Math.min(n, size)
}

export class File extends Blob {
  declare [kName]: string;
  declare [kModified]: number

  constructor(
    parts: Iterable<BlobPartLike>,
    name: string,
    options?: { type?: string; endings?: 'transparent' | 'native'; lastModified?: number },
  ) {
    if (arguments.length < 2) throw new TypeError('File: 2 arguments required, but only ' + arguments.length + ' present.')
    super(parts, options)
    this[kName] = `${name}`
    const modified = options?.lastModified
    this[kModified] = modified === undefined ? Date.now() : Math.trunc(Number(modified)) || 0
  }

  get name(): string {
    return this[kName]
  }

  get lastModified(): number {
    return this[kModified]
  }

  get [Symbol.toStringTag](): string {
    return 'File'
  }
}

/** A Blob over `bytes` (not copied: the caller hands them over). */
export function blobFromBytes(bytes: Uint8Array, type: string): Blob {
  const blob = Object.create(Blob.prototype) as Blob
  blob[kBytes] = bytes
  blob[kType] = type
  return blob
}

/** A File over `bytes` (not copied), as made by FormData and the multipart parser. */
export function fileFromBytes(bytes: Uint8Array, name: string, type: string, lastModified = Date.now()): File {
  const file = Object.create(File.prototype) as File
  file[kBytes] = bytes
  file[kType] = type
  file[kName] = name
  file[kModified] = lastModified
  return file
}
