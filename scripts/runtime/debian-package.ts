// A binary package of Debian's archive for another architecture (musl-dev:arm64 for the
// cross-built runtime), fetched as source files are (private-apt.ts) but from the binary
// index of that architecture, checked against a pinned sha256, and unpacked with
// `dpkg-deb -x` into a cache keyed by package, version, architecture and hash. It is
// never installed: dpkg's database and the machine's architectures (`dpkg
// --add-architecture`) stay as they are. When the tree is there, nothing else runs.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { downloadPinned, listedUri, privateApt, unpackInto, withArchiveDefaults, type ArchiveOptions } from './private-apt.ts'

const root = resolve(import.meta.dirname, '../..')

export interface DebianPackageOptions extends ArchiveOptions {
  /** The binary package, e.g. 'musl-dev'. */
  package: string
  /** Its Debian version, e.g. '1.2.3-1'. */
  version: string
  /** Debian's name of the architecture, e.g. 'arm64'. */
  architecture: string
  /** The suite that carries that version, e.g. 'bookworm'. */
  suite: string
  /** The .deb's sha256, hex. */
  sha256: string
}

const required = ['package', 'version', 'architecture', 'suite', 'sha256'] as const

/** The .deb's file name, as the archive's pool names it (the version without its epoch). */
export function debFileName(o: Pick<DebianPackageOptions, 'package' | 'version' | 'architecture'>): string {
  return `${o.package}_${o.version.replace(/^\d+:/, '')}_${o.architecture}.deb`
}

/** Returns the unpacked package (the folder holding its usr/), fetching it first when the cache does not hold it. */
export async function fetchDebianPackage(options: DebianPackageOptions): Promise<string> {
  const o = withArchiveDefaults('fetchDebianPackage', options, required)
  const file = debFileName(o)
  const tree = join(o.cacheDir, `${file.replace(/\.deb$/, '')}_${o.sha256.slice(0, 16)}`)
  if (existsSync(tree)) return tree

  o.log(`fetching ${o.package} ${o.version} (${o.architecture}) from Debian's archive (${o.suite})...`)
  const name = `apt-${o.architecture}`
  const status = join(o.cacheDir, name, 'status')
  const apt = privateApt({
    ...o,
    name,
    type: `deb [arch=${o.architecture}]`,
    what: `${o.package}:${o.architecture}`,
    // Another architecture's index, read against an empty package database rather than dpkg's.
    settings: [
      `APT::Architecture=${o.architecture}`,
      `APT::Architectures=${o.architecture}`,
      `Dir::State::status=${status}`,
      'Acquire::Languages=none',
      'Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false',
    ],
  })
  if (!existsSync(status)) {
    mkdirSync(apt.dir, { recursive: true })
    writeFileSync(status, '')
  }
  const uri = await listedUri(apt, {
    args: ['download', '--print-uris', `${o.package}=${o.version}`],
    file,
    index: `${o.architecture} package index`,
    missing: `${o.architecture} package ${o.package} ${o.version}`,
    log: o.log,
  })
  const deb = await downloadPinned(apt, { uri, file, sha256: o.sha256, pinnedIn: o.pinnedIn }, o.log)
  o.log(`verified ${file} (sha256 ${o.sha256.slice(0, 16)}...), unpacking into ${relative(root, tree) || tree}`)
  await unpackInto(tree, deb, (archive, dir) => ['dpkg-deb', ['-x', archive, dir]])
  rmSync(deb, { force: true })
  return tree
}
