// Turns layers and an ImageSpec into OCI blobs: the config, the manifest and the
// index, then writes them as an OCI image layout (`oci-layout`, `index.json`,
// `blobs/sha256/*`) that skopeo, podman (`oci:DIR:TAG`) and registries read.
// JSON is serialised with a fixed key order, so the digests depend on content only.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
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
}

export interface ImageBlobsOptions {
  /** In order, base first: the runtime, then the function. */
  layers: Array<Layer & { comment: string }>
  spec: ImageSpec
  /** ISO 8601, from SourceInfo.created. */
  created: string
  /** Full names with tags, e.g. ['localhost/scratchfn/hello:1a2b3c4', 'localhost/scratchfn/hello:latest']. */
  refs: string[]
  /** OCI architecture name (default from this machine: amd64, arm64). */
  architecture?: string
}

export interface ImageBlobs {
  /** Every blob by digest: layers (gzipped), config, manifest. */
  blobs: Map<string, Buffer>
  config: Descriptor
  manifest: Descriptor
  layers: Descriptor[]
  /** The index.json bytes: one entry per ref. */
  index: Buffer
}

const known = new Set(['layers', 'spec', 'created', 'refs', 'architecture'])

export function imageBlobs(options: ImageBlobsOptions): ImageBlobs {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`imageBlobs: unknown option '${key}'`)
  const { layers, spec, created, refs } = options
  const architecture = options.architecture ?? ociArch(process.arch)
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
      architecture,
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
  const index = json({
    schemaVersion: 2,
    mediaType: MEDIA.index,
    manifests: refs.map((ref) => ({
      ...manifest,
      // containerd (docker load) reads the full name; oci:DIR:TAG and skopeo read ref.name.
      annotations: { 'io.containerd.image.name': ref, 'org.opencontainers.image.ref.name': ref.slice(ref.lastIndexOf(':') + 1) },
    })),
  })
  return { blobs, config, manifest, layers: layerDescriptors, index }
}

/** Writes an OCI image layout into `dir` (which must be new or empty). */
export function writeLayout(dir: string, image: ImageBlobs): void {
  mkdirSync(join(dir, 'blobs/sha256'), { recursive: true })
  writeFileSync(join(dir, 'oci-layout'), OCI_LAYOUT)
  writeFileSync(join(dir, 'index.json'), image.index)
  for (const [digest, data] of image.blobs) writeFileSync(join(dir, 'blobs/sha256', digest.slice('sha256:'.length)), data)
}

export const OCI_LAYOUT = Buffer.from('{"imageLayoutVersion":"1.0.0"}')

export function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value))
}

export function ociArch(nodeArch: string): string {
  const map: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' }
  const arch = map[nodeArch]
  if (!arch) throw new Error(`image: no OCI architecture for Node's '${nodeArch}'; pass architecture explicitly`)
  return arch
}
