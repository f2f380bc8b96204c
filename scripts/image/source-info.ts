// Where the sources came from, as the image labels and tags state it: the git
// commit, its short form, and the one timestamp every image of a build uses.
// Everything here must be the same in two clones at the same commit, so it reads
// only committed facts (never the remote URL, the clock or the user).
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface SourceInfo {
  /** Full commit hash, or null outside git or before the first commit. */
  revision: string | null
  /** The tag for this commit: the first 7 hex digits (fixed, unlike `git rev-parse --short`). */
  shortRevision: string | null
  /** Seconds since 1970: SOURCE_DATE_EPOCH, else the commit time, else 0. */
  epoch: number
  /** `epoch` as ISO 8601, for `created`. */
  created: string
  /** package.json's version. */
  version: string
  /** package.json's repository URL, or '' when it names none. */
  repository: string
}

export interface SourceInfoOptions {
  root: string
  /** Overrides the environment's SOURCE_DATE_EPOCH (a string, as in the environment). */
  sourceDateEpoch?: string
}

const known = new Set(['root', 'sourceDateEpoch'])

export function sourceInfo(options: SourceInfoOptions): SourceInfo {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`sourceInfo: unknown option '${key}'`)
  const revision = git(options.root, ['rev-parse', '--verify', '-q', 'HEAD'])
  const envEpoch = options.sourceDateEpoch ?? process.env.SOURCE_DATE_EPOCH
  let epoch = 0
  if (envEpoch !== undefined && envEpoch !== '') {
    if (!/^\d+$/.test(envEpoch))
      throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970, got '${envEpoch}'; unset it to use the commit time`)
    epoch = Number(envEpoch)
  } else if (revision) {
    epoch = Number(git(options.root, ['show', '-s', '--format=%ct', revision]) ?? 0)
  }
  const pkg = readPackage(options.root)
  return {
    revision,
    shortRevision: revision ? revision.slice(0, 7) : null,
    epoch,
    created: new Date(epoch * 1000).toISOString().replace('.000Z', 'Z'),
    version: typeof pkg.version === 'string' ? pkg.version : '0.0.0',
    repository: repositoryUrl(pkg.repository),
  }
}

function git(cwd: string, args: string[]): string | null {
  try {
    const out = execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    return out || null
  } catch {
    return null // not a git checkout, no commit yet, or no git: the labels say 'unknown'
  }
}

function readPackage(root: string): Record<string, unknown> {
  const file = join(root, 'package.json')
  if (!existsSync(file)) return {}
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
}

function repositoryUrl(repo: unknown): string {
  const url = typeof repo === 'string' ? repo : typeof (repo as { url?: unknown })?.url === 'string' ? (repo as { url: string }).url : ''
  // Never put credentials into a label.
  return url.replace(/^git\+/, '').replace(/\/\/[^/@]*@/, '//')
}
