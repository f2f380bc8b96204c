import { resolve } from 'node:path'

export const repoRoot = resolve(import.meta.dirname, '../..')
/** Where scripts/runtime/build-runtime.ts writes the static binary. */
export const runtimeBinary = resolve(repoRoot, '.scratchfn/runtime/scratchfn-runtime')
