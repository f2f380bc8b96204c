// Our own small patches to a fetched third-party source tree (runtime/patches/), applied at
// build time with Debian's `patch`. The pristine tree in the cache is never touched: each
// set of patches gets its own copy, keyed by the pristine tree and the patches' bytes, so a
// changed patch makes a new tree (and so a new ENGINE_DIR, which rebuilds every object) and
// an unchanged one is reused without running anything.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { basename, join, relative, resolve } from 'node:path'
import { ensureSystemPackages } from '../shared/system-packages.ts'

export interface PatchSourceOptions {
  /** The pristine tree (as fetchDebianSource returns it). */
  tree: string
  /** Patch files, relative to the repository root, applied in order with `patch -p1`. */
  patches: string[]
  /** Names the source in errors, e.g. 'QuickJS 2025-04-26 (Debian quickjs 2025.04.26-1)'. */
  what: string
  /** Where patched trees live. */
  cacheDir?: string
  /** The repository root the patch paths are relative to. */
  root?: string
  log?: (line: string) => void
}

const repoRoot = resolve(import.meta.dirname, '../..')
const defaults = {
  cacheDir: join(repoRoot, '.scratchfn/sources/patched'),
  root: repoRoot,
  log: (line: string) => console.log(`runtime: ${line}`),
}
const required = ['tree', 'patches', 'what'] as const

/** Returns the patched copy of `tree` (the same top directory name), making it once per set of patches. */
export function patchSource(options: PatchSourceOptions): string {
  const unknown = Object.keys(options).filter((k) => !(k in defaults) && !(required as readonly string[]).includes(k))
  if (unknown.length > 0) throw new TypeError(`patchSource: unknown option ${unknown.map((k) => `'${k}'`).join(', ')}`)
  const o = { ...defaults, ...options }
  if (o.patches.length === 0) return o.tree
  const texts = o.patches.map((p) => {
    const file = join(o.root, p)
    if (!existsSync(file)) throw new Error(`runtime: the patch ${p} is missing (named in scripts/runtime/engine-source.ts)`)
    return readFileSync(file)
  })
  const hash = createHash('sha256').update(o.tree)
  for (const [i, text] of texts.entries()) hash.update(`\0${o.patches[i]}\0`).update(text)
  // One folder per pristine tree; in it one tree per set of patches.
  const family = join(o.cacheDir, basename(resolve(o.tree, '..')))
  const key = hash.digest('hex').slice(0, 16)
  const dest = join(family, key)
  const patched = join(dest, basename(o.tree))
  if (existsSync(patched)) return patched

  ensureSystemPackages({ packages: [{ command: 'patch', package: 'patch' }], who: 'runtime', log: o.log })
  const partial = `${dest}.partial-${process.pid}`
  rmSync(partial, { recursive: true, force: true })
  mkdirSync(partial, { recursive: true })
  try {
    const work = join(partial, basename(o.tree))
    cpSync(o.tree, work, { recursive: true })
    for (const [i, p] of o.patches.entries()) {
      o.log(`applying ${p} to ${o.what}`)
      // No fuzz: a hunk whose context moved in a new release must be looked at, not guessed.
      // No backups or reject files: a failed tree is thrown away whole.
      const run = spawnSync(
        'patch',
        ['-p1', '--batch', '--forward', '--fuzz=0', '--no-backup-if-mismatch', '--reject-file=-', '-d', work],
        {
          input: texts[i],
          encoding: 'utf8',
          env: { ...process.env, LC_ALL: 'C' },
        },
      )
      if (run.error) throw new Error(`runtime: could not run patch for ${p}: ${run.error.message}`)
      if (run.status !== 0) {
        throw new Error(
          `runtime: ${p} does not apply to ${o.what}:\n${`${run.stdout}${run.stderr}`.trim()}\n` +
            `Update the patch for this engine version (make it against the new source with diff -u), or drop it from scripts/runtime/engine-source.ts.`,
        )
      }
    }
    try {
      renameSync(partial, dest)
    } catch (err) {
      // Another build made the same tree first; its copy is as good.
      if (!existsSync(patched)) throw err
    }
  } finally {
    rmSync(partial, { recursive: true, force: true })
  }
  // Trees made from earlier versions of the patches are not used again.
  for (const old of readdirSync(family)) {
    if (old !== key && !old.includes('.partial-')) rmSync(join(family, old), { recursive: true, force: true })
  }
  o.log(`patched ${o.what} into ${relative(o.root, patched) || patched}`)
  return patched
}
