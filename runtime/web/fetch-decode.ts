// fetch's Content-Encoding handling, as Node's fetch (undici) does it: the codings are
// undone last first, 'gzip' and 'x-gzip' as gzip, 'deflate' as zlib or raw deflate
// (whichever the first byte says); any other coding (br, identity, ...) leaves the body
// as it came. Headers stay as received (Content-Encoding and Content-Length included). A
// body cut short ends without an error; bad data errors the body with TypeError
// "terminated", zlib's error as its cause. The zlib streams are the lazy compression builtin.
import type { Stream } from './body.ts'
import { compression } from './compression.ts'

export function decodeBody(body: Stream, contentEncoding: string | null): Stream {
  if (contentEncoding === null) return body
  const codings = contentEncoding.toLowerCase().split(',')
  const formats: ('gzip' | 'deflate')[] = []
  for (let i = codings.length - 1; i >= 0; i--) {
    const c = codings[i].trim()
    if (c === 'gzip' || c === 'x-gzip') formats.push('gzip')
    else if (c === 'deflate') formats.push('deflate')
    else return body
  }
  const { zlibPair } = compression()
  const wrapError = (err: unknown) => new TypeError('terminated', { cause: err })
  let out = body as unknown as ReadableStream<Uint8Array>
  for (const f of formats) out = out.pipeThrough(zlibPair(f, true, { lenient: true, wrapError }) as any)
  return out as unknown as Stream
}
