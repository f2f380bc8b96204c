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

/** What differs between the two: the npm packages of the binary, and how it runs the bundle. */
interface JsRuntime {
  label: string
  version: string
  packages: { x64: string; arm64: string }
  /** The executable's path inside its package. */
  binary: string
  args(app: string): string[]
  env(root: string): Record<string, string>
}

const runtimes: Record<'bun' | 'deno', JsRuntime> = {
  bun: {
    label: 'Bun',
    version: BUN_VERSION,
    packages: { x64: '@oven/bun-linux-x64', arm64: '@oven/bun-linux-aarch64' },
    binary: 'bin/bun',
    args: (app) => [app],
    // Bun's transpiler cache stays under .scratchfn/, not in the home directory.
    env: (root) => ({ BUN_RUNTIME_TRANSPILER_CACHE_PATH: join(root, '.scratchfn/bench/bun-cache') }),
  },
  deno: {
    label: 'Deno',
    version: DENO_VERSION,
    packages: { x64: '@deno/linux-x64-glibc', arm64: '@deno/linux-arm64-glibc' },
    binary: 'deno',
    // The bundle needs the network and the environment (PORT, the function's variables), nothing else.
    args: (app) => ['run', '--allow-net', '--allow-env', '--no-prompt', app],
    env: (root) => ({ DENO_DIR: join(root, '.scratchfn/bench/deno-dir'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' }),
  },
}

export function prepareBunAnchor(options: JsAnchorOptions): Promise<Anchor> {
  return prepareJsAnchor('bun', options)
}

export function prepareDenoAnchor(options: JsAnchorOptions): Promise<Anchor> {
  return prepareJsAnchor('deno', options)
}

async function prepareJsAnchor(name: 'bun' | 'deno', options: JsAnchorOptions): Promise<Anchor> {
  const o = checked(options, name)
  const rt = runtimes[name]
  const binary = npmBinary({ root: o.root, packages: rt.packages, version: rt.version, binary: rt.binary, log: o.log })
  const app = await bundleEntry(o.root, name)
  return {
    label: `${rt.label} ${rt.version}`,
    target: { label: name, command: binary, args: rt.args(app), env: rt.env(o.root) },
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
