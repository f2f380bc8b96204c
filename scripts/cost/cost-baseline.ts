// The committed cost baseline (cost-baseline.json) and the comparison against it: a
// function fails when its start-up or per-request instructions grew past the tolerance
// over its accepted figures. Each entry also holds the request the gate sends, so the
// file is the one place a project says how each function is measured.
import { existsSync, renameSync, writeFileSync } from 'node:fs'
import { readJsonFile } from '../shared/json-file.ts'
import { atFileStart, shownPath } from '../shared/located-error.ts'

export const DEFAULT_TOLERANCE = 2

/** How the figures were taken: figures taken another way do not compare. */
export interface CostMethod {
  warmup: number
  requests: number
}

export interface BaselineEntry {
  /** 'GET /accounts/10042': sent over and over on one keep-alive connection. */
  request: string
  /** Instructions from exec to the first 200, that request included. */
  startup?: number
  /** Instructions per request, after the warm-up. */
  per_request?: number
  /** The engine the figures were taken on, for the message when it changed. */
  engine?: string
}

export interface CostBaseline {
  method?: CostMethod
  functions: Record<string, BaselineEntry>
}

export interface Measured {
  name: string
  relFile: string
  request: string
  startup: number
  perRequest: number
}

export type CostStatus = 'ok' | 'new' | 'grew' | 'accepted'

export interface CostRow extends Measured {
  baseline: { startup: number; perRequest: number } | null
  /** Percent change against the baseline, null for a new function. */
  startupDelta: number | null
  perRequestDelta: number | null
  status: CostStatus
}

export interface CompareOptions {
  measured: Measured[]
  baseline: CostBaseline
  method: CostMethod
  engine: string
  /** Percent (default 2). */
  tolerance?: number
  updateBaseline?: boolean
  /** How to profile a function, for the failure message. */
  profileHint: (name: string) => string
}

export interface Comparison {
  rows: CostRow[]
  /** One message per figure past the tolerance: `cost: <name> spends ...`. */
  failures: string[]
  /** Figures that dropped past the tolerance: worth locking in. */
  notes: string[]
}

const known = new Set(['measured', 'baseline', 'method', 'engine', 'tolerance', 'updateBaseline', 'profileHint'])

export function compareCosts(options: CompareOptions): Comparison {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`compareCosts: unknown option '${key}'`)
  const o = { tolerance: DEFAULT_TOLERANCE, updateBaseline: false, ...options }
  if (!Number.isFinite(o.tolerance) || o.tolerance < 0)
    throw new TypeError(`cost: tolerance must be a percentage of 0 or more, got ${o.tolerance}`)
  const sameMethod =
    !o.baseline.method || (o.baseline.method.warmup === o.method.warmup && o.baseline.method.requests === o.method.requests)
  const rows: CostRow[] = []
  const failures: string[] = []
  const notes: string[] = []
  for (const m of [...o.measured].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const entry = o.baseline.functions[m.name]
    const engineNote =
      entry?.engine && entry.engine !== o.engine ? ` (the baseline was taken on engine ${entry.engine}, this runtime has ${o.engine})` : ''
    const base =
      entry && entry.startup !== undefined && entry.per_request !== undefined && entry.request === m.request && sameMethod
        ? { startup: entry.startup, perRequest: entry.per_request }
        : null
    const row: CostRow = {
      ...m,
      baseline: base,
      startupDelta: base ? percent(m.startup, base.startup) : null,
      perRequestDelta: base ? percent(m.perRequest, base.perRequest) : null,
      status: base ? 'ok' : o.updateBaseline ? 'accepted' : 'new',
    }
    if (base) {
      const figures = [
        { what: 'to start (exec to the first 200)', now: m.startup, was: base.startup, delta: row.startupDelta! },
        { what: 'per request', now: m.perRequest, was: base.perRequest, delta: row.perRequestDelta! },
      ]
      for (const f of figures) {
        if (f.delta > o.tolerance) {
          if (o.updateBaseline) row.status = 'accepted'
          else {
            row.status = 'grew'
            failures.push(
              `cost: ${m.name} spends ${count(f.now)} instructions ${f.what}, ${signed(f.delta)} over its baseline of ${count(f.was)} (tolerance ${o.tolerance}%)${engineNote}; profile it with ${o.profileHint(m.name)}; accept with \`npm run cost -- --update-baseline\``,
            )
          }
        } else if (f.delta < -o.tolerance) {
          notes.push(
            `cost: ${m.name} spends ${count(f.now)} instructions ${f.what}, ${signed(f.delta)} under its baseline of ${count(f.was)}`,
          )
          if (o.updateBaseline) row.status = 'accepted'
        } else if (o.updateBaseline && f.now !== f.was) row.status = 'accepted'
      }
    }
    rows.push(row)
  }
  if (!sameMethod && o.baseline.method && !o.updateBaseline) {
    notes.push(
      `cost: the baseline was measured with ${o.baseline.method.requests} requests after ${o.baseline.method.warmup} warm-up, this run with ${o.method.requests} after ${o.method.warmup}: nothing was compared`,
    )
  }
  return { rows, failures, notes }
}

export function readBaseline(file: string): CostBaseline {
  if (!existsSync(file)) return { functions: {} }
  const parsed = readJsonFile({ file, hint: 'restore it from git or rewrite it with `npm run cost -- --update-baseline`' }) as CostBaseline
  const functions = parsed?.functions
  const bad =
    typeof functions !== 'object' || functions === null
      ? 'functions'
      : Object.entries(functions).find(([, e]) => typeof e !== 'object' || e === null || typeof e.request !== 'string')?.[0]
  if (bad !== undefined) {
    throw atFileStart(
      shownPath(file),
      `expected { "functions": { "<name>": { "request": "GET /path", "startup": N, "per_request": N } } }${bad === 'functions' ? '' : ` (at "${bad}")`}`,
      'fix it, or delete it and run `npm run cost -- --update-baseline`',
    )
  }
  return parsed
}

/** The request a function is measured with: its baseline entry's, else GET on its route. */
export function requestFor(baseline: CostBaseline, name: string, route: string): string {
  return baseline.functions[name]?.request ?? `GET ${route}`
}

export interface WriteOptions {
  file: string
  old: CostBaseline
  rows: CostRow[]
  method: CostMethod
  engine: string
  /** Also drop entries of functions not measured here (when every function was). */
  prune: boolean
}

export function writeBaseline(options: WriteOptions): void {
  const { file, old, rows, method, engine, prune } = options
  const measured = new Set(rows.map((r) => r.name))
  const functions: Record<string, BaselineEntry> = Object.fromEntries(
    Object.entries(old.functions).filter(([name]) => !prune || measured.has(name)),
  )
  for (const r of rows) functions[r.name] = { request: r.request, startup: r.startup, per_request: r.perRequest, engine }
  const sorted = Object.fromEntries(
    Object.keys(functions)
      .sort()
      .map((k) => [k, functions[k]]),
  )
  const text =
    JSON.stringify(
      {
        about:
          'Accepted instruction counts (valgrind --tool=callgrind) of the release runtime serving each function, checked by `npm run cost` (and npm test). startup: exec to the first 200, that request included; per_request: the measured keep-alive requests after the warm-up, divided. Access log on, stdout to /dev/null. Rewrite with `npm run cost -- --update-baseline` and commit.',
        method,
        functions: sorted,
      },
      null,
      2,
    ) + '\n'
  writeFileSync(file + '.tmp', text)
  renameSync(file + '.tmp', file)
}

function percent(now: number, was: number): number {
  return was === 0 ? (now === 0 ? 0 : Infinity) : ((now - was) / was) * 100
}

export function count(n: number): string {
  return Math.round(n).toLocaleString('en')
}

export function signed(pct: number): string {
  if (Math.abs(pct) < 0.005) return '±0.00%'
  return `${pct >= 0 ? '+' : '-'}${Math.abs(pct).toFixed(2)}%`
}
