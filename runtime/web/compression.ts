// The lazy 'compression' builtin (CompressionStream, DecompressionStream, and the zlib pair
// that fetch decodes response bodies with), read on first use.
import { core } from './core.ts'

type CompressionModule = typeof import('./builtins/compression.ts')
let loaded: CompressionModule | undefined

export function compression(): CompressionModule {
  return (loaded ??= core.loadBuiltin('compression') as CompressionModule)
}
