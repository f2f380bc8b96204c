// `npm run bench`: the static runtime against Node.js + @hono/node-server, serving
// the same function on the same machine, one core each, in one run. Prints a table
// and writes bench/results.json with the ratio to Node for every figure.
import { spawnSync } from 'node:child_process'
import { statSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { buildBoth } from '../test/support/function-build.ts'
import { freePort } from '../test/support/process.ts'
import { buildRuntime } from '../scripts/runtime/build-runtime.ts'
import { coldStart, coldStartTool, launch, load, median, probe, rssKb, sleep, stop, type Target } from './measure.ts'

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
  },
})
const root = resolve(import.meta.dirname, '..')
const path = '/accounts/10042'
for (const tool of ['wrk', 'taskset']) {
  if (spawnSync('which', [tool]).status !== 0) {
    console.error(`bench: '${tool}' is missing; install it with: apt-get install -y wrk util-linux`)
    process.exit(2)
  }
}

const runtime = await buildRuntime({ quiet: true })
const built = await buildBoth(join(root, 'functions/accounts.ts'), 'accounts')
const quietEnv = { SCRATCHFN_ACCESS_LOG: '0', SCRATCHFN_QUIET: '1' }
const targets: Record<'scratchfn' | 'node', Target> = {
  scratchfn: { label: 'scratchfn', command: runtime.binary, args: [built.bin], env: quietEnv },
  node: { label: 'node', command: process.execPath, args: [built.nodeBundle], env: quietEnv },
}
const [serverCpu, loadCpu] = cpus().length > 1 ? [0, 1] : [0, 0]
const tool = coldStartTool(root)

type Figures = Record<string, number>
const results: Record<'scratchfn' | 'node', Figures> = { scratchfn: {}, node: {} }
results.scratchfn.binary_bytes = runtime.bytes + statSync(built.bin).size
results.node.binary_bytes = statSync(process.execPath).size + statSync(built.nodeBundle).size

for (const key of ['scratchfn', 'node'] as const) {
  const target = targets[key]
  console.error(`bench: ${key}: cold start x${opts.runs}`)
  const starts: number[] = []
  for (let i = 0; i < Number(opts.runs); i++) starts.push(coldStart(tool, target, await freePort(), path, serverCpu, loadCpu))
  results[key].cold_start_ms = median(starts)

  const port = await freePort()
  const child = launch(target, port, serverCpu)
  while ((await probe(port, path)) !== 200) await sleep(5)
  await sleep(1000)
  // taskset execs the server, so the child's pid is the server's.
  results[key].rss_idle_kb = rssKb(child.pid!)
  console.error(`bench: ${key}: wrk -c${opts.connections} -d${opts.seconds}s`)
  load(port, path, 2, Number(opts.connections), loadCpu) // warm-up
  const r = load(port, path, Number(opts.seconds), Number(opts.connections), loadCpu)
  await sleep(500)
  results[key].rss_loaded_kb = rssKb(child.pid!)
  results[key].requests = r.requests
  results[key].requests_per_s = r.rps
  results[key].p50_ms = r.p50Ms
  results[key].p99_ms = r.p99Ms
  results[key].errors = r.errors
  await stop(child)
}

const ratio: Figures = {}
for (const k of Object.keys(results.scratchfn)) {
  if (results.node[k] !== 0) ratio[k] = Number((results.scratchfn[k] / results.node[k]).toFixed(3))
}
const out = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
  function: 'functions/accounts.ts',
  path,
  connections: Number(opts.connections),
  seconds: Number(opts.seconds),
  note: 'ratio = scratchfn / node. Lower is better for bytes, ms and kb; higher is better for requests_per_s. Access logs off on both.',
  scratchfn: results.scratchfn,
  node: results.node,
  ratio,
  rss_growth_kb: results.scratchfn.rss_loaded_kb - results.scratchfn.rss_idle_kb,
  targets: { cold_start_ms: 5, rss_idle_kb: 5 * 1024, throughput_ratio: 1.0, rss_growth_kb: 2 * 1024 },
}
writeFileSync(join(root, 'bench/results.json'), JSON.stringify(out, null, 2) + '\n')

const rows = Object.keys(results.scratchfn).map(
  (k) => `| ${k} | ${fmt(results.scratchfn[k])} | ${fmt(results.node[k])} | ${k in ratio ? `${ratio[k]}x` : '-'} |`,
)
console.log(['| figure | scratchfn | node + @hono/node-server | ratio |', '|---|---|---|---|', ...rows].join('\n'))
console.log(`\nRSS growth under load: ${out.rss_growth_kb} KB over ${results.scratchfn.requests} requests. Written to bench/results.json`)

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2)
}
