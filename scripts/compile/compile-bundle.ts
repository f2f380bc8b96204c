// Step 2 of a function build: the bundle folder (app.js and its chunks/) to bytecode,
// one file for each: app.bin, and chunks/<name>.bin beside it, each compiled as the module
// its importers name (chunks/x.js), with the other chunks left to the runtime's loader.
// Library code (by the source map beside each file) is compiled without debug info.
import { join } from 'node:path'
import { CHUNKS_DIR, ENTRY_FILE, type BundleChunk } from '../bundle/chunks.ts'
import { compileToBytecode } from './compile.ts'
import { libraryRanges } from './library-ranges.ts'

export const ENTRY_BYTECODE = 'app.bin'

export interface CompileBundleOptions {
  /** The bundle folder: app.js and chunks/ in, app.bin and chunks/*.bin out. */
  dir: string
  /** The chunks the bundle step wrote (BundleResult.chunks). */
  chunks: BundleChunk[]
}

export interface BytecodeFile {
  /** Relative to the bundle folder (and to /app in the image): 'app.bin', 'chunks/x-HASH.bin'. */
  file: string
  bytes: number
}

export interface CompiledBundle {
  entry: BytecodeFile
  /** In the bundle's chunk order. */
  chunks: BytecodeFile[]
}

const known = new Set(['dir', 'chunks'])

/** The bytecode file of a chunk: 'chunks/x.js' -> 'chunks/x.bin', as the runtime looks for it. */
export function chunkBytecodeFile(chunk: string): string {
  if (!chunk.startsWith(`${CHUNKS_DIR}/`) || !chunk.endsWith('.js')) throw new TypeError(`compileBundle: '${chunk}' is not a chunk`)
  return chunk.slice(0, -'.js'.length) + '.bin'
}

export async function compileBundle(options: CompileBundleOptions): Promise<CompiledBundle> {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`compileBundle: unknown option '${key}'`)
  const { dir } = options
  const external = options.chunks.map((c) => c.file)
  const one = async (js: string, bin: string): Promise<BytecodeFile> => ({
    file: bin,
    bytes: await compileToBytecode(join(dir, js), join(dir, bin), {
      module: true,
      base: dir,
      external,
      stripRanges: libraryRanges(join(dir, js)),
    }),
  })
  const entry = await one(ENTRY_FILE, ENTRY_BYTECODE)
  const chunks: BytecodeFile[] = []
  for (const c of options.chunks) chunks.push(await one(c.file, chunkBytecodeFile(c.file)))
  return { entry, chunks }
}
