import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { checkConfig } from '../../../scripts/contract/function-config.ts'
import { runtimeLayer, writeImage, type ImageOptions, type ImageResult } from '../../../scripts/image/image.ts'
import { sha256 } from '../../../scripts/image/layer.ts'
import type { SourceInfo } from '../../../scripts/image/source-info.ts'
import { skopeo } from '../../support/podman.ts'
import { readTar } from '../../support/tar.ts'

// The writer does not care what the runtime is; any bytes stand in for it here.
const work = mkdtempSync(join(tmpdir(), 'scratchfn-image-'))
const runtimeFile = join(work, 'runtime')
writeFileSync(runtimeFile, Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 31) % 251)))
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
    runtime: await runtimeLayer(runtimeFile),
    source,
    outDir,
    ...extra,
  })
}

const checked = (values: Record<string, unknown>) => checkConfig({ values, places: new Map(), relFile: 'functions/greet.ts' })
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'))
const blob = (dir: string, digest: string) => readFileSync(join(dir, 'blobs/sha256', digest.slice(7)))

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

test('the config follows the image contract: entrypoint, env, port, numeric non-root user in group 0, OCI labels', async () => {
  const img = await write('greet', join(work, 'b'))
  const manifest = JSON.parse(blob(img.dir, img.digest).toString())
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
    img.layers.map((l) => l.diffId),
  )
})

test('layer 1 is the runtime alone (0555, root); layer 2 the CA bundle (0444, root); layer 3 the bytecode and function.json (0444, root)', async () => {
  const img = await write('greet', join(work, 'c'))
  const { gunzipSync } = await import('node:zlib')
  const [rt, ca, fn] = await Promise.all(img.layers.map((l) => readTar(gunzipSync(blob(img.dir, l.digest)))))
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
  assert.is(img.uncompressed, img.layers[0].uncompressed + img.layers[1].uncompressed + img.layers[2].uncompressed)
  assert.is(img.compressed, img.layers[0].compressed + img.layers[1].compressed + img.layers[2].compressed)
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
  assert.is(a.layers[0].digest, b.layers[0].digest)
  assert.is(a.layers[0].digest, c.layers[0].digest)
  assert.is(a.layers[1].digest, b.layers[1].digest)
  assert.is(a.layers[1].digest, c.layers[1].digest)
  assert.is.not(a.layers[2].digest, b.layers[2].digest)
  assert.is.not(a.digest, c.digest)
})

test('<name>.tar holds the docker-archive files and the OCI layout over the same blobs', async () => {
  const img = await write('greet', join(work, 'f'))
  const entries = await readTar(readFileSync(img.archive))
  const names = entries.map((e) => e.name)
  for (const n of ['oci-layout', 'index.json', 'manifest.json', 'repositories']) assert.ok(names.includes(n), n)
  const manifest = JSON.parse(entries.find((e) => e.name === 'manifest.json')!.data.toString())
  assert.is(manifest.length, 1)
  assert.equal(manifest[0].RepoTags, img.refs)
  for (const path of [manifest[0].Config, ...manifest[0].Layers]) assert.ok(names.includes(path), `${path} is in the archive`)
  assert.equal(JSON.parse(entries.find((e) => e.name === 'repositories')!.data.toString()), {
    'localhost/scratchfn/greet': { '0123456': img.layers[2].digest.slice(7), latest: img.layers[2].digest.slice(7) },
  })
})

test('skopeo reads the layout by tag and the archive as docker-archive, with the same config', async () => {
  const img = await write('greet', join(work, 'g'))
  const fromLayout = JSON.parse((await skopeo(['inspect', `oci:${img.dir}:0123456`])).stdout)
  assert.is(fromLayout.Digest, img.digest)
  assert.is(fromLayout.Labels['org.opencontainers.image.title'], 'greet')
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
  assert.is(statSync(join(ctx, 'scratchfn-runtime')).mode & 0o777, 0o555)
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
