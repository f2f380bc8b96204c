// What a function's image holds and how it starts: the one description that both the
// OCI writer (image.ts) and the Dockerfile renderer (dockerfile.ts) turn into bytes,
// so `npm run build` and `podman build` give the same files and config.
// This is the image contract of DESIGN.md: runtime 0555 and data 0444, root-owned,
// a numeric non-root user in group 0 (OpenShift runs it as any UID with GID 0).
import { BuildError } from '../bundle.ts'
import { configLocation } from '../config-location.ts'
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
  /** The literal `export const config` the build read. */
  config: Record<string, unknown>
  bytecode: Uint8Array
  source: SourceInfo
}

export interface ImageSpec {
  /** Layer 2: the function's bytecode and metadata. */
  functionEntries: LayerEntry[]
  entrypoint: string[]
  /** In this order in the config's Env. */
  env: Array<[string, string]>
  user: string
  port: number
  labels: Record<string, string>
}

/** Layer 1, byte-identical for every function: the runtime alone. */
export function runtimeEntries(binary: Uint8Array): LayerEntry[] {
  return [{ path: RUNTIME_PATH, data: binary, mode: RUNTIME_MODE }]
}

export function imageSpec(input: ImageSpecInput): ImageSpec {
  const { name, route, config, source } = input
  const functionJson = JSON.stringify({ name, route, file: input.relFile, config, revision: source.revision ?? 'unknown' }, null, 2) + '\n'
  return {
    functionEntries: [
      { path: `${APP_DIR}/`, mode: DIR_MODE },
      { path: `${APP_DIR}/app.bin`, data: input.bytecode, mode: DATA_MODE },
      { path: `${APP_DIR}/function.json`, data: Buffer.from(functionJson), mode: DATA_MODE },
    ],
    entrypoint: [`/${RUNTIME_PATH}`, `/${APP_DIR}/app.bin`],
    env: environment(input),
    user: USER,
    port: PORT,
    labels: {
      'org.opencontainers.image.created': source.created,
      'org.opencontainers.image.revision': source.revision ?? 'unknown',
      'org.opencontainers.image.source': source.repository || input.relFile,
      'org.opencontainers.image.title': name,
      'org.opencontainers.image.version': source.version,
    },
  }
}

// The image sets these itself; config.env cannot replace them.
const reserved = new Set(['PORT', 'SCRATCHFN_FUNCTION', 'SCRATCHFN_ROUTE'])
const mapped = { maxBodyBytes: 'SCRATCHFN_MAX_BODY_BYTES', timeoutMs: 'SCRATCHFN_HANDLER_TIMEOUT_MS' } as const

function environment(input: ImageSpecInput): Array<[string, string]> {
  const fail = (key: string, msg: string) => new BuildError(`${configLocation(input.file, input.relFile, key)}: error: ${msg}`)
  const env: Array<[string, string]> = [
    ['PORT', String(PORT)],
    ['SCRATCHFN_FUNCTION', input.name],
    ['SCRATCHFN_ROUTE', input.route],
  ]
  const extra = input.config.env ?? {}
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) {
    throw fail('env', "config.env must be an object literal of strings, e.g. { GREETING: 'hi' }")
  }
  for (const [key, variable] of Object.entries(mapped)) {
    const value = input.config[key]
    if (value === undefined) continue
    if (!Number.isSafeInteger(value) || (value as number) <= 0) throw fail(key, `config.${key} must be a positive whole number, got ${JSON.stringify(value)}`)
    if (variable in extra) throw fail(variable, `config.env.${variable} and config.${key} both set it; keep one`)
    env.push([variable, String(value)])
  }
  for (const [key, value] of Object.entries(extra).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (reserved.has(key)) throw fail(key, `config.env.${key} is set by the image (PORT=8080, SCRATCHFN_FUNCTION, SCRATCHFN_ROUTE); remove it (use config.route for the route)`)
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw fail(key, `config.env: '${key}' is not a valid variable name; use letters, digits and '_'`)
    if (typeof value !== 'string') throw fail(key, `config.env.${key} must be a string literal, got ${JSON.stringify(value)}`)
    if (/[\n\r\0]/.test(value)) throw fail(key, `config.env.${key} contains a line break or NUL, which a Dockerfile ENV cannot carry; remove it`)
    env.push([key, value])
  }
  return env
}
