// Builds the static runtime: the host qjsc, the web layer (esbuild bundle, then bytecode)
// and the musl binary that embeds it. Each step is skipped when its outputs are current:
// make tracks the C side, a content hash of the bundle's inputs tracks the web layer.
// The sanitize variant is the same runtime built by clang with ASan and UBSan (dynamic,
// slower, in .scratchfn/runtime-sanitize/), for the tests that hunt memory errors.
// A release for another platform (linux/arm64 on an amd64 machine) is the same make with a
// cross compiler (cross-toolchain.ts), into .scratchfn/runtime-<arch>/, embedding the same
// web bytecode: the host qjsc compiles it, since bytecode does not depend on the CPU.
import { ensureClangSanitizers } from '../shared/clang-toolchain.ts'
import { hostPlatform, architectureOf, type Platform } from '../shared/platforms.ts'
import { ensureSystemPackages } from '../shared/system-packages.ts'
import { createHash } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { build, version as esbuildVersion } from 'esbuild'
import { cLibraryDirs, type CLibraryDirs } from './c-libraries.ts'
import { crossToolchain } from './cross-toolchain.ts'
import { engineDir, engineSource } from './engine-source.ts'
import { buildBuiltins } from './lazy-builtins.ts'
import { builtinsInputsFile, recordedWebInputs, runtimeSources, type RuntimeSources } from './runtime-sources.ts'
import { rethrowEsbuild } from '../shared/esbuild-errors.ts'
import { quickjsTarget } from '../shared/quickjs-target.ts'

export type RuntimeVariant = 'release' | 'sanitize'

export interface BuildRuntimeOptions {
  /** Print nothing but errors. */
  quiet?: boolean
  /** 'release': the static musl binary for images; 'sanitize': clang with ASan+UBSan. */
  variant?: RuntimeVariant
  /** The platform the binary runs on (default: this machine's); another one is cross-built (release only). */
  platform?: Platform
}

export interface RuntimeBuild {
  /** The static runtime binary. */
  binary: string
  /** The platform it runs on. */
  platform: Platform
  /** The host bytecode compiler, built from the same engine sources. */
  qjsc: string
  /** Size of the runtime binary. */
  bytes: number
  /** What it is made of: the engine, the C libraries and the npm packages of its web layer (read by the SBOM). */
  sources: RuntimeSources
}

const defaults: Required<BuildRuntimeOptions> = { quiet: false, variant: 'release', platform: hostPlatform() }

const root = resolve(import.meta.dirname, '../..')
const runtimeDir = join(root, 'runtime')
export const runtimeOut = join(root, '.scratchfn/runtime')
export const runtimePaths = {
  binary: join(runtimeOut, 'scratchfn-runtime'),
  qjsc: join(runtimeOut, 'qjsc'),
  webBundle: join(runtimeOut, 'web.js'),
  webBytecode: join(runtimeOut, 'web-bytecode.c'),
  webInputs: join(runtimeOut, 'web-inputs.json'),
}
export const sanitizeOut = join(root, '.scratchfn/runtime-sanitize')
/** Where each variant's binary is written. */
export const runtimeBinaries: Record<RuntimeVariant, string> = {
  release: runtimePaths.binary,
  sanitize: join(sanitizeOut, 'scratchfn-runtime'),
}

/** Where the release binary for `platform` is written: this machine's in .scratchfn/runtime/, others beside it. */
export function releaseBinary(platform: Platform): string {
  if (platform === hostPlatform()) return runtimePaths.binary
  return join(root, `.scratchfn/runtime-${architectureOf(platform)}`, 'scratchfn-runtime')
}

export async function buildRuntime(options: BuildRuntimeOptions = {}): Promise<RuntimeBuild> {
  const unknown = Object.keys(options).filter((k) => !(k in defaults))
  if (unknown.length > 0) {
    throw new Error(`buildRuntime: unknown option ${unknown.map((k) => `'${k}'`).join(', ')} (known: ${Object.keys(defaults).join(', ')})`)
  }
  const opts = { ...defaults, ...options }
  if (!(opts.variant in runtimeBinaries)) throw new Error(`buildRuntime: variant must be 'release' or 'sanitize', not '${opts.variant}'`)
  const cross = opts.platform !== hostPlatform()
  if (cross && opts.variant !== 'release') {
    throw new Error(`buildRuntime: the ${opts.variant} variant runs on this machine only (${hostPlatform()}), not on ${opts.platform}`)
  }
  const log = (line: string) => {
    if (!opts.quiet) console.log(`runtime: ${line}`)
  }
  mkdirSync(runtimeOut, { recursive: true })

  return withBuildLock(log, async () => {
    ensureMusl(log)
    // From the cache when it is there (no apt, no network), else fetched and verified once.
    const engine = await engineDir({ log })
    const libs = await cLibraryDirs({ log })
    const make = (target: string, what: string, extra?: string[]) => runMake(engine, libs, target, what, log, extra)
    make('qjsc', 'host compiler (qjsc)')
    await bundleWebLayer(log)
    compileWebLayer(log)
    const builtinsC = await buildBuiltins({ root, outDir: runtimeOut, qjsc: runtimePaths.qjsc, log })
    if (cross) {
      const toolchain = await crossToolchain(opts.platform, { log })
      const out = dirname(releaseBinary(opts.platform))
      copyBytecode(out, builtinsC)
      make('runtime', `static binary for ${opts.platform} (${toolchain.cc.split(' ')[0]})`, [
        `OUT=${out}`,
        `TARGET_CC=${toolchain.cc}`,
        `TARGET_AR=${toolchain.ar}`,
        `TARGET_STRIP=${toolchain.strip}`,
      ])
    } else if (opts.variant === 'release') {
      make('runtime', 'static binary')
    } else {
      ensureClangSanitizers('runtime', log)
      copyBytecode(sanitizeOut, builtinsC)
      make('runtime', 'sanitizer binary (ASan+UBSan)', ['VARIANT=sanitize', `OUT=${sanitizeOut}`])
    }
    const binary = opts.variant === 'release' ? releaseBinary(opts.platform) : runtimeBinaries[opts.variant]
    const bytes = statSync(binary).size
    log(`${binary} is ${bytes.toLocaleString('en')} bytes`)
    const webInputs = recordedWebInputs([runtimePaths.webInputs, builtinsInputsFile(runtimeOut)])
    const sources = runtimeSources({ variant: opts.variant, platform: opts.platform, webInputs })
    return { binary, platform: opts.platform, qjsc: runtimePaths.qjsc, bytes, sources }
  })
}

/**
 * The web and builtins bytecode for a build in another folder (the same bytes every
 * platform embeds); copied only when they changed, so make relinks only then.
 */
function copyBytecode(out: string, builtinsC: string): void {
  mkdirSync(out, { recursive: true })
  for (const [from, to] of [
    [runtimePaths.webBytecode, join(out, 'web-bytecode.c')],
    [builtinsC, join(out, 'builtins-bytecode.c')],
  ]) {
    if (!existsSync(to) || !readFileSync(to).equals(readFileSync(from))) copyFileSync(from, to)
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * One build at a time per output directory: `npm test`, the build CLI and the bench may
 * start together, and two makes writing the same objects would corrupt them. A lock
 * left by a process that died is taken over.
 */
async function withBuildLock<T>(log: (line: string) => void, build: () => Promise<T>): Promise<T> {
  const lock = join(runtimeOut, '.build-lock')
  const pidFile = join(lock, 'pid')
  let waiting = false
  for (let since = Date.now(); ;) {
    try {
      mkdirSync(lock)
      writeFileSync(pidFile, String(process.pid))
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const owner = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : 0
    if ((owner && !isAlive(owner)) || (!owner && Date.now() - since > 5000)) {
      rmSync(lock, { recursive: true, force: true })
      since = Date.now()
      continue
    }
    if (!waiting) log(`waiting for another build (pid ${owner || '?'}) to finish`)
    waiting = true
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  try {
    return await build()
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

function ensureMusl(log: (line: string) => void): void {
  ensureSystemPackages({ packages: [{ command: 'musl-gcc', package: 'musl-tools' }], who: 'runtime', log })
}

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`
}

function runMake(
  engine: string,
  libs: CLibraryDirs,
  target: string,
  what: string,
  log: (line: string) => void,
  extra: string[] = [`OUT=${runtimeOut}`],
): void {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
  const vars = [
    ...extra,
    `ENGINE_DIR=${engine}`,
    `ENGINE_VERSION=${engineSource.version}`,
    `ENGINE_SRCS=${engineSource.sources.join(' ')}`,
    `ENGINE_HOST_SRCS=${engineSource.hostSources.join(' ')}`,
    // make hands these to the shell, so quotes inside a define survive.
    `ENGINE_DEFINES=${engineSource.defines.map(shellQuote).join(' ')}`,
    `ENGINE_FLAGS=${engineSource.cflags.map(shellQuote).join(' ')}`,
    `VERSION=${pkg.version}`,
    `MBEDTLS_DIR=${libs.mbedtls}`,
    `SODIUM_DIR=${libs.sodium}`,
    `ZLIB_DIR=${libs.zlib}`,
  ]
  const base = ['-C', runtimeDir, '--no-print-directory', ...vars]
  if (spawnSync('make', [...base, '-q', target], { stdio: 'ignore' }).status === 0) {
    log(`${what} is up to date`)
    return
  }
  log(`building ${what}`)
  const result = spawnSync('make', [...base, '-s', `-j${availableParallelism()}`, target], { encoding: 'utf8' })
  if (result.error) throw new Error(`runtime: could not run make: ${result.error.message}`)
  if (result.status !== 0) throw new Error(`runtime: building ${what} failed:\n${result.stdout}${result.stderr}`)
}

interface WebInputs {
  key: string
  files: Record<string, string>
}

function hashFile(path: string): string {
  return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'missing'
}

/** Bundles runtime/entry.ts unless every input of the previous bundle is unchanged. */
async function bundleWebLayer(log: (line: string) => void): Promise<void> {
  const settings = { bundle: true, format: 'iife', minify: true, ...quickjsTarget } as const
  const key = createHash('sha256').update(JSON.stringify({ settings, esbuildVersion })).digest('hex')
  if (existsSync(runtimePaths.webBundle) && existsSync(runtimePaths.webInputs)) {
    const previous = JSON.parse(readFileSync(runtimePaths.webInputs, 'utf8')) as WebInputs
    const same = previous.key === key && Object.entries(previous.files).every(([file, hash]) => hashFile(join(root, file)) === hash)
    if (same) {
      log('web layer is up to date')
      return
    }
  }
  log('bundling web layer (runtime/entry.ts)')
  const result = await build({
    ...settings,
    entryPoints: [join(runtimeDir, 'entry.ts')],
    outfile: runtimePaths.webBundle,
    absWorkingDir: root,
    metafile: true,
    logLevel: 'silent',
  }).catch((err: unknown) => rethrowEsbuild(err, { root, fallbackFile: 'runtime/entry.ts' }))
  const files: Record<string, string> = {}
  for (const file of Object.keys(result.metafile.inputs)) files[file] = hashFile(join(root, file))
  writeFileSync(runtimePaths.webInputs, JSON.stringify({ key, files } satisfies WebInputs, null, 1))
}

// -s: the web layer's bytecode carries no debug info (no line and column tables, no file
// name), so reading it at start is cheaper (accounts: 657k fewer instructions to the first
// 200); its frames show their function names only, as positions in a minified bundle the
// image does not ship said nothing to a user. The function's own bundle keeps its positions.
const WEB_QJSC_ARGS = ['-c', '-s', '-N', 'scratchfn_web']

/** Compiles web.js to a C array; rewrites web-bytecode.c only when it changed, so make relinks only then. */
function compileWebLayer(log: (line: string) => void): void {
  const stamp = `${runtimePaths.webBytecode}.stamp`
  const mtime = (path: string) => statSync(path).mtimeMs
  if (
    existsSync(stamp) &&
    existsSync(runtimePaths.webBytecode) &&
    readFileSync(stamp, 'utf8') === WEB_QJSC_ARGS.join(' ') &&
    mtime(stamp) >= mtime(runtimePaths.qjsc) &&
    mtime(stamp) >= mtime(runtimePaths.webBundle)
  ) {
    log('web bytecode is up to date')
    return
  }
  log('compiling web layer to bytecode')
  const tmp = `${runtimePaths.webBytecode}.tmp`
  const result = spawnSync(runtimePaths.qjsc, [...WEB_QJSC_ARGS, '-o', tmp, 'web.js'], { cwd: runtimeOut, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`runtime: qjsc failed on ${runtimePaths.webBundle}:\n${result.stdout}${result.stderr}`)
  if (existsSync(runtimePaths.webBytecode) && readFileSync(tmp).equals(readFileSync(runtimePaths.webBytecode))) rmSync(tmp)
  else renameSync(tmp, runtimePaths.webBytecode)
  // The stamp records the arguments, so changing them recompiles.
  writeFileSync(stamp, WEB_QJSC_ARGS.join(' '))
}
