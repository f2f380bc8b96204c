import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { checkConfig } from '../../../scripts/contract/function-config.ts'
import { caLayer, runtimeLayer, writeImage, type ImageOptions, type ImageResult } from '../../../scripts/image/image.ts'
import { sha256 } from '../../../scripts/image/layer.ts'
import { hostPlatform } from '../../../scripts/shared/platforms.ts'
import type { SourceInfo } from '../../../scripts/image/source-info.ts'
import { skopeo } from '../../support/podman.ts'
import { readTar } from '../../support/tar.ts'

// The writer does not care what the runtime is; any bytes stand in for it here, one
// set per platform.
const work = mkdtempSync(join(tmpdir(), 'scratchfn-image-'))
const runtimeFile = join(work, 'runtime')
writeFileSync(runtimeFile, Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 31) % 251)))
const armRuntimeFile = join(work, 'runtime-arm64')
writeFileSync(armRuntimeFile, Buffer.from(Array.from({ length: 52_000 }, (_, i) => (i * 37) % 241)))
const fnFile = join(work, 'greet.ts')
writeFileSync(fnFile, "export default app\nexport const config = {\n  env: { PORT: '9' },\n}\n")
const bin = join(work, 'app.bin')
writeFileSync(bin, 'bytecode of greet')
const source: SourceInfo = {
  revision: '0123456789abcdef0123456789abcdef01234567',
  shortRevision: '0123456',
  epoch: 1_700_000_000,
  created: '2023-11-14T22:13:20Z',
  version: '1.2.3',
  repository: 'https://example.invalid/scratchfn.git',
}

async function write(name: string, outDir: string, extra: Partial<ImageOptions> = {}): Promise<ImageResult> {
  return writeImage({
    name,
    route: `/${name}`,
    file: fnFile,
    relFile: `functions/${name}.ts`,
    config: checked({ env: { GREETING: 'hi "there" $HOME' }, maxBodyBytes: 2048, timeoutMs: 500 }),
    bytecodeFile: bin,
    runtimes: [await runtimeLayer(runtimeFile, 'linux/amd64'), await runtimeLayer(armRuntimeFile, 'linux/arm64')],
    ca: await caLayer(),
    source,
    outDir,
    ...extra,
  })
}

const checked = (values: Record<string, unknown>) => checkConfig({ values, places: new Map(), relFile: 'functions/greet.ts' })
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'))
const blob = (dir: string, digest: string) => readFileSync(join(dir, 'blobs/sha256', digest.slice(7)))
const blobJson = (dir: string, digest: string) => JSON.parse(blob(dir, digest).toString())
const amd64 = (img: ImageResult) => img.platforms.find((p) => p.platform === 'linux/amd64')!
const arm64 = (img: ImageResult) => img.platforms.find((p) => p.platform === 'linux/arm64')!

const test = suite('image: the OCI layout, docker archive and build context of one function')
test.after(() => rmSync(work, { recursive: true, force: true }))

test('writes an OCI image layout whose blobs match their digests, tagged with the short commit and latest', async () => {
  const img = await write('greet', join(work, 'a'))
  assert.equal(json(join(img.dir, 'oci-layout')), { imageLayoutVersion: '1.0.0' })
  const index = json(join(img.dir, 'index.json'))
  assert.equal(
    index.manifests.map((m: { annotations: Record<string, string> }) => m.annotations['org.opencontainers.image.ref.name']),
    ['0123456', 'latest'],
  )
  assert.equal(img.refs, ['localhost/scratchfn/greet:0123456', 'localhost/scratchfn/greet:latest'])
  assert.ok(index.manifests.every((m: { digest: string }) => m.digest === img.digest))
  for (const name of readdirSync(join(img.dir, 'blobs/sha256'))) assert.is(sha256(blob(img.dir, 'sha256:' + name)), 'sha256:' + name)
})

test('the image is an image index: one manifest per platform, in order, over the same function layer', async () => {
  const img = await write('greet', join(work, 'a2'))
  const entry = json(join(img.dir, 'index.json')).manifests[0]
  assert.is(entry.mediaType, 'application/vnd.oci.image.index.v1+json')
  const index = blobJson(img.dir, img.digest)
  assert.is(index.mediaType, 'application/vnd.oci.image.index.v1+json')
  assert.equal(
    index.manifests.map((m: { platform: unknown; mediaType: string }) => [m.platform, m.mediaType]),
    [
      [{ architecture: 'amd64', os: 'linux' }, 'application/vnd.oci.image.manifest.v1+json'],
      [{ architecture: 'arm64', os: 'linux' }, 'application/vnd.oci.image.manifest.v1+json'],
    ],
  )
  assert.equal(
    index.manifests.map((m: { digest: string }) => m.digest),
    img.platforms.map((p) => p.digest),
  )
  const [a, b] = index.manifests.map((m: { digest: string }) => blobJson(img.dir, m.digest))
  assert.is(a.layers[1].digest, b.layers[1].digest, 'one function layer')
  assert.is.not(a.layers[0].digest, b.layers[0].digest, 'a runtime layer each')
  assert.equal(
    [a, b].map((m) => blobJson(img.dir, m.config.digest).architecture),
    ['amd64', 'arm64'],
  )
  const { gunzipSync } = await import('node:zlib')
  const [armRuntime] = await readTar(gunzipSync(blob(img.dir, b.layers[0].digest)))
  assert.ok(armRuntime.data.equals(readFileSync(armRuntimeFile)), "the arm64 manifest's runtime layer holds the arm64 binary")
})

test('one platform alone is an index with its one manifest', async () => {
  const img = await write('greet', join(work, 'a3'), { runtimes: [await runtimeLayer(armRuntimeFile, 'linux/arm64')] })
  assert.equal(
    blobJson(img.dir, img.digest).manifests.map((m: { platform: { architecture: string } }) => m.platform.architecture),
    ['arm64'],
  )
  assert.equal(
    img.platforms.map((p) => p.platform),
    ['linux/arm64'],
  )
  await write('greet', join(work, 'a4'), { runtimes: [] }).then(
    () => assert.unreachable('no platform'),
    (err: Error) => assert.match(err.message, /runtimes must name each platform once/),
  )
})

test('the config follows the image contract: entrypoint, env, port, numeric non-root user in group 0, OCI labels', async () => {
  const img = await write('greet', join(work, 'b'))
  const manifest = blobJson(img.dir, amd64(img).digest)
  const config = JSON.parse(blob(img.dir, manifest.config.digest).toString())
  assert.equal(config.config.Entrypoint, ['/scratchfn-runtime', '/app/app.bin'])
  assert.equal(config.config.Env, [
    'PORT=8080',
    'SCRATCHFN_FUNCTION=greet',
    'SCRATCHFN_ROUTE=/greet',
    'SCRATCHFN_MAX_BODY_BYTES=2048',
    'SCRATCHFN_HANDLER_TIMEOUT_MS=500',
    'GREETING=hi "there" $HOME',
  ])
  assert.equal(config.config.ExposedPorts, { '8080/tcp': {} })
  const [uid, gid] = config.config.User.split(':').map(Number)
  assert.ok(uid > 0, 'non-root')
  assert.is(gid, 0)
  assert.equal(config.config.Labels, {
    'org.opencontainers.image.created': '2023-11-14T22:13:20Z',
    'org.opencontainers.image.revision': source.revision,
    'org.opencontainers.image.source': source.repository,
    'org.opencontainers.image.title': 'greet',
    'org.opencontainers.image.version': '1.2.3',
  })
  assert.is(config.created, '2023-11-14T22:13:20Z')
  assert.is(config.os, 'linux')
  assert.is(manifest.layers.length, 3)
  assert.equal(
    config.rootfs.diff_ids,
    amd64(img).layers.map((l) => l.diffId),
  )
  // The other platform's config differs in its architecture and its runtime layer only.
  const armConfig = blobJson(img.dir, blobJson(img.dir, arm64(img).digest).config.digest)
  assert.equal({ ...armConfig, architecture: 'amd64', rootfs: null }, { ...config, rootfs: null })
  assert.is(armConfig.rootfs.diff_ids[1], config.rootfs.diff_ids[1])
})

test("a function's chunks go into its layer beside app.bin (0444, root), in function.json and the build context; the same bytes give the same digests", async () => {
  mkdirSync(join(work, 'chunks'), { recursive: true })
  writeFileSync(join(work, 'chunks/pg-AAAA1111.bin'), 'bytecode of a chunk')
  writeFileSync(join(work, 'chunks/chunk-BBBB2222.bin'), 'bytecode of another chunk')
  const chunkFiles = ['chunks/chunk-BBBB2222.bin', 'chunks/pg-AAAA1111.bin']
  const img = await write('greet', join(work, 'chunked'), { chunkFiles })
  const { gunzipSync } = await import('node:zlib')
  const fn = await readTar(gunzipSync(blob(img.dir, amd64(img).layers[2].digest)))
  assert.equal(
    fn.map((e) => [e.name, e.mode, e.uid, e.gid]),
    [
      ['app/', 0o755, 0, 0],
      ['app/app.bin', 0o444, 0, 0],
      ['app/chunks/', 0o755, 0, 0],
      ['app/chunks/chunk-BBBB2222.bin', 0o444, 0, 0],
      ['app/chunks/pg-AAAA1111.bin', 0o444, 0, 0],
      ['app/function.json', 0o444, 0, 0],
    ],
  )
  assert.is(fn[4].data.toString(), 'bytecode of a chunk')
  assert.equal(JSON.parse(fn[5].data.toString()).chunks, chunkFiles)
  const ctx = join(img.dir, 'context')
  for (const f of chunkFiles) {
    assert.is(statSync(join(ctx, 'app', f)).mode & 0o777, 0o444)
    assert.ok(readFileSync(join(ctx, 'app', f)).equals(readFileSync(join(work, f))))
  }
  const again = await write('greet', join(work, 'chunked-again'), { chunkFiles })
  assert.is(again.digest, img.digest)
  const plain = await write('greet', join(work, 'unchunked'))
  assert.is.not(plain.digest, img.digest)
  assert.ok(amd64(img).layers[2].uncompressed > amd64(plain).layers[2].uncompressed, 'the size report counts the chunks')
})

test('layer 1 is the runtime alone (0555, root); layer 2 the CA bundle (0444, root); layer 3 the bytecode and function.json (0444, root)', async () => {
  const img = await write('greet', join(work, 'c'))
  const { gunzipSync } = await import('node:zlib')
  const [rt, ca, fn] = await Promise.all(amd64(img).layers.map((l) => readTar(gunzipSync(blob(img.dir, l.digest)))))
  assert.equal(
    rt.map((e) => [e.name, e.mode, e.uid, e.gid]),
    [['scratchfn-runtime', 0o555, 0, 0]],
  )
  assert.ok(rt[0].data.equals(readFileSync(runtimeFile)))
  assert.is(rt[0].mtime, 0, 'the runtime layer never carries the commit time, so its digest outlives commits')
  assert.equal(
    ca.map((e) => [e.name, e.mode, e.uid, e.gid, e.mtime]),
    [
      ['etc/', 0o755, 0, 0, 0],
      ['etc/ssl/', 0o755, 0, 0, 0],
      ['etc/ssl/certs/', 0o755, 0, 0, 0],
      ['etc/ssl/certs/ca-certificates.crt', 0o444, 0, 0, 0],
    ],
  )
  const pems = ca[3].data.toString().match(/-----BEGIN CERTIFICATE-----/g) ?? []
  assert.ok(pems.length > 100, `Mozilla's CAs: ${pems.length}`)
  assert.equal(
    fn.map((e) => [e.name, e.mode, e.uid, e.gid]),
    [
      ['app/', 0o755, 0, 0],
      ['app/app.bin', 0o444, 0, 0],
      ['app/function.json', 0o444, 0, 0],
    ],
  )
  assert.ok(fn.every((e) => e.mtime === source.epoch))
  const meta = JSON.parse(fn[2].data.toString())
  assert.equal(meta, {
    name: 'greet',
    route: '/greet',
    file: 'functions/greet.ts',
    config: checked({ env: { GREETING: 'hi "there" $HOME' }, maxBodyBytes: 2048, timeoutMs: 500 }),
    revision: source.revision,
  })
  for (const p of img.platforms) {
    assert.is(p.uncompressed, p.layers[0].uncompressed + p.layers[1].uncompressed + p.layers[2].uncompressed)
    assert.is(p.compressed, p.layers[0].compressed + p.layers[1].compressed + p.layers[2].compressed)
  }
})

test('reproducible: writing twice gives the same digests and the same .tar bytes', async () => {
  const a = await write('greet', join(work, 'd1'))
  const b = await write('greet', join(work, 'd2'))
  assert.is(a.digest, b.digest)
  assert.ok(readFileSync(a.archive).equals(readFileSync(b.archive)))
  assert.ok(readFileSync(join(a.dir, 'index.json')).equals(readFileSync(join(b.dir, 'index.json'))))
})

test('two functions share the runtime and CA layer digests; a later commit time keeps them', async () => {
  const a = await write('greet', join(work, 'e'))
  const b = await write('other', join(work, 'e'))
  const c = await write('greet', join(work, 'e2'), { source: { ...source, epoch: 1_800_000_000, created: '2027-01-15T08:00:00Z' } })
  for (const platform of [amd64, arm64]) {
    assert.is(platform(a).layers[0].digest, platform(b).layers[0].digest)
    assert.is(platform(a).layers[0].digest, platform(c).layers[0].digest)
    assert.is(platform(a).layers[1].digest, platform(b).layers[1].digest)
    assert.is(platform(a).layers[1].digest, platform(c).layers[1].digest)
    assert.is.not(platform(a).layers[2].digest, platform(b).layers[2].digest)
  }
  assert.is(amd64(a).layers[1].digest, arm64(a).layers[1].digest, 'one CA layer for both platforms')
  assert.is.not(a.digest, c.digest)
})

test("<name>.tar holds every platform's OCI layout, and docker-archive files naming this machine's image", async () => {
  const img = await write('greet', join(work, 'f'))
  const entries = await readTar(readFileSync(img.archive))
  const names = entries.map((e) => e.name)
  for (const n of ['oci-layout', 'index.json', 'manifest.json', 'repositories']) assert.ok(names.includes(n), n)
  for (const n of readdirSync(join(img.dir, 'blobs/sha256'))) assert.ok(names.includes(`blobs/sha256/${n}`), `${n} is in the archive`)
  assert.ok(entries.find((e) => e.name === 'index.json')!.data.equals(readFileSync(join(img.dir, 'index.json'))))
  const manifest = JSON.parse(entries.find((e) => e.name === 'manifest.json')!.data.toString())
  assert.is(manifest.length, 1)
  assert.equal(manifest[0].RepoTags, img.refs)
  const host = img.platforms.find((p) => p.platform === hostPlatform())!
  assert.is(manifest[0].Config, `blobs/sha256/${host.configDigest.slice(7)}`)
  assert.equal(
    manifest[0].Layers,
    host.layers.map((l) => `blobs/sha256/${l.digest.slice(7)}`),
  )
  assert.equal(JSON.parse(entries.find((e) => e.name === 'repositories')!.data.toString()), {
    'localhost/scratchfn/greet': { '0123456': host.layers[2].digest.slice(7), latest: host.layers[2].digest.slice(7) },
  })
})

test('skopeo reads the layout by tag and the archive as docker-archive, with the same config', async () => {
  const img = await write('greet', join(work, 'g'))
  const fromLayout = JSON.parse((await skopeo(['inspect', `oci:${img.dir}:0123456`])).stdout)
  assert.is(fromLayout.Digest, img.digest)
  assert.is(fromLayout.Labels['org.opencontainers.image.title'], 'greet')
  for (const [arch, platform] of [
    ['amd64', amd64(img)],
    ['arm64', arm64(img)],
  ] as const) {
    const picked = JSON.parse((await skopeo(['inspect', '--override-arch', arch, `oci:${img.dir}:latest`])).stdout)
    assert.is(picked.Architecture, arch)
    assert.equal(
      picked.Layers,
      platform.layers.map((l) => l.digest),
    )
  }
  const archiveConfig = JSON.parse((await skopeo(['inspect', '--config', `docker-archive:${img.archive}`])).stdout)
  const layoutConfig = JSON.parse((await skopeo(['inspect', '--config', `oci:${img.dir}:latest`])).stdout)
  assert.equal(archiveConfig, layoutConfig)
})

test('context/ holds the rendered Dockerfile and the files it copies, with their modes', async () => {
  const img = await write('greet', join(work, 'h'))
  const ctx = join(img.dir, 'context')
  const dockerfile = readFileSync(join(ctx, 'Dockerfile'), 'utf8')
  assert.not.match(dockerfile, /\{\{/)
  assert.match(dockerfile, /^FROM scratch$/m)
  assert.match(dockerfile, /^ENV GREETING="hi \\"there\\" \\\$HOME"$/m)
  assert.match(dockerfile, /^USER 65532:0$/m)
  assert.match(dockerfile, /^ENTRYPOINT \["\/scratchfn-runtime","\/app\/app.bin"\]$/m)
  assert.match(dockerfile, /^LABEL org.opencontainers.image.revision="0123456789abcdef0123456789abcdef01234567"$/m)
  assert.match(dockerfile, /^ARG TARGETARCH\nCOPY scratchfn-runtime-\$\{TARGETARCH\} \/scratchfn-runtime$/m)
  for (const [arch, file] of [
    ['amd64', runtimeFile],
    ['arm64', armRuntimeFile],
  ]) {
    assert.is(statSync(join(ctx, `scratchfn-runtime-${arch}`)).mode & 0o777, 0o555)
    assert.ok(readFileSync(join(ctx, `scratchfn-runtime-${arch}`)).equals(readFileSync(file)))
  }
  assert.is(statSync(join(ctx, 'app/app.bin')).mode & 0o777, 0o444)
  assert.is(readFileSync(join(ctx, 'app/app.bin'), 'utf8'), 'bytecode of greet')
})

test('a failure while writing leaves neither the image nor a .partial folder', async () => {
  try {
    await write('greet', join(work, 'j'), { template: join(work, 'missing.template') })
    assert.unreachable('should have thrown')
  } catch (err) {
    assert.match((err as Error).message, /missing\.template/)
  }
  assert.equal(existsSync(join(work, 'j')) ? readdirSync(join(work, 'j')) : [], [])
})

test('rejects an unknown option by name', async () => {
  try {
    await write('greet', join(work, 'k'), { tag: 'x' } as never)
    assert.unreachable('should have thrown')
  } catch (err) {
    assert.match((err as Error).message, /writeImage: unknown option 'tag'/)
  }
})

test.run()
