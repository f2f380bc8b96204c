// The images as OpenShift runs them: loaded into real podman, started as an arbitrary
// UID in group 0 with a read-only root and no capabilities, published on loopback.
// Also what skopeo sees, and a `podman build` of the rendered Dockerfile.template.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { hostPlatform } from '../../../scripts/shared/platforms.ts'
import { repoRoot } from '../../support/paths.ts'
import { freePort } from '../../support/process.ts'
import { openshiftFlags, runFlags, skopeo, tempPodman, type Podman } from '../../support/podman.ts'
import { fixture, tempProject, type Project } from '../../support/project.ts'
import { readTar } from '../../support/tar.ts'

let project: Project
let podman: Podman
const state: { port: number; container: string; url: string } = { port: 0, container: '', url: '' }
const image = (name: string) => `${project.root}/dist/images/${name}`

async function start(ref: string): Promise<{ container: string; url: string }> {
  const port = await freePort()
  const { stdout } = await podman.podman(['run', '-d', ...runFlags, ...openshiftFlags, '-p', `127.0.0.1:${port}:8080`, ref])
  const container = stdout.trim()
  const url = `http://127.0.0.1:${port}`
  await podman.waitReady(url, container)
  return { container, url }
}

const test = suite('images in podman, as OpenShift runs them')

test.before(async () => {
  // With lazy.ts, whose parts load on import() from /app/chunks/ (test/fixtures/chunks/).
  project = tempProject([fixture('greet'), fixture('plain')], { functionsDir: join(repoRoot, 'test/fixtures/chunks') })
  podman = tempPodman()
  try {
    const built = project.build()
    if (built.code !== 0) throw new Error(`fixture build failed:\n${built.stdout}\n${built.stderr}`)
    for (const name of ['greet', 'plain', 'lazy']) await podman.podman(['load', '-q', '-i', `${image(name)}/${name}.tar`])
    Object.assign(state, await start('localhost/scratchfn/greet:latest'))
  } catch (err) {
    // uvu counts the suite's tests as failed but does not print an error from `before`.
    console.error('images in podman: setup failed:', err)
    throw err
  }
})
test.after(async () => {
  await podman?.cleanup()
  project?.remove()
})

test('podman load takes <name>.tar with its tags, as the image whose config we wrote', async () => {
  const { stdout } = await podman.podman(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}'])
  // The archive's docker-archive view names this machine's platform image.
  const blob = (digest: string) => project.json(`dist/images/greet/blobs/sha256/${digest.slice(7)}`)
  const index = blob(project.json(`dist/images/greet/index.json`).manifests[0].digest)
  const host = index.manifests.find((m: { platform: { architecture: string } }) => `linux/${m.platform.architecture}` === hostPlatform())
  const manifest = blob(host.digest)
  assert.match(stdout, new RegExp(`^localhost/scratchfn/greet:latest ${manifest.config.digest.slice(7, 19)}$`, 'm'))
})

test('serves its routes and /healthz as UID 1000680000:0, read-only, with no capabilities', async () => {
  const root = await fetch(`${state.url}/greet`)
  assert.is(root.status, 200)
  assert.is(await root.text(), 'hi from greet\n')
  const named = await fetch(`${state.url}/greet/ada`)
  assert.equal(await named.json(), { message: 'hi, ada!' })
  const health = await fetch(`${state.url}/healthz`)
  assert.is(health.status, 200)
  await health.arrayBuffer()
  const outside = await fetch(`${state.url}/elsewhere`)
  assert.is(outside.status, 404)
  await outside.arrayBuffer()
  const inspect = await podman.podman([
    'inspect',
    '--format',
    '{{.Config.User}} {{.HostConfig.ReadonlyRootfs}} {{.HostConfig.CapDrop}}',
    state.container,
  ])
  assert.match(inspect.stdout, /^1000680000:0 true \[.*CAP_.*\]/)
})

test('a second function runs from its own image at its configured route', async () => {
  const plain = await start('localhost/scratchfn/plain:latest')
  const res = await fetch(`${plain.url}/api/plain`)
  assert.equal(await res.json(), { plain: true })
  await podman.podman(['rm', '-f', '-t', '0', plain.container])
})

test('import() loads a chunk from the read-only image on first use, with the answer Node gives', async () => {
  const lazy = await start('localhost/scratchfn/lazy:latest')
  try {
    const res = await fetch(`${lazy.url}/lazy/greet/ana`)
    assert.is(res.status, 200)
    // What the same function answers under Node (test/runtime/core/chunks.test.ts compares the two).
    assert.equal(await res.json(), { text: 'hello ana from the greet chunk', loads: 1, version: 'shared-chunk-v1' })
    const count = await fetch(`${lazy.url}/lazy/count`)
    assert.equal(await count.json(), { count: 1, loads: 2 })
  } finally {
    await podman.podman(['rm', '-f', '-t', '0', lazy.container])
  }
})

test('podman stop ends it within 2 s with exit 0, and a slow request in flight still completes', async () => {
  const slow = fetch(`${state.url}/greet/slow?ms=1000`).then(async (r) => ({ status: r.status, body: await r.text() }))
  await new Promise((r) => setTimeout(r, 250))
  const started = Date.now()
  await podman.podman(['stop', '-t', '10', state.container])
  const stopMs = Date.now() - started
  const answer = await slow
  assert.is(answer.status, 200)
  assert.equal(JSON.parse(answer.body), { slept: 1000 })
  assert.ok(stopMs < 2000, `podman stop took ${stopMs} ms`)
  const exit = await podman.podman(['inspect', '--format', '{{.State.ExitCode}}', state.container])
  assert.is(exit.stdout.trim(), '0')
})

test('skopeo shows the labels and three layers, and two functions share the runtime and CA layer digests', async () => {
  const [greet, plain] = await Promise.all(
    ['greet', 'plain'].map(async (n) => JSON.parse((await skopeo(['inspect', `oci:${image(n)}:latest`])).stdout)),
  )
  for (const [info, name] of [
    [greet, 'greet'],
    [plain, 'plain'],
  ]) {
    assert.is(info.Layers.length, 3)
    assert.is(info.Labels['org.opencontainers.image.title'], name)
    for (const label of ['source', 'revision', 'created', 'version']) assert.ok(info.Labels[`org.opencontainers.image.${label}`], label)
  }
  assert.is(greet.Layers[0], plain.Layers[0])
  assert.is(greet.Layers[1], plain.Layers[1])
  assert.is.not(greet.Layers[2], plain.Layers[2])
  assert.is(greet.Labels['org.opencontainers.image.created'], '2023-11-14T22:13:20Z')
})

test('podman build of the rendered context gives the same files, entrypoint, user, env and labels', async () => {
  await podman.podman(['build', '-q', '-t', 'localhost/built/greet:latest', `${image('greet')}/context`], { timeoutMs: 300_000 })
  // The files each image unpacks to, with modes and owners, from `podman export`.
  const list = async (ref: string) => {
    const id = (await podman.podman(['create', ref])).stdout.trim()
    const out = join(podman.dir, `${id}.tar`)
    await podman.podman(['export', '-o', out, id])
    await podman.podman(['rm', id])
    return (await readTar(readFileSync(out))).map((e) => `${e.name} ${(e.mode & 0o7777).toString(8)} ${e.uid}:${e.gid}`).sort()
  }
  const ours = await list('localhost/scratchfn/greet:latest')
  const built = await list('localhost/built/greet:latest')
  assert.equal(built, ours)
  assert.ok(
    ours.some((l) => /^scratchfn-runtime 555 0:0$/.test(l)),
    ours.join('\n'),
  )
  assert.ok(
    ours.some((l) => /^app\/app\.bin 444 0:0$/.test(l)),
    ours.join('\n'),
  )
  const config = async (ref: string) => JSON.parse((await podman.podman(['image', 'inspect', '--format', '{{json .Config}}', ref])).stdout)
  const [a, b] = await Promise.all([config('localhost/scratchfn/greet:latest'), config('localhost/built/greet:latest')])
  assert.equal(b.Entrypoint, a.Entrypoint)
  assert.is(b.User, a.User)
  // Builders add a default PATH to every image they build; a scratch image has no use for it.
  assert.equal(
    b.Env.filter((e: string) => !e.startsWith('PATH=')),
    a.Env,
  )
  // ... and buildah its own version label.
  assert.equal(Object.fromEntries(Object.entries(b.Labels).filter(([k]) => !k.startsWith('io.buildah.'))), a.Labels)
  assert.equal(b.ExposedPorts, a.ExposedPorts)
})

test.run()
