// The cost gate, beside the size gate: for each function, the instructions the release
// runtime spends to start (exec to the first 200) and per request (keep-alive requests
// after a warm-up, divided), counted by valgrind's callgrind. Instruction counts do not
// depend on the machine's load, so they can gate CI where wall-clock times cannot. Fails
// when a figure grew past the tolerance over cost-baseline.json; `--update-baseline`
// accepts the new figures. Writes dist/cost-report.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join, relative } from 'node:path'
import { bundleFunction } from '../bundle/bundle.ts'
import { compileBundle } from '../compile/compile-bundle.ts'
import { findFunctions, type FunctionSource } from '../contract/find-functions.ts'
import { imageSpec } from '../image/image-spec.ts'
import { sourceInfo, type SourceInfo } from '../image/source-info.ts'
import { buildRuntime } from '../runtime/build-runtime.ts'
import { engineSource } from '../runtime/engine-source.ts'
import { formatProblem, LocatedError } from '../shared/located-error.ts'
import { ensureSystemPackages } from '../shared/system-packages.ts'
import { selfCosts } from './callgrind-file.ts'
import { countInstructions, WrongStatusError } from './callgrind.ts'
import {
  compareCosts,
  count,
  DEFAULT_TOLERANCE,
  readBaseline,
  requestFor,
  signed,
  writeBaseline,
  type CostBaseline,
  type CostMethod,
  type CostRow,
  type Measured,
} from './cost-baseline.ts'
import { symbolTwin } from './symbol-twin.ts'

export interface CostOptions {
  /** The project: functions/ and cost-baseline.json are read from it. */
  root: string
  /** Only these functions (default: all). */
  names?: string[]
  /** Allowed growth over the baseline, percent (default 2). */
  tolerance?: number
  /** Accept the figures measured now into cost-baseline.json. */
  updateBaseline?: boolean
  /** Print where each function's instructions go (its own instructions, top functions first). */
  profile?: boolean
  quiet?: boolean
  /** Requests after the first, before the measured ones (default 50). */
  warmup?: number
  /**
   * Measured requests (default 500). A few hundred give a figure stable to a fraction of a
   * percent: the engine's cycle collector runs every few hundred requests, and a window of
   * 100 can miss or catch one run of it.
   */
  requests?: number
  /** Functions measured at once (default 2, or 1 on one core). */
  jobs?: number
  /** Where cost-report.json goes (default <root>/dist). */
  outDir?: string
}

export interface CostReport {
  rows: CostRow[]
  /** One line per figure past the tolerance, or per function that could not be measured. */
  failures: string[]
  notes: string[]
  method: CostMethod
  tolerance: number
  baselineUpdated: boolean
  /** The table printed. */
  table: string
  seconds: number
}

const DEFAULT_METHOD: CostMethod = { warmup: 50, requests: 500 }
const defaults = {
  names: [] as string[],
  tolerance: DEFAULT_TOLERANCE,
  updateBaseline: false,
  profile: false,
  quiet: false,
  ...DEFAULT_METHOD,
  jobs: Math.min(2, availableParallelism()),
}
const known = new Set(['root', 'names', 'tolerance', 'updateBaseline', 'profile', 'quiet', 'warmup', 'requests', 'jobs', 'outDir'])

/** Set for every function, whatever the machine: the figures must not depend on who runs them. */
const FIXED_ENV = {
  // A container engine sets it; the quotes example names itself after it, else at random.
  HOSTNAME: 'scratchfn-cost',
  SCRATCHFN_ACCESS_LOG: '1',
  // Exit at once on SIGTERM: the drain delay only adds idle time.
  SCRATCHFN_DRAIN_DELAY_MS: '0',
}
/** Sent on every request, so the runtime generates no request id (a random UUID). */
const REQUEST_ID = 'cost-0000000000000000'

export async function measureCosts(options: CostOptions): Promise<CostReport> {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`cost: unknown option '${key}'`)
  const o = { ...defaults, outDir: join(options.root, 'dist'), ...options }
  for (const [key, min] of [
    ['warmup', 0],
    ['requests', 1],
    ['jobs', 1],
  ] as const) {
    if (!Number.isInteger(o[key]) || o[key] < min)
      throw new TypeError(`cost: ${key} must be a whole number of at least ${min}, got ${o[key]}`)
  }
  const started = performance.now()
  const say = o.quiet ? () => {} : (line: string) => console.error(line)
  ensureSystemPackages({ who: 'cost', packages: [{ command: 'valgrind', package: 'valgrind' }] })
  const fns = findFunctions({ root: o.root, names: o.names })
  if (fns.length === 0) throw new Error('functions/: no *.ts files; add one with `npm run new -- <name>`')
  const runtime = await buildRuntime({ quiet: true })
  const twin = symbolTwin({ release: runtime.binary })
  if (twin.problem) say(`cost: measuring the stripped runtime (profiles will name no function): no unstripped twin, ${twin.problem}`)
  const baselineFile = join(o.root, 'cost-baseline.json')
  const baseline = readBaseline(baselineFile)
  const source = sourceInfo({ root: o.root })
  const method: CostMethod = { warmup: o.warmup, requests: o.requests }

  const measured: Measured[] = []
  const failures: string[] = []
  const profiles: string[] = []
  await inPool(fns, o.jobs, async (fn) => {
    const t = performance.now()
    try {
      const m = await measureOne({ fn, root: o.root, binary: twin.binary, baseline, source, method })
      measured.push(m.figures)
      if (o.profile) profiles.push(profileText(m.figures, m.dir, o.root, method))
      say(`  ✓ ${fn.name.padEnd(16)} ${Math.round(performance.now() - t)} ms under callgrind`)
    } catch (err) {
      const message = failureText(err, fn, baselineFile, o.root)
      failures.push(message)
      say(`  ✗ ${fn.name}`)
    }
  })
  const comparison = compareCosts({
    measured,
    baseline,
    method,
    engine: engineSource.version,
    tolerance: o.tolerance,
    updateBaseline: o.updateBaseline,
    profileHint: (name) => `\`npm run cost -- ${name} --profile\``,
  })
  failures.push(...comparison.failures)
  if (o.updateBaseline) {
    writeBaseline({
      file: baselineFile,
      old: baseline,
      rows: comparison.rows,
      method,
      engine: engineSource.version,
      prune: o.names.length === 0 && measured.length === fns.length,
    })
  }
  const seconds = (performance.now() - started) / 1000
  const table = tableText(comparison.rows, method, o.tolerance)
  mkdirSync(o.outDir, { recursive: true })
  writeFileSync(
    join(o.outDir, 'cost-report.json'),
    JSON.stringify(
      {
        method,
        engine: engineSource.version,
        tolerancePercent: o.tolerance,
        baselineUpdated: o.updateBaseline,
        failures,
        functions: comparison.rows,
      },
      null,
      2,
    ) + '\n',
  )
  if (!o.quiet) {
    console.log(table)
    for (const p of profiles.sort()) console.log(p)
  }
  for (const note of comparison.notes) say(note)
  return {
    rows: comparison.rows,
    failures,
    notes: comparison.notes,
    method,
    tolerance: o.tolerance,
    baselineUpdated: o.updateBaseline,
    table,
    seconds,
  }
}

interface MeasureOne {
  fn: FunctionSource
  root: string
  binary: string
  baseline: CostBaseline
  source: SourceInfo
  method: CostMethod
}

async function measureOne(m: MeasureOne): Promise<{ figures: Measured; dir: string }> {
  const dir = join(m.root, '.scratchfn/cost', m.fn.name)
  const bundle = await bundleFunction({ root: m.root, name: m.fn.name, file: m.fn.file, outDir: dir })
  // The chunks beside app.bin, as in the image: start-up reads only those the entry imports.
  await compileBundle({ dir, chunks: bundle.chunks })
  // The environment the image gives the function, as its config sets it.
  const spec = imageSpec({
    name: m.fn.name,
    route: bundle.route,
    file: m.fn.file,
    relFile: m.fn.relFile,
    config: bundle.contract.config,
    bytecode: readFileSync(join(dir, 'app.bin')),
    source: m.source,
  })
  const request = requestFor(m.baseline, m.fn.name, bundle.route)
  const counts = await countInstructions({
    command: m.binary,
    args: ['app.bin'],
    cwd: dir,
    env: { ...Object.fromEntries(spec.env), ...FIXED_ENV },
    request: rawRequest(request, m.fn.name),
    warmup: m.method.warmup,
    requests: m.method.requests,
    outDir: join(dir, 'callgrind'),
    label: m.fn.name,
  })
  return {
    figures: {
      name: m.fn.name,
      relFile: m.fn.relFile,
      request,
      startup: counts.startup,
      perRequest: Math.round(counts.measured / m.method.requests),
    },
    dir,
  }
}

/** 'GET /accounts/10042' as bytes on the wire, the same every time. */
function rawRequest(request: string, name: string): string {
  const m = /^([A-Z]+) (\/\S*)$/.exec(request)
  if (!m || !['GET', 'HEAD'].includes(m[1])) {
    throw new Error(`cost-baseline.json: functions.${name}.request is '${request}'; write a GET without a body, e.g. "GET /${name}/1"`)
  }
  return `${m[1]} ${m[2]} HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: ${REQUEST_ID}\r\n\r\n`
}

function failureText(err: unknown, fn: FunctionSource, baselineFile: string, root: string): string {
  if (err instanceof LocatedError) return err.message
  const message = (err as Error).message ?? String(err)
  if (err instanceof WrongStatusError) {
    return `cost: ${message}; the gate needs a request that answers 200 without outside services: set one in ${relative(root, baselineFile) || 'cost-baseline.json'}, e.g. "functions": { "${fn.name}": { "request": "GET /${fn.name}/1" } }`
  }
  if (message.startsWith('cost')) return message
  return formatProblem({ file: fn.relFile, line: 1, column: 1, message: `cost: ${message}` })
}

function tableText(rows: CostRow[], method: CostMethod, tolerance: number): string {
  const delta = (d: number | null) => (d === null ? '-' : signed(d))
  const lines = [
    `Instructions (callgrind), access log on, stdout to /dev/null; start-up: exec to the first 200; per request: ${method.requests} keep-alive requests after the first ${method.warmup + 1}, divided. Tolerance ${tolerance}%.`,
    '',
    '| function | request | start-up | vs baseline | per request | vs baseline | status |',
    '|---|---|--:|--:|--:|--:|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.request} | ${count(r.startup)} | ${delta(r.startupDelta)} | ${count(r.perRequest)} | ${delta(r.perRequestDelta)} | ${r.status} |`,
    ),
  ]
  return lines.join('\n')
}

/** Where the instructions go: each part's top functions by their own instructions. */
function profileText(m: Measured, dir: string, root: string, method: CostMethod): string {
  const parts = [
    { file: join(dir, 'callgrind/startup.callgrind'), what: 'start-up, exec to the first 200', per: 1 },
    { file: join(dir, 'callgrind/requests.callgrind'), what: `per request, over ${method.requests}`, per: method.requests },
  ]
  const out: string[] = []
  for (const p of parts) {
    const costs = selfCosts(p.file)
    const total = costs.reduce((a, c) => a + c.self, 0)
    out.push(
      `\n${m.name}: ${p.what}: ${count(total / p.per)} instructions (${relative(root, p.file)}; callgrind_annotate or kcachegrind open it)`,
    )
    for (const c of costs.slice(0, 15)) {
      out.push(`  ${((c.self / total) * 100).toFixed(1).padStart(5)}%  ${count(c.self / p.per).padStart(11)}  ${c.name}`)
    }
  }
  return out.join('\n')
}

async function inPool<T>(items: T[], jobs: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items]
  await Promise.all(
    Array.from({ length: Math.min(jobs, items.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item)
    }),
  )
}
