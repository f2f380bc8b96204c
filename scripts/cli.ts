// The scratchfn command line. Parsing lives here; each step lives in its own file.
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { buildFunctions } from './build.ts'
import { buildRuntime } from './runtime/build-runtime.ts'
import { LocatedError } from './shared/located-error.ts'
import { hostPlatform, parsePlatforms } from './shared/platforms.ts'

const usage = `usage: npm run <command> -- [options]

  build [names...]    bundle, compile and pack every functions/*.ts (or just the names)
                      into dist/images/<name>/ (an image index: one manifest per platform),
                      then check the size budget of each platform's image
  runtime             build only the static runtime binary (.scratchfn/runtime/, or
                      .scratchfn/runtime-<arch>/ for another --platform)
  dev                 serve every function on one port under Node, reloading on save
  new <name>          scaffold functions/<name>.ts and test/functions/<name>.test.ts
  fuzz                fuzz the runtime's HTTP parser (libFuzzer, ASan+UBSan); fails on a crash
  cost [names...]     count with callgrind the instructions the runtime spends to start and
                      per request for every function (or the named ones); fails on growth
                      over cost-baseline.json; writes dist/cost-report.json
  push [names...]     push dist/images/* to --registry over the OCI distribution API;
                      writes dist/pushed.json (name -> image@digest)
  deploy [names...]   write dist/deploy/ (one folder per function + kustomization.yaml)
                      from dist/pushed.json; --apply runs oc/kubectl apply -k

options:
  --platform P        build: linux/amd64, linux/arm64, both separated by a comma, or all
                      (default all); runtime: one platform (default this machine's)
  --update-baseline   build: accept the new image sizes into size-baseline.json
                      cost: accept the new instruction counts into cost-baseline.json
  --tolerance PCT     build: allowed growth over the baseline, in percent (default 1)
                      cost: the same for instructions (default 2)
  --profile           cost: also print where the instructions go (top functions)
  --root DIR          the project folder (default: this repository)
  -p, --port N        dev: port to listen on (default $PORT, else 8080)
                      deploy --target compose: the first published port (default 8080)
  --host ADDR         dev: address to bind (default 127.0.0.1; 0.0.0.0 for every interface)
                      deploy: the one public host every function's route hangs off
  --seconds N         fuzz: how long to run (default 60)
  --registry REF      push: HOST[:PORT]/NAMESPACE, e.g. quay.io/my-team
  --insecure          push: plain HTTP (a local or test registry)
  --retries N         push: retries after a transient failure (default 4, with backoff)
  --chunk-size BYTES  push: upload blobs larger than this in chunks (default 16 MiB)
  --target T          deploy: openshift (default: Route), kubernetes (Ingress), knative,
                      or compose (dist/deploy/compose.yaml for docker stack deploy / podman-compose)
  -n, --namespace NS  deploy: the namespace (default: the current project/context)
  --apply             deploy: run \`oc apply -k dist/deploy\` (or kubectl) after writing
  --service-monitor   deploy: also a ServiceMonitor per function (Prometheus operator, OpenShift user-workload monitoring)
  -q, --quiet         print only errors and the summary
  -h, --help          this text
`

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      quiet: { type: 'boolean', short: 'q', default: false },
      'update-baseline': { type: 'boolean', default: false },
      tolerance: { type: 'string' },
      root: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      registry: { type: 'string' },
      insecure: { type: 'boolean', default: false },
      retries: { type: 'string' },
      'chunk-size': { type: 'string' },
      target: { type: 'string' },
      namespace: { type: 'string', short: 'n' },
      apply: { type: 'boolean', default: false },
      'service-monitor': { type: 'boolean', default: false },
      seconds: { type: 'string' },
      profile: { type: 'boolean', default: false },
      platform: { type: 'string' },
    },
  })
  if (values.help || !command) {
    process.stdout.write(usage)
    return command ? 0 : 2
  }
  const root = resolve(values.root ?? resolve(import.meta.dirname, '..'))
  switch (command) {
    case 'build': {
      const report = await buildFunctions({
        root,
        names: positionals,
        quiet: values.quiet,
        updateBaseline: values['update-baseline'],
        ...(values.tolerance !== undefined ? { tolerance: parsePercent(values.tolerance) } : {}),
        ...(values.platform !== undefined ? { platforms: parsePlatforms(values.platform) } : {}),
      })
      const budget = report.budget
      const gate = !budget
        ? ''
        : budget.failures.length
          ? `; budget: ${budget.failures.length} failed (dist/size-report.md)`
          : `; budget: ok${budget.baselineUpdated ? ', baseline updated (commit size-baseline.json)' : ''}`
      console.log(
        `built ${report.built.length} of ${report.built.length + report.failed.length} functions (runtime ${report.runtimes.map((r) => `${r.platform} ${r.bytes} bytes`).join(', ')})${gate}`,
      )
      return report.failed.length || budget?.failures.length ? 1 : 0
    }
    case 'runtime': {
      const [platform, ...more] = values.platform === undefined ? [hostPlatform()] : parsePlatforms(values.platform)
      if (more.length)
        throw new Error(`--platform: runtime builds one platform at a time; run it once for each of ${[platform, ...more].join(', ')}`)
      const out = await buildRuntime({ quiet: values.quiet, platform })
      console.log(`${out.binary}: ${out.bytes} bytes`)
      return 0
    }
    case 'dev': {
      // Loaded on demand: the dev server needs none of the image toolchain.
      const { startDev } = await import('./dev/dev.ts')
      const port = values.port === undefined ? undefined : Number(values.port)
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536))
        throw new Error(`--port: '${values.port}' is not a port number; write e.g. --port 8080`)
      const dev = await startDev({ root, port, ...(values.host ? { hostname: values.host } : {}) })
      await new Promise<void>((done) => {
        const stop = () => {
          dev.close().then(done)
        }
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
      })
      return 0
    }
    case 'new': {
      const { newFunction } = await import('./new/new-function.ts')
      if (positionals.length > 1) throw new Error(`new takes one name, got ${positionals.length}: ${positionals.join(' ')}`)
      const made = newFunction({ root, name: positionals[0] ?? '' })
      console.log(
        `created ${made.functionFile} and ${made.testFile}\n  try it: npm run dev, then curl localhost:8080/${positionals[0]}\n  test it: npm test -- ${made.testFile}`,
      )
      return 0
    }
    case 'push': {
      const { pushImages, pushSummary } = await import('./push/push.ts')
      const pause = process.env.SCRATCHFN_PUSH_PAUSE_MS
      const report = await pushImages({
        root,
        registry: values.registry ?? '',
        insecure: values.insecure,
        names: positionals,
        quiet: values.quiet,
        ...(values.retries !== undefined ? { retries: wholeNumber('--retries', values.retries) } : {}),
        ...(values['chunk-size'] !== undefined ? { chunkBytes: wholeNumber('--chunk-size', values['chunk-size']) } : {}),
        ...(pause ? { pauseMs: wholeNumber('SCRATCHFN_PUSH_PAUSE_MS', pause) } : {}),
      })
      console.log(pushSummary(report, root))
      return 0
    }
    case 'deploy': {
      const { deployFunctions } = await import('./deploy/deploy.ts')
      const report = await deployFunctions({
        root,
        names: positionals,
        apply: values.apply,
        quiet: values.quiet,
        serviceMonitor: values['service-monitor'],
        ...(values.target !== undefined ? { target: values.target } : {}),
        ...(values.host !== undefined ? { host: values.host } : {}),
        ...(values.namespace !== undefined ? { namespace: values.namespace } : {}),
        ...(values.port !== undefined ? { port: wholeNumber('--port', values.port) } : {}),
      })
      console.log(report.summary)
      return 0
    }
    case 'cost': {
      const { measureCosts } = await import('./cost/cost.ts')
      const report = await measureCosts({
        root,
        names: positionals,
        quiet: values.quiet,
        profile: values.profile,
        updateBaseline: values['update-baseline'],
        ...(values.tolerance !== undefined ? { tolerance: parsePercent(values.tolerance) } : {}),
      })
      for (const failure of report.failures) console.error(failure)
      const verdict = report.failures.length
        ? `${report.failures.length} failed`
        : `ok${report.baselineUpdated ? ', baseline updated (commit cost-baseline.json)' : ''}`
      console.log(
        `cost: measured ${report.rows.length} function${report.rows.length === 1 ? '' : 's'} in ${report.seconds.toFixed(1)} s; ${verdict}`,
      )
      return report.failures.length ? 1 : 0
    }
    case 'fuzz': {
      const { runFuzzer } = await import('./fuzz/fuzz.ts')
      const seconds = values.seconds === undefined ? undefined : Number(values.seconds)
      if (seconds !== undefined && !(Number.isInteger(seconds) && seconds > 0))
        throw new Error(`--seconds: '${values.seconds}' is not a whole number of seconds; write e.g. --seconds 60`)
      const r = await runFuzzer({ quiet: values.quiet, ...(seconds !== undefined ? { seconds } : {}) })
      console.log(
        `fuzz: ${r.execs.toLocaleString('en')} executions in ${r.seconds.toFixed(0)} s (${r.execsPerSecond.toLocaleString('en')} exec/s), ${r.newInputs} new inputs, ${r.crashes.length} crashes`,
      )
      if (r.crashes.length === 0) return 0
      console.error(
        `${r.report}\nfuzz: crashing input saved: ${r.crashes.join(', ')}\n  replay it: .scratchfn/fuzz/http-parser-fuzz <file>`,
      )
      return 1
    }
    default:
      process.stderr.write(`unknown command '${command}'\n${usage}`)
      return 2
  }
}

function wholeNumber(flag: string, text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new Error(`${flag}: '${text}' is not a whole number`)
  return Number(text)
}

/** '2', '2%' or '0.5' -> percent. */
function parsePercent(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text)
  if (!m) throw new Error(`--tolerance: '${text}' is not a percentage; write e.g. --tolerance 2 for 2%`)
  return Number(m[1])
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (err) => {
    // A located error starts with its file:line:col, as editors and CI annotators expect.
    console.error(err instanceof LocatedError ? err.message : `error: ${err instanceof Error ? err.message : err}`)
    process.exitCode = 1
  },
)
