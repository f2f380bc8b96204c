// `npm run push` against a real registry (Debian's docker-registry on 127.0.0.1, no
// auth): every example image (an index over linux/amd64 and linux/arm64) goes up by
// digest with its tags, comes back with skopeo and podman with the same digest, and runs.
// Each platform's shared runtime layer is uploaded once and mounted into the other
// repositories; a second push uploads nothing.
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { runCli } from '../../support/cli.ts'
import { repoRoot } from '../../support/paths.ts'
import { openshiftFlags, runFlags, skopeo, tempPodman, type Podman } from '../../support/podman.ts'
import { freePort } from '../../support/process.ts'
import { tempProject, type Project } from '../../support/project.ts'
import { blobUploads, checkTags, startRegistry, type TestRegistry } from '../../support/registry.ts'

const names = ['accounts', 'hello', 'machines', 'quotes']
let project: Project
let registry: TestRegistry
let podman: Podman | undefined
const localDigest = (name: string) => project.json(`dist/images/${name}/index.json`).manifests[0].digest as string
const localBlob = (name: string, digest: string) => project.json(`dist/images/${name}/blobs/sha256/${digest.slice(7)}`)
/** The platform manifests the image index lists. */
const localManifests = (name: string) =>
  localBlob(name, localDigest(name)).manifests.map((d: { digest: string; platform: { architecture: string } }) => ({
    digest: d.digest,
    architecture: d.platform.architecture,
    ...localBlob(name, d.digest),
  })) as Array<{ digest: string; architecture: string; config: { digest: string }; layers: Array<{ digest: string }> }>
const sha256 = (data: Uint8Array) => 'sha256:' + createHash('sha256').update(data).digest('hex')
const localTags = (name: string) =>
  project
    .json(`dist/images/${name}/index.json`)
    .manifests.map((m: any) => m.annotations['org.opencontainers.image.ref.name'])
    .sort()
const push = (...extra: string[]) => runCli(['push', '--root', project.root, '--registry', `${registry.host}/team`, '--insecure', ...extra])

const test = suite('push: every image to a real registry')

test.before(async () => {
  try {
    project = tempProject([], { functionsDir: join(repoRoot, 'functions') })
    const built = project.build()
    if (built.code !== 0) throw new Error(`build failed:\n${built.output}`)
    registry = await startRegistry()
  } catch (err) {
    console.error('push: setup failed:', err)
    throw err
  }
})
test.after(async () => {
  await podman?.cleanup()
  await registry?.destroy()
  project?.remove()
})

test('pushes every image by digest, tagged with the commit and latest, and writes dist/pushed.json', async () => {
  const run = await push()
  assert.is(run.code, 0, run.output)
  const pushed = project.json('dist/pushed.json')
  assert.equal(Object.keys(pushed).sort(), names)
  for (const name of names) {
    assert.is(pushed[name], `${registry.host}/team/${name}@${localDigest(name)}`)
    assert.match(run.stdout, new RegExp(`^${name} -> ${registry.host}/team/${name}@${localDigest(name)}$`, 'm'))
  }
  const { problems, tags } = await checkTags(registry.url)
  assert.equal(problems, [])
  for (const name of names) assert.equal(tags[`team/${name}`], localTags(name))
  assert.is(localTags('hello').length, 2, 'the build tags the commit and latest')
  assert.match(
    run.stdout,
    /^pushed 4 images to 127\.0\.0\.1:\d+\/team: uploaded 20 blobs \([\d.]+ [KM]B\), mounted 12, already there 0; wrote dist\/pushed\.json$/m,
  )
  // Every manifest went up after its blobs: each platform's manifest after its blobs (the
  // function layer before either), the image index after both manifests, and the SBOM's
  // artifact manifest after the SBOM's.
  await registry.settle()
  const requests = registry.requests()
  const putOf = (name: string, digest: string) =>
    requests.findIndex((r) => r.method === 'PUT' && r.path.startsWith(`/v2/team/${name}/`) && decodeURIComponent(r.path).includes(digest))
  // A blob is in the repository once uploaded (PUT) or mounted from another (POST ...?mount=).
  const blobIn = (name: string, digest: string) =>
    requests.findIndex(
      (r) =>
        (r.method === 'PUT' || r.method === 'POST') &&
        r.path.startsWith(`/v2/team/${name}/blobs/`) &&
        decodeURIComponent(r.path).match(new RegExp(`(digest|mount)=${digest}`)),
    )
  const manifestPut = (name: string, ref: string) =>
    requests.findIndex((r) => r.method === 'PUT' && r.path === `/v2/team/${name}/manifests/${ref}`)
  for (const name of names) {
    const manifests = localManifests(name)
    assert.equal(
      manifests.map((m) => m.architecture),
      ['amd64', 'arm64'],
    )
    for (const m of manifests) {
      const blobs = [m.config, ...m.layers].map((d) => blobIn(name, d.digest))
      const at = manifestPut(name, m.digest)
      assert.ok(at >= 0 && blobs.every((i) => i >= 0 && i < at), `${name}: the ${m.architecture} manifest went up before one of its blobs`)
    }
    const imageManifest = manifestPut(name, localDigest(name))
    assert.ok(
      manifests.every((m) => manifestPut(name, m.digest) < imageManifest),
      `${name}: the image index went up before a platform manifest`,
    )
    assert.ok(manifestPut(name, 'latest') > imageManifest, `${name}: tagged only after the index is there by digest`)
    const sbom = putOf(name, sha256(readFileSync(join(project.root, `dist/images/${name}/sbom.spdx.json`))))
    const artifactManifest = requests.findIndex(
      (r, i) => i > imageManifest && r.method === 'PUT' && /\/manifests\/sha256:/.test(r.path) && r.path.startsWith(`/v2/team/${name}/`),
    )
    assert.ok(sbom > imageManifest && sbom < artifactManifest, `${name}: the SBOM's manifest went up before its blob`)
  }
})

test("each platform's shared runtime layer is uploaded once and mounted into the other three repositories", async () => {
  await registry.settle()
  const requests = registry.requests()
  for (const m of localManifests('hello')) {
    const runtimeLayer = m.layers[0].digest
    const finished = requests.filter(
      (r) => r.method === 'PUT' && r.path.includes('/blobs/uploads/') && decodeURIComponent(r.path).includes(`digest=${runtimeLayer}`),
    )
    assert.is(finished.length, 1, `${m.architecture}: ${JSON.stringify(finished)}`)
    const mounts = requests.filter((r) => r.method === 'POST' && decodeURIComponent(r.path).includes(`mount=${runtimeLayer}`))
    assert.is(mounts.length, 3, m.architecture)
    assert.ok(
      mounts.every((m) => m.status === 201),
      JSON.stringify(mounts),
    )
  }
  // The function layer is one blob under both manifests, sent once.
  const [amd, arm] = localManifests('hello')
  assert.is(amd.layers[1].digest, arm.layers[1].digest)
  const fnUploads = requests.filter(
    (r) =>
      r.method === 'PUT' && r.path.includes('/blobs/uploads/') && decodeURIComponent(r.path).includes(`digest=${amd.layers[1].digest}`),
  )
  assert.is(fnUploads.length, 1)
})

test('skopeo and podman pull the images back with the same digests, and the pulled image serves', async () => {
  for (const name of names) {
    const info = JSON.parse((await skopeo(['inspect', '--tls-verify=false', `docker://${registry.host}/team/${name}:latest`])).stdout)
    assert.is(info.Digest, localDigest(name), name)
    assert.is(info.Layers.length, 3)
    // The registry hands out the index, byte for byte, and each platform's manifest from it.
    const raw = await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/team/${name}@${localDigest(name)}`])
    assert.is(sha256(Buffer.from(raw.stdout)), localDigest(name))
    const arm = JSON.parse(
      (await skopeo(['inspect', '--override-arch', 'arm64', '--tls-verify=false', `docker://${registry.host}/team/${name}:latest`])).stdout,
    )
    assert.is(arm.Architecture, 'arm64')
    assert.equal(
      arm.Layers,
      localManifests(name)[1].layers.map((l) => l.digest),
    )
  }
  podman = tempPodman()
  const ref = project.json('dist/pushed.json').hello as string
  await podman.podman(['pull', '-q', '--tls-verify=false', ref])
  const port = await freePort()
  const id = (await podman.podman(['run', '-d', ...runFlags, ...openshiftFlags, '-p', `127.0.0.1:${port}:8080`, ref])).stdout.trim()
  const deadline = Date.now() + 15_000
  let res: Response | undefined
  while (Date.now() < deadline) {
    try {
      res = await fetch(`http://127.0.0.1:${port}/hello`)
      if (res.ok) break
    } catch {}
    await new Promise((r) => setTimeout(r, 100))
  }
  assert.ok(res?.ok, `the pulled hello image did not answer:\n${(await podman.podman(['logs', id], { allowFail: true })).stderr}`)
  assert.match(await res!.text(), /hello/i)
})

test('a second push uploads zero blobs: every blob is found with HEAD, and the tags are put again', async () => {
  await registry.settle()
  const before = registry.requests().length
  const run = await push()
  assert.is(run.code, 0, run.output)
  assert.match(run.stdout, /uploaded 0 blobs \(0 B\), mounted 0, already there 32/)
  await registry.settle()
  const requests = registry.requests().slice(before)
  assert.equal(blobUploads(requests), [])
  assert.is(requests.filter((r) => r.method === 'HEAD' && r.path.includes('/blobs/')).length, 32)
  assert.equal((await checkTags(registry.url)).problems, [])
})

test('after changing one function, only its function layer, its two configs and its SBOM go up', async () => {
  const file = join(project.root, 'functions/hello.ts')
  writeFileSync(file, readFileSync(file, 'utf8') + '\n// changed\nexport const changed = 1\n')
  const built = project.build(['hello'])
  assert.is(built.code, 0, built.output)
  const run = await push('hello')
  assert.is(run.code, 0, run.output)
  assert.match(run.stdout, /pushed 1 image to .*: uploaded 4 blobs .*, mounted 0, already there 4;/)
  assert.match(run.stdout, /^ {2}exists {4}runtime amd64 /m)
  assert.match(run.stdout, /^ {2}exists {4}runtime arm64 /m)
  assert.match(run.stdout, /^ {2}exists {4}CA layer /m)
  assert.is(project.json('dist/pushed.json').hello, `${registry.host}/team/hello@${localDigest('hello')}`)
  assert.is(Object.keys(project.json('dist/pushed.json')).length, 4, 'the other functions keep their entries')
})

test('without --insecure a plain-HTTP registry fails at once with a hint, not after retries', async () => {
  const run = await runCli(['push', '--root', project.root, '--registry', `${registry.host}/team`])
  assert.is(run.code, 1, run.output)
  assert.match(run.stderr, /add --insecure/)
  assert.not.match(run.stderr, /retrying/)
})

test('a --registry without a host is refused with an example', async () => {
  const run = await runCli(['push', '--root', project.root, '--registry', 'team'])
  assert.is(run.code, 1)
  assert.match(run.stderr, /--registry 'team' names no registry host .*e\.g\. --registry quay\.io\/my-team/)
})

test.run()
