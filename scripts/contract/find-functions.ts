// Finds the function files: every functions/*.ts is one function, named after its file.
import { existsSync, readdirSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { atFileStart } from '../shared/located-error.ts'

export interface FunctionSource {
  name: string
  /** Absolute path. */
  file: string
  /** Path relative to the project root, used in every message. */
  relFile: string
}

export const FUNCTION_NAME = /^[a-z][a-z0-9-]{0,62}$/

export interface FindOptions {
  root: string
  /** Only these names; each must exist. */
  names?: string[]
}

export function findFunctions(options: FindOptions): FunctionSource[] {
  const dir = join(options.root, 'functions')
  if (!existsSync(dir)) throw new Error(`functions/: not found in ${options.root}; create it and add one Hono app per file (see README)`)
  const all = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'))
    .sort()
    .map((f) => {
      const file = resolve(dir, f)
      return { name: f.slice(0, -3), file, relFile: relative(options.root, file) }
    })
  for (const fn of all) {
    if (!FUNCTION_NAME.test(fn.name)) {
      throw atFileStart(
        fn.relFile,
        `'${fn.name}' is not a valid function name`,
        "rename the file to lower-case letters, digits and '-' (it becomes the image and route name)",
      )
    }
  }
  if (!options.names?.length) return all
  return options.names.map((name) => {
    const fn = all.find((f) => f.name === name)
    if (!fn)
      throw new Error(`no function named '${name}': expected functions/${name}.ts (have: ${all.map((f) => f.name).join(', ') || 'none'})`)
    return fn
  })
}
