// esbuild settings for code that runs on QuickJS 2021-03-27: used for both the
// runtime's web layer and every function bundle, so they agree on one target.
import type { BuildOptions } from 'esbuild'

// es2020 keeps esbuild from emitting syntax QuickJS 2021 cannot parse (class fields
// named `get`/`set`/`async`, static blocks, `#x in obj`). Private members stay
// native: esbuild would otherwise lower them to WeakMaps, and QuickJS 2021 never
// frees a WeakMap entry whose value points back at its key (Hono's Context does),
// so memory grows without bound under load.
export const quickjsTarget: Pick<BuildOptions, 'target' | 'supported' | 'platform' | 'charset'> = {
  target: 'es2020',
  platform: 'neutral',
  charset: 'utf8',
  supported: {
    'class-private-field': true,
    'class-private-method': true,
    'class-private-accessor': true,
    'class-private-static-field': true,
    'class-private-static-method': true,
    'class-private-static-accessor': true,
  },
}
