// The Bun and Deno anchors: each runs the same Hono function natively (bun-entry.ts,
// deno-entry.ts), bundled into one .mjs as the Node side of the bench is, with its binary
// from npm in an exact version.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import type { Anchor } from './anchor.ts'
import { npmBinary } from './npm-binary.ts'

export const BUN_VERSION = '1.4.5'
export const DENO_VERSION = '2.9.6'

export interface JsAnchorOptions {
  root: string
  log?: (line: string) => void
}

const known = new Set(['root', 'log'])

export async function prepareBunAnchor(options: JsAnchorOptions): Promise<Anchor> {
  const o = checked(options, 'bun')
  const binary = npmBinary({
    root: o.root,
    packages: { x64: '@oven/bun-linux-x64', arm64: '@oven/bun-linux-aarch64' },
    version: BUN_VERSION,
    binary: 'bin/bun',
    log: o.log,
  })
  const app = await bundleEntry(o.root, 'bun')
  return {
    label: `Bun ${BUN_VERSION}`,
    // Bun's transpiler cache stays under .scratchfn/, not in the home directory.
    target: {
      label: 'bun',
      command: binary,
      args: [app],
      env: { BUN_RUNTIME_TRANSPILER_CACHE_PATH: join(o.root, '.scratchfn/bench/bun-cache') },
    },
    bytes: statSync(binary).size + statSync(app).size,
    callgrind: { env: {}, end: 'sigterm' },
  }
}

export async function prepareDenoAnchor(options: JsAnchorOptions): Promise<Anchor> {
  const o = checked(options, 'deno')
  const binary = npmBinary({
    root: o.root,
    packages: { x64: '@deno/linux-x64-glibc', arm64: '@deno/linux-arm64-glibc' },
    version: DENO_VERSION,
    binary: 'deno',
    log: o.log,
  })
  const app = await bundleEntry(o.root, 'deno')
  return {
    label: `Deno ${DENO_VERSION}`,
    target: {
      label: 'deno',
      command: binary,
      // The bundle needs the network and the environment (PORT, the function's variables), nothing else.
      args: ['run', '--allow-net', '--allow-env', '--no-prompt', app],
      env: { DENO_DIR: join(o.root, '.scratchfn/bench/deno-dir'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    },
    bytes: statSync(binary).size + statSync(app).size,
    callgrind: { env: {}, end: 'sigterm' },
  }
}

function checked(options: JsAnchorOptions, who: string): Required<JsAnchorOptions> {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`${who} anchor: unknown option '${key}'`)
  return { log: (line: string) => console.error(line), ...options }
}

/** bench/anchors/<name>-entry.ts with hono and the function inlined, as one ES module. */
async function bundleEntry(root: string, name: 'bun' | 'deno'): Promise<string> {
  const outfile = join(root, `.scratchfn/bench/anchors/${name}.mjs`)
  await build({
    entryPoints: [join(root, `bench/anchors/${name}-entry.ts`)],
    absWorkingDir: root,
    bundle: true,
    // Both runtimes offer Node's built-ins, which the function's database driver (imported
    // only with ACCOUNTS_DATABASE_URL) requires; they stay imports of the runtime's own.
    platform: 'node',
    format: 'esm',
    target: 'esnext',
    outfile,
    logLevel: 'silent',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  })
  return outfile
}
