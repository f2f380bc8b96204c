// The bench's printed table, from what it writes to bench/results.json: one column per
// contestant (median, min–max), the ratio scratchfn / Node, the instruction counts, then
// the cost step's figures for scratchfn.
import type { Spread } from './measure.ts'

export interface Instructions {
  startup: number
  per_request: number
}

export interface ReportInput {
  date: string
  machine: { cpu: string; cpus: number; node: string; load_average: number[] }
  function: string
  path: string
  rounds: number
  cold_start_runs_per_round: number
  connections: number[]
  /** Column order: scratchfn and node first. */
  contestants: Array<{ key: string; label: string }>
  bytes: Record<string, number>
  summary: Record<string, Record<string, Spread>>
  ratio: Record<string, number>
  /** Per contestant (with --anchors): its counts, or why they were not measured. */
  instructions: Record<string, Instructions | { error: string }>
  instructions_method: { warmup: number; requests: number }
  /** scratchfn's cost step, against cost-baseline.json. */
  cost_step:
    | { request: string; startup: number; per_request: number; baseline: { startup?: number; per_request?: number } | null }
    | { error: string }
}

export function report(r: ReportInput): string {
  const label: Record<string, string> = {
    cold_start_ms: `exec to first 200, ms (median of ${r.cold_start_runs_per_round} per round)`,
    rss_idle_kb: 'RSS idle, KiB',
  }
  for (const c of r.connections) {
    label[`rss_after_c${c}_kb`] = `RSS after the c${c} load, KiB`
    label[`requests_per_s_c${c}`] = `requests/s, ${c} connections`
    label[`density_c${c}`] = `requests/s per MiB of RSS, ${c} connections`
    label[`p50_ms_c${c}`] = `p50 latency, ms, ${c} connections`
    label[`p99_ms_c${c}`] = `p99 latency, ms, ${c} connections`
    label[`errors_c${c}`] = `errors, ${c} connections`
  }
  const keys = r.contestants.map((c) => c.key)
  const figures = Object.keys(r.summary[keys[0]])
  const cell = (s: Spread) => (s.min === s.max ? fmt(s.median) : `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`)
  const row = (name: string, cells: string[], ratio: number | undefined) => `| ${name} | ${cells.join(' | ')} | ${ratio ?? '-'} |`
  const m = r.machine
  const lines = [
    `GET ${r.path} (${r.function}), ${r.rounds} interleaved rounds, ${r.date.slice(0, 16).replace('T', ' ')} UTC`,
    `CPU: ${m.cpu}, ${m.cpus} cores; load average ${m.load_average[0].toFixed(1)} at the start, ${m.load_average[1].toFixed(1)} at the end; Node ${m.node}; one core each (taskset), access logs off`,
    '',
    `| figure | ${r.contestants.map((c) => `${c.label}, median (min–max)`).join(' | ')} | scratchfn / Node, ratio of medians |`,
    `|---|${keys.map(() => '--:|').join('')}--:|`,
    row(
      'runtime + app on disk, bytes',
      keys.map((k) => fmt(r.bytes[k])),
      r.ratio.bytes,
    ),
    ...figures.map((f) =>
      row(
        label[f] ?? f,
        keys.map((k) => cell(r.summary[k][f])),
        r.ratio[f],
      ),
    ),
  ]
  const counted = Object.keys(r.instructions).length > 0
  if (counted) {
    const count = (k: string, pick: (i: Instructions) => number) => {
      const i = r.instructions[k]
      return !i ? '-' : 'error' in i ? 'not measured' : fmt(pick(i))
    }
    const ratioOf = (pick: (i: Instructions) => number) => {
      const [s, n] = [r.instructions.scratchfn, r.instructions.node]
      return s && n && !('error' in s) && !('error' in n) ? Number((pick(s) / pick(n)).toFixed(3)) : undefined
    }
    const w = r.instructions_method
    lines.push(
      row(
        'instructions to start (callgrind)',
        keys.map((k) => count(k, (i) => i.startup)),
        ratioOf((i) => i.startup),
      ),
      row(
        'instructions per request (callgrind)',
        keys.map((k) => count(k, (i) => i.per_request)),
        ratioOf((i) => i.per_request),
      ),
      '',
      `Instructions: callgrind, ${fmt(w.requests)} keep-alive requests after ${fmt(w.warmup)} warm-up ones, access logs off.`,
    )
  }
  const cost = r.cost_step
  if ('error' in cost) lines.push('', `The cost step: not measured: ${cost.error}`)
  else {
    const vs = (now: number, was: number | undefined) => (was ? ` (baseline ${fmt(was)}, ${pct(now, was)})` : '')
    lines.push(
      '',
      `The cost step (callgrind, scratchfn, ${cost.request}, access log on, stdout to /dev/null): ` +
        `start-up ${fmt(cost.startup)}${vs(cost.startup, cost.baseline?.startup)}; ` +
        `per request ${fmt(cost.per_request)}${vs(cost.per_request, cost.baseline?.per_request)}`,
    )
  }
  for (const [k, i] of Object.entries(r.instructions)) if ('error' in i) lines.push('', `${k}: instructions not measured: ${i.error}`)
  return lines.join('\n')
}

export function fmt(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en') : n.toLocaleString('en', { maximumFractionDigits: 2 })
}

function pct(now: number, was: number): string {
  const d = ((now - was) / was) * 100
  return `${d >= 0 ? '+' : '-'}${Math.abs(d).toFixed(2)}%`
}
