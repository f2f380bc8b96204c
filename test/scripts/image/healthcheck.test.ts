// The image's HEALTHCHECK in real podman: the config carries it (the runtime probing
// itself, since a scratch image has no shell or curl), `podman healthcheck run` passes on
// a serving container and fails on one whose function holds the event loop, and a
// `podman build --format docker` of the rendered Dockerfile carries the same check.
// podman reads a Healthcheck only from an image with a Docker manifest: `podman load` of
// <name>.tar gives it that (the archive's docker-archive view); an image pulled by its
// OCI manifest loses it in podman 4.3 (Docker keeps it), which the last test pins down.
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { HEALTHCHECK } from '../../../scripts/image/image-spec.ts'
import { freePort } from '../../support/process.ts'
import { openshiftFlags, runFlags, tempPodman, type Podman } from '../../support/podman.ts'
import { fixture, tempProject, type Project } from '../../support/project.ts'

let project: Project
let podman: Podman
const cleanupDirs: string[] = []
const image = (name: string) => `${project.root}/dist/images/${name}`
const expected = { Test: ['CMD', '/scratchfn-runtime', '--probe'], Interval: 10e9, Timeout: 3e9, StartPeriod: 5e9, Retries: 3 }

async function start(ref: string, env: string[] = []): Promise<{ container: string; url: string }> {
  const port = await freePort()
  const { stdout } = await podman.podman(['run', '-d', ...runFlags, ...openshiftFlags, ...env, '-p', `127.0.0.1:${port}:8080`, ref])
  // podman also prints that it cannot reach systemd to schedule the checks: there is none here.
  const container = stdout.trim().split('\n').pop()!
  const url = `http://127.0.0.1:${port}`
  await podman.waitReady(url, container)
  return { container, url }
}

const healthcheck = (container: string) => podman.podman(['healthcheck', 'run', container], { allowFail: true, timeoutMs: 30_000 })
const health = async (container: string) =>
  JSON.parse((await podman.podman(['inspect', '--format', '{{json .State.Health}}', container])).stdout) as {
    Status: string
    Log: Array<{ ExitCode: number; Output: string }>
  }

const test = suite('image HEALTHCHECK: the runtime probes itself')

test.before(async () => {
  project = tempProject([fixture('spin')])
  podman = tempPodman()
  try {
    const built = project.build()
    if (built.code !== 0) throw new Error(`fixture build failed:\n${built.output}`)
    await podman.podman(['load', '-q', '-i', `${image('spin')}/spin.tar`])
  } catch (err) {
    console.error('image HEALTHCHECK: setup failed:', err)
    throw err
  }
})
test.after(async () => {
  await podman?.cleanup()
  project?.remove()
  for (const dir of cleanupDirs) rmSync(dir, { recursive: true, force: true })
})

test('the image config carries the check, in nanoseconds, as podman reads it', async () => {
  assert.equal(
    { Test: HEALTHCHECK.test, Interval: 10e9, Timeout: 3e9, StartPeriod: 5e9, Retries: 3 },
    expected,
    'image-spec.ts states the same check',
  )
  // Every platform's config carries it.
  const blob = (digest: string) => project.json(`dist/images/spin/blobs/sha256/${digest.slice(7)}`)
  const index = blob(project.json('dist/images/spin/index.json').manifests[0].digest)
  assert.is(index.manifests.length, 2)
  for (const m of index.manifests) assert.equal(blob(blob(m.digest).config.digest).config.Healthcheck, expected, m.platform.architecture)
  const inspect = await podman.podman(['image', 'inspect', '--format', '{{json .HealthCheck}}', 'localhost/scratchfn/spin:latest'])
  assert.equal(JSON.parse(inspect.stdout), expected)
})

test('`podman healthcheck run` passes on a serving container, as any UID with a read-only root and no capabilities', async () => {
  const { container } = await start('localhost/scratchfn/spin:latest')
  const run = await healthcheck(container)
  assert.is(run.code, 0, run.stdout + run.stderr)
  const h = await health(container)
  assert.is(h.Status, 'healthy')
  assert.equal(h.Log.at(-1), { ...h.Log.at(-1)!, ExitCode: 0, Output: '' })
  await podman.podman(['rm', '-f', '-t', '0', container])
})

test('`podman healthcheck run` fails on a container whose function holds the event loop, naming why', async () => {
  // A handler timeout far past the test, so nothing frees the loop while it runs.
  const { container, url } = await start('localhost/scratchfn/spin:latest', ['-e', 'SCRATCHFN_HANDLER_TIMEOUT_MS=600000'])
  const spinning = new AbortController()
  fetch(`${url}/spin/forever`, { signal: spinning.signal }).catch(() => {})
  // Wait until /healthz goes quiet: the request has reached the handler.
  for (const deadline = Date.now() + 10_000; ;) {
    const quiet = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(300) }).then(
      (r) => r.arrayBuffer().then(() => false),
      () => true,
    )
    if (quiet) break
    assert.ok(Date.now() < deadline, 'the spinning request never held the loop')
  }
  const run = await healthcheck(container)
  assert.is(run.code, 1, run.stdout + run.stderr)
  assert.match(run.stdout, /unhealthy/)
  const h = await health(container)
  assert.is(h.Log.at(-1)!.ExitCode, 1)
  assert.match(h.Log.at(-1)!.Output, /--probe: GET http:\/\/127\.0\.0\.1:8080\/healthz: no answer within 2000 ms/)
  spinning.abort()
  await podman.podman(['rm', '-f', '-t', '0', container])
})

test('`podman build --format docker` of the rendered context carries the same HEALTHCHECK', async () => {
  await podman.podman(['build', '-q', '--format', 'docker', '-t', 'localhost/built/spin:latest', `${image('spin')}/context`], {
    timeoutMs: 300_000,
  })
  const inspect = await podman.podman(['image', 'inspect', '--format', '{{json .HealthCheck}}', 'localhost/built/spin:latest'])
  assert.equal(JSON.parse(inspect.stdout), expected)
  const { container } = await start('localhost/built/spin:latest')
  assert.is((await healthcheck(container)).code, 0)
  await podman.podman(['rm', '-f', '-t', '0', container])
})

test('podman 4.3 drops the check from an image pulled by its OCI manifest (so compose and kube set their own)', async () => {
  // Its own store: the loaded image has the same id, and would answer for this one.
  const other = tempPodman()
  try {
    // A copy at a plain lower-case path: podman names the image after it, and refuses dot-folders and capitals.
    const copy = join(tmpdir(), `scratchfn-oci-${randomUUID()}`)
    cleanupDirs.push(copy)
    spawnSync('cp', ['-r', image('spin'), copy])
    const id = (await other.podman(['pull', '-q', `oci:${copy}:latest`])).stdout.trim()
    const inspect = await other.podman(['image', 'inspect', '--format', '{{.ManifestType}} {{json .HealthCheck}}', id])
    assert.is(inspect.stdout.trim(), 'application/vnd.oci.image.manifest.v1+json null')
  } finally {
    await other.cleanup()
  }
})

test.run()
