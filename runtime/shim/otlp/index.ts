// The OTLP trace exporter, the same code on both runtimes: in the image a lazy builtin
// (loaded only when an endpoint is set; runtime/web/builtins/otlp.ts), under Node
// imported by the dev server's wrapper (runtime/shim/node.ts).
export { otlpConfig, otlpWanted, type OtlpConfig } from './config.ts'
export { BatchExporter, clientSpan, randomSpanId, serverSpan, type ExporterDeps } from './exporter.ts'
export type { SpanData } from './protobuf.ts'
