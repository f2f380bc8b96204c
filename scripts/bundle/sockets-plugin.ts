// `cloudflare:sockets` (the name drivers import, e.g. pg-cloudflare and postgres.js's
// Workers build) and `scratchfn:sockets` resolve to our connect(): runtime/sockets/connect.ts
// in an image bundle, runtime/sockets/node-connect.ts (the same API on node:net) for Node,
// where `npm run dev` and the tests' reference side run.
import { resolve } from 'node:path'
import type { Plugin } from 'esbuild'

const socketsDir = resolve(import.meta.dirname, '../../runtime/sockets')
export const socketModules = ['cloudflare:sockets', 'scratchfn:sockets']

export function socketsPlugin(options: { forNode: boolean }): Plugin {
  const file = resolve(socketsDir, options.forNode ? 'node-connect.ts' : 'connect.ts')
  return {
    name: 'scratchfn-sockets',
    setup(build) {
      build.onResolve({ filter: /^(cloudflare|scratchfn):sockets$/ }, () => ({ path: file }))
    },
  }
}
