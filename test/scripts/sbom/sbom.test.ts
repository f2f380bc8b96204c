// `npm run build` writes an SPDX 2.3 SBOM per image (dist/images/<name>/sbom.spdx.json):
// the engine with its pinned source, libc, the runtime's npm packages, every npm package
// of the function's bundle (from esbuild's metafile) with version, licence and purl, and
// the relationships that tie them to the image. Checked against SPDX 2.3's field list
// (test/support/spdx.ts), against what the build actually read, and for reproducibility.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { debianPoolUrl } from '../../../scripts/runtime/runtime-sources.ts'
import { releaseBinary } from '../../../scripts/runtime/build-runtime.ts'
import { crossMuslPin } from '../../../scripts/runtime/cross-toolchain.ts'
import { engineSource } from '../../../scripts/runtime/engine-source.ts'
import { pinnedPackages, pinnedSources } from '../../../scripts/runtime/pinned-sources.ts'
import { repoRoot, runtimeBinary } from '../../support/paths.ts'
import { fixture, tempProject, type Project } from '../../support/project.ts'
import { spdxProblems } from '../../support/spdx.ts'

type Pkg = {
  SPDXID: string
  name: string
  versionInfo: string
  downloadLocation: string
  licenseDeclared: string
  checksums?: Array<{ algorithm: string; checksumValue: string }>
  externalRefs?: Array<{ referenceLocator: string }>
}
type File = { SPDXID: string; fileName: string; checksums: Array<{ algorithm: string; checksumValue: string }> }
type Doc = {
  packages: Pkg[]
  files?: File[]
  relationships: Array<{ spdxElementId: string; relationshipType: string; relatedSpdxElement: string }>
} & Record<string, any>

let project: Project
const names = ['greet', 'plain', 'zip', 'lazy']
const sbom = (name: string) => project.json<Doc>(`dist/images/${name}/sbom.spdx.json`)
const digest = (name: string) => project.json(`dist/images/${name}/index.json`).manifests[0].digest as string
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')
const installed = (name: string) => JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8'))
const lockHex = (name: string) => {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8'))
  return Buffer.from(lock.packages[`node_modules/${name}`].integrity.replace(/^sha512-/, ''), 'base64').toString('hex')
}
const related = (doc: Doc, from: string, type: string) =>
  doc.relationships
    .filter((r) => r.spdxElementId === from && r.relationshipType === type)
    .map((r) => [...doc.packages, ...((doc.files ?? []) as unknown as Pkg[])].find((p) => p.SPDXID === r.relatedSpdxElement)!)
const packagesOnly = (list: Pkg[]) => list.filter((p) => !('fileName' in p))

const test = suite('sbom: an SPDX 2.3 document per image')

test.before(() => {
  project = tempProject([fixture('greet'), fixture('plain')])
  // A second npm package in a bundle, besides hono.
  project.write(
    'zip',
    "import { Hono } from 'hono'\nimport { gzipSync, strToU8 } from 'fflate'\nconst app = new Hono()\napp.get('/', (c) => c.body(gzipSync(strToU8('zipped'))))\nexport default app\n",
  )
  // A chunk: fflate only on import().
  project.write(
    'lazy',
    "import { Hono } from 'hono'\nconst app = new Hono()\napp.get('/', async (c) => c.text(String((await import('fflate')).strToU8('lazy').length)))\nexport default app\n",
  )
  const built = project.build()
  if (built.code !== 0) throw new Error(`build failed:\n${built.output}`)
})
test.after(() => project?.remove())

test("each image's SBOM passes SPDX 2.3's field checks, and the checks fail on what the spec forbids", () => {
  for (const name of names) assert.equal(spdxProblems(sbom(name)), [], name)
  const broken = (change: (d: Doc) => void) => {
    const d = sbom('greet')
    change(d)
    return spdxProblems(d)
  }
  assert.ok(broken((d) => delete (d.packages[0] as any).downloadLocation).length, 'a package without downloadLocation')
  assert.ok(broken((d) => ((d.packages[1] as any).version = '1')).length, 'a field the spec does not define')
  assert.ok(broken((d) => (d.packages[2].SPDXID = 'SPDXRef-has space')).length, 'a malformed SPDXID')
  assert.ok(broken((d) => (d.relationships[1].relatedSpdxElement = 'SPDXRef-nowhere')).length, 'a dangling relationship')
  assert.ok(broken((d) => (d.packages[0].checksums![0].checksumValue = 'abc')).length, 'a short sha256')
  assert.ok(broken((d) => (d.creationInfo.created = '2023-11-14')).length, 'a date without time')
  assert.ok(broken((d) => (d.relationships = d.relationships.filter((r) => r.relationshipType !== 'DESCRIBES'))).length, 'no DESCRIBES')
})

test('the document DESCRIBES the image index, which CONTAINS each platform runtime and the function, each with its sha256', () => {
  for (const name of names) {
    const doc = sbom(name)
    const [image] = related(doc, 'SPDXRef-DOCUMENT', 'DESCRIBES')
    assert.is(image.name, `localhost/scratchfn/${name}`)
    assert.equal(image.checksums, [{ algorithm: 'SHA256', checksumValue: digest(name).slice(7) }])
    assert.is(image.externalRefs![0].referenceLocator, `pkg:oci/${name}@sha256%3A${digest(name).slice(7)}`)
    const parts = related(doc, image.SPDXID, 'CONTAINS')
    assert.equal(
      parts.map((p) => `${p.SPDXID} ${p.name}`),
      [
        'SPDXRef-Runtime-amd64 scratchfn-runtime',
        'SPDXRef-Runtime-arm64 scratchfn-runtime',
        `SPDXRef-Function ${name}`,
        'SPDXRef-CA-Certificates ca-certificates',
      ],
    )
    assert.is(parts[0].checksums![0].checksumValue, sha256(runtimeBinary))
    assert.is(parts[1].checksums![0].checksumValue, sha256(releaseBinary('linux/arm64')))
    assert.is(parts[2].checksums![0].checksumValue, sha256(join(project.root, '.scratchfn/build', name, 'app.bin')))
    assert.is(parts[3].versionInfo, pinnedPackages.caCertificates.version)
    assert.match(parts[3].externalRefs![0].referenceLocator, /^pkg:deb\/debian\/ca-certificates@[^?]+\?arch=all$/)
    // Each runtime names the platform manifest that carries it.
    const index = project.json(`dist/images/${name}/blobs/sha256/${digest(name).slice(7)}`)
    index.manifests.forEach((m: { digest: string }, i: number) => assert.match((parts[i] as any).comment, m.digest))
  }
})

test("each runtime links the engine and the C libraries, from their pinned sources, and its platform's musl; it contains its web layer's npm packages", () => {
  const doc = sbom('greet')
  const linked = related(doc, 'SPDXRef-Runtime-amd64', 'STATIC_LINK')
  assert.equal(
    linked.map((p) => p.name),
    ['quickjs', 'mbedtls', 'libsodium', 'zlib', 'musl'],
  )
  const [engine, mbedtls, sodium, zlib, musl] = linked
  assert.is(zlib.versionInfo, '1.3.1')
  for (const [lib, pin] of [
    [mbedtls, pinnedSources.mbedtls],
    [sodium, pinnedSources.libsodium],
    [zlib, pinnedSources.zlib],
  ] as const) {
    assert.is(lib.downloadLocation, debianPoolUrl(pin.package, pin.file))
    assert.equal(lib.checksums, [{ algorithm: 'SHA256', checksumValue: pin.sha256 }])
  }
  assert.is(mbedtls.versionInfo, '3.6.6')
  assert.is(engine.versionInfo, engineSource.version)
  assert.is(engine.licenseDeclared, 'MIT')
  // The engine comes from Debian's source archive, pinned by sha256 in pinned-sources.ts.
  assert.is(engine.downloadLocation, debianPoolUrl(engineSource.debian.package, engineSource.debian.file))
  assert.equal(engine.checksums, [{ algorithm: 'SHA256', checksumValue: engineSource.debian.sha256 }])
  assert.match(musl.versionInfo, /^\d+\.\d+\.\d+$/)
  assert.match(musl.externalRefs![0].referenceLocator, /^pkg:deb\/debian\/musl@[\d.]+-\d+\?arch=source$/)
  // The arm64 runtime links the same engine and libraries and the pinned arm64 musl-dev.
  const armLinked = related(doc, 'SPDXRef-Runtime-arm64', 'STATIC_LINK')
  assert.equal(armLinked.slice(0, 4), [engine, mbedtls, sodium, zlib], 'one package each, linked by both')
  const pin = crossMuslPin('linux/arm64')
  assert.is(armLinked[4].SPDXID, 'SPDXRef-C-musl-arm64')
  assert.is(musl.SPDXID, 'SPDXRef-C-musl-amd64')
  assert.is(armLinked[4].externalRefs![0].referenceLocator, `pkg:deb/debian/musl-dev@${pin.version}?arch=arm64`)
  assert.equal(armLinked[4].checksums, [{ algorithm: 'SHA256', checksumValue: pin.sha256 }])
  assert.is(armLinked[4].downloadLocation, `https://deb.debian.org/debian/pool/main/m/musl/musl-dev_${pin.version}_arm64.deb`)
  assert.equal(
    related(doc, 'SPDXRef-Runtime-arm64', 'CONTAINS').map((p) => p.SPDXID),
    related(doc, 'SPDXRef-Runtime-amd64', 'CONTAINS').map((p) => p.SPDXID),
    'the same web layer in both',
  )
  const web = related(doc, 'SPDXRef-Runtime-amd64', 'CONTAINS')
  // The web layer's polyfills, each with its installed version and the lockfile's checksum.
  for (const name of ['core-js', 'web-streams-polyfill']) {
    const p = web.find((w) => w.name === name)
    assert.ok(p, `${name} is listed`)
    assert.is(p!.versionInfo, installed(name).version)
    assert.is(p!.externalRefs![0].referenceLocator, `pkg:npm/${name}@${installed(name).version}`)
  }
  for (const p of web) assert.equal(p.checksums, [{ algorithm: 'SHA512', checksumValue: lockHex(p.name) }], p.name)
})

test("the function contains exactly the npm packages of its bundle's metafile, with version, licence and purl", () => {
  for (const name of names) {
    const meta = project.json(`.scratchfn/build/${name}/meta.json`) as { inputs: Record<string, unknown> }
    const fromMeta = new Set(
      Object.keys(meta.inputs)
        .map((i) => /node_modules\/((@[^/]+\/)?[^/]+)\//.exec(i)?.[1])
        .filter((n): n is string => !!n),
    )
    const listed = packagesOnly(related(sbom(name), 'SPDXRef-Function', 'CONTAINS'))
    assert.equal(listed.map((p) => p.name).sort(), [...fromMeta].sort(), name)
    for (const p of listed) {
      const pkg = installed(p.name)
      assert.is(p.versionInfo, pkg.version)
      assert.is(p.licenseDeclared, pkg.license)
      assert.is(p.externalRefs![0].referenceLocator, `pkg:npm/${p.name}@${pkg.version}`)
      assert.is(p.downloadLocation, `https://registry.npmjs.org/${p.name}/-/${p.name}-${pkg.version}.tgz`)
    }
  }
  assert.equal(
    related(sbom('zip'), 'SPDXRef-Function', 'CONTAINS').map((p) => p.name),
    ['fflate', 'hono'],
  )
})

test("a function's chunks are files of the function, with the SHA1 and SHA256 of the bytes in the image", () => {
  const doc = sbom('lazy')
  const { chunks } = project.json('dist/images/lazy/context/app/function.json') as { chunks: string[] }
  const files = related(doc, 'SPDXRef-Function', 'CONTAINS').filter((p) => 'fileName' in p) as unknown as File[]
  assert.equal(
    files.map((f) => f.fileName),
    chunks.map((c: string) => `./app/${c}`),
  )
  // fflate's browser build, the one chunk.
  assert.equal(
    files.map((f) => f.fileName.replace(/-[A-Z0-9]{8}\.bin$/, '')),
    ['./app/chunks/browser'],
  )
  for (const f of files) {
    const data = readFileSync(join(project.root, '.scratchfn/build/lazy', f.fileName.slice('./app/'.length)))
    assert.equal(f.checksums, [
      { algorithm: 'SHA1', checksumValue: createHash('sha1').update(data).digest('hex') },
      { algorithm: 'SHA256', checksumValue: createHash('sha256').update(data).digest('hex') },
    ])
  }
  assert.is(sbom('greet').files, undefined, 'a function without import() has no files')
  assert.equal(spdxProblems(doc), [])
  const noSha1 = structuredClone(doc)
  noSha1.files![0].checksums = noSha1.files![0].checksums.filter((c) => c.algorithm !== 'SHA1')
  assert.ok(spdxProblems(noSha1).length, 'a file without its SHA1')
})

test("deterministic: created is the image's, the namespace names its digest, and a rebuild writes the same bytes", () => {
  const doc = sbom('greet')
  const blob = (d: string) => project.json(`dist/images/greet/blobs/sha256/${d.slice(7)}`)
  const config = blob(blob(blob(digest('greet')).manifests[0].digest).config.digest)
  assert.is(doc.creationInfo.created, config.created)
  assert.is(doc.creationInfo.created, '2023-11-14T22:13:20Z')
  assert.ok(doc.documentNamespace.endsWith(digest('greet').slice(7)), doc.documentNamespace)
  const before = names.map((n) => readFileSync(join(project.root, `dist/images/${n}/sbom.spdx.json`)))
  const again = project.build()
  assert.is(again.code, 0, again.output)
  names.forEach((n, i) => assert.ok(readFileSync(join(project.root, `dist/images/${n}/sbom.spdx.json`)).equals(before[i]), n))
})

test.run()
