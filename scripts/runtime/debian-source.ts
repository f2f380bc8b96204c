// Third-party C sources come from Debian's source archive, downloaded by apt itself
// with a private state under the cache directory (private-apt.ts), so the machine's apt
// configuration is read for proxies and mirrors but never changed. One file of a source
// package (usually the orig tarball) is fetched, checked against a pinned sha256 before
// anything is extracted, and unpacked into a cache keyed by package, version and hash. When that tree is there, nothing else runs: no apt, no
// network. Generic on purpose: the engine is one caller, C libraries are the next.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { downloadPinned, listedUri, privateApt, unpackInto, withArchiveDefaults, type ArchiveOptions } from './private-apt.ts'

const root = resolve(import.meta.dirname, '../..')

export interface DebianSourceOptions extends ArchiveOptions {
  /** The source package, e.g. 'quickjs'. */
  package: string
  /** Its Debian version, e.g. '2025.04.26-1'. */
  version: string
  /** The suite that carries that version, e.g. 'trixie'. */
  suite: string
  /** The file of the source package to fetch and unpack, e.g. 'quickjs_2025.04.26.orig.tar.xz'. */
  file: string
  /** Its sha256, hex. */
  sha256: string
}

const required = ['package', 'version', 'suite', 'file', 'sha256'] as const

/** The cache directory a source lands in: package, version and the pinned hash. An epoch's colon becomes '_' (make cannot take a path with a colon). */
export function sourceKey(o: Pick<DebianSourceOptions, 'package' | 'version' | 'sha256'>): string {
  return `${o.package}_${o.version.replace(/:/g, '_')}_${o.sha256.slice(0, 16)}`
}

/**
 * Returns the unpacked tree (the tarball's one top directory, else the tree itself),
 * fetching it first when the cache does not hold it.
 */
export async function fetchDebianSource(options: DebianSourceOptions): Promise<string> {
  const o = withArchiveDefaults('fetchDebianSource', options, required)
  const tree = join(o.cacheDir, sourceKey(o))
  if (existsSync(tree)) return topDirectory(tree)

  o.log(`fetching ${o.package} ${o.version} from Debian's source archive (${o.suite})...`)
  const apt = privateApt({ ...o, name: 'apt', type: 'deb-src', what: o.package })
  const uri = await listedUri(apt, {
    args: ['source', '--print-uris', '--only-source', `${o.package}=${o.version}`],
    file: o.file,
    index: 'source index',
    missing: `source package ${o.package} ${o.version}`,
    log: o.log,
  })
  const tarball = await downloadPinned(apt, { uri, file: o.file, sha256: o.sha256, pinnedIn: o.pinnedIn }, o.log)
  o.log(`verified ${o.file} (sha256 ${o.sha256.slice(0, 16)}...), unpacking into ${relative(root, tree) || tree}`)
  await unpackInto(tree, tarball, (file, dir) => ['tar', ['-xf', file, '-C', dir, '--no-same-owner', '--no-same-permissions']])
  rmSync(tarball, { force: true })
  return topDirectory(tree)
}

function topDirectory(tree: string): string {
  const entries = readdirSync(tree)
  if (entries.length === 1 && statSync(join(tree, entries[0])).isDirectory()) return join(tree, entries[0])
  return tree
}
