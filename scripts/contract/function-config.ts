// A function's `config`, checked once: every key and value is validated here, at the
// contract step, so a bad value fails `npm run build` (and `npm run dev`) at its place
// in the file instead of surfacing later in deploy. Later steps take the typed object.
// Only checks that depend on the deploy target (scale to zero needs Knative) stay there.
import { normalizeRoute, type ConfigInput } from '../../runtime/shim/contract.ts'
import { availableLocales } from '../shared/intl-locales.ts'
import { LocatedError } from '../shared/located-error.ts'
import type { ConfigPlace } from './read-config.ts'

/** The checked config. Serializable: the image's function.json carries it for deploy. */
export interface FunctionConfig {
  /** config.route as written ('' when absent); the build normalizes it with the file name. */
  route?: string
  /** The image size budget in bytes. */
  budgetBytes: number
  /** The container's memory request and limit, a Kubernetes quantity, and the same in bytes. */
  memory: string
  memoryBytes: number
  /** The container's CPU request, a Kubernetes quantity. */
  cpu: string
  /** Variables the image sets, besides the ones the runtime owns. */
  env: Record<string, string>
  scaling: { min?: number; max?: number }
  maxBodyBytes?: number
  timeoutMs?: number
  /** Locales whose Intl data the bundle carries when it uses Intl; absent: CONFIG_DEFAULTS.locales. */
  locales?: string[]
  /** Mount the cluster's injected trusted CA bundle (deploy). */
  trustedCA?: boolean
}

export const CONFIG_DEFAULTS = {
  /** Every image keeps under this, whatever its budget says. */
  budgetCap: 10_000_000,
  memory: '32Mi',
  cpu: '10m',
  /** The least the runtime needs with room for requests. */
  minMemoryBytes: 16 * 1024 * 1024,
  /** Intl's locales when config.locales is not set. */
  locales: ['en'],
} as const

export const configKeys: ReadonlyArray<keyof ConfigInput> = [
  'route',
  'budget',
  'memory',
  'cpu',
  'env',
  'scaling',
  'maxBodyBytes',
  'timeoutMs',
  'locales',
  'trustedCA',
]

/** Variables the image sets itself; config.env cannot replace them. */
export const RESERVED_ENV = ['PORT', 'SCRATCHFN_FUNCTION', 'SCRATCHFN_ROUTE'] as const
/** Config keys that become a runtime variable. */
export const ENV_OF = { maxBodyBytes: 'SCRATCHFN_MAX_BODY_BYTES', timeoutMs: 'SCRATCHFN_HANDLER_TIMEOUT_MS' } as const

const MEMORY_UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
}
const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1000, mb: 1_000_000, kib: 1024, mib: 1024 * 1024 }

export interface CheckConfigInput {
  /** The evaluated `export const config` (absent: every default). */
  values?: Record<string, unknown>
  /** Where each key path was written (read-config.ts). */
  places: Map<string, ConfigPlace>
  /** 'functions/x.ts'. */
  relFile: string
}

export function checkConfig(input: CheckConfigInput): FunctionConfig {
  const values = input.values ?? {}
  const fail = (path: string, message: string, hint?: string): never => {
    throw new LocatedError({ file: input.relFile, ...placeOf(input.places, path), message, ...(hint ? { hint } : {}) })
  }
  for (const key of Object.keys(values)) {
    if (!(configKeys as readonly string[]).includes(key)) fail(key, `unknown config key '${key}'`, `allowed keys: ${configKeys.join(', ')}`)
  }
  const has = (key: string) => values[key] !== undefined
  const out: FunctionConfig = {
    budgetBytes: CONFIG_DEFAULTS.budgetCap,
    memory: CONFIG_DEFAULTS.memory,
    memoryBytes: 0,
    cpu: CONFIG_DEFAULTS.cpu,
    env: {},
    scaling: {},
  }

  if (has('route')) {
    const route = values.route
    if (typeof route !== 'string') fail('route', `config.route must be a string such as '/accounts', got ${show(route)}`)
    try {
      normalizeRoute(route as string)
    } catch (err) {
      fail('route', `config.${(err as Error).message}`)
    }
    out.route = route as string
  }

  if (has('budget')) out.budgetBytes = budgetBytes(values.budget, (m, h) => fail('budget', m, h))

  if (has('memory')) out.memory = values.memory as string
  const memory = typeof out.memory === 'string' ? /^(\d+(?:\.\d+)?)(k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(out.memory) : null
  if (!memory) {
    const suggestion = typeof values.memory === 'string' ? /^(\d+(?:\.\d+)?)\s*([kKmMgG])i?B$/i.exec(values.memory) : null
    fail(
      'memory',
      `config.memory ${show(values.memory)} is not a Kubernetes memory quantity`,
      suggestion
        ? `write '${suggestion[1]}${suggestion[2].toUpperCase()}i' (binary) or '${suggestion[1]}${suggestion[2].toUpperCase() === 'K' ? 'k' : suggestion[2].toUpperCase()}' (decimal); Kubernetes has no 'B' suffix`
        : "write e.g. '64Mi' or '128Mi'",
    )
  }
  out.memoryBytes = Number(memory![1]) * MEMORY_UNITS[memory![2] ?? '']
  if (out.memoryBytes < CONFIG_DEFAULTS.minMemoryBytes)
    fail('memory', `config.memory '${out.memory}' is below the 16Mi the runtime needs with room for requests`, "write at least '16Mi'")

  if (has('cpu')) {
    const cpu = values.cpu
    if (typeof cpu !== 'string' || !/^(?:\d+(?:\.\d+)?|\.\d+)m?$/.test(cpu) || Number(cpu.replace(/m$/, '')) <= 0) {
      fail('cpu', `config.cpu ${show(cpu)} is not a Kubernetes CPU quantity`, "write e.g. '50m' (a twentieth of a core) or '1' (one core)")
    }
    out.cpu = cpu as string
  }

  if (has('scaling')) {
    const scaling = values.scaling
    if (typeof scaling !== 'object' || scaling === null || Array.isArray(scaling))
      fail('scaling', `config.scaling must be an object such as { min: 1, max: 5 }, got ${show(scaling)}`)
    const s = scaling as Record<string, unknown>
    for (const key of Object.keys(s))
      if (key !== 'min' && key !== 'max') fail(`scaling.${key}`, `config.scaling.${key} is not a setting`, 'use min and max')
    for (const key of ['min', 'max'] as const) {
      if (s[key] === undefined) continue
      if (!Number.isSafeInteger(s[key]) || (s[key] as number) < 0)
        fail(`scaling.${key}`, `config.scaling.${key} must be a whole number of 0 or more, got ${show(s[key])}`)
      out.scaling[key] = s[key] as number
    }
    const { min, max } = out.scaling
    if (max !== undefined && max < 1) fail('scaling.max', `config.scaling.max must be at least 1, got ${max}`)
    if (max !== undefined && min !== undefined && max < min) {
      fail('scaling.max', `config.scaling.max (${max}) is below scaling.min (${min})`, `raise max to at least ${min}, or lower min`)
    }
  }

  for (const key of ['maxBodyBytes', 'timeoutMs'] as const) {
    if (!has(key)) continue
    if (!Number.isSafeInteger(values[key]) || (values[key] as number) <= 0)
      fail(key, `config.${key} must be a positive whole number, got ${show(values[key])}`)
    out[key] = values[key] as number
  }

  if (has('locales')) out.locales = checkLocales(values.locales, fail)

  if (has('trustedCA')) {
    if (typeof values.trustedCA !== 'boolean')
      fail(
        'trustedCA',
        `config.trustedCA must be true or false, got ${show(values.trustedCA)}`,
        "true mounts the cluster's trusted CA bundle",
      )
    if (values.trustedCA) out.trustedCA = true
  }

  if (has('env')) {
    const env = values.env
    if (typeof env !== 'object' || env === null || Array.isArray(env))
      fail('env', `config.env must be an object of strings, e.g. { GREETING: 'hi' }, got ${show(env)}`)
    for (const [key, value] of Object.entries(env as Record<string, unknown>)) {
      const path = `env.${key}`
      if ((RESERVED_ENV as readonly string[]).includes(key))
        fail(
          path,
          `config.env.${key} is set by the image (PORT=8080, SCRATCHFN_FUNCTION, SCRATCHFN_ROUTE)`,
          'remove it (use config.route for the route)',
        )
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
        fail(path, `config.env: '${key}' is not a valid variable name`, "use letters, digits and '_', not starting with a digit")
      if (typeof value !== 'string')
        fail(path, `config.env.${key} must be a string, got ${show(value)}`, `write ${key}: '${String(value)}'`)
      if (/[\n\r\0]/.test(value as string))
        fail(path, `config.env.${key} contains a line break or NUL, which a Dockerfile ENV cannot carry`, 'remove it')
      const owner = Object.entries(ENV_OF).find(([, variable]) => variable === key)?.[0]
      if (owner && has(owner)) fail(path, `config.env.${key} and config.${owner} both set it`, 'keep one')
      out.env[key] = value as string
    }
  }
  return out
}

/** Where the key path was written; its parent's place if it was not (a default, or a nested key). */
export function placeOf(places: Map<string, ConfigPlace>, path: string): ConfigPlace {
  for (let p = path; ; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const at = places.get(p)
    if (at) return at
    if (p === '') return { line: 1, column: 1 }
  }
}

function checkLocales(value: unknown, fail: (path: string, message: string, hint?: string) => never): string[] {
  if (!Array.isArray(value) || value.length === 0)
    return fail('locales', `config.locales must be a list of locale tags such as ['en', 'de'], got ${show(value)}`)
  const known = new Set(availableLocales())
  const out: string[] = []
  value.forEach((tag: unknown, i) => {
    const path = `locales.${i}`
    if (typeof tag !== 'string') return fail(path, `config.locales[${i}] must be a string such as 'de', got ${show(tag)}`)
    let canonical: string
    try {
      canonical = Intl.getCanonicalLocales(tag)[0]
    } catch {
      return fail(path, `config.locales: ${show(tag)} is not a locale tag`, "write a BCP 47 tag such as 'de' or 'en-GB'")
    }
    if (canonical !== tag) fail(path, `config.locales: write ${show(tag)} as '${canonical}'`)
    if (!known.has(tag)) fail(path, `config.locales: there is no locale data for '${tag}'`, `available: ${[...known].join(', ')}`)
    if (out.includes(tag)) fail(path, `config.locales names '${tag}' twice`, 'remove one')
    out.push(tag)
  })
  return out
}

function budgetBytes(value: unknown, fail: (message: string, hint?: string) => never): number {
  let bytes: number
  if (typeof value === 'number') bytes = value
  else {
    const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([kKmM]i?[bB]|[bB])?\s*$/.exec(value) : null
    if (!m)
      return fail(`config.budget ${show(value)} is not a size`, "write bytes (1500000) or a string such as '1.5MB', '1500KB' or '2MiB'")
    bytes = Math.round(Number(m[1]) * SIZE_UNITS[(m[2] ?? 'b').toLowerCase()])
  }
  if (!Number.isFinite(bytes) || bytes <= 0) return fail(`config.budget must be more than 0 bytes, got ${show(value)}`)
  if (bytes > CONFIG_DEFAULTS.budgetCap) {
    return fail(
      `config.budget ${show(value)} (${(bytes / 1e6).toFixed(2)} MB) is over the 10.00 MB cap that every image keeps`,
      "set it to at most '10MB' or leave it out",
    )
  }
  return bytes
}

function show(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value)
}
