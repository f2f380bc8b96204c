// What a function's image holds and how it starts: the one description that both the
// OCI writer (image.ts) and the Dockerfile renderer (dockerfile.ts) turn into bytes,
// so `npm run build` and `podman build` give the same files and config.
// This is the image contract of DESIGN.md: runtime 0555 and data 0444, root-owned,
// a numeric non-root user in group 0 (OpenShift runs it as any UID with GID 0).
import { ENV_OF, type FunctionConfig } from '../contract/function-config.ts'
import type { LayerEntry } from './layer.ts'
import type { SourceInfo } from './source-info.ts'

export const RUNTIME_PATH = 'scratchfn-runtime'
export const APP_DIR = 'app'
export const PORT = 8080
export const USER = '65532:0'
export const RUNTIME_MODE = 0o555
export const DATA_MODE = 0o444
/** Matches what `COPY` creates for a directory, so both builds list the same modes. */
export const DIR_MODE = 0o755

export interface ImageSpecInput {
  name: string
  route: string
  /** Absolute path of the function file (for error locations). */
  file: string
  /** 'functions/x.ts', as messages and function.json name it. */
  relFile: string
  /** The function's checked config. */
  config: FunctionConfig
  bytecode: Uint8Array
  /** The bundle's chunks as bytecode, each beside app.bin at its path ('chunks/x.bin'); default none. */
  chunks?: Array<{ file: string; data: Uint8Array }>
  source: SourceInfo
}

/** app/function.json: what the build knew of the function, read back by deploy. */
export interface FunctionInfo {
  name: string
  route: string
  /** 'functions/x.ts'. */
  file: string
  config: FunctionConfig
  revision: string
  /** The chunks in app/, for people and tools; the runtime finds each by its name. Absent when there are none. */
  chunks?: string[]
}

/**
 * The container's health check, as Docker's HEALTHCHECK and the `Healthcheck` of the
 * image config carry it. The runtime is its own probe (runtime/core/probe.c): no shell or
 * curl in the image. It fails while the event loop is blocked, so 3 misses 10 s apart
 * (about the default 30 s handler timeout) mark a container unhealthy only when the loop
 * stays wedged; a spin that the handler timeout interrupts recovers before that. The
 * probe gives up after its own 2 s (SCRATCHFN_PROBE_TIMEOUT_MS), inside the 3 s timeout,
 * so the health log carries its reason rather than a kill.
 */
export interface HealthCheck {
  /** Exec form: ["CMD", program, ...args]. */
  test: string[]
  intervalSeconds: number
  timeoutSeconds: number
  startPeriodSeconds: number
  retries: number
}

export const HEALTHCHECK: HealthCheck = {
  test: ['CMD', `/${RUNTIME_PATH}`, '--probe'],
  intervalSeconds: 10,
  timeoutSeconds: 3,
  // The runtime serves within milliseconds; this covers a slow node pulling the image.
  startPeriodSeconds: 5,
  retries: 3,
}

export interface ImageSpec {
  /** Layer 3: the function's bytecode and metadata. */
  functionEntries: LayerEntry[]
  entrypoint: string[]
  /** In this order in the config's Env. */
  env: Array<[string, string]>
  user: string
  port: number
  healthcheck: HealthCheck
  labels: Record<string, string>
}

/** Layer 1, byte-identical for every function: the runtime alone. */
export function runtimeEntries(binary: Uint8Array): LayerEntry[] {
  return [{ path: RUNTIME_PATH, data: binary, mode: RUNTIME_MODE }]
}

/** Where the CA bundle goes, as on Debian (runtime/core/tls-trust.c reads it there). */
export const CA_PATH = 'etc/ssl/certs/ca-certificates.crt'

/** Layer 2, byte-identical for every function: the CA certificates the runtime trusts by default. */
export function caEntries(bundle: Uint8Array): LayerEntry[] {
  return [
    { path: 'etc/', mode: DIR_MODE },
    { path: 'etc/ssl/', mode: DIR_MODE },
    { path: 'etc/ssl/certs/', mode: DIR_MODE },
    { path: CA_PATH, data: bundle, mode: DATA_MODE },
  ]
}

export function imageSpec(input: ImageSpecInput): ImageSpec {
  const { name, route, config, source } = input
  const chunks = input.chunks ?? []
  const info: FunctionInfo = {
    name,
    route,
    file: input.relFile,
    config,
    revision: source.revision ?? 'unknown',
    ...(chunks.length > 0 ? { chunks: chunks.map((c) => c.file) } : {}),
  }
  const functionJson = JSON.stringify(info, null, 2) + '\n'
  // A function without import() keeps the layer it had before chunks existed, byte for byte.
  const chunkEntries: LayerEntry[] = chunks.flatMap((c, i) => [
    ...(i === 0 ? [{ path: `${APP_DIR}/${c.file.slice(0, c.file.lastIndexOf('/') + 1)}`, mode: DIR_MODE }] : []),
    { path: `${APP_DIR}/${c.file}`, data: c.data, mode: DATA_MODE },
  ])
  return {
    functionEntries: [
      { path: `${APP_DIR}/`, mode: DIR_MODE },
      { path: `${APP_DIR}/app.bin`, data: input.bytecode, mode: DATA_MODE },
      ...chunkEntries,
      { path: `${APP_DIR}/function.json`, data: Buffer.from(functionJson), mode: DATA_MODE },
    ],
    entrypoint: [`/${RUNTIME_PATH}`, `/${APP_DIR}/app.bin`],
    env: environment(input),
    user: USER,
    port: PORT,
    healthcheck: HEALTHCHECK,
    labels: {
      'org.opencontainers.image.created': source.created,
      'org.opencontainers.image.revision': source.revision ?? 'unknown',
      'org.opencontainers.image.source': source.repository || input.relFile,
      'org.opencontainers.image.title': name,
      'org.opencontainers.image.version': source.version,
    },
  }
}

// The checked config (contract step) already refused reserved, malformed and doubled variables.
function environment(input: ImageSpecInput): Array<[string, string]> {
  const env: Array<[string, string]> = [
    ['PORT', String(PORT)],
    ['SCRATCHFN_FUNCTION', input.name],
    ['SCRATCHFN_ROUTE', input.route],
  ]
  for (const [key, variable] of Object.entries(ENV_OF) as Array<[keyof typeof ENV_OF, string]>) {
    const value = input.config[key]
    if (value !== undefined) env.push([variable, String(value)])
  }
  for (const key of Object.keys(input.config.env).sort()) env.push([key, input.config.env[key]])
  return env
}
