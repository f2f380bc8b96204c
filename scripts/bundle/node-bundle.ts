// Bundles one function with the Node adapter into a single .mjs that plain `node`
// runs: the reference side of the conformance suite and of the bench.
import { mkdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { build } from 'esbuild'
import { normalizeRoute } from '../../runtime/shim/contract.ts'
import { checkContract } from '../contract/check-contract.ts'

export interface NodeBundleOptions {
  root: string
  name: string
  file: string
  outFile: string
}

export async function bundleForNode(options: NodeBundleOptions): Promise<string> {
  const relFile = relative(options.root, options.file)
  const contract = checkContract({ file: options.file, relFile })
  const route = normalizeRoute(contract.route ?? `/${options.name}`) || '/'
  const rel = (p: string) => './' + relative(options.root, p).split('\\').join('/')
  const entry = [
    `import * as mod from ${JSON.stringify(rel(options.file))}`,
    `import { startNodeFunction } from ${JSON.stringify(rel(join(options.root, 'runtime/shim/node-main.ts')))}`,
    `startNodeFunction({ ...mod, __route: ${JSON.stringify(route)} }, ${JSON.stringify(options.name)})`,
  ].join('\n')
  mkdirSync(join(options.outFile, '..'), { recursive: true })
  await build({
    stdin: { contents: entry, resolveDir: options.root, sourcefile: `${relFile}?node-entry`, loader: 'ts' },
    absWorkingDir: options.root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: options.outFile,
    logLevel: 'silent',
    // @hono/node-server is CommonJS-free, but keep require() working for any dependency that uses it.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  })
  return options.outFile
}
