// `npm run bench`: the static runtime against Node.js + @hono/node-server serving the same
// function on this machine, one core each. Wall-clock figures drift on a shared machine
// (±20–30% between blocks of runs minutes apart), so the runtimes are measured in
// interleaved rounds, each starting one contestant later than the one before, and each
// figure is reported as the median over the rounds with its spread (min–max), next to the
// ratio of the medians. Also prints the instruction counts of the cost step (callgrind) for
// the same function, which do not drift. With --anchors, Bun, Deno and the seed's Go + chi
// service join the rounds (bench/anchors/), and every contestant is counted under callgrind.
// Writes bench/results.json with every round.
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
import { INSTRUCTION_METHOD, instructionsOf, prepareAnchors, type InstructionCount } from './anchors/anchors.ts'
import type { Anchor } from './anchors/anchor.ts'
import { report } from './report.ts'
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
    anchors: { type: 'boolean', default: false },
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
interface Contestant {
  key: string
  label: string
  target: Target
  bytes: number
  callgrind: Anchor['callgrind']
}
const contestants: Contestant[] = [
  {
    key: 'scratchfn',
    label: 'scratchfn',
    target: { label: 'scratchfn', command: runtime.binary, args: [built.bin], env: quietEnv },
    bytes: runtime.bytes + statSync(built.bin).size,
    // The drain delay would only add idle time before the exit.
    callgrind: { env: { SCRATCHFN_DRAIN_DELAY_MS: '0' }, end: 'sigterm' },
  },
  {
    key: 'node',
    label: `Node ${process.version} + @hono/node-server`,
    target: { label: 'node', command: process.execPath, args: [built.nodeBundle], env: quietEnv },
    bytes: statSync(process.execPath).size + statSync(built.nodeBundle).size,
    callgrind: { env: {}, end: 'sigterm' },
  },
]
if (opts.anchors) {
  for (const [key, anchor] of Object.entries(await prepareAnchors(root))) {
    contestants.push({ key, ...anchor })
  }
}
const keys = contestants.map((c) => c.key)
const [serverCpu, loadCpu] = cpus().length > 1 ? [0, 1] : [0, 0]
const tool = coldStartTool(root)

type Figures = Record<string, number>
/** One round of one contestant: cold starts, then one server under each load level. */
async function measureRound({ key, target }: Contestant): Promise<Figures> {
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
      // What one MiB of memory serves: the figure that decides how many replicas fit a node.
      f[`density_c${c}`] = round3(r.rps / (f[`rss_after_c${c}_kb`] / 1024))
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
// Other work on the machine takes CPU from every server (unevenly: Node's extra threads get a
// larger share of a contended core), so the load is part of every figure's context.
const loadBefore = loadavg()[0]
const perRound: Array<{ order: string[] } & Record<string, Figures>> = []
for (let i = 0; i < rounds; i++) {
  // Each round starts one contestant later, so none always runs first (or last).
  const order = contestants.map((_, j) => contestants[(i + j) % contestants.length])
  console.error(`bench: round ${i + 1} of ${rounds} (${order.map((c) => c.key).join(', ')})`)
  const round = { order: order.map((c) => c.key) } as { order: string[] } & Record<string, Figures>
  for (const c of order) round[c.key] = await measureRound(c)
  perRound.push(round)
}

const figureNames = Object.keys(perRound[0].scratchfn)
const summary: Record<string, Record<string, Spread>> = {}
for (const key of keys) summary[key] = Object.fromEntries(figureNames.map((k) => [k, spread(perRound.map((r) => r[key][k]))]))
const bytes = Object.fromEntries(contestants.map((c) => [c.key, c.bytes]))
const ratio: Record<string, number> = { bytes: round3(bytes.scratchfn / bytes.node) }
for (const k of figureNames) {
  if (!k.startsWith('errors') && summary.node[k].median !== 0) ratio[k] = round3(summary.scratchfn[k].median / summary.node[k].median)
}

// The cost step's figures for the same function: instructions do not drift with the load.
console.error('bench: scratchfn: instructions under callgrind (the cost step)')
const cost = await measureCosts({ root, names: [name], quiet: true, outDir: join(root, '.scratchfn/bench') })
const costRow = cost.rows[0]
const baseline = readBaseline(join(root, 'cost-baseline.json')).functions[name]
// With the anchors: every contestant by one method, access logs off, the JIT runtimes warm.
const instructions: Record<string, InstructionCount> = {}
if (opts.anchors) {
  const request = `GET ${path} HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: cost-0000000000000000\r\n\r\n`
  for (const { key, target, callgrind } of contestants) {
    console.error(`bench: ${key}: instructions under callgrind`)
    instructions[key] = await instructionsOf({ root, target, callgrind, request, timeoutMs: 600_000 })
  }
}

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
  contestants: contestants.map((c) => ({ key: c.key, label: c.label })),
  note: 'Each figure: the median over the rounds, with min and max; each round starts one contestant later than the one before. ratio = scratchfn median / node median: lower is better for bytes, ms and kb, higher for requests_per_s and density (requests/s per MiB of RSS after that load). Access logs off; each server pinned to one core with taskset, wrk and the cold-start timer on another.',
  bytes,
  summary,
  ratio,
  cost_step: costRow
    ? {
        request: costRow.request,
        startup: costRow.startup,
        per_request: costRow.perRequest,
        baseline: baseline ? { startup: baseline.startup, per_request: baseline.per_request } : null,
        method: cost.method,
        note: 'callgrind, release runtime, access log on, stdout to /dev/null (npm run cost)',
      }
    : { error: cost.failures.join('\n') },
  instructions,
  instructions_method: {
    ...INSTRUCTION_METHOD,
    note: 'With --anchors, every contestant: callgrind, one keep-alive connection, access logs off; start-up: exec to the first 200; per request: the measured requests after the warm-up, divided. Go ends with SIGKILL (callgrind aborts in its SIGTERM handler), the others exit on SIGTERM.',
  },
  per_round: perRound,
}
writeFileSync(join(root, 'bench/results.json'), JSON.stringify(out, null, 2) + '\n')
console.log(report(out))
console.log('Written to bench/results.json (every round in per_round).')

function round3(n: number): number {
  return Number(n.toFixed(3))
}
function whole(flag: string, text: string, min: number): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < min) {
    console.error(`bench: ${flag} must be a whole number of at least ${min}, got '${text}'`)
    process.exit(2)
  }
  return n
}
