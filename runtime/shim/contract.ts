// The function contract shared by the build, the Node adapter and the image shim:
// what a function file exports, which config keys it may set, and how its route
// maps request paths. Pure TypeScript, no platform APIs, so every side agrees.

export interface FetchApp {
  fetch(request: Request, env?: unknown, ctx?: unknown): Response | Promise<Response>
}

/**
 * `export const config = {...}` in a function file, as written. Every key is optional.
 * The build checks it once (scripts/contract/function-config.ts) before any step uses it.
 */
export interface ConfigInput {
  /** URL prefix the function answers under; default `/<file name>`. */
  route?: string
  /** Image size budget, bytes or '1.5MB'/'1500KB'; at most 10 MB. */
  budget?: number | string
  /** Memory request/limit for the container, Kubernetes quantity ('32Mi'). */
  memory?: string
  /** CPU request, Kubernetes quantity ('50m'). */
  cpu?: string
  /** Extra environment variables baked into the image config. */
  env?: Record<string, string>
  /** Replica bounds for the deployment. */
  scaling?: { min?: number; max?: number }
  /** Largest request body accepted, bytes (default 1 MiB). */
  maxBodyBytes?: number
  /** Time a handler may take before it answers 504, ms (default 30000). */
  timeoutMs?: number
  /**
   * Locales whose Intl data (formats, names, plural rules) goes into the image when the
   * function uses Intl or a toLocale* method; default ['en']. Regional tags ('de-CH') have
   * their own data: name them to get their formats.
   */
  locales?: string[]
  /**
   * true: `deploy` mounts the cluster's trusted CA bundle (OpenShift injects it into a ConfigMap
   * labelled config.openshift.io/inject-trusted-cabundle=true) where the runtime reads it, so
   * fetch trusts what the cluster trusts (a proxy's CA, an internal CA) besides the image's CAs.
   */
  trustedCA?: boolean
}

/** What the bundle (an ES module) exports; the runtime hands it to the shim. */
export interface FunctionModule {
  default?: unknown
  config?: ConfigInput
  /** The route the build resolved (config.route or the file name). */
  __route?: string
}

/** Returns the app, or throws with what the file must export instead. */
export function resolveApp(mod: FunctionModule | undefined, file: string): FetchApp {
  const app = mod?.default as FetchApp | undefined
  if (!app || typeof app.fetch !== 'function') {
    throw new TypeError(
      `${file}: error: the default export must be a Hono app or an object with a fetch(request) method; add \`export default app\``,
    )
  }
  return app
}

/** '/accounts/' -> '/accounts', '/' -> '' (no prefix). Rejects what cannot be a path prefix. */
export function normalizeRoute(route: string): string {
  if (typeof route !== 'string' || !route.startsWith('/') || /[\s?#]/.test(route)) {
    throw new TypeError(`route must be a path starting with '/', without spaces, '?' or '#': got ${JSON.stringify(route)}`)
  }
  return route.replace(/\/+$/, '')
}

/**
 * Maps a request-target under the function's route to the path the app sees:
 * with route '/accounts', '/accounts/7?x' -> '/7?x' and '/accounts' -> '/'.
 * Returns null when the target is outside the route.
 */
export function stripRoute(prefix: string, target: string): string | null {
  if (prefix === '') return target
  if (!target.startsWith(prefix)) return null
  const next = target.charCodeAt(prefix.length)
  if (Number.isNaN(next)) return '/'
  if (next === 47 /* / */) return target.slice(prefix.length)
  if (next === 63 /* ? */) return '/' + target.slice(prefix.length)
  return null
}

/** The body the core itself sends for errors it answers, so both runtimes agree byte for byte. */
export function errorBody(reason: string): string {
  return `{"error":"${reason}"}`
}
