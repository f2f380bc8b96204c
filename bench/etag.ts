// `node --import tsx bench/etag.ts [--baseline BINARY ...]`: a route behind hono/etag
// (bench/functions/etag.ts, a 4 KB body hashed with SHA-1 per request) on this runtime
// and on the given baseline runtimes (e.g. one built before digests moved to C): CPU
// instructions per request, counted by callgrind over a fixed number of requests after a
// warm-up (exact, so comparable across runs on a noisy machine), and requests/s with wrk
// on one pinned core (noisy: compare within one run).
import { spawn, spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { buildRuntime } from '../scripts/runtime/build-runtime.ts'
import { buildBoth } from '../test/support/function-build.ts'
import { freePort } from '../test/support/process.ts'
import { launch, load, probe, sleep, stop } from './measure.ts'

const { values: opts } = parseArgs({
  options: {
    baseline: { type: 'string', multiple: true, default: [] },
    requests: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '5' },
  },
})
const root = resolve(import.meta.dirname, '..')
const path = '/etag/items'
const env = { SCRATCHFN_ACCESS_LOG: '0', SCRATCHFN_QUIET: '1' }
for (const tool of ['valgrind', 'callgrind_control', 'wrk', 'taskset']) {
  if (spawnSync('which', [tool]).status !== 0) {
    console.error(`bench: '${tool}' is missing; install it with: apt-get install -y valgrind wrk util-linux`)
    process.exit(2)
  }
}

async function get(port: number, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`http://127.0.0.1:${port}${path}`)
    await res.arrayBuffer()
    if (res.status !== 200 || !res.headers.get('etag')) throw new Error(`bench: ${path} answered ${res.status} without an ETag`)
  }
}

/** Instructions the runtime executes per request, from callgrind's counts around `requests` requests. */
async function instructionsPerRequest(binary: string, app: string, requests: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'scratchfn-etag-'))
  const port = await freePort()
  const child = spawn('valgrind', ['--tool=callgrind', `--callgrind-out-file=${dir}/cg.out`, binary, app], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: 'ignore',
  })
  try {
    while ((await probe(port, path)) !== 200) await sleep(50)
    await get(port, 50)
    spawnSync('callgrind_control', ['-z', String(child.pid)])
    await get(port, requests)
    spawnSync('callgrind_control', ['-d', String(child.pid)])
    const dump = readdirSync(dir).find((f) => /^cg\.out\.\d+$/.test(f) || /^cg\.out\.\d+-\d+$/.test(f))
    const text = readFileSync(join(dir, dump ?? 'cg.out'), 'utf8')
    const total = Number(/^(?:summary|totals): (\d+)/m.exec(text)?.[1])
    return Math.round(total / requests)
  } finally {
    await stop(child)
    rmSync(dir, { recursive: true, force: true })
  }
}

const current = await buildRuntime({ quiet: true })
const built = await buildBoth(join(root, 'bench/functions/etag.ts'), 'etag')
const binaries = [current.binary, ...(opts.baseline as string[])]
console.log('| runtime | instructions/request | requests/s |\n|---|--:|--:|')
for (const binary of binaries) {
  const ipr = await instructionsPerRequest(binary, built.bin, Number(opts.requests))
  const port = await freePort()
  const child = launch({ label: binary, command: binary, args: [built.bin], env }, port, 0)
  while ((await probe(port, path)) !== 200) await sleep(5)
  load(port, path, 1, 16, 1) // warm-up
  const r = load(port, path, Number(opts.seconds), 16, 1)
  await stop(child)
  console.log(`| ${binary} | ${ipr.toLocaleString('en')} | ${Math.round(r.rps).toLocaleString('en')} |`)
}
