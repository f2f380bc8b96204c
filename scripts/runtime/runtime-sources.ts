// What the runtime binary is made of, as the build knows it: the engine and every C
// library compiled or linked in (name, version, where its pinned source comes from and
// that source's checksum), and the npm packages bundled into its web layer. The runtime
// step returns this with the binary (RuntimeBuild.sources) and the SBOM step only reads
// it, so the SBOM names whatever engine-source.ts and the library pins say at build time.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { npmPackagesOf, type NpmPackage } from '../shared/npm-packages.ts'
import { hostPlatform, type Platform } from '../shared/platforms.ts'
import { crossMuslPin } from './cross-toolchain.ts'
import { debFileName } from './debian-package.ts'
import { engineSource } from './engine-source.ts'
import { pinnedSources } from './pinned-sources.ts'

export interface SourceChecksum {
  algorithm: 'SHA256' | 'SHA512'
  hex: string
}

/** One C component of the binary. */
export interface PinnedSource {
  name: string
  /** The upstream version. */
  version: string
  role: 'engine' | 'library' | 'libc'
  /** The source tarball (or Debian source package) it is built from; for a prebuilt libc, its binary package. */
  downloadLocation: string
  /** Of that file, as pinned; null when the build takes it as installed (the toolchain's libc). */
  checksum: SourceChecksum | null
  /** pkg:deb/debian/... or pkg:npm/... */
  purl: string
  /** SPDX expression; null when unknown. */
  license: string | null
  /** How the build pins it, in a sentence (the SBOM's package comment). */
  pinned: string
}

export interface RuntimeSources {
  c: PinnedSource[]
  /** Bundled into the web layer and its lazy builtins. */
  npm: NpmPackage[]
}

/** A file of a Debian source package, pinned by its sha256 (the shape engine-source.ts and the library pins use). */
export interface DebianPin {
  package: string
  version: string
  file: string
  sha256: string
}

// Licences of the C components the runtime builds or may build, by upstream name: neither
// Debian's copyright files nor the tarballs state them in a form a build can read.
const LICENSES: Record<string, string> = {
  quickjs: 'MIT',
  musl: 'MIT',
  mbedtls: 'Apache-2.0 OR GPL-2.0-or-later',
  zlib: 'Zlib',
  libsodium: 'ISC',
}

const root = resolve(import.meta.dirname, '../..')

/** Where Debian's archive keeps a source package's files (pool/main/<prefix>/<package>/). */
export function debianPoolUrl(pkg: string, file: string): string {
  const prefix = pkg.startsWith('lib') ? pkg.slice(0, 4) : pkg[0]
  return `https://deb.debian.org/debian/pool/main/${prefix}/${pkg}/${file}`
}

/** A C component built from a pinned file of Debian's source archive. */
export function debianSource(name: string, upstreamVersion: string, role: PinnedSource['role'], pin: DebianPin): PinnedSource {
  return {
    name,
    version: upstreamVersion,
    role,
    downloadLocation: debianPoolUrl(pin.package, pin.file),
    checksum: { algorithm: 'SHA256', hex: pin.sha256 },
    purl: `pkg:deb/debian/${pin.package}@${encodeURIComponent(pin.version)}?arch=source`,
    license: LICENSES[name] ?? null,
    pinned: `Debian source package ${pin.package} ${pin.version}, file ${pin.file}, pinned by sha256`,
  }
}

/** '3.6.6-0.1~deb13u1' -> '3.6.6': a Debian version without its epoch and revision. */
function upstreamVersion(pin: DebianPin): string {
  return pin.version.replace(/^\d+:/, '').replace(/-[^-]+$/, '')
}

/** The engine, from the Debian source file engine-source.ts pins. */
function engine(): PinnedSource {
  return debianSource('quickjs', engineSource.version, 'engine', engineSource.debian)
}

/** musl's static libc.a, from the toolchain Debian's musl-tools installs (its version is the machine's). */
function musl(): PinnedSource {
  const q = spawnSync('dpkg-query', ['-W', '-f=${Version}\t${source:Package}', 'musl-dev'], { encoding: 'utf8' })
  const [version, source] = q.status === 0 ? q.stdout.trim().split('\t') : []
  if (!version) throw new Error('runtime: dpkg does not know musl-dev, whose libc.a the runtime links; install musl-tools')
  const pkg = source || 'musl'
  return {
    name: 'musl',
    version: version.replace(/^\d+:/, '').replace(/-[^-]+$/, ''),
    role: 'libc',
    downloadLocation: debianPoolUrl(pkg, `${pkg}_${version.replace(/^\d+:/, '')}.dsc`),
    checksum: null,
    purl: `pkg:deb/debian/${pkg}@${encodeURIComponent(version)}?arch=source`,
    license: LICENSES.musl,
    pinned: `the installed Debian package musl-dev ${version} (the build machine's toolchain, not pinned by hash)`,
  }
}

/** The musl a cross build links: Debian's musl-dev of that architecture, fetched as a binary package and pinned by sha256. */
function crossMusl(platform: Platform): PinnedSource {
  const pin = crossMuslPin(platform)
  return {
    name: 'musl',
    version: pin.version.replace(/^\d+:/, '').replace(/-[^-]+$/, ''),
    role: 'libc',
    downloadLocation: debianPoolUrl('musl', debFileName(pin)),
    checksum: { algorithm: 'SHA256', hex: pin.sha256 },
    purl: `pkg:deb/debian/${pin.package}@${encodeURIComponent(pin.version)}?arch=${pin.architecture}`,
    license: LICENSES.musl,
    pinned: `Debian binary package ${pin.package} ${pin.version} (${pin.architecture}, ${pin.suite}), pinned by sha256 and unpacked, not installed`,
  }
}

export interface RuntimeSourcesOptions {
  /** 'release' links musl; the sanitizer build links the machine's glibc and goes into no image. */
  variant: 'release' | 'sanitize'
  /** The platform of the binary: this machine's links the installed musl-dev, another the pinned one. */
  platform: Platform
  /** The metafile inputs of the web layer and of its lazy builtins, relative to the repository. */
  webInputs: string[]
}

export function runtimeSources(options: RuntimeSourcesOptions): RuntimeSources {
  // The C libraries pinned in Debian's source archive, as the runtime links them.
  const libraries: PinnedSource[] = [
    debianSource('mbedtls', upstreamVersion(pinnedSources.mbedtls), 'library', pinnedSources.mbedtls),
    debianSource('libsodium', upstreamVersion(pinnedSources.libsodium), 'library', pinnedSources.libsodium),
    // '1.3.dfsg+really1.3.1' is Debian's way of saying 1.3.1.
    debianSource('zlib', upstreamVersion(pinnedSources.zlib).replace(/^.*\+really/, ''), 'library', pinnedSources.zlib),
  ]
  return {
    c: [
      engine(),
      ...libraries,
      ...(options.variant === 'sanitize' ? [] : [options.platform === hostPlatform() ? musl() : crossMusl(options.platform)]),
    ],
    npm: npmPackagesOf(options.webInputs, root),
  }
}

/** The web layer's and builtins' recorded inputs (written by the runtime build), relative to the repository. */
export function recordedWebInputs(files: string[]): string[] {
  const out: string[] = []
  for (const file of files) {
    if (!existsSync(file)) continue
    const json = JSON.parse(readFileSync(file, 'utf8')) as { files?: Record<string, string>; inputs?: string[] }
    out.push(...Object.keys(json.files ?? {}), ...(json.inputs ?? []))
  }
  return out
}

export const builtinsInputsFile = (outDir: string) => join(outDir, 'builtins', 'inputs.json')
