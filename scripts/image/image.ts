// Step 3 of a function build: the image. Writes dist/images/<name>/ with an OCI image
// layout, <name>.tar for `podman load` / `docker load`, and context/ for `podman build`.
// The image is an image index with one manifest per platform; each has three layers: that
// platform's runtime and the CA certificates (both shared by every image, byte for byte)
// and the function's layer, the same under every platform: app.bin, the bundle's chunks
// beside it (app/chunks/*.bin, read on first import()) and function.json. No daemon:
// everything is computed here and written as files.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { FunctionConfig } from '../contract/function-config.ts'
import { hostPlatform, PLATFORMS, type Platform } from '../shared/platforms.ts'
import { dockerArchive } from './archive.ts'
import { writeContext } from './dockerfile.ts'
import { imageBlobs, imageIndex, writeLayout } from './oci-layout.ts'
import { caBundle } from './ca-certificates.ts'
import { caEntries, imageSpec, runtimeEntries } from './image-spec.ts'
import { createLayer, type Layer } from './layer.ts'
import type { SourceInfo } from './source-info.ts'
import { replaceDir } from '../shared/files.ts'

export interface RuntimeLayer {
  platform: Platform
  binary: Buffer
  layer: Layer
}

/**
 * A platform's runtime layer, built once per build and shared by every image. Its mtime
 * is 0, not the commit time, so its bytes depend on the binary alone: an unchanged runtime
 * keeps its digest across commits, and registries and nodes keep one copy of it.
 */
export async function runtimeLayer(binaryFile: string, platform: Platform): Promise<RuntimeLayer> {
  if (!existsSync(binaryFile)) throw new Error(`image: runtime binary ${binaryFile} not found; build it with \`npm run build:runtime\``)
  const binary = readFileSync(binaryFile)
  return { platform, binary, layer: await createLayer({ entries: runtimeEntries(binary), mtime: 0 }) }
}

export interface CaLayer {
  /** /etc/ssl/certs/ca-certificates.crt */
  bundle: Buffer
  /** Debian's ca-certificates version it is made from. */
  version: string
  count: number
  layer: Layer
}

/**
 * The CA certificates' layer, the same under every platform and in every image; mtime 0
 * for the same reason as the runtime's: its bytes depend on the pinned package alone.
 */
export async function caLayer(): Promise<CaLayer> {
  const ca = caBundle()
  return { bundle: ca.bytes, version: ca.version, count: ca.count, layer: await createLayer({ entries: caEntries(ca.bytes), mtime: 0 }) }
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
  /** The chunks' bytecode files, relative to bytecodeFile's folder ('chunks/x.bin'); default none. */
  chunkFiles?: string[]
  /** One per platform the image is for. */
  runtimes: RuntimeLayer[]
  ca: CaLayer
  source: SourceInfo
  /** dist/images: the image goes to <outDir>/<name>/. */
  outDir: string
  /** Image name without the function and tag (default 'localhost/scratchfn'). */
  repository?: string
  /** Dockerfile.template to render (default: the one at the repository root). */
  template?: string
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

/** One platform's image within the index: what a node of that CPU pulls and runs. */
export interface PlatformImage {
  platform: Platform
  /** Its manifest's digest. */
  digest: string
  configDigest: string
  /** The runtime layer, the CA layer, then the function layer. */
  layers: LayerSize[]
  uncompressed: number
  compressed: number
}

export interface ImageResult {
  name: string
  /** dist/images/<name> */
  dir: string
  /** dist/images/<name>/<name>.tar */
  archive: string
  /** Full references, e.g. 'localhost/scratchfn/hello:1a2b3c4' and '...:latest'. */
  refs: string[]
  /** The image index digest: what registries, skopeo and deploy's pins call the image digest. */
  digest: string
  /** In PLATFORMS order. */
  platforms: PlatformImage[]
}

const defaults = {
  repository: 'localhost/scratchfn',
  chunkFiles: [] as string[],
  template: resolve(import.meta.dirname, '../../Dockerfile.template'),
}
const known = new Set([
  'name',
  'route',
  'file',
  'relFile',
  'config',
  'bytecodeFile',
  'chunkFiles',
  'runtimes',
  'ca',
  'source',
  'outDir',
  'repository',
  'template',
])

export async function writeImage(options: ImageOptions): Promise<ImageResult> {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`writeImage: unknown option '${key}'`)
  const o = { ...defaults, ...options }
  const runtimes = PLATFORMS.flatMap((p) => o.runtimes.filter((r) => r.platform === p))
  if (runtimes.length === 0 || runtimes.length !== o.runtimes.length || new Set(runtimes.map((r) => r.platform)).size !== runtimes.length) {
    throw new TypeError(`writeImage: runtimes must name each platform once, of ${PLATFORMS.join(', ')}`)
  }
  const spec = imageSpec({
    name: o.name,
    route: o.route,
    file: o.file,
    relFile: o.relFile,
    config: o.config,
    bytecode: readFileSync(o.bytecodeFile),
    chunks: o.chunkFiles.map((file) => ({ file, data: readFileSync(join(dirname(o.bytecodeFile), file)) })),
    source: o.source,
  })
  const fnLayer = await createLayer({ entries: spec.functionEntries, mtime: o.source.epoch })
  const tags = o.source.shortRevision ? [o.source.shortRevision, 'latest'] : ['latest']
  const refs = tags.map((t) => `${o.repository}/${o.name}:${t}`)
  const images = runtimes.map((runtime) =>
    imageBlobs({
      layers: [
        { ...runtime.layer, comment: 'scratchfn: the runtime (/scratchfn-runtime)' },
        {
          ...o.ca.layer,
          comment: `scratchfn: CA certificates (/etc/ssl/certs/ca-certificates.crt, Debian ca-certificates ${o.ca.version})`,
        },
        { ...fnLayer, comment: `scratchfn: function ${o.name} (${o.relFile})` },
      ],
      spec,
      created: o.source.created,
      platform: runtime.platform,
    }),
  )
  const image = imageIndex({ images, refs })
  // What `podman load` runs: this machine's platform when the image has it.
  const dockerPlatform = runtimes.find((r) => r.platform === hostPlatform())?.platform ?? runtimes[0].platform
  const archive = await dockerArchive({ image, refs, dockerPlatform, mtime: o.source.epoch })

  // Write next to the final folder and swap it in whole: a failure leaves no half image.
  const dir = join(o.outDir, o.name)
  await replaceDir(dir, (staging) => {
    writeLayout(staging, image)
    writeFileSync(join(staging, `${o.name}.tar`), archive)
    writeContext({ name: o.name, spec, runtimes, ca: o.ca.bundle, template: o.template, dir: join(staging, 'context') })
  })
  const platforms = runtimes.map((runtime, i): PlatformImage => {
    const layers: LayerSize[] = [
      { role: 'runtime', ...sizes(runtime.layer) },
      { role: 'ca-certificates', ...sizes(o.ca.layer) },
      { role: 'function', ...sizes(fnLayer) },
    ]
    return {
      platform: runtime.platform,
      digest: images[i].manifest.digest,
      configDigest: images[i].config.digest,
      layers,
      uncompressed: layers.reduce((n, l) => n + l.uncompressed, 0),
      compressed: layers.reduce((n, l) => n + l.compressed, 0),
    }
  })
  return { name: o.name, dir, archive: join(dir, `${o.name}.tar`), refs, digest: image.index.digest, platforms }
}

function sizes(layer: Layer): Omit<LayerSize, 'role'> {
  return { digest: layer.digest, diffId: layer.diffId, compressed: layer.gz.length, uncompressed: layer.tar.length }
}
