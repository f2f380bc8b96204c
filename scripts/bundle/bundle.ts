// Step 1 of a function build: a minified ES module for QuickJS that exports
// { default, config, __route } (app.js), plus a chunk for each dynamic import() target and
// for code shared between parts (chunks/, chunks.ts says why); modules, so the function
// file may use top-level await (the runtime serves once it finished). Writes nothing for
// a function that fails; errors read `functions/x.ts:LINE:COL: error: ...`.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { BuildOptions, Message, Metafile } from 'esbuild'
import { normalizeRoute } from '../../runtime/shim/contract.ts'
import { checkContract, type ContractInfo } from '../contract/check-contract.ts'
import { rethrowEsbuild } from '../shared/esbuild-errors.ts'
import { quickjsTarget } from '../shared/quickjs-target.ts'
import { splitOptions, virtualOutDir, writeSplit, type BundleChunk } from './chunks.ts'
import { rebuildWithIntl } from './intl-plugin.ts'
import { nodeBuiltinsBuild } from './node-builtins-plugin.ts'
import { webResolution } from './resolution.ts'

export interface BundleOptions {
  root: string
  name: string
  /** Absolute path of the function file. */
  file: string
  /** Directory that receives app.js, chunks/ and meta.json. */
  outDir: string
}

export interface BundleResult {
  /** The entry, app.js. */
  js: string
  /** The chunks beside it (none for a function without import()). */
  chunks: BundleChunk[]
  route: string
  contract: ContractInfo
  metafile: Metafile
  /** Of the entry and every chunk. */
  bytes: number
  /** Lines for the build output (e.g. what Intl data went in and why). */
  notes: string[]
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
  let notes: string[] = []
  try {
    const esbuildOptions = {
      stdin: { contents: entry, resolveDir: options.root, sourcefile: `${relFile}?entry`, loader: 'ts' },
      absWorkingDir: options.root,
      bundle: true,
      format: 'esm',
      ...splitOptions(virtualOutDir(options.root)),
      minify: true,
      legalComments: 'none',
      // The map beside each file tells the compile step which code is a library's
      // (scripts/compile/library-ranges.ts); without the sources' text, which it does not need.
      sourcemap: 'external',
      sourcesContent: false,
      metafile: true,
      write: false,
      logLevel: 'silent',
      // Functions run on the static runtime, not Node: node: built-ins come from runtime/node/.
      ...quickjsTarget,
      ...webResolution,
    } satisfies BuildOptions
    result = await build(esbuildOptions)
    // Intl goes in only when the bundle uses it (intl-plugin.ts).
    const intl = await rebuildWithIntl({
      options: esbuildOptions,
      code: result.outputFiles
        .filter((f) => f.path.endsWith('.js'))
        .map((f) => f.text)
        .join('\n'),
      config: contract.config,
      relFile,
      build,
    })
    if (intl) ({ result, notes } = intl)
  } catch (err) {
    rethrowEsbuild(err, { root: options.root, fallbackFile: relFile, hints: importHints })
  }
  mkdirSync(options.outDir, { recursive: true })
  const { entry: js, chunks } = writeSplit(result.outputFiles, virtualOutDir(options.root), options.outDir)
  writeFileSync(join(options.outDir, 'meta.json'), JSON.stringify(result.metafile))
  const bytes = Buffer.byteLength(js) + chunks.reduce((n, c) => n + c.bytes, 0)
  return { js, chunks, route, contract, metafile: result.metafile, bytes, notes }
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
