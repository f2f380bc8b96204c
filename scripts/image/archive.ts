// The single-file image for `podman load` and `docker load`: a tar in the shape that
// `docker save` (Docker 25+) writes. It holds the OCI layout (oci-layout, index.json,
// blobs/sha256/*) with every platform, which containerd-backed Docker reads as the
// multi-platform image, plus the classic docker-archive files, manifest.json and
// repositories, that podman and older Docker read. Those name one image per tag, so, as
// `docker save` does, they list one platform's: the one `podman load` should run here.
// Both views point at the same blobs, so nothing is stored twice. Built with tarOf, so it
// is as reproducible as the layers.
import type { Platform } from '../shared/platforms.ts'
import { OCI_LAYOUT, json, type ImageIndex } from './oci-layout.ts'
import { tarOf, type LayerEntry } from './layer.ts'

export interface ArchiveOptions {
  image: ImageIndex
  /** Full names with tags, the same list given to imageIndex. */
  refs: string[]
  /** The platform manifest.json lists (one of the index's). */
  dockerPlatform: Platform
  /** Seconds since 1970, for every entry's mtime. */
  mtime: number
}

const known = new Set(['image', 'refs', 'dockerPlatform', 'mtime'])

export async function dockerArchive(options: ArchiveOptions): Promise<Buffer> {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`dockerArchive: unknown option '${key}'`)
  const { refs, mtime } = options
  const image = options.image.images.find((i) => i.platform === options.dockerPlatform)
  if (!image) throw new TypeError(`dockerArchive: the image has no ${options.dockerPlatform} manifest`)
  const blobPath = (digest: string) => `blobs/sha256/${digest.slice('sha256:'.length)}`
  const manifest = [
    {
      Config: blobPath(image.config.digest),
      RepoTags: refs,
      Layers: image.layers.map((l) => blobPath(l.digest)),
    },
  ]
  // The legacy map of name -> tag -> top layer, as docker save still writes it.
  const repositories: Record<string, Record<string, string>> = {}
  const top = image.layers[image.layers.length - 1].digest.slice('sha256:'.length)
  for (const ref of refs) {
    const at = ref.lastIndexOf(':')
    ;(repositories[ref.slice(0, at)] ??= {})[ref.slice(at + 1)] = top
  }
  const entries: LayerEntry[] = [
    { path: 'blobs/', mode: 0o755 },
    { path: 'blobs/sha256/', mode: 0o755 },
    { path: 'oci-layout', data: OCI_LAYOUT, mode: 0o644 },
    { path: 'index.json', data: options.image.indexJson, mode: 0o644 },
    { path: 'manifest.json', data: json(manifest), mode: 0o644 },
    { path: 'repositories', data: json(repositories), mode: 0o644 },
  ]
  for (const [digest, data] of options.image.blobs) entries.push({ path: blobPath(digest), data, mode: 0o644 })
  return tarOf(entries, mtime)
}
