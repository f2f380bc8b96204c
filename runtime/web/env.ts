// How a function reads its environment: `process.env.NAME`, as on Node, or Hono's
// `env(c)` from 'hono/adapter'. `process` here is deliberately minimal (env,
// nextTick, exit): code that probes for Node through `process.versions` or
// `process.release` must not conclude it can load node: modules.
//
// Hono's getRuntimeKey() decides where env(c) reads from. It tries
// navigator.userAgent ('Node.js', 'Deno', 'Bun', 'Cloudflare-Workers'), then
// `typeof EdgeRuntime === 'string'` ('edge-light'), then process.release.name
// ('node'), else 'other', whose env(c) is always empty. We answer 'edge-light':
// like Vercel's edge runtime we are a Web-standard runtime whose configuration is
// in process.env, and edge-light's env(c) returns exactly globalThis.process.env.
// Claiming 'node' would work for Hono too, but libraries that see Node would then
// reach for node: modules and Buffer. So navigator.userAgent is 'scratchfn'
// (matching no known runtime) and EdgeRuntime is 'scratchfn'.
import { core } from './core.ts'
import { queueMicrotask } from './timers.ts'

export const process = {
  /** A copy of the environment at start; functions may change it, as on Node. */
  env: Object.assign({}, core.env) as Record<string, string | undefined>,
  /** Runs after the current job, with other microtasks (Node runs it just before them). */
  nextTick(callback: (...args: unknown[]) => void, ...args: unknown[]): void {
    if (typeof callback !== 'function') throw new TypeError('The "callback" argument must be of type function')
    queueMicrotask(() => callback(...args))
  },
  exit(code?: number): never {
    return core.exit(code === undefined ? 0 : Number(code) | 0)
  },
}

export const navigator = { userAgent: 'scratchfn' }

export const EdgeRuntime = 'scratchfn'
