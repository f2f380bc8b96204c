// `cloudflare:sockets` (the name drivers import, e.g. pg-cloudflare and postgres.js's
// Workers build) and `scratchfn:sockets` resolve to our connect() (runtime/sockets/connect.ts)
// in an image bundle. Under Node (`npm run dev`) there is no such module yet.
import { resolve } from 'node:path'
import type { Plugin } from 'esbuild'

const connectFile = resolve(import.meta.dirname, '../../runtime/sockets/connect.ts')

export function socketsPlugin(): Plugin {
  return {
    name: 'scratchfn-sockets',
    setup(build) {
      build.onResolve({ filter: /^(cloudflare|scratchfn):sockets$/ }, () => ({ path: connectFile }))
    },
  }
}
