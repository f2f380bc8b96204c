// The one place that names the JavaScript engine: where its source comes from (Debian's
// source archive, hash-pinned in pinned-sources.ts with the other C sources, never copied
// into this repo), its version, our patches to it, its files and its build flags. Swapping
// the engine means editing this file (and remaking the patches against the new source) and
// its pin, and nothing else.
import { fetchDebianSource, type DebianSourceOptions } from './debian-source.ts'
import { patchSource } from './patch-source.ts'
import { pinnedSources, pinsFile } from './pinned-sources.ts'

export interface EngineSource {
  /** Printed by `scratchfn-runtime --version`; the engine's own CONFIG_VERSION. */
  version: string
  /** The Debian source package file it is built from, pinned by sha256. */
  debian: Pick<DebianSourceOptions, 'package' | 'version' | 'suite' | 'file' | 'sha256'>
  /**
   * Our patches to the fetched source, relative to the repository root, applied in order
   * at build time to a copy of the pristine tree (scripts/runtime/patch-source.ts).
   */
  patches: string[]
  /** Linked into the runtime. */
  sources: string[]
  /** Added to `sources` for the host compiler only (qjsc needs the std library). */
  hostSources: string[]
  /** Preprocessor flags for every engine file, the same on host and target so bytecode matches. */
  defines: string[]
  /** Compiler flags for the engine's own files only, as its Makefile uses them (not our core's). */
  cflags: string[]
}

const version = '2025-04-26'

export const engineSource: EngineSource = {
  version,
  debian: pinnedSources.quickjs,
  // The async-context slot AsyncLocalStorage is built on; kept shapes, so objects built again
  // the same way do not remake theirs; JSON.stringify of plain objects from their shape;
  // instanceof, Array.prototype.push and JSON.stringify's holder on short paths; the GC run
  // count /metrics reports; debug info stripped per function, for bundled libraries;
  // JSON.stringify's cycle check on a C array (README, "The engine's patches").
  patches: [
    'runtime/patches/quickjs-async-context.patch',
    'runtime/patches/quickjs-shape-cache.patch',
    'runtime/patches/quickjs-json-plain-objects.patch',
    'runtime/patches/quickjs-fast-paths.patch',
    'runtime/patches/quickjs-gc-count.patch',
    'runtime/patches/quickjs-strip-ranges.patch',
    'runtime/patches/quickjs-json-stack.patch',
  ],
  sources: ['quickjs.c', 'libregexp.c', 'libunicode.c', 'cutils.c', 'dtoa.c'],
  hostSources: ['qjsc.c', 'quickjs-libc.c'],
  defines: ['-D_GNU_SOURCE', `-DCONFIG_VERSION="${version}"`],
  // The engine relies on signed overflow wrapping (its Makefile says so).
  cflags: ['-fwrapv'],
}

export interface EngineDirOptions {
  log?: (line: string) => void
}

/** The engine's unpacked source tree as fetched, on first use, and read from the cache after. */
export function pristineEngineDir(options: EngineDirOptions = {}): Promise<string> {
  return fetchDebianSource({ ...engineSource.debian, pinnedIn: pinsFile, ...options })
}

/** Names the engine and the source it comes from, in messages. */
export const engineName = `QuickJS ${version} (Debian ${engineSource.debian.package} ${engineSource.debian.version})`

/** The tree the runtime is built from: the pristine one with our patches applied (a copy, cached per patch set). */
export async function engineDir(options: EngineDirOptions = {}): Promise<string> {
  const tree = await pristineEngineDir(options)
  return patchSource({ tree, patches: engineSource.patches, what: engineName, ...(options.log ? { log: options.log } : {}) })
}
