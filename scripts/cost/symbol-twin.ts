// The release runtime is linked with -s, so a profile of it names no function. Its twin
// here is linked from the same objects in the same order without -s; stripped, it must be
// byte-identical to the release binary, so what callgrind counts on the twin is exactly
// what the image runs, and its profiles name every function.
import { createHash } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { engineSource } from '../runtime/engine-source.ts'

export interface SymbolTwin {
  /** The binary to run: the twin, or the release binary itself when no twin could be made. */
  binary: string
  /** Why there is no twin (profiles then name no function), or null. */
  problem: string | null
}

export interface TwinOptions {
  /** The release binary, .scratchfn/runtime/scratchfn-runtime. */
  release: string
  /** Where the twin goes. */
  outDir: string
}

const coreDir = resolve(import.meta.dirname, '../../runtime/core')

export function symbolTwin(options: TwinOptions): SymbolTwin {
  const twin = join(options.outDir, 'scratchfn-runtime')
  const stamp = twin + '.of'
  const releaseHash = sha256(options.release)
  if (existsSync(twin) && existsSync(stamp) && readFileSync(stamp, 'utf8') === releaseHash) return { binary: twin, problem: null }
  mkdirSync(options.outDir, { recursive: true })
  const obj = join(options.release, '../obj')
  // The order of runtime/Makefile's link line: core objects (sorted, as make's wildcard),
  // the engine's in engine-source order, then the two bytecode objects.
  const core = readdirSync(coreDir)
    .filter((f) => f.endsWith('.c'))
    .sort()
    .map((f) => join(obj, 'core', f.replace(/\.c$/, '.o')))
  const engine = engineSource.sources.map((f) => join(obj, 'engine', f.replace(/\.c$/, '.o')))
  const objects = [...core, ...engine, join(obj, 'web-bytecode.o'), join(obj, 'builtins-bytecode.o')]
  const missing = objects.find((f) => !existsSync(f))
  if (missing) return { binary: options.release, problem: `${missing} is missing` }
  const tmp = `${twin}.${process.pid}.tmp`
  const link = spawnSync('musl-gcc', ['-static', '-Wl,--gc-sections', '-o', tmp, ...objects, '-lm', '-lpthread'], { encoding: 'utf8' })
  if (link.status !== 0) return { binary: options.release, problem: `linking it failed: ${link.stderr || link.error?.message}` }
  const stripped = `${tmp}.stripped`
  const strip = spawnSync('strip', ['-o', stripped, tmp], { encoding: 'utf8' })
  const same = strip.status === 0 && readFileSync(stripped).equals(readFileSync(options.release))
  rmSync(stripped, { force: true })
  if (!same) {
    rmSync(tmp, { force: true })
    return {
      binary: options.release,
      problem:
        strip.status !== 0
          ? `strip failed: ${strip.stderr || strip.error?.message}`
          : 'stripped, it differs from the release binary (did runtime/Makefile change how it links?)',
    }
  }
  renameSync(tmp, twin)
  writeFileSync(stamp, releaseHash)
  return { binary: twin, problem: null }
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}
