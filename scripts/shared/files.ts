// Writing outputs so that a failure or an interrupt never leaves half of one behind:
// a reader (podman, skopeo, `oc apply -k`, the next build) sees the old output or the
// new one, whole.
import { renameSync, rmSync, writeFileSync } from 'node:fs'

/** Writes to a temporary name beside `path`, then renames it over `path` (atomic on one filesystem). */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp`
  try {
    writeFileSync(tmp, data)
    renameSync(tmp, path)
  } catch (err) {
    rmSync(tmp, { force: true })
    throw err
  }
}

/**
 * Fills a staging folder beside `dir` (`<dir>.partial`), then swaps it in for `dir` whole.
 * On failure the staging folder is removed, `dir` is left as it was, and the error rethrown.
 */
export async function replaceDir<T>(dir: string, fill: (staging: string) => T | Promise<T>): Promise<T> {
  const staging = `${dir}.partial`
  rmSync(staging, { recursive: true, force: true })
  try {
    const result = await fill(staging)
    rmSync(dir, { recursive: true, force: true })
    renameSync(staging, dir)
    return result
  } catch (err) {
    rmSync(staging, { recursive: true, force: true })
    throw err
  }
}
