// `npm run build`: the runtime for each platform, then for each function bundle ->
// bytecode -> image (an index over the platforms) -> SBOM, then the size budget over all
// of them. A broken function is reported and skipped (nothing of it is left behind); the
// rest still build, and the exit status says something failed.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { BudgetReport } from './budget/budget.ts'
import { checkBudgets, DEFAULT_TOLERANCE } from './budget/budget.ts'
import { buildRuntime, type RuntimeBuild } from './runtime/build-runtime.ts'
import { bundleFunction, type BundleResult } from './bundle/bundle.ts'
import { compileBundle, type CompiledBundle } from './compile/compile-bundle.ts'
import { findFunctions, type FunctionSource } from './contract/find-functions.ts'
import { caLayer, runtimeLayer, writeImage, type ImageResult } from './image/image.ts'
import { sourceInfo } from './image/source-info.ts'
import { sbomDocument, writeSbom } from './sbom/sbom.ts'
import { replaceDir } from './shared/files.ts'
import { formatProblem, LocatedError } from './shared/located-error.ts'
import { PLATFORMS, type Platform } from './shared/platforms.ts'

export interface BuildOptions {
  /** The project: functions/ is read from it, .scratchfn/build/ and size-baseline.json live in it. */
  root: string
  /** Only these functions (default: all). */
  names?: string[]
  quiet?: boolean
  /** Where images/ and the size report go (default <root>/dist). */
  outDir?: string
  /** Accept this build's image sizes into size-baseline.json. */
  updateBaseline?: boolean
  /** Allowed growth over the baseline, percent (default 1). */
  tolerance?: number
  /** The platforms each image is for (default: all of PLATFORMS). */
  platforms?: Platform[]
}

export interface FunctionBuild {
  fn: FunctionSource
  dir: string
  bundle: BundleResult
  bytecodeFile: string
  /** Of app.bin and every chunk. */
  bytecodeBytes: number
  /** app.bin and the chunks' files, as they go into the image's /app. */
  bytecode: CompiledBundle
  image: ImageResult
  /** The image size budget in bytes (config.budget, or the 10 MB cap), for each platform's image. */
  budget: number
}

export interface BuildReport {
  built: FunctionBuild[]
  failed: Array<{ fn: FunctionSource; error: string }>
  /** One per platform. */
  runtimes: Array<{ platform: Platform; binary: string; bytes: number }>
  /** Null when no function built. */
  budget: BudgetReport | null
}

/** scratchfn's own version: the runtime's (`scratchfn-runtime --version`) and the SBOM's creator. */
const toolVersion = (JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8')) as { version: string }).version

const defaults = {
  names: [] as string[],
  quiet: false,
  updateBaseline: false,
  tolerance: DEFAULT_TOLERANCE,
  platforms: [...PLATFORMS] as Platform[],
}
const known = new Set(['root', 'names', 'quiet', 'outDir', 'updateBaseline', 'tolerance', 'platforms'])

export async function buildFunctions(options: BuildOptions): Promise<BuildReport> {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`build: unknown option '${key}'`)
  const o = { ...defaults, outDir: join(options.root, 'dist'), ...options }
  const platforms = PLATFORMS.filter((p) => o.platforms.includes(p))
  if (platforms.length === 0 || platforms.length !== new Set(o.platforms).size)
    throw new TypeError(`build: platforms must be some of ${PLATFORMS.join(', ')}, not ${o.platforms.join(', ') || 'none'}`)
  const say = o.quiet ? () => {} : (line: string) => console.log(line)
  const fns = findFunctions({ root: o.root, names: o.names })
  if (fns.length === 0) throw new Error('functions/: no *.ts files; add one with `npm run new -- <name>`')
  // One after another: they share the host qjsc and web bytecode, and the build lock.
  const runtimes: RuntimeBuild[] = []
  for (const platform of platforms) runtimes.push(await buildRuntime({ quiet: o.quiet, platform }))
  const layers = await Promise.all(runtimes.map((r) => runtimeLayer(r.binary, r.platform)))
  const ca = await caLayer()
  const source = sourceInfo({ root: o.root })
  const imagesDir = join(o.outDir, 'images')
  // A project may carry its own Dockerfile.template; otherwise scratchfn's is used.
  const template = join(o.root, 'Dockerfile.template')
  const imageExtras = existsSync(template) ? { template } : {}
  const report: BuildReport = {
    built: [],
    failed: [],
    runtimes: runtimes.map((r) => ({ platform: r.platform, binary: r.binary, bytes: r.bytes })),
    budget: null,
  }
  for (const fn of fns) {
    const started = performance.now()
    const dir = join(o.root, '.scratchfn/build', fn.name)
    try {
      mkdirSync(join(dir, '..'), { recursive: true })
      // Swapped in whole when every step succeeded: a failed build leaves nothing half-written.
      const built = await replaceDir(dir, async (staging) => {
        const bundle = await bundleFunction({ root: o.root, name: fn.name, file: fn.file, outDir: staging })
        const budget = bundle.contract.config.budgetBytes
        const bytecode = await compileBundle({ dir: staging, chunks: bundle.chunks })
        const bytecodeBytes = bytecode.entry.bytes + bytecode.chunks.reduce((n, c) => n + c.bytes, 0)
        const chunkFiles = bytecode.chunks.map((c) => c.file)
        const image = await writeImage({
          name: fn.name,
          route: bundle.route,
          file: fn.file,
          relFile: fn.relFile,
          config: bundle.contract.config,
          bytecodeFile: join(staging, 'app.bin'),
          chunkFiles,
          runtimes: layers,
          ca,
          source,
          outDir: imagesDir,
          ...imageExtras,
        })
        writeSbom(
          image.dir,
          sbomDocument({
            name: fn.name,
            repository: image.refs[0].slice(0, image.refs[0].lastIndexOf(':')),
            digest: image.digest,
            created: source.created,
            version: source.version,
            revision: source.revision,
            sourceRepository: source.repository,
            relFile: fn.relFile,
            bundleInputs: Object.keys(bundle.metafile.inputs),
            root: o.root,
            bytecode: readFileSync(join(staging, 'app.bin')),
            chunks: chunkFiles.map((file) => ({ file, data: readFileSync(join(staging, file)) })),
            runtime: {
              version: toolVersion,
              platforms: image.platforms.map((p, i) => ({
                platform: p.platform,
                manifest: p.digest,
                binary: layers[i].binary,
                sources: runtimes[i].sources,
              })),
            },
            caCertificates: { bundle: ca.bundle, version: ca.version },
            toolVersion,
          }),
        )
        return { bundle, budget, bytecode, bytecodeBytes, image }
      })
      const { bundle, budget, bytecode, bytecodeBytes, image } = built
      report.built.push({ fn, dir, bundle, bytecodeFile: join(dir, 'app.bin'), bytecodeBytes, bytecode, image, budget })
      const ms = Math.round(performance.now() - started)
      // The largest platform image: the one nearest its budget.
      const bytes = Math.max(...image.platforms.map((p) => p.uncompressed))
      say(
        `  ✓ ${fn.name.padEnd(16)} ${`${bytes.toLocaleString('en')} B`.padStart(12)}  ${image.digest.slice(0, 19)}  ${String(ms).padStart(5)} ms   ${bundle.route}  js ${kb(bundle.bytes)}  bytecode ${kb(bytecodeBytes)}${chunkNote(bytecode)}`,
      )
      for (const note of bundle.notes) say(`    ${note}`)
    } catch (err) {
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true })
      // A stale image of a function that no longer builds must not pass for a current one.
      rmSync(join(imagesDir, fn.name), { recursive: true, force: true })
      const error =
        err instanceof LocatedError ? err.message : formatProblem({ file: fn.relFile, line: 1, column: 1, message: (err as Error).message })
      report.failed.push({ fn, error })
      console.error(`  ✗ ${fn.name}\n${error}`)
    }
  }
  if (report.built.length > 0) {
    report.budget = checkBudgets({
      images: report.built.map((b) => ({ image: b.image, relFile: b.fn.relFile, budget: b.budget, metafile: b.bundle.metafile })),
      baselineFile: join(o.root, 'size-baseline.json'),
      reportDir: o.outDir,
      tolerance: o.tolerance,
      updateBaseline: o.updateBaseline,
      // Entries of deleted functions go only when every function was measured.
      prune: o.names.length === 0 && report.failed.length === 0,
    })
    say('')
    say(report.budget.markdown.trimEnd())
    for (const failure of report.budget.failures) console.error(failure)
  }
  return report
}

/** ' (app.bin 9.8 KB + 2 chunks)' when the function has chunks: what its start reads, and what waits for import(). */
function chunkNote(b: CompiledBundle): string {
  return b.chunks.length === 0 ? '' : ` (app.bin ${kb(b.entry.bytes)} + ${b.chunks.length} chunk${b.chunks.length === 1 ? '' : 's'})`
}

export function kb(bytes: number): string {
  return bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(2)} MB` : `${(bytes / 1000).toFixed(1)} KB`
}
