// Which Node built-in modules a function may import, and what to say about the others:
// the image build (scripts/bundle/node-builtins-plugin.ts) resolves the provided ones to
// runtime/node/ and refuses the rest; `npm run dev` warns about the refused ones.
import { builtinModules } from 'node:module'

/** Importable as `node:X` and `X`: name -> file under runtime/node/. */
export const providedBuiltins: Record<string, string> = {
  assert: 'assert.ts',
  async_hooks: 'async_hooks.ts',
  'assert/strict': 'assert/strict.ts',
  buffer: 'buffer.ts',
  console: 'console.ts',
  crypto: 'crypto.ts',
  diagnostics_channel: 'diagnostics_channel.ts',
  dns: 'dns.ts',
  'dns/promises': 'dns/promises.ts',
  events: 'events.ts',
  net: 'net.ts',
  os: 'os.ts',
  path: 'path.ts',
  'path/posix': 'path/posix.ts',
  perf_hooks: 'perf_hooks.ts',
  process: 'process.ts',
  querystring: 'querystring.ts',
  stream: 'stream.ts',
  'stream/consumers': 'stream/consumers.ts',
  'stream/promises': 'stream/promises.ts',
  'stream/web': 'stream/web.ts',
  string_decoder: 'string_decoder.ts',
  sys: 'util.ts',
  timers: 'timers.ts',
  'timers/promises': 'timers/promises.ts',
  // Bundles so the drivers that import it load; its connect() fails saying "not yet" (runtime/node/tls.ts).
  tls: 'tls.ts',
  url: 'url.ts',
  util: 'util.ts',
  'util/types': 'util/types.ts',
}

/**
 * What require() of a built-in loads instead of its file above, when that differs: a
 * module whose ESM file has exports that cost at start (node:crypto's subtle) gives
 * CommonJS packages its default export from a file without them.
 */
export const requireEntries: Record<string, string> = {
  crypto: 'crypto/default.ts',
}

const noFiles =
  'the image has no files but the function itself (and a read-only root): import JSON data into the bundle, read settings from process.env, and keep state in a store you reach with fetch'
const noProcesses =
  'the image runs one program on one thread: do the work in the function, or hand it to another function over HTTP with fetch'
const noServers =
  'the function already is an HTTP server (its Hono app, served by the runtime): add routes to it; for outgoing requests use fetch'
const notV8 = 'the engine is QuickJS, not V8'
const noTerminal = 'the image has no terminal: read input from the request, write logs with console'

/** Built-ins an image cannot offer, with what to use instead. */
export const refusedBuiltins: Record<string, string> = {
  fs: noFiles,
  'fs/promises': noFiles,
  child_process: noProcesses,
  worker_threads: noProcesses,
  cluster: noProcesses,
  http: noServers,
  https: noServers,
  http2: noServers,
  dgram: 'the image has no UDP: use fetch (HTTP) to reach other services',
  vm: `${notV8} and runs only the function's own bundle: no code from strings`,
  inspector: `${notV8}: debug the function under \`npm run dev\`, which runs it on Node`,
  'inspector/promises': `${notV8}: debug the function under \`npm run dev\`, which runs it on Node`,
  v8: `${notV8}: for memory figures use process.memoryUsage()`,
  repl: noTerminal,
  readline: noTerminal,
  'readline/promises': noTerminal,
  tty: noTerminal,
  module: 'the bundle is one file, resolved at build time: use import (no require.resolve, no createRequire)',
  wasi: 'the image runs no WebAssembly',
  'path/win32': 'functions run on Linux: use path (POSIX)',
}

/** Built-ins that later work will bring, with what to use meanwhile. */
export const notYetBuiltins: Record<string, string> = {
  zlib: 'not yet: the image has no compression library; send uncompressed bodies (a proxy in front may compress them)',
}

// Node's own rule: a bare name in builtinModules is the built-in, whatever node_modules
// holds; with the node: prefix any name is one (node:test, node:sqlite, ...).
const bareBuiltins = new Set(builtinModules)

/** The built-in's name without `node:`, or null when `specifier` does not name one. */
export function builtinName(specifier: string): string | null {
  if (specifier.startsWith('node:')) return specifier.slice(5)
  return bareBuiltins.has(specifier) ? specifier : null
}

/** Why the image build refuses the built-in (null when it is provided). */
export function refusal(name: string): string | null {
  if (providedBuiltins[name]) return null
  return refusedBuiltins[name] ?? notYetBuiltins[name] ?? 'not provided by scratchfn (see "Node built-ins" in the README)'
}

/** For `npm run dev`: does the image build refuse this import (a Node built-in it does not provide)? */
export function refusedInImage(specifier: string): boolean {
  const name = builtinName(specifier)
  return name !== null && refusal(name) !== null
}
