// `npm run bench`: the static runtime against Node.js + @hono/node-server serving the same
// function on this machine, one core each. Wall-clock figures drift on a shared machine
// (±20–30% between blocks of runs minutes apart), so both runtimes are measured in
// interleaved rounds, alternating which goes first, and each figure is reported as the
// median over the rounds with its spread (min–max), next to the ratio of the medians.
// Also prints the instruction counts of the cost step (callgrind) for the same function,
// which do not drift. Writes bench/results.json with every round.
import { spawnSync } from 'node:child_process'
import { statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { buildBoth } from '../test/support/function-build.ts'
import { freePort } from '../test/support/process.ts'
import { measureCosts } from '../scripts/cost/cost.ts'
import { readBaseline } from '../scripts/cost/cost-baseline.ts'
import { buildRuntime } from '../scripts/runtime/build-runtime.ts'
import {
  coldStart,
  coldStartTool,
  cpuModel,
  launch,
  load,
  median,
  probe,
  rssKb,
  sleep,
  spread,
  stop,
  type Spread,
  type Target,
} from './measure.ts'

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    runs: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16,256' },
  },
})
const rounds = whole('--rounds', opts.rounds, 1)
const runs = whole('--runs', opts.runs, 1)
const seconds = whole('--seconds', opts.seconds, 1)
const levels = opts.connections.split(',').map((c) => whole('--connections', c, 1))
const root = resolve(import.meta.dirname, '..')
const name = 'accounts'
const path = '/accounts/10042'
for (const tool of ['wrk', 'taskset']) {
  if (spawnSync('which', [tool]).status !== 0) {
    console.error(`bench: '${tool}' is missing; install it with: apt-get install -y wrk util-linux`)
    process.exit(2)
  }
}

const runtime = await buildRuntime({ quiet: true })
const built = await buildBoth(join(root, `functions/${name}.ts`), name)
const quietEnv = { SCRATCHFN_ACCESS_LOG: '0', SCRATCHFN_QUIET: '1' }
type Key = 'scratchfn' | 'node'
const targets: Record<Key, Target> = {
  scratchfn: { label: 'scratchfn', command: runtime.binary, args: [built.bin], env: quietEnv },
  node: { label: 'node', command: process.execPath, args: [built.nodeBundle], env: quietEnv },
}
const [serverCpu, loadCpu] = cpus().length > 1 ? [0, 1] : [0, 0]
const tool = coldStartTool(root)
const bytes: Record<Key, number> = {
  scratchfn: runtime.bytes + statSync(built.bin).size,
  node: statSync(process.execPath).size + statSync(built.nodeBundle).size,
}

type Figures = Record<string, number>
/** One round of one runtime: cold starts, then one server under each load level. */
async function measureRound(key: Key): Promise<Figures> {
  const target = targets[key]
  const f: Figures = {}
  console.error(`bench: ${key}: cold start x${runs}`)
  const starts: number[] = []
  for (let i = 0; i < runs; i++) starts.push(coldStart(tool, target, await freePort(), path, serverCpu, loadCpu))
  f.cold_start_ms = median(starts)

  const port = await freePort()
  const child = launch(target, port, serverCpu)
  try {
    while ((await probe(port, path)) !== 200) await sleep(5)
    await sleep(1000)
    // taskset execs the server, so the child's pid is the server's.
    f.rss_idle_kb = rssKb(child.pid!)
    load(port, path, 2, levels[0], loadCpu) // warm-up
    for (const c of levels) {
      console.error(`bench: ${key}: wrk -c${c} -d${seconds}s`)
      const r = load(port, path, seconds, c, loadCpu)
      await sleep(500)
      f[`rss_after_c${c}_kb`] = rssKb(child.pid!)
      f[`requests_per_s_c${c}`] = r.rps
      f[`p50_ms_c${c}`] = r.p50Ms
      f[`p99_ms_c${c}`] = r.p99Ms
      f[`errors_c${c}`] = r.errors
    }
  } finally {
    await stop(child)
  }
  return f
}

const started = new Date()
// Other work on the machine takes CPU from both servers (unevenly: Node's extra threads get a
// larger share of a contended core), so the load is part of every figure's context.
const loadBefore = loadavg()[0]
const perRound: Array<{ order: Key[] } & Record<Key, Figures>> = []
for (let i = 0; i < rounds; i++) {
  const order: Key[] = i % 2 === 0 ? ['scratchfn', 'node'] : ['node', 'scratchfn']
  console.error(`bench: round ${i + 1} of ${rounds} (${order.join(' first, then ')})`)
  const round = { order } as { order: Key[] } & Record<Key, Figures>
  for (const key of order) round[key] = await measureRound(key)
  perRound.push(round)
}

const figureNames = Object.keys(perRound[0].scratchfn)
const summary = { scratchfn: {} as Record<string, Spread>, node: {} as Record<string, Spread> }
const ratio: Record<string, number> = { bytes: round3(bytes.scratchfn / bytes.node) }
for (const k of figureNames) {
  for (const key of ['scratchfn', 'node'] as const) summary[key][k] = spread(perRound.map((r) => r[key][k]))
  if (!k.startsWith('errors') && summary.node[k].median !== 0) ratio[k] = round3(summary.scratchfn[k].median / summary.node[k].median)
}

// The cost step's figures for the same function: instructions do not drift with the load.
console.error('bench: scratchfn: instructions under callgrind (the cost step)')
const cost = await measureCosts({ root, names: [name], quiet: true, outDir: join(root, '.scratchfn/bench') })
const costRow = cost.rows[0]
const baseline = readBaseline(join(root, 'cost-baseline.json')).functions[name]

const machine = { cpu: cpuModel(), cpus: cpus().length, node: process.version, load_average: [round3(loadBefore), round3(loadavg()[0])] }
const out = {
  date: started.toISOString(),
  machine,
  function: `functions/${name}.ts`,
  path,
  rounds,
  cold_start_runs_per_round: runs,
  seconds_per_load: seconds,
  connections: levels,
  note: 'Each figure: the median over the rounds, with min and max; the rounds alternate which runtime goes first. ratio = scratchfn median / node median: lower is better for bytes, ms and kb, higher for requests_per_s. Access logs off on both; each server pinned to one core with taskset, wrk and the cold-start timer on another.',
  bytes,
  summary,
  ratio,
  instructions: costRow
    ? {
        request: costRow.request,
        startup: costRow.startup,
        per_request: costRow.perRequest,
        baseline: baseline ? { startup: baseline.startup, per_request: baseline.per_request } : null,
        method: cost.method,
        note: 'callgrind, release runtime, access log on, stdout to /dev/null (npm run cost)',
      }
    : { error: cost.failures.join('\n') },
  per_round: perRound,
}
writeFileSync(join(root, 'bench/results.json'), JSON.stringify(out, null, 2) + '\n')

const label: Record<string, string> = {
  cold_start_ms: `exec to first 200, ms (median of ${runs} per round)`,
  rss_idle_kb: 'RSS idle, KiB',
}
for (const c of levels) {
  label[`rss_after_c${c}_kb`] = `RSS after the c${c} load, KiB`
  label[`requests_per_s_c${c}`] = `requests/s, ${c} connections`
  label[`p50_ms_c${c}`] = `p50 latency, ms, ${c} connections`
  label[`p99_ms_c${c}`] = `p99 latency, ms, ${c} connections`
  label[`errors_c${c}`] = `errors, ${c} connections`
}
const cell = (s: Spread) => (s.min === s.max ? fmt(s.median) : `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`)
const rows = figureNames.map(
  (k) => `| ${label[k] ?? k} | ${cell(summary.scratchfn[k])} | ${cell(summary.node[k])} | ${k in ratio ? ratio[k] : '-'} |`,
)
console.log(
  [
    `GET ${path} (functions/${name}.ts), ${rounds} interleaved rounds, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `CPU: ${machine.cpu}, ${machine.cpus} cores; load average ${machine.load_average[0].toFixed(1)} at the start, ${machine.load_average[1].toFixed(1)} at the end; Node ${machine.node}; one core each (taskset), access logs off`,
    '',
    `| figure | scratchfn median (min–max) | Node + @hono/node-server median (min–max) | ratio of medians |`,
    '|---|--:|--:|--:|',
    `| runtime + app on disk, bytes | ${fmt(bytes.scratchfn)} | ${fmt(bytes.node)} | ${ratio.bytes} |`,
    ...rows,
  ].join('\n'),
)
if (costRow) {
  const vs = (now: number, was: number | undefined) => (was ? ` (baseline ${fmt(was)}, ${pct(now, was)})` : '')
  console.log(
    `\nInstructions (callgrind, scratchfn, ${costRow.request}, access log on, stdout to /dev/null): ` +
      `start-up ${fmt(costRow.startup)}${vs(costRow.startup, baseline?.startup)}; ` +
      `per request ${fmt(costRow.perRequest)}${vs(costRow.perRequest, baseline?.per_request)}`,
  )
} else console.log(`\nInstructions: not measured: ${cost.failures.join('; ')}`)
console.log('Written to bench/results.json (every round in per_round).')

function fmt(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en') : n.toLocaleString('en', { maximumFractionDigits: 2 })
}
function round3(n: number): number {
  return Number(n.toFixed(3))
}
function pct(now: number, was: number): string {
  const d = ((now - was) / was) * 100
  return `${d >= 0 ? '+' : '-'}${Math.abs(d).toFixed(2)}%`
}
function whole(flag: string, text: string, min: number): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < min) {
    console.error(`bench: ${flag} must be a whole number of at least ${min}, got '${text}'`)
    process.exit(2)
  }
  return n
}
