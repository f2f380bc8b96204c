// How a function's imports resolve: as Cloudflare's wrangler and Deno resolve them for
// Web-API runtimes; and the one package whose files are patched as they are read (Hono's
// Context, for QuickJS: hono-patches.ts). One place, so function bundles and the tests that
// bundle snippets the same way (test/support/script.ts) cannot drift apart.
import type { BuildOptions } from 'esbuild'
import { honoPatchesPlugin } from './hono-patches.ts'

export const webResolution: Pick<BuildOptions, 'platform' | 'mainFields' | 'conditions' | 'define' | 'plugins'> = {
  // The `worker` and `browser` export conditions, and package.json's `browser` field, both
  // its string form and its map of files (`false` for a Node-only file, as object-inspect
  // has for util.inspect.js). esbuild honours the map only for platform 'browser'.
  platform: 'browser',
  mainFields: ['browser', 'module', 'main'],
  // esbuild adds `import` or `require` by how each file is loaded; naming `import` here
  // would hand require() an ES module's namespace instead of its CommonJS exports (pg's
  // require('pg-pool') got `{ default: Pool }` and failed at `class extends`).
  conditions: ['worker', 'browser'],
  // Platform 'browser' would also fix process.env.NODE_ENV at build time; it stays read
  // from the environment when the function runs, as under Node.
  define: { 'process.env.NODE_ENV': 'process.env.NODE_ENV' },
  plugins: [honoPatchesPlugin()],
}
