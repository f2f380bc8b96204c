// FormData (XHR spec), its multipart/form-data serialisation (for request and response
// bodies) and the two body parsers behind `body.formData()`, which Hono's parseBody() uses.
// Parsing works on a Latin-1 view of the bytes, one character per byte, so the engine's
// native String.indexOf finds the boundaries.
import { core } from './core.ts'
import { Blob, File, fileFromBytes, kBytes } from './blob.ts'

type Entry = [string, string | File]

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

function usv(value: unknown): string {
  const s = `${value}`
  return /[\ud800-\udfff]/.test(s) ? s.replace(LONE_SURROGATE, '\ufffd') : s
}

function toEntry(name: unknown, value: unknown, filename: unknown, argc: number, method: string): Entry {
  if (argc < 2) throw new TypeError(`FormData.${method}: 2 arguments required, but only ${argc} present.`)
  if (value instanceof Blob) {
    const bytes = value[kBytes]
    if (!(value instanceof File)) return [usv(name), fileFromBytes(bytes, filename === undefined ? 'blob' : usv(filename), value.type)]
    if (filename !== undefined) return [usv(name), fileFromBytes(bytes, usv(filename), value.type, value.lastModified)]
    return [usv(name), value]
  }
  if (argc > 2) throw new TypeError(`FormData.${method}: parameter 2 is not of type 'Blob'.`)
  return [usv(name), usv(value)]
}

export class FormData {
  #entries: Entry[] = []

  constructor(form?: unknown) {
    if (form !== undefined) throw new TypeError('FormData: constructing from a form element is not supported outside a browser.')
  }

  append(name: string, value: string | Blob, filename?: string): void {
    this.#entries.push(toEntry(name, value, filename, arguments.length, 'append'))
  }

  delete(name: string): void {
    const n = usv(name)
    this.#entries = this.#entries.filter((e) => e[0] !== n)
  }

  get(name: string): string | File | null {
    const n = usv(name)
    for (const e of this.#entries) if (e[0] === n) return e[1]
    return null
  }

  getAll(name: string): Array<string | File> {
    const n = usv(name)
    const out: Array<string | File> = []
    for (const e of this.#entries) if (e[0] === n) out.push(e[1])
    return out
  }

  has(name: string): boolean {
    const n = usv(name)
    for (const e of this.#entries) if (e[0] === n) return true
    return false
  }

  set(name: string, value: string | Blob, filename?: string): void {
    const entry = toEntry(name, value, filename, arguments.length, 'set')
    const i = this.#entries.findIndex((e) => e[0] === entry[0])
    if (i < 0) this.#entries.push(entry)
    else this.#entries = [...this.#entries.slice(0, i), entry, ...this.#entries.slice(i + 1).filter((e) => e[0] !== entry[0])]
  }

  forEach(callback: (value: string | File, name: string, form: FormData) => void, thisArg?: unknown): void {
    if (typeof callback !== 'function') throw new TypeError('FormData.forEach: the callback must be a function.')
    for (const [name, value] of this) callback.call(thisArg, value, name, this)
  }

  *entries(): IterableIterator<[string, string | File]> {
    // Index-based over the live list, as the spec's iterator is.
    for (let i = 0; i < this.#entries.length; i++) yield [this.#entries[i][0], this.#entries[i][1]]
  }

  *keys(): IterableIterator<string> {
    for (let i = 0; i < this.#entries.length; i++) yield this.#entries[i][0]
  }

  *values(): IterableIterator<string | File> {
    for (let i = 0; i < this.#entries.length; i++) yield this.#entries[i][1]
  }

  [Symbol.iterator](): IterableIterator<[string, string | File]> {
    return this.entries()
  }

  get [Symbol.toStringTag](): string {
    return 'FormData'
  }
}

const escapeName = (s: string): string => s.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22')
const crlf = (s: string): string => s.replace(/\r\n|\r|\n/g, '\r\n')

/** The multipart/form-data encoding of `form`, with a fresh boundary. */
export function serializeFormData(form: FormData): { bytes: Uint8Array; type: string } {
  let boundary = '----formdata-scratchfn-'
  for (let i = 0; i < 12; i++) boundary += Math.floor(Math.random() * 10)
  const parts: Uint8Array[] = []
  let text = ''
  for (const [name, value] of form) {
    text += `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(crlf(name))}"`
    if (typeof value === 'string') {
      text += `\r\n\r\n${crlf(value)}\r\n`
    } else {
      text += `; filename="${escapeName(value.name)}"\r\nContent-Type: ${value.type || 'application/octet-stream'}\r\n\r\n`
      parts.push(new Uint8Array(core.utf8Encode(text)), value[kBytes])
      text = '\r\n'
    }
  }
  parts.push(new Uint8Array(core.utf8Encode(`${text}--${boundary}--\r\n`)))
  let size = 0
  for (const p of parts) size += p.byteLength
  const bytes = new Uint8Array(size)
  let at = 0
  for (const p of parts) {
    bytes.set(p, at)
    at += p.byteLength
  }
  return { bytes, type: `multipart/form-data; boundary=${boundary}` }
}

function failure(): TypeError {
  return new TypeError('Failed to parse body as FormData.')
}

/** Parses a request or response body by its Content-Type, as `body.formData()` does. */
export function parseFormBody(bytes: Uint8Array, contentType: string): FormData {
  const semi = contentType.indexOf(';')
  const essence = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase()
  if (essence === 'application/x-www-form-urlencoded') return parseUrlEncoded(core.utf8Decode(bytes, false, true))
  if (essence === 'multipart/form-data') return parseMultipart(bytes, contentType.slice(semi + 1))
  throw new TypeError('Content-Type was not one of "multipart/form-data" or "application/x-www-form-urlencoded".')
}

function percentDecode(s: string): string {
  if (s.indexOf('%') < 0) return s
  try {
    return decodeURIComponent(s)
  } catch {
    // Invalid escapes stay as they are and bad UTF-8 becomes U+FFFD, as the URL spec says.
    const raw = new Uint8Array(core.utf8Encode(s))
    const out = new Uint8Array(raw.length)
    let n = 0
    for (let i = 0; i < raw.length; i++) {
      const hex = raw[i] === 37 && i + 2 < raw.length ? String.fromCharCode(raw[i + 1], raw[i + 2]) : ''
      if (hex !== '' && /^[0-9a-fA-F]{2}$/.test(hex)) {
        out[n++] = parseInt(hex, 16)
        i += 2
      } else out[n++] = raw[i]
    }
    return core.utf8Decode(out.subarray(0, n), false, true)
  }
}

export function parseUrlEncoded(text: string): FormData {
  const form = new FormData()
  for (const piece of text.split('&')) {
    if (piece === '') continue
    const eq = piece.indexOf('=')
    const name = eq < 0 ? piece : piece.slice(0, eq)
    const value = eq < 0 ? '' : piece.slice(eq + 1)
    form.append(percentDecode(name.replace(/\+/g, ' ')), percentDecode(value.replace(/\+/g, ' ')))
  }
  return form
}

function boundaryOf(params: string): string {
  const m = /(?:^|;)\s*boundary\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/i.exec(params)
  const boundary = m === null ? '' : m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]
  if (boundary === '' || boundary.length > 70) throw failure()
  return boundary
}

// Quoted names come escaped as serializeFormData (and browsers) write them.
function dispositionParam(header: string, name: string): string | null {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]*))`, 'i').exec(header)
  if (m === null) return null
  return m[1] === undefined ? m[2] : m[1].replace(/%0A/gi, '\n').replace(/%0D/gi, '\r').replace(/%22/g, '"')
}

function parseMultipart(bytes: Uint8Array, params: string): FormData {
  const delimiter = `--${boundaryOf(params)}`
  const text = core.latin1Decode(bytes)
  const form = new FormData()
  if (!text.startsWith(delimiter)) throw failure()
  let at = delimiter.length
  for (;;) {
    if (text.startsWith('--', at)) return form
    if (!text.startsWith('\r\n', at)) throw failure()
    const headEnd = text.indexOf('\r\n\r\n', at)
    if (headEnd <= at) throw failure()
    // Header values carry raw UTF-8 (browsers send names and filenames that way).
    const head = core.utf8Decode(bytes.subarray(at + 2, headEnd), false, true)
    const bodyStart = headEnd + 4
    const bodyEnd = text.indexOf(`\r\n${delimiter}`, bodyStart)
    if (bodyEnd < 0) throw failure()
    let disposition: string | null = null
    let type: string | null = null
    for (const line of head.split('\r\n')) {
      const colon = line.indexOf(':')
      if (colon < 0) continue
      const key = line.slice(0, colon).trim().toLowerCase()
      const value = line.slice(colon + 1).trim()
      if (key === 'content-disposition') disposition = value
      else if (key === 'content-type') type = value
    }
    if (disposition === null || !/^form-data\s*(;|$)/i.test(disposition)) throw failure()
    const name = dispositionParam(disposition, 'name')
    if (name === null) throw failure()
    const filename = dispositionParam(disposition, 'filename')
    const body = bytes.subarray(bodyStart, bodyEnd)
    if (filename !== null) {
      const fileType = type === null ? 'text/plain' : /^[\x20-\x7e]*$/.test(type) ? type.toLowerCase() : ''
      form.append(name, fileFromBytes(body.slice(), filename, fileType))
    } else {
      form.append(name, core.utf8Decode(body, false, false))
    }
    at = bodyEnd + 2 + delimiter.length
  }
}
