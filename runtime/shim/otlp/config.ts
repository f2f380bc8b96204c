// The OTLP trace exporter's settings, read from the environment variables the
// OpenTelemetry specification defines (the general OTEL_EXPORTER_OTLP_* ones and their
// _TRACES_ forms, which win), with the specification's defaults. Pure: both runtimes
// pass their environment in.

export interface OtlpConfig {
  /** Where spans are POSTed: the traces endpoint as given, or <endpoint>/v1/traces. */
  url: string
  headers: Array<[string, string]>
  timeoutMs: number
  /** Batch span processor: the wait between exports, the queue's bound, the largest batch. */
  scheduleDelayMs: number
  exportTimeoutMs: number
  maxQueueSize: number
  maxExportBatchSize: number
  resource: Array<[string, string]>
}

export type Env = Record<string, string | undefined>

/** Spans are exported only when an endpoint is set and nothing turned tracing off. */
export function otlpWanted(env: Env): boolean {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return false
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return false
  return (env.OTEL_TRACES_EXPORTER ?? 'otlp').split(',').some((e) => e.trim() === 'otlp')
}

function positive(env: Env, name: string, fallback: number): number {
  const v = env[name]
  if (v === undefined || v.trim() === '') return fallback
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${v}: must be a positive number (default ${fallback})`)
  return n
}

/** W3C Baggage-style "key=value,key2=value2" lists, values percent-decoded (OTEL_RESOURCE_ATTRIBUTES, *_HEADERS). */
export function parseList(text: string | undefined, name: string): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (const item of (text ?? '').split(',')) {
    if (item.trim() === '') continue
    const eq = item.indexOf('=')
    if (eq <= 0) throw new Error(`${name}: "${item.trim()}" is not key=value`)
    let value: string
    try {
      value = decodeURIComponent(item.slice(eq + 1).trim())
    } catch {
      throw new Error(`${name}: the value of "${item.slice(0, eq).trim()}" is not valid percent-encoding`)
    }
    out.push([item.slice(0, eq).trim(), value])
  }
  return out
}

export interface ResourceDefaults {
  /** service.name when neither OTEL_SERVICE_NAME nor OTEL_RESOURCE_ATTRIBUTES names one: the function. */
  serviceName: string
  sdkLanguage: string
  sdkVersion: string
}

/** Reads the settings; throws an Error naming the variable when one is malformed. */
export function otlpConfig(env: Env, defaults: ResourceDefaults): OtlpConfig {
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf'
  if (protocol !== 'http/protobuf') {
    throw new Error(
      `OTEL_EXPORTER_OTLP_PROTOCOL=${protocol}: this runtime exports over http/protobuf only (unset it, or set http/protobuf)`,
    )
  }
  let url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
  if (!url) {
    const base = env.OTEL_EXPORTER_OTLP_ENDPOINT ?? ''
    url = base + (base.endsWith('/') ? '' : '/') + 'v1/traces'
  }
  if (!/^https?:\/\//.test(url)) throw new Error(`OTEL_EXPORTER_OTLP_ENDPOINT: "${url}" is not an http:// or https:// URL`)
  const attrs = parseList(env.OTEL_RESOURCE_ATTRIBUTES, 'OTEL_RESOURCE_ATTRIBUTES')
  const resource = new Map<string, string>([
    ['service.name', defaults.serviceName],
    ['telemetry.sdk.name', 'scratchfn'],
    ['telemetry.sdk.language', defaults.sdkLanguage],
    ['telemetry.sdk.version', defaults.sdkVersion],
  ])
  for (const [k, v] of attrs) resource.set(k, v)
  if (env.OTEL_SERVICE_NAME) resource.set('service.name', env.OTEL_SERVICE_NAME)
  const timeoutMs = positive(env, 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', positive(env, 'OTEL_EXPORTER_OTLP_TIMEOUT', 10000))
  const maxQueueSize = Math.floor(positive(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 2048))
  return {
    url,
    headers: parseList(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? env.OTEL_EXPORTER_OTLP_HEADERS, 'OTEL_EXPORTER_OTLP_HEADERS'),
    timeoutMs,
    scheduleDelayMs: positive(env, 'OTEL_BSP_SCHEDULE_DELAY', 5000),
    exportTimeoutMs: positive(env, 'OTEL_BSP_EXPORT_TIMEOUT', 30000),
    maxQueueSize,
    maxExportBatchSize: Math.min(maxQueueSize, Math.floor(positive(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512))),
    resource: [...resource],
  }
}
