// Installs one exact version of a runtime's platform package from npm (the package that
// holds the binary itself) into its own folder under .scratchfn/bench/npm, on demand, so
// `npm ci` and CI never download these ~100 MB binaries. The wrapper packages (`bun`,
// `deno`) would reach the same tarballs through a postinstall script; the platform package
// has no script at all, so the install runs with --ignore-scripts.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface NpmBinaryOptions {
  root: string
  /** Package per Node architecture: { x64: '@oven/bun-linux-x64', arm64: '@oven/bun-linux-aarch64' }. */
  packages: Record<string, string>
  version: string
  /** The binary's path inside the package: 'bin/bun'. */
  binary: string
  log?: (line: string) => void
}

const known = new Set(['root', 'packages', 'version', 'binary', 'log'])

/** The binary's absolute path, installed if it was not there in that version. */
export function npmBinary(options: NpmBinaryOptions): string {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`npmBinary: unknown option '${key}'`)
  const o = { log: (line: string) => console.error(line), ...options }
  const pkg = o.packages[process.arch]
  if (!pkg)
    throw new Error(
      `bench: no npm package of ${Object.values(o.packages)[0]} for ${process.arch}; the anchors run on ${Object.keys(o.packages).join(' or ')}`,
    )
  const prefix = join(o.root, '.scratchfn/bench/npm', pkg.replace('/', '+'))
  const dir = join(prefix, 'node_modules', pkg)
  if (installedVersion(dir) !== o.version) {
    mkdirSync(prefix, { recursive: true })
    const spec = `${pkg}@${o.version}`
    o.log(`bench: installing ${spec} into ${prefix}`)
    const args = ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', prefix, spec]
    const npm = spawnSync('npm', args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] })
    if (npm.status !== 0 || installedVersion(dir) !== o.version) {
      throw new Error(`bench: could not install ${spec} from npm:\n${npm.stderr}\nrun: npm ${args.join(' ')}`)
    }
  }
  return join(dir, o.binary)
}

function installedVersion(dir: string): string | null {
  const file = join(dir, 'package.json')
  return existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? null) : null
}
