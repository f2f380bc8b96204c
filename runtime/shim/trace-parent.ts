// W3C Trace Context (level 1) for the Node side, by the same rules as the image's C core
// (runtime/core/http-trace.c): a valid traceparent is continued, a missing, malformed or
// repeated one starts a trace, and every request gets a span id of its own. The tests send
// both runtimes the same headers and expect the same answers.
import { randomBytes } from 'node:crypto'

export interface Trace {
  traceId: string
  spanId: string
  /** The caller's span ('' for a trace started here). */
  parentId: string
  /** The sampled bit, as the caller set it (sampled for a new trace). */
  sampled: boolean
  /** The tracestate to pass on ('' when none, or when the trace is new). */
  traceState: string
}

const HEX_ID = /^[0-9a-f]+$/
const ZEROS = /^0+$/

function parse(value: string): { traceId: string; parentId: string; flags: number } | null {
  if (value.length < 55 || value[2] !== '-' || value[35] !== '-' || value[52] !== '-') return null
  const version = value.slice(0, 2)
  if (!/^[0-9a-f]{2}$/.test(version) || version === 'ff') return null
  if (version === '00' && value.length !== 55) return null
  if (value.length > 55 && value[55] !== '-') return null
  const traceId = value.slice(3, 35)
  const parentId = value.slice(36, 52)
  const flags = value.slice(53, 55)
  if (!HEX_ID.test(traceId) || ZEROS.test(traceId) || !HEX_ID.test(parentId) || ZEROS.test(parentId) || !/^[0-9a-f]{2}$/.test(flags))
    return null
  return { traceId, parentId, flags: parseInt(flags, 16) }
}

function spanId(): string {
  for (;;) {
    const id = randomBytes(8).toString('hex')
    if (!ZEROS.test(id)) return id
  }
}

/** The trace of a request with these header values (an array when the header came more than once). */
export function beginTrace(traceparent: string | string[] | undefined, tracestate: string | string[] | undefined): Trace {
  const parent = typeof traceparent === 'string' ? parse(traceparent) : null
  if (parent === null) return { traceId: randomBytes(16).toString('hex'), spanId: spanId(), parentId: '', sampled: true, traceState: '' }
  const state = typeof tracestate === 'string' && tracestate.length <= 512 ? tracestate : ''
  return { traceId: parent.traceId, spanId: spanId(), parentId: parent.parentId, sampled: (parent.flags & 1) === 1, traceState: state }
}

/** The traceparent a request's own calls send: its span as the parent. */
export function formatTraceparent(t: Trace): string {
  return `00-${t.traceId}-${t.spanId}-${t.sampled ? '01' : '00'}`
}
