// Step 4: the size-budget gate. Measures every image of every platform (uncompressed and
// compressed, per layer: what a node of that CPU pulls) and fails the build when one is
// over its budget (config.budget, default and hard cap 10 MB) or grew past the committed
// baseline (size-baseline.json, per function and platform) by more than the tolerance.
// Writes dist/size-report.json and .md; `--update-baseline` accepts the new sizes.
// Budgets are never raised by the baseline: the cap holds regardless.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Metafile } from 'esbuild'
import type { ImageResult } from '../image/image.ts'
import { PLATFORMS, type Platform } from '../shared/platforms.ts'
import { deltaText, largestInputs, largestText, markdownReport, size, type BudgetRow } from './size-report.ts'

import { CONFIG_DEFAULTS } from '../contract/function-config.ts'
import { writeFileAtomic } from '../shared/files.ts'
import { readJsonFile } from '../shared/json-file.ts'
import { atFileStart, shownPath } from '../shared/located-error.ts'

export const BUDGET_CAP = CONFIG_DEFAULTS.budgetCap
export const DEFAULT_TOLERANCE = 1

export interface BudgetInput {
  image: ImageResult
  relFile: string
  budget: number
  metafile?: Metafile
}

export interface BudgetOptions {
  images: BudgetInput[]
  /** size-baseline.json */
  baselineFile: string
  /** Where size-report.json and size-report.md go (dist/). */
  reportDir: string
  /** Allowed growth over the baseline, in percent (default 1). */
  tolerance?: number
  /** Accept this build's sizes into the baseline. */
  updateBaseline?: boolean
  /** With updateBaseline: also drop baseline entries of functions not measured here (set when every function was built). */
  prune?: boolean
}

export interface BudgetReport {
  rows: BudgetRow[]
  /** One message per failing image: `budget: <name> ...`. */
  failures: string[]
  markdown: string
  tolerance: number
  baselineUpdated: boolean
}

interface BaselineEntry {
  uncompressed: number
  compressed: number
  layers: Record<string, { uncompressed: number; compressed: number }>
}
/** A function's accepted sizes, by platform. */
type BaselinePlatforms = Partial<Record<Platform, BaselineEntry>>
interface Baseline {
  functions: Record<string, BaselinePlatforms>
}

const defaults = { tolerance: DEFAULT_TOLERANCE, updateBaseline: false, prune: false }
const known = new Set(['images', 'baselineFile', 'reportDir', 'tolerance', 'updateBaseline', 'prune'])

export function checkBudgets(options: BudgetOptions): BudgetReport {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`checkBudgets: unknown option '${key}'`)
  const o = { ...defaults, ...options }
  if (!Number.isFinite(o.tolerance) || o.tolerance < 0)
    throw new TypeError(`budget: tolerance must be a percentage of 0 or more, got ${o.tolerance}`)
  const baseline = readBaseline(o.baselineFile)
  const rows: BudgetRow[] = []
  const failures: string[] = []
  const measured = o.images
    .flatMap((input) => input.image.platforms.map((platform) => ({ ...input, platform })))
    .sort((a, b) => cmp(a.image.name, b.image.name) || PLATFORMS.indexOf(a.platform.platform) - PLATFORMS.indexOf(b.platform.platform))
  for (const { image: fn, platform: image, relFile, budget, metafile } of measured) {
    const base = baseline.functions[fn.name]?.[image.platform]
    const delta = base ? image.uncompressed - base.uncompressed : null
    const row: BudgetRow = {
      name: fn.name,
      platform: image.platform,
      relFile,
      digest: image.digest,
      uncompressed: image.uncompressed,
      compressed: image.compressed,
      layers: image.layers,
      budget,
      baseline: base ? { uncompressed: base.uncompressed, compressed: base.compressed } : null,
      delta,
      deltaPercent: base && delta !== null ? (delta / base.uncompressed) * 100 : null,
      status: base ? 'ok' : 'new',
      largest: delta !== null && delta > 0 ? largestInputs(metafile) : [],
    }
    // Growth of the shared layers (the runtime, the CA certificates) is a runtime/ or pin
    // change: the function's inputs do not explain it. A layer the baseline lacks counts whole.
    const shared = (layers: Record<string, { uncompressed: number }> | undefined, role: 'runtime' | 'ca-certificates') =>
      layers?.[role]?.uncompressed ?? (role === 'runtime' ? undefined : 0)
    const sharedNow = image.layers.filter((l) => l.role !== 'function').reduce((n, l) => n + l.uncompressed, 0)
    const runtimeBase = shared(base?.layers, 'runtime')
    const sharedBase = runtimeBase === undefined ? undefined : runtimeBase + shared(base?.layers, 'ca-certificates')!
    if (delta !== null && delta > 0 && sharedBase !== undefined && (sharedNow - sharedBase) * 2 >= delta) {
      row.runtimeGrowth = sharedNow - sharedBase
      row.largest = []
    }
    const since = delta === null ? 'not in the baseline' : `${deltaText(row)} since baseline`
    const why = row.runtimeGrowth
      ? `; ${size(row.runtimeGrowth)} of it is the shared runtime and CA layers (runtime/ or scripts/runtime/pinned-sources.ts changed)`
      : row.largest.length
        ? `; largest: ${largestText(row)}`
        : ''
    const which = `${fn.name} (${image.platform})`
    if (image.uncompressed > budget) {
      row.status = 'over-budget'
      if (!row.largest.length) row.largest = largestInputs(metafile)
      failures.push(
        `budget: ${which} is ${size(image.uncompressed)}, over its ${size(budget)} budget (${since}; largest: ${largestText(row)}); shrink it, or raise config.budget in ${relFile} (at most ${size(BUDGET_CAP)})`,
      )
    } else if (base && delta! > base.uncompressed * (o.tolerance / 100)) {
      if (o.updateBaseline) row.status = 'accepted'
      else {
        row.status = 'grew'
        failures.push(
          `budget: ${which} grew ${deltaText(row)} since baseline (${size(base.uncompressed)} -> ${size(image.uncompressed)}), more than the ${o.tolerance}% tolerance${why}; if that is intended, accept it with \`npm run build -- --update-baseline\``,
        )
      }
    } else if (o.updateBaseline && delta !== 0) row.status = 'accepted'
    rows.push(row)
  }
  if (o.updateBaseline) writeBaseline(o.baselineFile, baseline, rows, o.prune)
  const markdown = markdownReport(rows, o.tolerance)
  mkdirSync(o.reportDir, { recursive: true })
  writeFileSync(join(o.reportDir, 'size-report.md'), markdown)
  writeFileSync(
    join(o.reportDir, 'size-report.json'),
    JSON.stringify(
      {
        tolerancePercent: o.tolerance,
        budgetCap: BUDGET_CAP,
        baselineUpdated: o.updateBaseline,
        failures,
        images: rows,
      },
      null,
      2,
    ) + '\n',
  )
  return { rows, failures, markdown, tolerance: o.tolerance, baselineUpdated: o.updateBaseline }
}

function readBaseline(file: string): Baseline {
  if (!existsSync(file)) return { functions: {} }
  const parsed = readJsonFile({ file, hint: 'restore it from git or rewrite it with `npm run build -- --update-baseline`' }) as Baseline
  if (typeof parsed?.functions !== 'object' || parsed.functions === null) {
    throw atFileStart(
      shownPath(file),
      'expected { "functions": { "<name>": { "uncompressed": N, ... } } }',
      'rewrite it with `npm run build -- --update-baseline`',
    )
  }
  // A baseline from before images had platforms holds one entry per function: the amd64 image.
  for (const [name, entry] of Object.entries(parsed.functions)) {
    if (typeof (entry as Partial<BaselineEntry>)?.uncompressed === 'number')
      parsed.functions[name] = { 'linux/amd64': entry as BaselineEntry }
  }
  return parsed
}

function writeBaseline(file: string, old: Baseline, rows: BudgetRow[], prune: boolean): void {
  const measured = new Set(rows.map((r) => r.name))
  const functions: Record<string, BaselinePlatforms> = Object.fromEntries(
    Object.entries(old.functions)
      .filter(([name]) => !prune || measured.has(name))
      .map(([name, platforms]) => [name, { ...platforms }]),
  )
  for (const r of rows) {
    // The cap and budgets are not negotiable: an image over its budget is never accepted
    // (its old entry, if any, stays). A platform this build did not make keeps its entry.
    if (r.status === 'over-budget') continue
    ;(functions[r.name] ??= {})[r.platform] = {
      uncompressed: r.uncompressed,
      compressed: r.compressed,
      layers: Object.fromEntries(r.layers.map((l) => [l.role, { uncompressed: l.uncompressed, compressed: l.compressed }])),
    }
  }
  const sorted = Object.fromEntries(
    Object.keys(functions)
      .sort()
      .filter((k) => Object.keys(functions[k]).length > 0)
      .map((k) => [k, Object.fromEntries(PLATFORMS.filter((p) => functions[k][p]).map((p) => [p, functions[k][p]]))]),
  )
  const text =
    JSON.stringify(
      {
        about:
          'Accepted image sizes in bytes, per function and platform, checked by `npm run build`. Rewrite with `npm run build -- --update-baseline` and commit.',
        functions: sorted,
      },
      null,
      2,
    ) + '\n'
  writeFileAtomic(file, text)
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
