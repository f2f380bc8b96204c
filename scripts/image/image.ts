// Step 3 of a function build: the image. Writes dist/images/<name>/ with an OCI image
// layout, <name>.tar for `podman load` / `docker load`, and context/ for `podman build`.
// Three layers: the runtime and the CA certificates (both shared by every image, byte for
// byte) and the function's bytecode and metadata. No daemon: everything is computed here
// and written as files.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { FunctionConfig } from '../contract/function-config.ts'
import { dockerArchive } from './archive.ts'
import { writeContext } from './dockerfile.ts'
import { imageBlobs, writeLayout } from './oci-layout.ts'
import { caBundle } from './ca-certificates.ts'
import { caEntries, imageSpec, runtimeEntries } from './image-spec.ts'
import { createLayer, type Layer } from './layer.ts'
import type { SourceInfo } from './source-info.ts'
import { replaceDir } from '../shared/files.ts'

export interface RuntimeLayer {
  binary: Buffer
  layer: Layer
  /** The CA certificates' layer, shared the same way. */
  ca: { bundle: Buffer; version: string; count: number; layer: Layer }
}

/**
 * The runtime layer and the CA layer, built once per build and shared by every image.
 * Their mtime is 0, not the commit time, so their bytes depend on the binary and the
 * pinned ca-certificates package alone: unchanged, they keep their digests across commits,
 * and registries and nodes keep one copy of each.
 */
export async function runtimeLayer(binaryFile: string): Promise<RuntimeLayer> {
  if (!existsSync(binaryFile)) throw new Error(`image: runtime binary ${binaryFile} not found; build it with \`npm run build:runtime\``)
  const binary = readFileSync(binaryFile)
  const ca = caBundle()
  return {
    binary,
    layer: await createLayer({ entries: runtimeEntries(binary), mtime: 0 }),
    ca: { bundle: ca.bytes, version: ca.version, count: ca.count, layer: await createLayer({ entries: caEntries(ca.bytes), mtime: 0 }) },
  }
}

export interface ImageOptions {
  name: string
  route: string
  /** Absolute path of the function file. */
  file: string
  relFile: string
  /** The function's checked config. */
  config: FunctionConfig
  bytecodeFile: string
  runtime: RuntimeLayer
  source: SourceInfo
  /** dist/images: the image goes to <outDir>/<name>/. */
  outDir: string
  /** Image name without the function and tag (default 'localhost/scratchfn'). */
  repository?: string
  /** Dockerfile.template to render (default: the one at the repository root). */
  template?: string
  /** OCI architecture (default: this machine's, which built the runtime). */
  architecture?: string
}

export interface LayerSize {
  role: 'runtime' | 'ca-certificates' | 'function'
  digest: string
  diffId: string
  /** Bytes of the gzip blob. */
  compressed: number
  /** Bytes of the tar. */
  uncompressed: number
}

export interface ImageResult {
  name: string
  /** dist/images/<name> */
  dir: string
  /** dist/images/<name>/<name>.tar */
  archive: string
  /** Full references, e.g. 'localhost/scratchfn/hello:1a2b3c4' and '...:latest'. */
  refs: string[]
  /** The manifest digest: what `podman inspect`, skopeo and registries call the image digest. */
  digest: string
  configDigest: string
  layers: LayerSize[]
  uncompressed: number
  compressed: number
}

const defaults = {
  repository: 'localhost/scratchfn',
  template: resolve(import.meta.dirname, '../../Dockerfile.template'),
}
const known = new Set([
  'name',
  'route',
  'file',
  'relFile',
  'config',
  'bytecodeFile',
  'runtime',
  'source',
  'outDir',
  'repository',
  'template',
  'architecture',
])

export async function writeImage(options: ImageOptions): Promise<ImageResult> {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`writeImage: unknown option '${key}'`)
  const o = { ...defaults, ...options }
  const spec = imageSpec({
    name: o.name,
    route: o.route,
    file: o.file,
    relFile: o.relFile,
    config: o.config,
    bytecode: readFileSync(o.bytecodeFile),
    source: o.source,
  })
  const fnLayer = await createLayer({ entries: spec.functionEntries, mtime: o.source.epoch })
  const tags = o.source.shortRevision ? [o.source.shortRevision, 'latest'] : ['latest']
  const refs = tags.map((t) => `${o.repository}/${o.name}:${t}`)
  const image = imageBlobs({
    layers: [
      { ...o.runtime.layer, comment: 'scratchfn: the runtime (/scratchfn-runtime)' },
      {
        ...o.runtime.ca.layer,
        comment: `scratchfn: CA certificates (/etc/ssl/certs/ca-certificates.crt, Debian ca-certificates ${o.runtime.ca.version})`,
      },
      { ...fnLayer, comment: `scratchfn: function ${o.name} (${o.relFile})` },
    ],
    spec,
    created: o.source.created,
    refs,
    ...(o.architecture ? { architecture: o.architecture } : {}),
  })
  const archive = await dockerArchive({ image, refs, mtime: o.source.epoch })

  // Write next to the final folder and swap it in whole: a failure leaves no half image.
  const dir = join(o.outDir, o.name)
  await replaceDir(dir, (staging) => {
    writeLayout(staging, image)
    writeFileSync(join(staging, `${o.name}.tar`), archive)
    writeContext({
      name: o.name,
      spec,
      runtime: o.runtime.binary,
      ca: o.runtime.ca.bundle,
      template: o.template,
      dir: join(staging, 'context'),
    })
  })
  const layers: LayerSize[] = [
    { role: 'runtime', ...sizes(o.runtime.layer) },
    { role: 'ca-certificates', ...sizes(o.runtime.ca.layer) },
    { role: 'function', ...sizes(fnLayer) },
  ]
  return {
    name: o.name,
    dir,
    archive: join(dir, `${o.name}.tar`),
    refs,
    digest: image.manifest.digest,
    configDigest: image.config.digest,
    layers,
    uncompressed: layers.reduce((n, l) => n + l.uncompressed, 0),
    compressed: layers.reduce((n, l) => n + l.compressed, 0),
  }
}

function sizes(layer: Layer): Omit<LayerSize, 'role'> {
  return { digest: layer.digest, diffId: layer.diffId, compressed: layer.gz.length, uncompressed: layer.tar.length }
}
