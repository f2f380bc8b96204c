// Turns layers and an ImageSpec into OCI blobs: per platform a config and a manifest,
// then the image index that lists them, then writes them as an OCI image layout
// (`oci-layout`, `index.json` naming the image index by tag, `blobs/sha256/*`) that
// skopeo, podman (`oci:DIR:TAG`) and registries read. The index's digest is the image's:
// what push tags and deploy pins. JSON is serialised with a fixed key order, so the
// digests depend on content only.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { architectureOf, type Platform } from '../shared/platforms.ts'
import type { ImageSpec } from './image-spec.ts'
import { sha256, type Layer } from './layer.ts'

export const MEDIA = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const

export interface Descriptor {
  mediaType: string
  digest: string
  size: number
  annotations?: Record<string, string>
  /** In an image index: what the manifest runs on. */
  platform?: { architecture: string; os: string }
}

export interface ImageBlobsOptions {
  /** In order, base first: the runtime, then the function. */
  layers: Array<Layer & { comment: string }>
  spec: ImageSpec
  /** ISO 8601, from SourceInfo.created. */
  created: string
  /** What the runtime layer's binary runs on. */
  platform: Platform
}

/** One platform's image: its manifest, config and layers. */
export interface ImageBlobs {
  platform: Platform
  /** Every blob by digest: layers (gzipped), config, manifest. */
  blobs: Map<string, Buffer>
  config: Descriptor
  manifest: Descriptor
  layers: Descriptor[]
}

const known = new Set(['layers', 'spec', 'created', 'platform'])

export function imageBlobs(options: ImageBlobsOptions): ImageBlobs {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`imageBlobs: unknown option '${key}'`)
  const { layers, spec, created, platform } = options
  const blobs = new Map<string, Buffer>()
  const add = (mediaType: string, data: Buffer): Descriptor => {
    const digest = sha256(data)
    blobs.set(digest, data)
    return { mediaType, digest, size: data.length }
  }
  const layerDescriptors = layers.map((l) => add(MEDIA.layer, l.gz))
  const config = add(
    MEDIA.config,
    json({
      created,
      architecture: architectureOf(platform),
      os: 'linux',
      config: {
        User: spec.user,
        ExposedPorts: { [`${spec.port}/tcp`]: {} },
        Env: spec.env.map(([k, v]) => `${k}=${v}`),
        Entrypoint: spec.entrypoint,
        // Docker's field (the OCI spec has none); Docker and podman read it, in nanoseconds.
        Healthcheck: {
          Test: spec.healthcheck.test,
          Interval: spec.healthcheck.intervalSeconds * 1e9,
          Timeout: spec.healthcheck.timeoutSeconds * 1e9,
          StartPeriod: spec.healthcheck.startPeriodSeconds * 1e9,
          Retries: spec.healthcheck.retries,
        },
        Labels: spec.labels,
      },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: layers.map((l) => ({ created, created_by: l.comment })),
    }),
  )
  const manifest = add(
    MEDIA.manifest,
    json({
      schemaVersion: 2,
      mediaType: MEDIA.manifest,
      config,
      layers: layerDescriptors,
    }),
  )
  return { platform, blobs, config, manifest, layers: layerDescriptors }
}

export interface ImageIndexOptions {
  /** One per platform, in PLATFORMS order; they share the function layer. */
  images: ImageBlobs[]
  /** Full names with tags, e.g. ['localhost/scratchfn/hello:1a2b3c4', 'localhost/scratchfn/hello:latest']. */
  refs: string[]
}

/** A function's image: the image index over its platforms' manifests, and every blob. */
export interface ImageIndex {
  /** Every blob by digest: each platform's, and the image index itself. */
  blobs: Map<string, Buffer>
  /** The image index blob: the image's digest. */
  index: Descriptor
  images: ImageBlobs[]
  /** The layout's index.json bytes: one entry per ref, each naming the image index. */
  indexJson: Buffer
}

export function imageIndex(options: ImageIndexOptions): ImageIndex {
  for (const key of Object.keys(options)) if (key !== 'images' && key !== 'refs') throw new TypeError(`imageIndex: unknown option '${key}'`)
  const { images, refs } = options
  if (images.length === 0) throw new TypeError('imageIndex: no platform images')
  const blobs = new Map<string, Buffer>()
  for (const image of images) for (const [digest, data] of image.blobs) blobs.set(digest, data)
  const bytes = json({
    schemaVersion: 2,
    mediaType: MEDIA.index,
    manifests: images.map((i) => ({ ...i.manifest, platform: { architecture: architectureOf(i.platform), os: 'linux' } })),
  })
  const index: Descriptor = { mediaType: MEDIA.index, digest: sha256(bytes), size: bytes.length }
  blobs.set(index.digest, bytes)
  const indexJson = json({
    schemaVersion: 2,
    mediaType: MEDIA.index,
    manifests: refs.map((ref) => ({
      ...index,
      // containerd (docker load) reads the full name; oci:DIR:TAG and skopeo read ref.name.
      annotations: { 'io.containerd.image.name': ref, 'org.opencontainers.image.ref.name': ref.slice(ref.lastIndexOf(':') + 1) },
    })),
  })
  return { blobs, index, images, indexJson }
}

/** Writes an OCI image layout into `dir` (which must be new or empty). */
export function writeLayout(dir: string, image: ImageIndex): void {
  mkdirSync(join(dir, 'blobs/sha256'), { recursive: true })
  writeFileSync(join(dir, 'oci-layout'), OCI_LAYOUT)
  writeFileSync(join(dir, 'index.json'), image.indexJson)
  for (const [digest, data] of image.blobs) writeFileSync(join(dir, 'blobs/sha256', digest.slice('sha256:'.length)), data)
}

export const OCI_LAYOUT = Buffer.from('{"imageLayoutVersion":"1.0.0"}')

export function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value))
}
