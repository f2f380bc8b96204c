// How a function reads its environment: `process.env.NAME`, as on Node (process.ts, a lazy
// builtin), or Hono's `env(c)` from 'hono/adapter'. `process` has no `release`: code that probes for
// Node through `process.release` must not conclude it can load Node's servers.
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
export const navigator = { userAgent: 'scratchfn' }

export const EdgeRuntime = 'scratchfn'
