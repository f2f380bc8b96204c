// Reads back an image that `npm run build` wrote to dist/images/<name>/: the manifest
// its index points at, the blobs it names (each checked against its digest and size, so
// a damaged layout is never pushed), its tags, and the function.json in its function
// layer. Push and deploy both start here, so they see exactly what the build made.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'fflate'
import { extract } from 'tar-stream'
import type { FunctionInfo } from './image-spec.ts'
import type { Descriptor } from './oci-layout.ts'

export interface LocalImage {
  name: string
  dir: string
  manifest: Descriptor & { bytes: Buffer }
  config: Descriptor
  /** Base first: the runtime layer, then the function layer. */
  layers: Descriptor[]
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
  const index = JSON.parse(readFileSync(indexFile, 'utf8')) as { manifests?: Array<Descriptor> }
  const entries = index.manifests ?? []
  if (entries.length === 0) throw new Error(`${indexFile}: names no manifest; ${hint(name)}`)
  const digests = new Set(entries.map((m) => m.digest))
  if (digests.size !== 1)
    throw new Error(`${indexFile}: names ${digests.size} different manifests; scratchfn writes one per image; ${hint(name)}`)
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
  const entry = entries[0]
  const bytes = blob(entry.digest)
  if (bytes.length !== entry.size)
    throw new Error(`${indexFile}: manifest size ${entry.size} does not match its ${bytes.length} bytes; ${hint(name)}`)
  const manifest = JSON.parse(bytes.toString('utf8')) as { mediaType?: string; config: Descriptor; layers: Descriptor[] }
  for (const d of [manifest.config, ...manifest.layers]) {
    const size = blob(d.digest).length
    if (size !== d.size) throw new Error(`${dir}: blob ${d.digest} is ${size} bytes, the manifest says ${d.size}; ${hint(name)}`)
  }
  return {
    name,
    dir,
    tags,
    blob,
    manifest: { mediaType: manifest.mediaType ?? entry.mediaType, digest: entry.digest, size: entry.size, bytes },
    config: manifest.config,
    layers: manifest.layers,
  }
}

/** app/function.json from the function layer (the last one): name, route, config, revision. */
export async function readFunctionInfo(image: LocalImage): Promise<FunctionInfo> {
  const layer = image.layers[image.layers.length - 1]
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
