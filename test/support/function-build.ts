// Builds a function for both runtimes, the way `npm run build` and the bench do.
import { mkdirSync } from 'node:fs'
import { basename, join } from 'node:path'
import { bundleFunction } from '../../scripts/bundle/bundle.ts'
import { compileBundle } from '../../scripts/compile/compile-bundle.ts'
import { bundleForNode } from '../../scripts/bundle/node-bundle.ts'
import { repoRoot } from './paths.ts'

export interface BuiltFunction {
  /** Bytecode for the static runtime (its chunks, if any, beside it in chunks/). */
  bin: string
  /** The same function bundled with the Node adapter. */
  nodeBundle: string
}

export async function buildBoth(file: string, name = basename(file, '.ts')): Promise<BuiltFunction> {
  const outDir = join(repoRoot, '.scratchfn/test', name)
  mkdirSync(outDir, { recursive: true })
  const bundle = await bundleFunction({ root: repoRoot, name, file, outDir })
  const bin = join(outDir, 'app.bin')
  await compileBundle({ dir: outDir, chunks: bundle.chunks })
  const nodeBundle = await bundleForNode({ root: repoRoot, name, file, outFile: join(outDir, 'node.mjs') })
  return { bin, nodeBundle }
}
