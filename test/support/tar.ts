// Reads a tar back into its entries, so tests can check names, modes, owners and times.
import { extract } from 'tar-stream'

export interface TarEntry {
  name: string
  type: string
  mode: number
  uid: number
  gid: number
  uname: string
  gname: string
  mtime: number
  data: Buffer
}

export async function readTar(tar: Buffer): Promise<TarEntry[]> {
  const out: TarEntry[] = []
  const ex = extract()
  const done = (async () => {
    for await (const entry of ex) {
      const chunks: Buffer[] = []
      for await (const c of entry) chunks.push(c as Buffer)
      const h = entry.header
      out.push({
        name: h.name,
        type: h.type ?? 'file',
        mode: h.mode ?? 0,
        uid: h.uid ?? -1,
        gid: h.gid ?? -1,
        uname: h.uname ?? '',
        gname: h.gname ?? '',
        mtime: (h.mtime?.getTime() ?? -1) / 1000,
        data: Buffer.concat(chunks),
      })
    }
  })()
  ex.end(tar)
  await done
  return out
}
