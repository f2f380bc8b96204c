// The Body mixin shared by Request and Response. A body is kept as it was given (a string,
// bytes, a Blob or a stream) and converted only when read: a handler's string answer
// reaches the shim as that same string, and no ReadableStream is built unless `.body` is read.
import { core } from './core.ts'
import { Blob, blobFromBytes, bytesView, concatBytes, kBytes } from './blob.ts'
import { lazyModule } from './define-global.ts'
import type * as FormDataModule from './form-data.ts'
import type { FormData as OurFormData } from './form-data.ts'
import { listHas, listGet, type Headers } from './headers.ts'
import { ReadableStream } from './streams.ts'
import { isURLSearchParams } from './url.ts'

// FormData loads on first use, through this one accessor (index.ts's global too): most
// bodies are strings or bytes, and a body is a FormData only once the module has loaded.
export const forms = lazyModule(() => require('./form-data.ts') as typeof FormDataModule, ['FormData'])

export type Stream = ReadableStream<Uint8Array>
export type Source = string | Uint8Array | Blob | Stream | null

export const kSource = Symbol('body source')
/** The stream `.body` returned for a source that is not a stream, once it was asked for. */
export const kStream = Symbol('body stream')
export const kUsed = Symbol('body used')
/** Flat [name, value, ...] list, names lower-cased: what the shim and fetch send. */
export const kHeaderList = Symbol('header list')
export const kHeaders = Symbol('headers object')

export function isStream(value: unknown): value is Stream {
  return value instanceof ReadableStream || (typeof value === 'object' && value !== null && typeof (value as any).getReader === 'function')
}

/** Turns a BodyInit into a Source, and adds its Content-Type to `list` when none is set. */
export function extractBody(value: unknown, list: string[]): Source {
  let type: string | null = null
  let source: Source
  if (value === null || value === undefined) return null
  if (typeof value === 'string') {
    source = value
    type = 'text/plain;charset=UTF-8'
  } else if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    // Not copied, unlike the spec: the hot path answers with bytes the handler just made.
    source = bytesView(value)
  } else if (value instanceof Blob) {
    source = value
    if (value.type !== '') type = value.type
  } else if (forms.ifLoaded() !== undefined && value instanceof forms().FormData) {
    const form = forms().serializeFormData(value)
    source = form.bytes
    type = form.type
  } else if (isURLSearchParams(value)) {
    source = value.toString()
    type = 'application/x-www-form-urlencoded;charset=UTF-8'
  } else if (isStream(value)) {
    source = unwrap(value)
  } else {
    source = `${value}`
    type = 'text/plain;charset=UTF-8'
  }
  if (type !== null && !listHas(list, 'content-type')) list.push('content-type', type)
  return source
}

/** The source's bytes now, for anything but a stream. */
export function sourceBytes(source: string | Uint8Array | Blob): Uint8Array {
  if (typeof source === 'string') return new Uint8Array(core.utf8Encode(source))
  if (source instanceof Uint8Array) return source
  return source[kBytes]
}

function toChunk(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return bytesView(value)
  if (typeof value === 'string') return new Uint8Array(core.utf8Encode(value))
  throw new TypeError('Body: a stream chunk must be a Uint8Array.')
}

export async function readAll(stream: Stream): Promise<Uint8Array> {
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    const chunk = toChunk(value)
    chunks.push(chunk)
    total += chunk.byteLength
  }
  return chunks.length === 0 ? new Uint8Array(0) : concatBytes(chunks, total)
}

function unusable(): Promise<never> {
  return Promise.reject(new TypeError('Body is unusable: Body has already been read'))
}

/** Marks a stream made by `.body`, pointing at the body it reads. */
const kOrigin = Symbol('body stream origin')

/** A one-chunk stream over a non-stream source; reading it is what marks the body used. */
function streamOver(owner: Body, source: string | Uint8Array | Blob): Stream {
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        owner[kUsed] = true
        const bytes = sourceBytes(source)
        if (bytes.byteLength > 0) controller.enqueue(bytes === source ? bytes.slice() : bytes)
        controller.close()
      },
    },
    { highWaterMark: 0 },
  ) as unknown as Stream
  ;(stream as any)[kOrigin] = owner
  return stream
}

/**
 * Hono re-wraps a finished response as `new Response(res.body, res)` whenever middleware
 * touches it (cors, secureHeaders, c.header() after next()). When that stream is one
 * `.body` made and nothing has read it, the new body is the same string or bytes: taking
 * them back keeps the one-write fast path instead of streaming chunked.
 */
function unwrap(stream: Stream): Source {
  const origin: Body | undefined = (stream as any)[kOrigin]
  if (origin === undefined || origin[kUsed] === true || stream.locked) return stream
  return origin[kSource]
}

// Not a spec rule: a MIME type's essence and parameter names are case-insensitive, and
// Node serialises them lower-cased for blob().type.
function mimeOf(list: string[]): string {
  const value = listGet(list, 'content-type')
  if (value === null) return ''
  const parts = value.split(';')
  let out = parts[0].trim().toLowerCase()
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i].trim()
    const eq = p.indexOf('=')
    if (eq > 0) out += `;${p.slice(0, eq).trim().toLowerCase()}=${p.slice(eq + 1).trim()}`
  }
  return out
}

/** An own ArrayBuffer holding exactly `bytes` (copied when it could be shared). */
function ownBuffer(bytes: Uint8Array, fresh: boolean): ArrayBuffer {
  if (fresh && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes.buffer as ArrayBuffer
  return bytes.slice().buffer as ArrayBuffer
}

/** Takes the source for reading: undefined when the body is unusable. Module functions,
 * not private methods: the shim makes requests with Object.create, which has no brand. */
function take(body: Body): Source | undefined {
  if (body[kUsed] === true) return undefined
  const source = body[kSource]
  const stream = body[kStream] ?? (isStream(source) ? source : null)
  if (stream !== null && stream.locked) return undefined
  if (source !== null) body[kUsed] = true
  return source
}

/** The bytes, and whether they are a fresh copy the caller may keep. */
function bytesOf(body: Body): Promise<[Uint8Array, boolean]> {
  const source = take(body)
  if (source === undefined) return unusable()
  if (source === null) return Promise.resolve([new Uint8Array(0), true])
  if (isStream(source)) return readAll(source).then((b) => [b, true])
  return Promise.resolve([sourceBytes(source), typeof source === 'string'])
}

/**
 * The Body mixin. Request and Response get copies of these members on their own
 * prototypes (mixBody), as the spec's IDL mixin has it, rather than a shared base class.
 * Only the source and the header list are set when a body is made: the other fields
 * appear when first needed, since each property costs time on every request in QuickJS.
 */
export class Body {
  declare [kSource]: Source;
  declare [kHeaderList]: string[];
  declare [kStream]?: Stream;
  declare [kUsed]?: boolean;
  declare [kHeaders]?: Headers

  get body(): Stream | null {
    const made = this[kStream]
    if (made !== undefined) return made
    const source = this[kSource]
    if (source === null || isStream(source)) return source
    return (this[kStream] = streamOver(this, source))
  }

  get bodyUsed(): boolean {
    return this[kUsed] === true
  }

  text(): Promise<string> {
    const source = take(this)
    if (source === undefined) return unusable()
    if (typeof source === 'string') return Promise.resolve(source)
    if (source === null) return Promise.resolve('')
    if (isStream(source)) return readAll(source).then((b) => core.utf8Decode(b, false, false))
    return Promise.resolve(core.utf8Decode(sourceBytes(source), false, false))
  }

  json(): Promise<any> {
    return this.text().then(JSON.parse)
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return bytesOf(this).then(([b, fresh]) => ownBuffer(b, fresh))
  }

  bytes(): Promise<Uint8Array> {
    return bytesOf(this).then(([b, fresh]) => (fresh ? b : b.slice()))
  }

  blob(): Promise<Blob> {
    return bytesOf(this).then(([b, fresh]) => blobFromBytes(fresh ? b : b.slice(), mimeOf(this[kHeaderList])))
  }

  formData(): Promise<OurFormData> {
    return bytesOf(this).then(([b]) => forms().parseFormBody(b, listGet(this[kHeaderList], 'content-type') ?? ''))
  }
}

/** Puts the Body members on a class's prototype. */
export function mixBody(target: { prototype: object }): void {
  for (const key of Reflect.ownKeys(Body.prototype)) {
    if (key !== 'constructor') Object.defineProperty(target.prototype, key, Object.getOwnPropertyDescriptor(Body.prototype, key)!)
  }
}

/** Copies the body for clone(): a stream is teed, anything else is immutable and shared. */
export function cloneBody(from: Body, to: Body): void {
  const made = from[kStream]
  if (from[kUsed] === true || (made !== undefined && made.locked)) throw new TypeError('clone: the body has already been read.')
  const source = from[kSource]
  if (isStream(source)) {
    if (source.locked) throw new TypeError('clone: the body has already been read.')
    const [a, b] = source.tee()
    from[kSource] = a as Stream
    to[kSource] = b as Stream
  } else {
    to[kSource] = source
  }
}
