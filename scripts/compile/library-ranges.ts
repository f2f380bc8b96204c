// Which bytes of a bundle are library code: the byte ranges (as qjsc -R takes them) whose
// source, by the bundle's source map, is a package under node_modules or scratchfn's own
// runtime modules (runtime/node, runtime/shim, ...). qjsc compiles the functions that start
// there without debug info (runtime/patches/quickjs-strip-ranges.patch): a third less
// bytecode to ship and to read at start, while the function's own code keeps its line and
// column numbers for its stacks.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve, sep } from 'node:path'
import { decode } from '@jridgewell/sourcemap-codec'

/** scratchfn's runtime folder, whose modules esbuild bundles into functions (node: built-ins, shims). */
const runtimeDir = resolve(import.meta.dirname, '../../runtime')

/** A source of the bundle is a library's when it is a package's file or scratchfn's own. */
export function isLibrarySource(path: string): boolean {
  return path.split(sep).includes('node_modules') || path.startsWith(runtimeDir + sep)
}

/** [start, end) byte offsets into the bundle's file. */
export type ByteRange = [number, number]

/**
 * The library ranges of `jsFile` from the source map beside it (`<jsFile>.map`); none when
 * there is no map. (The module's top level, which starts at 0 and runs every module's
 * statements, keeps its debug info whatever the ranges say.)
 */
export function libraryRanges(jsFile: string): ByteRange[] {
  const mapFile = `${jsFile}.map`
  if (!existsSync(mapFile)) return []
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; sourceRoot?: string; mappings: string }
  const base = resolve(dirname(mapFile), map.sourceRoot ?? '')
  const library = map.sources.map((s) => isLibrarySource(resolve(base, s)))
  const lines = readFileSync(jsFile, 'utf8').split('\n')
  const ranges: ByteRange[] = []
  let lineStart = 0
  let open = -1
  decode(map.mappings).forEach((segments, index) => {
    const line = lines[index] ?? ''
    // Source-map columns count UTF-16 units; qjsc's positions are bytes of the UTF-8 file.
    let unit = 0
    let bytes = 0
    const byteAt = (column: number): number => {
      for (; unit < column && unit < line.length; unit++) {
        const code = line.charCodeAt(unit)
        if (code >= 0xd800 && code < 0xdc00 && unit + 1 < line.length) {
          bytes += 4
          unit++
        } else bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : 3
      }
      return lineStart + bytes
    }
    for (const segment of segments) {
      // A segment without a source (length 1) continues whatever came before it.
      if (segment.length < 4) continue
      const inLibrary = library[segment[1]!]
      const at = byteAt(segment[0])
      if (inLibrary && open < 0) open = at
      else if (!inLibrary && open >= 0) {
        if (at > open) ranges.push([open, at])
        open = -1
      }
    }
    lineStart += Buffer.byteLength(line) + 1
  })
  if (open >= 0 && lineStart > open) ranges.push([open, lineStart])
  return ranges
}
