// `npm run push` attaches each image's SBOM as an OCI 1.1 referrer: an artifact manifest
// (artifactType application/spdx+json, empty config, the SBOM as its one layer, subject
// = the image index, whose platform manifests the SBOM describes). Debian's docker-registry (distribution 2.8) has no referrers
// API (GET /v2/<repo>/referrers/<digest> answers 404), so against it the push keeps the
// referrers tag scheme's index at tag sha256-<hex>, which is what a client without the
// API reads; that is checked here as such a client would, then with skopeo. A proxy that
// claims the API shows the other branch: no fallback tag is written.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { runCli } from '../../support/cli.ts'
import { startFlakyProxy } from '../../support/flaky-proxy.ts'
import { skopeo } from '../../support/podman.ts'
import { fixture, tempProject, type Project } from '../../support/project.ts'
import { startRegistry, type TestRegistry } from '../../support/registry.ts'
import { spdxProblems } from '../../support/spdx.ts'

const names = ['greet', 'plain']
const INDEX = 'application/vnd.oci.image.index.v1+json'
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
let project: Project
let registry: TestRegistry
const local = (name: string) => {
  const entry = project.json(`dist/images/${name}/index.json`).manifests[0]
  return { mediaType: INDEX, digest: entry.digest as string, size: entry.size as number }
}
const sbomBytes = (name: string) => readFileSync(join(project.root, `dist/images/${name}/sbom.spdx.json`))
const sha256 = (data: Uint8Array) => 'sha256:' + createHash('sha256').update(data).digest('hex')
const get = async (path: string, accept = MANIFEST) => {
  const res = await fetch(`${registry.url}${path}`, { headers: { accept } })
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) }
}
const push = (host: string) => runCli(['push', '--root', project.root, '--registry', `${host}/team`, '--insecure'])

const test = suite('push: the SBOM as an OCI referrer of its image')

test.before(async () => {
  try {
    project = tempProject([fixture('greet'), fixture('plain')])
    const built = project.build()
    if (built.code !== 0) throw new Error(`build failed:\n${built.output}`)
    registry = await startRegistry()
  } catch (err) {
    console.error('sbom referrer: setup failed:', err)
    throw err
  }
})
test.after(async () => {
  await registry?.destroy()
  project?.remove()
})

test('the registry has no referrers API, so the push keeps the fallback index at tag sha256-<hex>', async () => {
  const run = await push(registry.host)
  assert.is(run.code, 0, run.output)
  for (const name of names) {
    const subject = local(name)
    assert.is((await get(`/v2/team/${name}/referrers/${subject.digest}`, INDEX)).status, 404, 'distribution 2.8 has no referrers API')
    const tag = subject.digest.replace(':', '-')
    assert.match(run.stdout, new RegExp(`^  referrer  sbom +sha256:[0-9a-f]{12}  via the tag ${tag}$`, 'm'))
    const index = await get(`/v2/team/${name}/manifests/${tag}`, INDEX)
    assert.is(index.status, 200)
    const { manifests } = JSON.parse(index.body.toString())
    assert.is(manifests.length, 1)
    assert.is(manifests[0].artifactType, 'application/spdx+json')
    assert.is(manifests[0].mediaType, MANIFEST)
  }
})

test('the artifact manifest: artifactType spdx+json, the empty config, the SBOM as its one layer, subject = the image index', async () => {
  for (const name of names) {
    const subject = local(name)
    const index = JSON.parse((await get(`/v2/team/${name}/manifests/${subject.digest.replace(':', '-')}`, INDEX)).body.toString())
    const res = await get(`/v2/team/${name}/manifests/${index.manifests[0].digest}`)
    assert.is(res.status, 200)
    assert.is(sha256(res.body), index.manifests[0].digest)
    assert.is(res.body.length, index.manifests[0].size)
    const m = JSON.parse(res.body.toString())
    assert.is(m.mediaType, MANIFEST)
    assert.is(m.artifactType, 'application/spdx+json')
    assert.equal(m.config, { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256(Buffer.from('{}')), size: 2 })
    assert.equal(m.subject, subject)
    assert.is(m.layers.length, 1)
    assert.is(m.layers[0].mediaType, 'application/spdx+json')
    const blob = await get(`/v2/team/${name}/blobs/${m.layers[0].digest}`, '*/*')
    assert.ok(blob.body.equals(sbomBytes(name)), 'the layer is dist/images/<name>/sbom.spdx.json')
    assert.equal(spdxProblems(JSON.parse(blob.body.toString())), [])
    assert.is((await get(`/v2/team/${name}/blobs/${m.config.digest}`, '*/*')).body.toString(), '{}')
  }
})

test('skopeo reads the index and copies the SBOM out, as the README says', async () => {
  const subject = local('greet')
  const ref = `docker://${registry.host}/team/greet`
  const raw = await skopeo(['inspect', '--raw', '--tls-verify=false', `${ref}:${subject.digest.replace(':', '-')}`])
  const artifact = JSON.parse(raw.stdout).manifests[0].digest as string
  const dir = join(project.root, 'sbom-copy')
  await skopeo(['copy', '-q', '--src-tls-verify=false', `${ref}@${artifact}`, `dir:${dir}`])
  const layer = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).layers[0].digest as string
  assert.ok(readFileSync(join(dir, layer.slice(7))).equals(sbomBytes('greet')))
})

test('a second push adds no second entry to the index', async () => {
  const run = await push(registry.host)
  assert.is(run.code, 0, run.output)
  const index = await get(`/v2/team/greet/manifests/${local('greet').digest.replace(':', '-')}`, INDEX)
  assert.is(JSON.parse(index.body.toString()).manifests.length, 1)
})

test('where the registry answers the referrers API, the push puts the artifact manifest and writes no fallback tag', async () => {
  // A proxy that claims the API (answers 200 to GET .../referrers/...) in front of a fresh repository.
  const proxy = await startFlakyProxy(Number(registry.host.split(':')[1]), [
    { method: 'GET', path: /\/v2\/other\/[^/]+\/referrers\//, times: 99, status: 200 },
  ])
  try {
    const run = await runCli(['push', '--root', project.root, '--registry', `${proxy.host}/other`, '--insecure', 'greet'])
    assert.is(run.code, 0, run.output)
    assert.match(run.stdout, /^  referrer  sbom +sha256:[0-9a-f]{12}  via the referrers API$/m)
    assert.ok(proxy.failed.some((r) => r.path.includes('/referrers/')))
    const tags = JSON.parse((await get('/v2/other/greet/tags/list', 'application/json')).body.toString()).tags as string[]
    assert.not.ok(
      tags.some((t) => t.startsWith('sha256-')),
      tags.join(', '),
    )
    const artifact = JSON.parse((await get(`/v2/team/greet/manifests/${local('greet').digest.replace(':', '-')}`, INDEX)).body.toString())
      .manifests[0].digest
    assert.is((await get(`/v2/other/greet/manifests/${artifact}`)).status, 200, 'the artifact manifest is there by digest')
  } finally {
    await proxy.close()
  }
})

test.run()
