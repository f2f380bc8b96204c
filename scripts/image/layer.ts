// One image layer: a tar of a few files, gzipped, with every byte fixed by its inputs.
// Same files in, same digests out, on any machine and any day: entries are sorted,
// owners are root (0:0, no names), modes and mtime come from the caller, and the
// gzip header carries no time or file name. tar-stream writes the tar (ustar, pax
// for long names); fflate writes the gzip, because Node's bundled zlib is a fork
// whose output may change with the Node version or the CPU it runs on.
import { createHash } from 'node:crypto'
import { gzipSync } from 'fflate'
import { pack } from 'tar-stream'

export interface LayerEntry {
  /** Path inside the image, without a leading '/': 'app/app.bin'. Directories end in '/'. */
  path: string
  /** File bytes; omitted for a directory. */
  data?: Uint8Array
  /** Permission bits, e.g. 0o555. */
  mode: number
}

export interface LayerOptions {
  entries: LayerEntry[]
  /** Seconds since 1970 for every entry's mtime. */
  mtime: number
  /** gzip level (default 9): part of the digest, so it is fixed. */
  level?: number
}

export interface Layer {
  /** The uncompressed tar; its sha256 is the diff ID in the image config. */
  tar: Buffer
  /** The gzipped tar: the blob in the layout and the registry. */
  gz: Buffer
  /** 'sha256:...' of `tar`. */
  diffId: string
  /** 'sha256:...' of `gz`. */
  digest: string
}

const defaults = { level: 9 } as const
const known = new Set(['entries', 'mtime', 'level'])

export async function createLayer(options: LayerOptions): Promise<Layer> {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`createLayer: unknown option '${key}'`)
  const { entries, mtime, level } = { ...defaults, ...options }
  if (!Number.isInteger(mtime) || mtime < 0) throw new TypeError(`createLayer: mtime must be whole seconds since 1970, got ${mtime}`)
  const tar = await tarOf(entries, mtime)
  const gz = Buffer.from(gzipSync(tar, { level: level as 9, mtime: 0 }))
  return { tar, gz, diffId: sha256(tar), digest: sha256(gz) }
}

/** A deterministic tar of `entries` (sorted by path, root-owned). Also used for the docker archive. */
export async function tarOf(entries: LayerEntry[], mtime: number): Promise<Buffer> {
  const seen = new Set<string>()
  for (const e of entries) {
    if (e.path.startsWith('/') || e.path.split('/').includes('..') || e.path === '') {
      throw new TypeError(`tarOf: '${e.path}' must be a relative path inside the image, without '..'`)
    }
    if (seen.has(e.path)) throw new TypeError(`tarOf: '${e.path}' is listed twice`)
    seen.add(e.path)
  }
  // Byte order, not locale order: the same on every machine.
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  const stream = pack()
  const chunks: Buffer[] = []
  const done = (async () => {
    for await (const chunk of stream) chunks.push(chunk as Buffer)
  })()
  const date = new Date(mtime * 1000)
  for (const e of sorted) {
    const dir = e.path.endsWith('/')
    if (dir && e.data) throw new TypeError(`tarOf: '${e.path}' is a directory and cannot have data`)
    if (!dir && !e.data) throw new TypeError(`tarOf: '${e.path}' is a file and needs data`)
    await new Promise<void>((resolve, reject) => {
      const header = {
        name: e.path,
        mode: e.mode,
        uid: 0,
        gid: 0,
        uname: '',
        gname: '',
        mtime: date,
        type: dir ? ('directory' as const) : ('file' as const),
      }
      const cb = (err?: Error | null) => (err ? reject(err) : resolve())
      if (dir) stream.entry(header, cb)
      else stream.entry(header, Buffer.from(e.data!), cb)
    })
  }
  stream.finalize()
  await done
  return Buffer.concat(chunks)
}

export function sha256(data: Uint8Array): string {
  return 'sha256:' + createHash('sha256').update(data).digest('hex')
}
