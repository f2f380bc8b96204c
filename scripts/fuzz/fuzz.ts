// Fuzzes the runtime's HTTP request parser (runtime/core/http-parser.c) with libFuzzer,
// under AddressSanitizer and UndefinedBehaviorSanitizer. The target is
// runtime/fuzz/http-parser-fuzz.c; its seed corpus (runtime/fuzz/corpus/, committed) is
// real requests, and what the fuzzer finds beyond it is kept in .scratchfn/fuzz/corpus/
// so each run starts where the last one stopped. A crashing input is saved under
// .scratchfn/fuzz/crashes/ and named in the result.
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ensureClangSanitizers } from '../shared/clang-toolchain.ts'

export interface FuzzOptions {
  /** How long to fuzz. */
  seconds?: number
  /** Print nothing but errors and the result line. */
  quiet?: boolean
}

export interface FuzzResult {
  /** Inputs run. */
  execs: number
  execsPerSecond: number
  /** Inputs that reached new code and were added to the working corpus. */
  newInputs: number
  /** Saved crashing (or hanging, or leaking) inputs; empty when none was found. */
  crashes: string[]
  /** libFuzzer's own report of the crash, when there was one. */
  report: string
  seconds: number
}

const defaults: Required<FuzzOptions> = { seconds: 60, quiet: false }

const root = resolve(import.meta.dirname, '../..')
const fuzzDir = join(root, 'runtime/fuzz')
export const fuzzOut = join(root, '.scratchfn/fuzz')
export const fuzzPaths = {
  binary: join(fuzzOut, 'http-parser-fuzz'),
  workCorpus: join(fuzzOut, 'corpus'),
  crashes: join(fuzzOut, 'crashes'),
  seeds: join(fuzzDir, 'corpus'),
  dictionary: join(fuzzDir, 'http.dict'),
}

/** Builds the fuzz target (make skips it when current) and returns its path. */
export function buildFuzzer(log: (line: string) => void = () => {}): string {
  ensureClangSanitizers('fuzz', log)
  const make = spawnSync('make', ['-C', fuzzDir, '--no-print-directory', '-s', `OUT=${fuzzOut}`, 'fuzz'], { encoding: 'utf8' })
  if (make.error) throw new Error(`fuzz: could not run make: ${make.error.message}`)
  if (make.status !== 0) throw new Error(`fuzz: building runtime/fuzz/http-parser-fuzz.c failed:\n${make.stdout}${make.stderr}`)
  return fuzzPaths.binary
}

export async function runFuzzer(options: FuzzOptions = {}): Promise<FuzzResult> {
  const unknown = Object.keys(options).filter((k) => !(k in defaults))
  if (unknown.length > 0) {
    throw new Error(`runFuzzer: unknown option ${unknown.map((k) => `'${k}'`).join(', ')} (known: ${Object.keys(defaults).join(', ')})`)
  }
  const opts = { ...defaults, ...options }
  if (!(Number.isInteger(opts.seconds) && opts.seconds > 0))
    throw new Error(`fuzz: seconds must be a whole number above 0, not ${opts.seconds}`)
  const log = (line: string) => {
    if (!opts.quiet) console.log(`fuzz: ${line}`)
  }
  const binary = buildFuzzer(log)
  for (const dir of [fuzzPaths.workCorpus, fuzzPaths.crashes]) mkdirSync(dir, { recursive: true })
  const before = new Set(readdirSync(fuzzPaths.crashes))

  const args = [
    `-max_total_time=${opts.seconds}`,
    `-dict=${fuzzPaths.dictionary}`,
    // Past the server's 16 KB header limit, so the 431 paths are reached at the default too.
    '-max_len=20000',
    // An input taking this long is a hang in a parser that should be linear: report it.
    '-timeout=10',
    '-print_final_stats=1',
    `-artifact_prefix=${fuzzPaths.crashes}/`,
    fuzzPaths.workCorpus,
    fuzzPaths.seeds,
  ]
  log(`running ${binary} for ${opts.seconds} s`)
  const started = Date.now()
  const output = await new Promise<{ code: number | null; text: string }>((done, fail) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let text = ''
    const take = (chunk: Buffer) => {
      text += chunk
      if (text.length > 4 << 20) text = text.slice(-(1 << 20))
    }
    child.stdout.on('data', take)
    child.stderr.on('data', take)
    child.on('error', fail)
    // The fuzzer stops itself at -max_total_time; this only guards against it hanging.
    const guard = setTimeout(() => child.kill('SIGKILL'), (opts.seconds + 120) * 1000)
    child.on('close', (code) => {
      clearTimeout(guard)
      done({ code, text })
    })
  })
  const seconds = (Date.now() - started) / 1000
  const stat = (name: string) => Number(new RegExp(`stat::${name}:\\s+(\\d+)`).exec(output.text)?.[1] ?? NaN)
  // After a crash there are no final stats; the last progress line ("#N ...") has the count.
  const progress = [...output.text.matchAll(/^#(\d+)\s/gm)].at(-1)
  const execs = Number.isNaN(stat('number_of_executed_units')) ? Number(progress?.[1] ?? 0) : stat('number_of_executed_units')
  const crashes = readdirSync(fuzzPaths.crashes)
    .filter((f) => !before.has(f))
    .map((f) => join(fuzzPaths.crashes, f))
  const crashed = crashes.length > 0 || (output.code !== 0 && output.code !== null)
  const report = crashed ? output.text.slice(output.text.search(/==\d+==ERROR|ERROR: libFuzzer|SUMMARY/)).slice(0, 8000) : ''
  if (crashed && crashes.length === 0) crashes.push('(the fuzzer failed without saving an input; see the report)')
  return {
    execs,
    execsPerSecond: Math.round(execs / Math.max(seconds, 1)),
    newInputs: Number.isNaN(stat('new_units_added')) ? 0 : stat('new_units_added'),
    crashes,
    report,
    seconds,
  }
}
