// Step 1 of a function build: one minified ES module for QuickJS that exports
// { default, config, __route }; a module, so the function file may use top-level await
// (the runtime serves once it finished). Writes nothing for a function that fails;
// errors read `functions/x.ts:LINE:COL: error: ...`.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import type { Message, Metafile } from 'esbuild'
import { normalizeRoute } from '../../runtime/shim/contract.ts'
import { checkContract, type ContractInfo } from '../contract/check-contract.ts'
import { rethrowEsbuild } from '../shared/esbuild-errors.ts'
import { quickjsTarget } from '../shared/quickjs-target.ts'
import { webResolution } from './resolution.ts'
import { nodeBuiltinsBuild } from './node-builtins-plugin.ts'

export interface BundleOptions {
  root: string
  name: string
  /** Absolute path of the function file. */
  file: string
  /** Directory that receives app.js and meta.json. */
  outDir: string
}

export interface BundleResult {
  js: string
  route: string
  contract: ContractInfo
  metafile: Metafile
  bytes: number
}

const known = new Set(['root', 'name', 'file', 'outDir'])

export async function bundleFunction(options: BundleOptions): Promise<BundleResult> {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`bundleFunction: unknown option '${key}'`)
  const relFile = relative(options.root, options.file)
  const contract: ContractInfo = checkContract({ file: options.file, relFile })
  const route = normalizeRoute(contract.route ?? `/${options.name}`) || '/'
  const importPath = './' + relative(options.root, options.file).split('\\').join('/')
  const entry = [
    `export { default } from ${JSON.stringify(importPath)}`,
    `export * from ${JSON.stringify(importPath)}`,
    `export const __route = ${JSON.stringify(route)}`,
  ].join('\n')

  // esbuild's build(), with node:X resolved to runtime/node/ and Node's globals injected where used.
  const build = nodeBuiltinsBuild({ root: options.root })
  let result
  try {
    result = await build({
      stdin: { contents: entry, resolveDir: options.root, sourcefile: `${relFile}?entry`, loader: 'ts' },
      absWorkingDir: options.root,
      bundle: true,
      format: 'esm',
      minify: true,
      legalComments: 'none',
      metafile: true,
      write: false,
      logLevel: 'silent',
      // Functions run on the static runtime, not Node: node: built-ins come from runtime/node/.
      ...quickjsTarget,
      ...webResolution,
    })
  } catch (err) {
    rethrowEsbuild(err, { root: options.root, fallbackFile: relFile, hints: importHints })
  }
  const js = result.outputFiles[0].text
  const outFile = join(options.outDir, 'app.js')
  mkdirSync(dirname(outFile), { recursive: true })
  // Write then rename, so an interrupted build never leaves a half-written bundle behind.
  writeFileSync(outFile + '.tmp', js)
  renameSync(outFile + '.tmp', outFile)
  writeFileSync(join(options.outDir, 'meta.json'), JSON.stringify(result.metafile))
  return { js, route, contract, metafile: result.metafile, bytes: Buffer.byteLength(js) }
}

function importHints(m: Message): string[] {
  // esbuild suggests platform: 'node' for Node built-ins, which is no fix for an image without Node.
  const notes = m.notes.map((n) => n.text).filter((t) => t && !t.includes("platform: 'node'"))
  const fix = /Could not resolve "node:|Could not resolve "(fs|path|http|net|os|child_process|crypto)"/.test(m.text)
    ? ['Node built-in modules are not available in the image; use Web APIs (fetch, crypto.subtle, TextEncoder) instead']
    : /Could not resolve/.test(m.text)
      ? ['install it with npm, or fix the import path']
      : []
  return [...notes, ...fix]
}
