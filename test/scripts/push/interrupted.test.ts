// Pushes that go wrong halfway, against a real registry: killed with SIGKILL in the
// middle of a blob upload, restarted during the backoff, or answering 503. The push is
// slowed down deterministically with small chunks and SCRATCHFN_PUSH_PAUSE_MS (a pause
// before every request that sends blob data), and the registry's access log says when
// to strike. Afterwards every tag in the registry must name a complete image.
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { runCli, startCli } from '../../support/cli.ts'
import { startFlakyProxy } from '../../support/flaky-proxy.ts'
import { repoRoot } from '../../support/paths.ts'
import { tempProject, type Project } from '../../support/project.ts'
import { checkTags, startRegistry, type TestRegistry } from '../../support/registry.ts'

const names = ['accounts', 'hello', 'machines', 'quotes']
let project: Project
const registries: TestRegistry[] = []
const fresh = async () => {
  const r = await startRegistry()
  registries.push(r)
  return r
}
const tagsOf = (name: string) =>
  project
    .json(`dist/images/${name}/index.json`)
    .manifests.map((m: any) => m.annotations['org.opencontainers.image.ref.name'])
    .sort()
const pushArgs = (host: string, ...extra: string[]) => [
  'push',
  '--root',
  project.root,
  '--registry',
  `${host}/team`,
  '--insecure',
  ...extra,
]
// 16 KB chunks: an 800 KB runtime layer takes ~50 PATCHes, a function layer none to ten.
const slow = { SCRATCHFN_PUSH_PAUSE_MS: '100' }

const test = suite('push: interrupted and flaky registries')

test.before(() => {
  project = tempProject([], { functionsDir: join(repoRoot, 'functions') })
  const built = project.build()
  if (built.code !== 0) throw new Error(`build failed:\n${built.output}`)
})
test.after(async () => {
  for (const r of registries) await r.destroy()
  project?.remove()
})

test('registry killed mid-upload: push exits 1 saying what happened; no tag names a partial image; a re-run completes', async () => {
  const registry = await fresh()
  const running = startCli(pushArgs(registry.host, '--chunk-size', '16384', '--retries', '1'), { env: slow })
  // accounts is complete and tagged; hello has its function layer up (under one 16 KB chunk,
  // so one PUT, its first) and its configs and SBOM to go.
  await registry.waitForRequest(/"PUT \/v2\/team\/accounts\/manifests\/latest HTTP/)
  await registry.waitForRequest(/"PUT \/v2\/team\/hello\/blobs\/uploads\/\S+ HTTP\/1\.1" 201/)
  await registry.stop('SIGKILL')
  const run = await running.result
  assert.is(run.code, 1, run.output)
  assert.match(
    run.stderr,
    /^error: push: hello: .*ECONNREFUSED.*\(gave up after 2 attempts\)\. The registry is unreachable or failing; run the same command again when it is back/m,
  )
  assert.match(
    run.stderr,
    /nothing was tagged for hello: its image index goes up only after every blob and manifest; pushed before it: accounts/,
  )
  assert.match(run.stderr, /retrying in/)
  assert.equal(Object.keys(project.json('dist/pushed.json')), ['accounts'])

  await registry.start()
  const after = await checkTags(registry.url)
  assert.equal(after.problems, [])
  assert.equal(after.tags['team/accounts'], tagsOf('accounts'))
  assert.equal(after.tags['team/hello'] ?? [], [], 'no tag for the image that was cut off')
  for (const name of ['machines', 'quotes']) assert.not.ok(after.tags[`team/${name}`]?.length, name)

  const again = await runCli(pushArgs(registry.host))
  assert.is(again.code, 0, again.output)
  // accounts' eight blobs (two runtime layers, the CA layer, the function layer, two
  // configs, the SBOM and its empty config), the amd64 runtime and CA layers already
  // mounted into hello and hello's function layer (its first PUT) are found; the arm64
  // runtime layer and the SBOM's empty config are mounted into hello, and both runtime
  // layers, the CA layer and the empty config into machines and quotes; the rest go up.
  assert.match(again.stdout, /pushed 4 images to .*: uploaded 11 blobs .*, mounted 10, already there 11;/)
  const done = await checkTags(registry.url)
  assert.equal(done.problems, [])
  for (const name of names) assert.equal(done.tags[`team/${name}`], tagsOf(name), name)
  assert.equal(Object.keys(project.json('dist/pushed.json')).sort(), names)
})

test('registry restarted while push backs off: the same push retries and completes', async () => {
  const registry = await fresh()
  const running = startCli(pushArgs(registry.host, '--chunk-size', '16384'), { env: slow })
  await registry.waitForRequest(/"PATCH \/v2\/team\/machines\/blobs\/uploads\/\S+ HTTP\/1\.1" 202/)
  await registry.stop('SIGKILL')
  await new Promise((r) => setTimeout(r, 300))
  await registry.start()
  const run = await running.result
  assert.is(run.code, 0, run.output)
  assert.match(run.stderr, /retrying in [\d.]+ s \(attempt 2 of 5\): .*(ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET)/)
  const { problems, tags } = await checkTags(registry.url)
  assert.equal(problems, [])
  for (const name of names) assert.equal(tags[`team/${name}`], tagsOf(name), name)
})

test('503 answers are retried with backoff, and 4xx answers are not', async () => {
  const registry = await fresh()
  const port = Number(registry.host.split(':')[1])
  const proxy = await startFlakyProxy(port, [
    { method: 'PUT', path: /\/blobs\/uploads\//, times: 2, status: 503 },
    { method: 'PUT', path: /\/manifests\/latest$/, times: 1, status: 503 },
  ])
  try {
    const run = await runCli(pushArgs(proxy.host, 'hello'))
    assert.is(run.code, 0, run.output)
    assert.is(proxy.failed.length, 3)
    assert.is(
      (run.stderr.match(/retrying in [\d.]+ s \(attempt [23] of 5\): .*answered UNAVAILABLE: flaky proxy/g) ?? []).length,
      3,
      run.stderr,
    )
    const { problems, tags } = await checkTags(registry.url)
    assert.equal(problems, [])
    assert.equal(tags['team/hello'], tagsOf('hello'))
  } finally {
    await proxy.close()
  }
  const refusing = await startFlakyProxy(port, [{ method: 'PUT', path: /\/manifests\//, times: 10, status: 400 }])
  try {
    const run = await runCli(pushArgs(refusing.host, 'quotes'))
    assert.is(run.code, 1, run.output)
    assert.is(refusing.failed.length, 1, 'a 400 is not retried')
    assert.match(
      run.stderr,
      /push: quotes: PUT 127\.0\.0\.1:\d+\/v2\/team\/quotes\/manifests\/sha256:[0-9a-f]{64} answered UNAVAILABLE: flaky proxy/,
    )
    assert.match(run.stderr, /nothing was tagged for quotes/)
  } finally {
    await refusing.close()
  }
})

test.run()
