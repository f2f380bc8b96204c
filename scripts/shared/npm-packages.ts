// The npm packages a bundle took code from, read off esbuild's metafile inputs
// (node_modules/<pkg>/... and node_modules/@scope/<pkg>/..., nested ones included): name,
// version and license from each package's package.json, and the integrity that the
// nearest package-lock.json pins it by. The SBOM lists what this finds, for the runtime's
// web layer and for each function alike.
import { existsSync, readFileSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import parseSpdx from 'spdx-expression-parse'

export interface NpmPackage {
  name: string
  version: string
  /** An SPDX license expression, or null when package.json states none that parses as one. */
  license: string | null
  /** The tarball's checksum from package-lock.json's integrity, hex; null when no lockfile pins it. */
  integrity: { algorithm: 'SHA512' | 'SHA384' | 'SHA256' | 'SHA1'; hex: string } | null
  /** The registry tarball it is installed from. */
  tarball: string
  /** pkg:npm/... */
  purl: string
}

/**
 * `inputs` are the keys of a metafile's `inputs`, relative to `workingDir` (esbuild's
 * absWorkingDir). Files outside any node_modules (the project's own code) are skipped.
 * Sorted by name then version; one entry per name@version.
 */
export function npmPackagesOf(inputs: Iterable<string>, workingDir: string): NpmPackage[] {
  const dirs = new Set<string>()
  for (const input of inputs) {
    // esbuild names virtual inputs with a namespace ("<stdin>", "ns:path"); only files count.
    if (input.startsWith('<') || /^[a-z-]+:/.test(input)) continue
    const parts = resolve(workingDir, input).split(sep)
    const at = parts.lastIndexOf('node_modules')
    if (at < 0 || at + 1 >= parts.length - 1) continue
    const width = parts[at + 1].startsWith('@') ? 2 : 1
    dirs.add(parts.slice(0, at + 1 + width).join(sep))
  }
  const found = new Map<string, NpmPackage>()
  for (const dir of dirs) {
    const pkg = readPackage(dir)
    if (!pkg) continue
    const key = `${pkg.name}@${pkg.version}`
    if (!found.has(key)) found.set(key, pkg)
  }
  return [...found.values()].sort((a, b) => (a.name === b.name ? cmp(a.version, b.version) : cmp(a.name, b.name)))
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

function readPackage(dir: string): NpmPackage | null {
  const file = join(dir, 'package.json')
  if (!existsSync(file)) return null
  const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string; license?: unknown; licenses?: unknown }
  // A package.json without a name and version is a nested "type: module" marker, not a package.
  if (!json.name || !json.version) return null
  const bare = json.name.replace(/^@[^/]+\//, '')
  return {
    name: json.name,
    version: json.version,
    license: spdxLicense(json.license ?? json.licenses),
    integrity: lockedIntegrity(dir),
    tarball: `https://registry.npmjs.org/${json.name}/-/${bare}-${json.version}.tgz`,
    purl: `pkg:npm/${json.name.replace(/^@/, '%40')}@${encodeURIComponent(json.version)}`,
  }
}

/** package.json's license as an SPDX expression: a string, the old {type} object or a list of them; else null. */
export function spdxLicense(value: unknown): string | null {
  const ids = (Array.isArray(value) ? value : [value]).map((v) =>
    typeof v === 'string' ? v : v && typeof v === 'object' && 'type' in v ? String(v.type) : '',
  )
  const expression = ids.length > 1 ? ids.map((id) => `(${id})`).join(' OR ') : ids[0]
  if (!expression) return null
  try {
    parseSpdx(expression)
    return expression
  } catch {
    return null
  }
}

/** The lockfile beside the node_modules folder that holds `dir` pins its tarball by this integrity. */
function lockedIntegrity(dir: string): NpmPackage['integrity'] {
  const parts = dir.split(sep)
  const top = parts.indexOf('node_modules')
  const projectDir = parts.slice(0, top).join(sep) || sep
  const lock = readLock(join(projectDir, 'package-lock.json'))
  const entry = lock?.packages?.[relative(projectDir, dir).split(sep).join('/')]
  const m = /^(sha512|sha384|sha256|sha1)-([A-Za-z0-9+/=]+)$/.exec(entry?.integrity?.split(' ')[0] ?? '')
  if (!m) return null
  return { algorithm: m[1].toUpperCase() as 'SHA512', hex: Buffer.from(m[2], 'base64').toString('hex') }
}

type Lock = { packages?: Record<string, { integrity?: string }> }
const locks = new Map<string, Lock | null>()
function readLock(file: string): Lock | null {
  if (!locks.has(file)) locks.set(file, existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Lock) : null)
  return locks.get(file)!
}
