// The C libraries' source trees, ready for runtime/Makefile: each pinned Debian file
// (scripts/runtime/pinned-sources.ts) fetched and unpacked by fetchDebianSource, then
// copied into a tree of its own with its patches applied, so the cached upstream tree
// is never edited. mbedTLS gets ours (runtime/mbedtls/patches/); libsodium gets the ones
// Debian ships for the same version (its debian/patches/series); zlib gets none. A prepared tree is
// keyed by the source, what it keeps and the patches' bytes: a changed patch gives a new tree, an
// unchanged one is reused without running anything.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { ensureSystemPackages } from '../shared/system-packages.ts'
import { replaceDir } from '../shared/files.ts'
import { fetchDebianSource, sourceKey } from './debian-source.ts'
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
  /** zlib as Debian ships it (no patches). */
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
  const mbedtls = await prepareTree({
    name: sourceKey(pinnedSources.mbedtls),
    tree: mbedtlsTree,
    // The rest of the tarball is tests, docs and generators the runtime never builds.
    keep: ['include', 'library', 'LICENSE'],
    patches: ours,
    cacheDir: o.cacheDir,
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
  const sodium = await prepareTree({
    name: sourceKey(pinnedSources.libsodium),
    tree: sodiumTree,
    keep: ['src/libsodium', 'test/default', 'configure.ac', 'LICENSE'],
    patches: debianPatches,
    cacheDir: o.cacheDir,
    log: o.log,
    finish: writeSodiumVersionHeader,
  })
  const zlibTree = await fetch(pinnedSources.zlib)
  const zlib = await prepareTree({
    name: sourceKey(pinnedSources.zlib),
    tree: zlibTree,
    // The library's C files and headers sit at the top; contrib/, examples and tests stay out.
    keep: [
      'adler32.c',
      'crc32.c',
      'crc32.h',
      'deflate.c',
      'deflate.h',
      'gzguts.h',
      'inffast.c',
      'inffast.h',
      'inffixed.h',
      'inflate.c',
      'inflate.h',
      'inftrees.c',
      'inftrees.h',
      'trees.c',
      'trees.h',
      'zutil.c',
      'zutil.h',
      'zlib.h',
      'zconf.h',
      'LICENSE',
    ],
    patches: [],
    cacheDir: o.cacheDir,
    log: o.log,
  })
  return { mbedtls, sodium, zlib }
}

interface PrepareOptions {
  name: string
  tree: string
  /** Paths under `tree` to copy. */
  keep: string[]
  /** Applied with `patch -p1`, in order. */
  patches: string[]
  cacheDir: string
  log: (line: string) => void
  /** Runs in the staging tree after the patches. */
  finish?: (tree: string) => void
}

async function prepareTree(o: PrepareOptions): Promise<string> {
  const hash = createHash('sha256').update(o.keep.join('\0')).update('\0')
  for (const patch of o.patches) hash.update(relative(root, patch)).update('\0').update(readFileSync(patch)).update('\0')
  if (o.finish) hash.update(o.finish.toString())
  const dir = join(o.cacheDir, 'prepared', `${o.name}_${hash.digest('hex').slice(0, 12)}`)
  if (existsSync(dir)) return dir
  if (o.patches.length > 0) ensureSystemPackages({ packages: [{ command: 'patch', package: 'patch' }], who: 'runtime', log: o.log })
  mkdirSync(join(o.cacheDir, 'prepared'), { recursive: true })
  await replaceDir(dir, (staging) => {
    for (const path of o.keep) {
      if (existsSync(join(o.tree, path))) cpSync(join(o.tree, path), join(staging, path), { recursive: true })
    }
    for (const patch of o.patches) {
      const r = spawnSync('patch', ['-p1', '--batch', '--forward', '--no-backup-if-mismatch', '-d', staging, '-i', patch], {
        encoding: 'utf8',
      })
      if (r.status !== 0) {
        throw new Error(
          `runtime: ${relative(root, patch) || patch} does not apply to ${o.name}:\n${(r.stdout + r.stderr).trim()}\n` +
            'Refresh the patch against this source version, or drop it if the version fixed the problem.',
        )
      }
    }
    o.finish?.(staging)
  })
  o.log(`prepared ${relative(root, dir)} (${o.patches.length} patch${o.patches.length === 1 ? '' : 'es'})`)
  return dir
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
