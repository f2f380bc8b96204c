// Step 4 of a function build: the image's SBOM, an SPDX 2.3 JSON document written to
// dist/images/<name>/sbom.spdx.json (and pushed by `npm run push` as an OCI referrer of
// the image). It lists what the image is made of, as the build knew it:
//   the image  CONTAINS  the runtime binary  STATIC_LINK  the engine, the C libraries, libc
//                                            CONTAINS     the npm packages of its web layer
//              CONTAINS  the function        CONTAINS     the npm packages of its bundle
//                                            CONTAINS     its chunks, as files (app/chunks/*.bin)
// with versions, licences, purls and the checksums their pins give (source tarballs,
// package-lock integrities), and sha256 of the runtime, the bytecode and the image.
// Deterministic: created is the image's created time and the namespace derives from the
// image digest, so the same sources give the same bytes and the same referrer digest.
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { PinnedSource, RuntimeSources } from '../runtime/runtime-sources.ts'
import { architectureOf, type Platform } from '../shared/platforms.ts'
import { writeFileAtomic } from '../shared/files.ts'
import { npmPackagesOf, type NpmPackage } from '../shared/npm-packages.ts'

export const SBOM_FILE = 'sbom.spdx.json'
export const SPDX_MEDIA_TYPE = 'application/spdx+json'

export interface SbomOptions {
  /** The function's name. */
  name: string
  /** The image's name without a tag, e.g. 'localhost/scratchfn/hello'. */
  repository: string
  /** The image index's digest: the image's. */
  digest: string
  /** The image's created time (ISO 8601): the document's. */
  created: string
  /** The project's version (package.json), as the image's version label states it. */
  version: string
  /** The commit the function was built from, or null. */
  revision: string | null
  /** The project's repository URL, or ''. */
  sourceRepository: string
  /** 'functions/x.ts'. */
  relFile: string
  /** The bundle's metafile inputs, relative to `root`. */
  bundleInputs: string[]
  /** The project (esbuild's working directory for the bundle). */
  root: string
  bytecode: Uint8Array
  /** The bundle's chunks as bytecode, by their path in /app ('chunks/x.bin'); default none. */
  chunks?: Array<{ file: string; data: Uint8Array }>
  /** The runtime's version, and per platform its binary, what it is made of and the manifest that carries it. */
  runtime: { version: string; platforms: RuntimePlatform[] }
  /** The CA layer's bundle (/etc/ssl/certs/ca-certificates.crt) and the Debian ca-certificates version it is made from. */
  caCertificates?: { bundle: Uint8Array; version: string }
  /** scratchfn's version, for creationInfo.creators. */
  toolVersion: string
}

export interface RuntimePlatform {
  platform: Platform
  /** The platform manifest's digest. */
  manifest: string
  binary: Uint8Array
  sources: RuntimeSources
}

const known = new Set([
  'name',
  'repository',
  'digest',
  'created',
  'version',
  'revision',
  'sourceRepository',
  'relFile',
  'bundleInputs',
  'root',
  'bytecode',
  'chunks',
  'runtime',
  'caCertificates',
  'toolVersion',
])

type Checksum = { algorithm: string; checksumValue: string }
type Package = Record<string, unknown> & { SPDXID: string }
type Relationship = { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }

const NOASSERTION = 'NOASSERTION'
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex')
// SPDX 2.3 requires a file's SHA1 (clause 8.4); SHA256 goes beside it for what it proves.
const sha1 = (data: Uint8Array) => createHash('sha1').update(data).digest('hex')
/** SPDX ids allow letters, digits, '.' and '-' only. */
const spdxId = (...parts: string[]) => `SPDXRef-${parts.join('-').replace(/[^A-Za-z0-9.-]+/g, '-')}`

export function sbomDocument(options: SbomOptions): Record<string, unknown> {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`sbomDocument: unknown option '${key}'`)
  const o = options
  const hex = o.digest.replace(/^sha256:/, '')
  const packages: Package[] = []
  const relationships: Relationship[] = []
  const relate = (a: string, type: string, b: string) =>
    relationships.push({ spdxElementId: a, relationshipType: type, relatedSpdxElement: b })

  const image: Package = {
    SPDXID: 'SPDXRef-Image',
    name: o.repository,
    versionInfo: o.version,
    primaryPackagePurpose: 'CONTAINER',
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    checksums: [{ algorithm: 'SHA256', checksumValue: hex }],
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    copyrightText: NOASSERTION,
    externalRefs: [purlRef(`pkg:oci/${encodeURIComponent(o.name)}@sha256%3A${hex}`)],
    comment: `The OCI image index ${o.digest} (its sha256 is the image digest): a manifest for each of ${o.runtime.platforms.map((r) => r.platform).join(', ')}, each of its platform's runtime layer, ${o.caCertificates ? 'the CA layer ' : ''}and the same function layer.`,
  }
  const runtimes: Package[] = o.runtime.platforms.map((r) => ({
    SPDXID: spdxId('Runtime', architectureOf(r.platform)),
    name: 'scratchfn-runtime',
    versionInfo: o.runtime.version,
    primaryPackagePurpose: 'APPLICATION',
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    checksums: [{ algorithm: 'SHA256', checksumValue: sha256(r.binary) }],
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    copyrightText: NOASSERTION,
    comment: `The static ${r.platform} runtime at /scratchfn-runtime in the manifest ${r.manifest}: the JavaScript engine, the C core, its web layer as bytecode, and libc.`,
  }))
  const fn: Package = {
    SPDXID: 'SPDXRef-Function',
    name: o.name,
    versionInfo: o.version,
    primaryPackagePurpose: 'APPLICATION',
    downloadLocation: vcsLocation(o.sourceRepository, o.revision),
    filesAnalyzed: false,
    checksums: [{ algorithm: 'SHA256', checksumValue: sha256(o.bytecode) }],
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    copyrightText: NOASSERTION,
    sourceInfo: `bundled from ${o.relFile}${o.revision ? ` at commit ${o.revision}` : ''} and compiled to the bytecode /app/app.bin${o.chunks?.length ? ` and its chunks in /app/chunks/` : ''}, the same on every platform`,
  }
  packages.push(image, ...runtimes, fn)
  relate('SPDXRef-DOCUMENT', 'DESCRIBES', image.SPDXID)
  for (const r of runtimes) relate(image.SPDXID, 'CONTAINS', r.SPDXID)
  relate(image.SPDXID, 'CONTAINS', fn.SPDXID)
  if (o.caCertificates) {
    const ca: Package = {
      SPDXID: 'SPDXRef-CA-Certificates',
      name: 'ca-certificates',
      versionInfo: o.caCertificates.version,
      primaryPackagePurpose: 'FILE',
      downloadLocation: `https://deb.debian.org/debian/pool/main/c/ca-certificates/ca-certificates_${o.caCertificates.version}_all.deb`,
      filesAnalyzed: false,
      checksums: [{ algorithm: 'SHA256', checksumValue: sha256(o.caCertificates.bundle) }],
      licenseConcluded: NOASSERTION,
      licenseDeclared: 'MPL-2.0',
      copyrightText: NOASSERTION,
      externalRefs: [purlRef(`pkg:deb/debian/ca-certificates@${encodeURIComponent(o.caCertificates.version)}?arch=all`)],
      comment:
        "Mozilla's CA certificates as Debian packages them, at /etc/ssl/certs/ca-certificates.crt: the certificates fetch trusts by default.",
    }
    packages.push(ca)
    relate(image.SPDXID, 'CONTAINS', ca.SPDXID)
  }

  // One package per C component; a name whose source differs between platforms gets the platform in its id.
  const purls = new Map<string, Set<string>>()
  for (const c of o.runtime.platforms.flatMap((r) => r.sources.c)) purls.set(c.name, new Set([...(purls.get(c.name) ?? []), c.purl]))
  const cPackages = new Map<string, Package>()
  o.runtime.platforms.forEach((r, i) => {
    for (const c of r.sources.c) {
      const id = purls.get(c.name)!.size > 1 ? spdxId('C', c.name, architectureOf(r.platform)) : spdxId('C', c.name)
      if (!cPackages.has(id)) cPackages.set(id, cPackage(c, id))
      relate(runtimes[i].SPDXID, 'STATIC_LINK', id)
    }
  })
  packages.push(...cPackages.values())
  // One package per name@version, however many parts of the image bundle it.
  const npm = new Map<string, Package>()
  const addNpm = (pkg: NpmPackage, by: string) => {
    const id = spdxId('npm', pkg.name.replace(/^@/, ''), pkg.version)
    if (!npm.has(id)) npm.set(id, npmPackage(pkg, id))
    relate(by, 'CONTAINS', id)
  }
  o.runtime.platforms.forEach((r, i) => {
    for (const pkg of r.sources.npm) addNpm(pkg, runtimes[i].SPDXID)
  })
  for (const pkg of npmPackagesOf(o.bundleInputs, o.root)) addNpm(pkg, fn.SPDXID)
  packages.push(...npm.values())
  // The chunks are part of the function as files, read from /app on first import().
  const files = (o.chunks ?? []).map((c) => ({
    SPDXID: spdxId('File', c.file),
    fileName: `./app/${c.file}`,
    fileTypes: ['BINARY'],
    checksums: [
      { algorithm: 'SHA1', checksumValue: sha1(c.data) },
      { algorithm: 'SHA256', checksumValue: sha256(c.data) },
    ],
    licenseConcluded: NOASSERTION,
    copyrightText: NOASSERTION,
    comment: `A chunk of ${o.relFile}'s bundle as bytecode, loaded by the runtime on the first import() that needs it.`,
  }))
  for (const f of files) relate(fn.SPDXID, 'CONTAINS', f.SPDXID)

  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `${o.repository}@${o.digest}`,
    documentNamespace: `https://spdx.org/spdxdocs/scratchfn-${o.name}-${hex}`,
    creationInfo: { created: o.created, creators: [`Tool: scratchfn-${o.toolVersion}`] },
    packages,
    ...(files.length > 0 ? { files } : {}),
    relationships,
  }
}

/** Writes the document (two-space JSON and a newline, so `cat` reads it) and returns its bytes. */
export function writeSbom(imageDir: string, doc: Record<string, unknown>): Buffer {
  const bytes = Buffer.from(JSON.stringify(doc, null, 2) + '\n')
  writeFileAtomic(join(imageDir, SBOM_FILE), bytes)
  return bytes
}

function cPackage(c: PinnedSource, id: string): Package {
  return {
    SPDXID: id,
    name: c.name,
    versionInfo: c.version,
    primaryPackagePurpose: 'LIBRARY',
    downloadLocation: c.downloadLocation,
    filesAnalyzed: false,
    ...(c.checksum ? { checksums: [{ algorithm: c.checksum.algorithm, checksumValue: c.checksum.hex } satisfies Checksum] } : {}),
    licenseConcluded: NOASSERTION,
    licenseDeclared: c.license ?? NOASSERTION,
    copyrightText: NOASSERTION,
    externalRefs: [purlRef(c.purl)],
    comment: `${c.role === 'engine' ? 'The JavaScript engine, compiled into' : c.role === 'libc' ? 'The C library, linked statically into' : 'A C library, compiled into'} the runtime; source: ${c.pinned}.`,
  }
}

function npmPackage(p: NpmPackage, id: string): Package {
  return {
    SPDXID: id,
    name: p.name,
    versionInfo: p.version,
    primaryPackagePurpose: 'LIBRARY',
    downloadLocation: p.tarball,
    filesAnalyzed: false,
    ...(p.integrity ? { checksums: [{ algorithm: p.integrity.algorithm, checksumValue: p.integrity.hex } satisfies Checksum] } : {}),
    licenseConcluded: NOASSERTION,
    licenseDeclared: p.license ?? NOASSERTION,
    copyrightText: NOASSERTION,
    externalRefs: [purlRef(p.purl)],
  }
}

function purlRef(locator: string) {
  return { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: locator }
}

/** SPDX's VCS form, git+<url>@<commit>, when the project names its repository; else NOASSERTION. */
function vcsLocation(repository: string, revision: string | null): string {
  const url = repository.replace(/^git\+/, '').replace(/\.git$/, '')
  if (!/^(https?|ssh):\/\//.test(url)) return NOASSERTION
  return `git+${url}${revision ? `@${revision}` : ''}`
}
