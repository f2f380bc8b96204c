// The one place that names the JavaScript engine: its sources (carried by a pinned
// npm package, never copied into this repo), its version and its build defines.
// Swapping the engine means editing this file and nothing else.
import { resolve } from 'node:path'

export interface EngineSource {
  /** Directory holding the engine's C sources. */
  dir: string
  /** Printed by `scratchfn-runtime --version`. */
  version: string
  /** Linked into the runtime. */
  sources: string[]
  /** Added to `sources` for the host compiler only (qjsc needs the std library). */
  hostSources: string[]
  /** Preprocessor flags for every engine file, the same on host and target so bytecode matches. */
  defines: string[]
}

const version = '2021-03-27'

export const engineSource: EngineSource = {
  dir: resolve(import.meta.dirname, '../../node_modules/qjsc/deps/quickjs_2021_03_27'),
  version,
  sources: ['quickjs.c', 'libregexp.c', 'libunicode.c', 'cutils.c', 'libbf.c'],
  hostSources: ['qjsc.c', 'quickjs-libc.c'],
  // BigInt sits behind CONFIG_BIGNUM in this release.
  defines: ['-D_GNU_SOURCE', `-DCONFIG_VERSION="${version}"`, '-DCONFIG_BIGNUM'],
}
