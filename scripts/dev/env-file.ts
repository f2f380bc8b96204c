// `.env` for the dev server: KEY=value lines, parsed by Node's own util.parseEnv.
// A variable already set in the shell wins over the file, as with most .env tools.
// Calling it again after the file changed updates, adds and removes what the file set.
import { existsSync, readFileSync } from 'node:fs'
import { parseEnv } from 'node:util'

export interface EnvFileOptions {
  file: string
  /** Where to apply it (default process.env). */
  env?: NodeJS.ProcessEnv
  /** What the previous call applied (its return value), so stale keys can be removed. */
  applied?: Record<string, string>
}

/** Returns the variables this file set (not those the shell already had). */
export function applyEnvFile(options: EnvFileOptions): Record<string, string> {
  for (const key of Object.keys(options))
    if (!['file', 'env', 'applied'].includes(key)) throw new TypeError(`applyEnvFile: unknown option '${key}'`)
  const env = options.env ?? process.env
  const before = options.applied ?? {}
  const parsed = existsSync(options.file) ? (parseEnv(readFileSync(options.file, 'utf8')) as Record<string, string>) : {}
  const applied: Record<string, string> = {}
  for (const [key, value] of Object.entries(before)) {
    // Ours to change only if nobody else has changed it since.
    if (env[key] === value && !(key in parsed)) delete env[key]
  }
  for (const [key, value] of Object.entries(parsed)) {
    const ours = key in before && env[key] === before[key]
    if (env[key] !== undefined && !ours) continue
    env[key] = value
    applied[key] = value
  }
  return applied
}
