// ExportTraceServiceRequest in protobuf's binary form (opentelemetry-proto's
// collector/trace/v1 and trace/v1 messages): the few field types OTLP spans use, written
// by hand because a protobuf library would outweigh the exporter. The tests decode what
// this writes with the OpenTelemetry project's own generated decoder
// (@opentelemetry/otlp-transformer's protobufjs root).

/** One span, as the exporter holds it. Ids are lower-case hex; times are unix nanoseconds. */
export interface SpanData {
  traceId: string
  spanId: string
  parentSpanId: string
  traceState: string
  name: string
  /** SpanKind: 2 server, 3 client. */
  kind: number
  startNs: bigint
  endNs: bigint
  attributes: Array<[string, string | number]>
  /** Status.code: 0 unset, 2 error. */
  statusCode: number
  statusMessage: string
  /** Span.flags: the trace flags, plus the has-is-remote and is-remote bits (0x100, 0x200). */
  flags: number
}

class Writer {
  bytes: number[] = []
  varint(v: number): void {
    while (v > 127) {
      this.bytes.push((v & 127) | 128)
      v = Math.floor(v / 128)
    }
    this.bytes.push(v)
  }
  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire)
  }
  raw(field: number, data: ArrayLike<number>): void {
    this.tag(field, 2)
    this.varint(data.length)
    for (let i = 0; i < data.length; i++) this.bytes.push(data[i])
  }
  string(field: number, s: string): void {
    if (s !== '') this.raw(field, new TextEncoder().encode(s))
  }
  hex(field: number, h: string): void {
    if (h === '') return
    const b: number[] = []
    for (let i = 0; i < h.length; i += 2) b.push(parseInt(h.slice(i, i + 2), 16))
    this.raw(field, b)
  }
  message(field: number, write: (w: Writer) => void): void {
    const inner = new Writer()
    write(inner)
    this.raw(field, inner.bytes)
  }
  fixed64(field: number, v: bigint): void {
    this.tag(field, 1)
    for (let i = 0n; i < 8n; i++) this.bytes.push(Number((v >> (i * 8n)) & 255n))
  }
  fixed32(field: number, v: number): void {
    this.tag(field, 5)
    for (let i = 0; i < 4; i++) this.bytes.push((v >>> (i * 8)) & 255)
  }
}

function keyValue(w: Writer, field: number, key: string, value: string | number): void {
  w.message(field, (kv) => {
    kv.string(1, key)
    kv.message(2, (any) => {
      if (typeof value === 'string') any.raw(1, new TextEncoder().encode(value))
      else {
        any.tag(3, 0) // int_value: the values here are small and non-negative
        any.varint(value)
      }
    })
  })
}

function span(w: Writer, s: SpanData): void {
  w.message(2, (m) => {
    m.hex(1, s.traceId)
    m.hex(2, s.spanId)
    m.string(3, s.traceState)
    m.hex(4, s.parentSpanId)
    m.string(5, s.name)
    m.tag(6, 0)
    m.varint(s.kind)
    m.fixed64(7, s.startNs)
    m.fixed64(8, s.endNs)
    for (const [k, v] of s.attributes) keyValue(m, 9, k, v)
    if (s.statusCode !== 0)
      m.message(15, (st) => {
        st.string(2, s.statusMessage)
        st.tag(3, 0)
        st.varint(s.statusCode)
      })
    m.fixed32(16, s.flags)
  })
}

export interface Scope {
  name: string
  version: string
}

/** The request body: one ResourceSpans with one ScopeSpans holding every span. */
export function encodeTraces(resource: Array<[string, string]>, scope: Scope, spans: SpanData[]): Uint8Array {
  const w = new Writer()
  w.message(1, (rs) => {
    rs.message(1, (r) => {
      for (const [k, v] of resource) keyValue(r, 1, k, v)
    })
    rs.message(2, (ss) => {
      ss.message(1, (sc) => {
        sc.string(1, scope.name)
        sc.string(2, scope.version)
      })
      for (const s of spans) span(ss, s)
    })
  })
  return new Uint8Array(w.bytes)
}
