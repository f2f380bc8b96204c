// How a function bundle is split: esbuild's code splitting, so that every dynamic
// import() target, and code shared between the parts, becomes a chunk of its own beside
// the entry. The runtime reads a chunk's bytecode only on the first import() that needs
// it (runtime/core/modules.c): a driver a function imports only when its database URL is
// set is not read at start without one. Static imports stay in the entry (or in a shared
// chunk the entry imports), so a function without import() is one file, as before.
import { mkdirSync, rmSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import type { BuildOptions, OutputFile } from 'esbuild'
import { writeFileAtomic } from '../shared/files.ts'

/** The entry's file in the bundle folder (and, as app.bin, in the image). */
export const ENTRY_FILE = 'app.js'
/** The folder of the chunks, beside the entry. */
export const CHUNKS_DIR = 'chunks'

/** esbuild options for the split: names are content hashes, so the same sources give the same files. */
export function splitOptions(outDir: string): Pick<BuildOptions, 'splitting' | 'outdir' | 'entryNames' | 'chunkNames'> {
  return {
    splitting: true,
    outdir: resolve(outDir),
    entryNames: ENTRY_FILE.replace(/\.js$/, ''),
    chunkNames: `${CHUNKS_DIR}/[name]-[hash]`,
  }
}

export interface BundleChunk {
  /** Relative to the bundle folder, with '/': 'chunks/accounts-db-XZYHACGY.js'. */
  file: string
  bytes: number
}

export interface SplitOutput {
  entry: string
  /** In file-name order. */
  chunks: BundleChunk[]
}

/**
 * Where esbuild is told it writes, whatever the real folder: one place under the project,
 * so the source maps' paths, which esbuild's content hashes cover, and so the chunks'
 * names do not depend on the folder a build runs in.
 */
export function virtualOutDir(root: string): string {
  return resolve(root, '.scratchfn/bundle-out')
}

/**
 * Writes the entry and its chunks, built for `builtFor` (virtualOutDir), into outDir. The
 * chunks folder is emptied first: a chunk of an earlier build, no longer imported, must
 * not pass for part of this one.
 */
export function writeSplit(outputFiles: OutputFile[], builtFor: string, outDir: string): SplitOutput {
  const root = resolve(outDir)
  const all = outputFiles.map((f) => ({ file: relative(resolve(builtFor), f.path).split('\\').join('/'), output: f }))
  const named = all.filter((n) => !n.file.endsWith('.js.map'))
  // Each file's source map (x.js.map) goes beside it, for the compile step, with its
  // sources' paths made relative to where it really is.
  const maps = all
    .filter((n) => n.file.endsWith('.js.map'))
    .map((n) => ({ file: n.file, output: { contents: rebaseMap(n.output.text, dirname(n.output.path), dirname(join(root, n.file))) } }))
  const entry = named.find((n) => n.file === ENTRY_FILE)
  if (!entry) throw new Error(`bundle: esbuild wrote no ${ENTRY_FILE} (got ${named.map((n) => n.file).join(', ')})`)
  const chunks = named.filter((n) => n !== entry).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  for (const c of chunks) {
    if (!c.file.startsWith(`${CHUNKS_DIR}/`) || !c.file.endsWith('.js')) throw new Error(`bundle: unexpected output ${c.file}`)
  }
  rmSync(join(root, CHUNKS_DIR), { recursive: true, force: true })
  mkdirSync(root, { recursive: true })
  for (const c of [...chunks, ...maps]) {
    mkdirSync(dirname(join(root, c.file)), { recursive: true })
    writeFileAtomic(join(root, c.file), c.output.contents)
  }
  // An interrupted build never leaves a half-written bundle behind.
  writeFileAtomic(join(root, ENTRY_FILE), entry.output.contents)
  return { entry: entry.output.text, chunks: chunks.map((c) => ({ file: c.file, bytes: c.output.contents.length })) }
}

function rebaseMap(text: string, from: string, to: string): Buffer {
  const map = JSON.parse(text) as { sources: string[] }
  map.sources = map.sources.map((s) => (s.includes(':') && !s.startsWith('.') ? s : relative(to, resolve(from, s)).split('\\').join('/')))
  return Buffer.from(JSON.stringify(map))
}
