// Reads back an image that `npm run build` wrote to dist/images/<name>/: the image index
// its index.json names, each platform's manifest, the blobs they name (each checked
// against its digest and size, so a damaged layout is never pushed), its tags, and the
// function.json in its function layer. Push and deploy both start here, so they see
// exactly what the build made.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'fflate'
import { extract } from 'tar-stream'
import type { FunctionInfo } from './image-spec.ts'
import { MEDIA, type Descriptor } from './oci-layout.ts'

/** One platform's image, as the index lists it. */
export interface LocalManifest {
  /** 'linux/arm64', from the index entry. */
  platform: string
  manifest: Descriptor & { bytes: Buffer }
  config: Descriptor
  /** Base first: the runtime layer, then the function layer. */
  layers: Descriptor[]
}

export interface LocalImage {
  name: string
  dir: string
  /** The image index: its digest is the image's, the one push tags and deploy pins. */
  index: Descriptor & { bytes: Buffer }
  /** In the index's order. */
  manifests: LocalManifest[]
  /** From index.json: the git short commit and 'latest'. */
  tags: string[]
  /** A blob's bytes, checked against its digest. */
  blob(digest: string): Buffer
}

const hint = (name: string) => `rebuild it with \`npm run build -- ${name}\``

export function readLocalImage(imagesDir: string, name: string): LocalImage {
  const dir = join(imagesDir, name)
  const indexFile = join(dir, 'index.json')
  if (!existsSync(indexFile)) throw new Error(`${dir}: no image (index.json missing); ${hint(name)}`)
  const layout = JSON.parse(readFileSync(indexFile, 'utf8')) as { manifests?: Array<Descriptor> }
  const entries = layout.manifests ?? []
  if (entries.length === 0) throw new Error(`${indexFile}: names no image; ${hint(name)}`)
  const digests = new Set(entries.map((m) => m.digest))
  if (digests.size !== 1)
    throw new Error(`${indexFile}: names ${digests.size} different images; scratchfn writes one image index per function; ${hint(name)}`)
  const entry = entries[0]
  if (entry.mediaType !== MEDIA.index)
    throw new Error(`${indexFile}: names a ${entry.mediaType}, not an image index; it predates multi-platform images; ${hint(name)}`)
  const tags = entries.map((m) => m.annotations?.['org.opencontainers.image.ref.name']).filter((t): t is string => !!t)
  const blob = (digest: string): Buffer => {
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`${dir}: '${digest}' is not a sha256 digest; ${hint(name)}`)
    const file = join(dir, 'blobs/sha256', digest.slice(7))
    if (!existsSync(file)) throw new Error(`${dir}: blob ${digest} is missing; ${hint(name)}`)
    const data = readFileSync(file)
    const actual = 'sha256:' + createHash('sha256').update(data).digest('hex')
    if (actual !== digest)
      throw new Error(`${file}: content is ${actual}, not ${digest} (the layout was changed after the build); ${hint(name)}`)
    return data
  }
  const sized = (d: Descriptor, what: string): Buffer => {
    const bytes = blob(d.digest)
    if (bytes.length !== d.size)
      throw new Error(`${dir}: ${what} ${d.digest} is ${bytes.length} bytes, its descriptor says ${d.size}; ${hint(name)}`)
    return bytes
  }
  const indexBytes = sized(entry, 'image index')
  const list = JSON.parse(indexBytes.toString('utf8')) as { manifests?: Descriptor[] }
  if (!list.manifests?.length) throw new Error(`${dir}: image index ${entry.digest} lists no manifest; ${hint(name)}`)
  const manifests = list.manifests.map((d): LocalManifest => {
    const bytes = sized(d, 'manifest')
    const m = JSON.parse(bytes.toString('utf8')) as { mediaType?: string; config: Descriptor; layers: Descriptor[] }
    for (const b of [m.config, ...m.layers]) sized(b, 'blob')
    const platform = d.platform ? `${d.platform.os}/${d.platform.architecture}` : 'unknown'
    return { platform, manifest: { ...d, mediaType: m.mediaType ?? d.mediaType, bytes }, config: m.config, layers: m.layers }
  })
  return {
    name,
    dir,
    tags,
    blob,
    index: { mediaType: entry.mediaType, digest: entry.digest, size: entry.size, bytes: indexBytes },
    manifests,
  }
}

/** app/function.json from the function layer (the last one): name, route, config, revision. */
export async function readFunctionInfo(image: LocalImage): Promise<FunctionInfo> {
  // The same layer under every platform.
  const { layers } = image.manifests[0]
  const layer = layers[layers.length - 1]
  const tar = gunzipSync(image.blob(layer.digest))
  const ex = extract()
  let found: Buffer | undefined
  const done = (async () => {
    for await (const entry of ex) {
      const chunks: Buffer[] = []
      for await (const c of entry) chunks.push(c as Buffer)
      if (entry.header.name === 'app/function.json') found = Buffer.concat(chunks)
    }
  })()
  ex.end(Buffer.from(tar))
  await done
  if (!found) throw new Error(`${image.dir}: the function layer has no app/function.json; ${hint(image.name)}`)
  const info = JSON.parse(found.toString('utf8')) as FunctionInfo
  // Images from before the config was checked at build carry it as written.
  if (typeof info.config?.memoryBytes !== 'number')
    throw new Error(`${image.dir}: app/function.json predates this version of scratchfn; ${hint(image.name)}`)
  return info
}
