// The C libraries' source trees, ready for runtime/Makefile: each pinned Debian file
// (scripts/runtime/pinned-sources.ts) fetched and unpacked by fetchDebianSource, then
// copied into a tree of its own with its patches applied (patch-source.ts), so the cached
// upstream tree is never edited. mbedTLS gets ours (runtime/mbedtls/patches/); libsodium
// gets the ones Debian ships for the same version (its debian/patches/series); zlib gets none.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fetchDebianSource, sourceKey } from './debian-source.ts'
import { patchSource } from './patch-source.ts'
import { pinnedSources, pinsFile, type PinnedSource } from './pinned-sources.ts'

export interface CLibraryOptions {
  /** Where fetched and prepared trees live. */
  cacheDir?: string
  log?: (line: string) => void
}

export interface CLibraryDirs {
  /** mbedTLS with runtime/mbedtls/patches/ applied: include/ and library/. */
  mbedtls: string
  /** libsodium with Debian's patches applied, and the version.h its configure would write. */
  sodium: string
  /** zlib's C files and headers, as released. */
  zlib: string
}

const root = resolve(import.meta.dirname, '../..')
const defaults: Required<CLibraryOptions> = {
  cacheDir: join(root, '.scratchfn/sources'),
  log: (line) => console.log(`runtime: ${line}`),
}

/** Our patches to mbedTLS, applied in name order. */
export const mbedtlsPatchDir = join(root, 'runtime/mbedtls/patches')

export async function cLibraryDirs(options: CLibraryOptions = {}): Promise<CLibraryDirs> {
  const unknown = Object.keys(options).filter((k) => !(k in defaults))
  if (unknown.length > 0) throw new TypeError(`cLibraryDirs: unknown option ${unknown.map((k) => `'${k}'`).join(', ')}`)
  const o = { ...defaults, ...options }
  const fetch = (pin: PinnedSource) => fetchDebianSource({ ...pin, pinnedIn: pinsFile, cacheDir: o.cacheDir, log: o.log })

  const mbedtlsTree = await fetch(pinnedSources.mbedtls)
  const ours = readdirSync(mbedtlsPatchDir)
    .filter((name) => name.endsWith('.patch'))
    .sort()
    .map((name) => join(mbedtlsPatchDir, name))
  const mbedtls = patchSource({
    what: sourceKey(pinnedSources.mbedtls),
    tree: mbedtlsTree,
    // The rest of the tarball is tests, docs and generators the runtime never builds.
    keep: ['include', 'library', 'LICENSE'],
    patches: ours,
    listedIn: 'runtime/mbedtls/patches/',
    cacheDir: join(o.cacheDir, 'patched'),
    log: o.log,
  })

  const sodiumTree = await fetch(pinnedSources.libsodium)
  const debianDir = await fetch(pinnedSources.libsodiumDebian)
  const patchesDir = join(debianDir, 'patches')
  const series = existsSync(join(patchesDir, 'series')) ? readFileSync(join(patchesDir, 'series'), 'utf8') : ''
  const debianPatches = series
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean)
    .map((name) => join(patchesDir, name))
  const sodium = patchSource({
    what: sourceKey(pinnedSources.libsodium),
    tree: sodiumTree,
    keep: ['src/libsodium', 'test/default', 'configure.ac', 'LICENSE'],
    patches: debianPatches,
    listedIn: `Debian's ${pinnedSources.libsodiumDebian.file} (debian/patches/series)`,
    cacheDir: join(o.cacheDir, 'patched'),
    log: o.log,
    finish: writeSodiumVersionHeader,
  })

  const zlib = patchSource({
    what: sourceKey(pinnedSources.zlib),
    tree: await fetch(pinnedSources.zlib),
    // The library's C files and headers sit at the top; contrib/, examples and tests stay out.
    keep: [
      ...['adler32', 'crc32', 'deflate', 'inffast', 'inflate', 'inftrees', 'trees', 'zutil'].map((f) => `${f}.c`),
      ...['crc32', 'deflate', 'gzguts', 'inffast', 'inffixed', 'inflate', 'inftrees', 'trees', 'zutil', 'zlib', 'zconf'].map(
        (f) => `${f}.h`,
      ),
      'LICENSE',
    ],
    patches: [],
    listedIn: 'scripts/runtime/c-libraries.ts',
    cacheDir: join(o.cacheDir, 'patched'),
    log: o.log,
  })
  return { mbedtls, sodium, zlib }
}

/** libsodium's configure writes include/sodium/version.h from version.h.in; the values are in configure.ac. */
function writeSodiumVersionHeader(tree: string): void {
  const configure = readFileSync(join(tree, 'configure.ac'), 'utf8')
  const value = (re: RegExp, what: string) => {
    const m = configure.match(re)
    if (!m) throw new Error(`runtime: cannot find ${what} in libsodium's configure.ac; the version.h template needs it`)
    return m[1]
  }
  const values: Record<string, string> = {
    VERSION: value(/AC_INIT\(\[libsodium\],\s*\[([^\]]+)\]/, 'the version'),
    SODIUM_LIBRARY_VERSION_MAJOR: value(/^SODIUM_LIBRARY_VERSION_MAJOR=(\d+)/m, 'SODIUM_LIBRARY_VERSION_MAJOR'),
    SODIUM_LIBRARY_VERSION_MINOR: value(/^SODIUM_LIBRARY_VERSION_MINOR=(\d+)/m, 'SODIUM_LIBRARY_VERSION_MINOR'),
    SODIUM_LIBRARY_MINIMAL_DEF: '',
  }
  const include = join(tree, 'src/libsodium/include/sodium')
  const template = readFileSync(join(include, 'version.h.in'), 'utf8')
  writeFileSync(
    join(include, 'version.h'),
    template.replace(/@([A-Z_]+)@/g, (all, name: string) => values[name] ?? all),
  )
}
