// Compiles a JavaScript bundle to the bytecode the runtime loads (JS_ReadObject), with
// the host qjsc built from the same engine sources and defines as the runtime.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { buildRuntime, runtimePaths } from '../runtime/build-runtime.ts'
import type { ByteRange } from './library-ranges.ts'
import { LocatedError, shownPath } from '../shared/located-error.ts'

/** qjsc -c writes a C array; this returns its bytes. */
export function bytesFromC(source: string, file = 'qjsc output'): Buffer {
  const open = source.indexOf('] = {')
  const close = source.indexOf('};', open)
  if (open < 0 || close < 0) throw new Error(`compile: no byte array in ${file}`)
  const bytes = source
    .slice(open + 5, close)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number)
  const declared = /_size = (\d+);/.exec(source)
  if (bytes.some((b) => !(b >= 0 && b <= 255)) || (declared && Number(declared[1]) !== bytes.length)) {
    throw new Error(`compile: malformed byte array in ${file}`)
  }
  return Buffer.from(bytes)
}

export interface CompileOptions {
  /** An ES module, as every function bundle is (default); false compiles a plain script. */
  module?: boolean
  /**
   * The folder the module's name is relative to (default the file's own): the name is how
   * the engine resolves the module's imports and finds it again, so a chunk compiled as
   * 'chunks/x.js' is the module that app.js's import('./chunks/x.js') asks for.
   */
  base?: string
  /**
   * Modules it imports that are compiled on their own (the bundle's chunks, by their
   * names as in `base`): qjsc would otherwise compile each statically imported one into
   * this file too.
   */
  external?: string[]
  /** Byte ranges of the file whose functions get no debug info (library-ranges.ts): qjsc -R. */
  stripRanges?: ByteRange[]
}

const compileKeys = new Set(['module', 'base', 'external', 'stripRanges'])

/**
 * Compiles jsFile to raw bytecode in binFile and returns its size in bytes. The file
 * name recorded for stack traces is jsFile's path from `base`; line and column numbers are
 * kept (qjsc drops only the source text), so stacks point into the bundle.
 */
export async function compileToBytecode(jsFile: string, binFile: string, options: CompileOptions = {}): Promise<number> {
  for (const key of Object.keys(options)) if (!compileKeys.has(key)) throw new TypeError(`compileToBytecode: unknown option '${key}'`)
  const base = resolve(options.base ?? dirname(resolve(jsFile)))
  const name = relative(base, resolve(jsFile)).split('\\').join('/')
  if (name.startsWith('../')) throw new TypeError(`compileToBytecode: ${jsFile} is not inside base ${base}`)
  if (!existsSync(runtimePaths.qjsc)) await buildRuntime({ quiet: true })
  const tmp = mkdtempSync(join(tmpdir(), 'scratchfn-compile-'))
  try {
    const out = join(tmp, 'out.c')
    // Run next to the file so the recorded name does not depend on where the repo lives.
    const result = spawnSync(
      runtimePaths.qjsc,
      [
        '-c',
        ...(options.module !== false ? ['-m'] : []),
        ...(options.external ?? []).flatMap((m) => ['-M', m]),
        ...(options.stripRanges?.length ? ['-R', options.stripRanges.map(([start, end]) => `${start}-${end}`).join(',')] : []),
        '-N',
        'app',
        '-o',
        out,
        name,
      ],
      {
        cwd: base,
        encoding: 'utf8',
      },
    )
    if (result.error) throw new Error(`compile: cannot run ${runtimePaths.qjsc}: ${result.error.message}`)
    if (result.status !== 0) throw compileError(jsFile, (result.stderr || result.stdout).trim())
    const bytes = bytesFromC(readFileSync(out, 'utf8'), jsFile)
    writeFileSync(binFile, bytes)
    return bytes.length
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

/** qjsc's error, at the place in the bundle it names (`    at app.js:3:5`), location first. */
export function compileError(jsFile: string, output: string): LocatedError {
  const lines = output.split('\n')
  const name = basename(jsFile).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const at = new RegExp(`at (?:[^\\s:]*/)?${name}:(\\d+):(\\d+)`).exec(output)
  return new LocatedError({
    file: shownPath(jsFile),
    line: at ? Number(at[1]) : 1,
    column: at ? Number(at[2]) : 1,
    message: `QuickJS cannot compile it: ${lines[0] || 'no message'}`,
    hint: 'the bundle is valid for esbuild but not for the engine: the construct at that place is one QuickJS lacks; see the README, "Known gaps"',
  })
}
