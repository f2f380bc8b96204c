// esbuild settings for code that runs on the runtime's QuickJS (2025-04-26): used for the
// runtime's web layer, its lazy builtins and every function bundle, so they agree on one
// target.
import type { BuildOptions } from 'esbuild'

// es2022 is what the engine parses natively: class fields, private members, static
// blocks, `#x in obj`, top-level await. Native private members matter beyond speed: a
// lower target makes esbuild rewrite them as WeakMaps, and QuickJS (2021 and still
// 2025-04-26) never frees a WeakMap entry whose value points back at its key, which
// Hono's Context does, so memory would grow without bound under load
// (test/runtime/memory.test.ts). The engine lacks later syntax such as the RegExp `v` flag.
export const quickjsTarget: Pick<BuildOptions, 'target' | 'platform' | 'charset'> = {
  target: 'es2022',
  platform: 'neutral',
  charset: 'utf8',
}
