// W3C Trace Context going out. The core starts or continues a trace for every request
// and makes it the request's async context (runtime/core/http-dispatch.c), so whatever
// the handler awaits still knows it: fetch() sends `traceparent` (this request's span as
// the parent) and the `tracestate` it came with, unless the caller set them itself. The
// OTLP exporter, when switched on, makes each such call a client span of its own.
import { core } from './core.ts'
import { listGet } from './headers.ts'

const TRACEPARENT_LEN = 55

export interface ClientSpan {
  /** The call answered with `status`, or failed (status 0) with `error`. */
  end(status: number, error?: unknown): void
}

/** Given the outgoing traceparent's parts, returns the span for the call and the traceparent to send instead. */
export type ClientSpanHook = (traceparent: string, method: string, url: string) => { traceparent: string; span: ClientSpan }

let clientSpans: ClientSpanHook | null = null

/** Set by the OTLP exporter (runtime/shim/otlp/) when it runs. */
export function setClientSpanHook(hook: ClientSpanHook | null): void {
  clientSpans = hook
}

/** The running request's trace and span ids (for log lines), or null outside a request. */
export function currentTraceIds(): { trace_id: string; span_id: string } | null {
  const context = core.traceContext()
  return context === undefined ? null : { trace_id: context.slice(3, 35), span_id: context.slice(36, 52) }
}

/** Adds traceparent/tracestate to an outgoing request's header list; returns its client span, if one is recorded. */
export function traceOutgoing(method: string, url: string, list: string[]): ClientSpan | null {
  const context = core.traceContext()
  if (context === undefined || listGet(list, 'traceparent') !== null) return null
  let traceparent = context.slice(0, TRACEPARENT_LEN)
  let span: ClientSpan | null = null
  if (clientSpans !== null) ({ traceparent, span } = clientSpans(traceparent, method, url))
  list.push('traceparent', traceparent)
  if (context.length > TRACEPARENT_LEN + 1 && listGet(list, 'tracestate') === null)
    list.push('tracestate', context.slice(TRACEPARENT_LEN + 1))
  return span
}
