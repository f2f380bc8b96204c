// The contract step: reads a function file's exports without running it. Is there a
// default export, and is `export const config` valid? Every failure is a LocatedError
// (`functions/x.ts:LINE:COL: error: ...`); what passes is one checked FunctionConfig.
import { readFileSync } from 'node:fs'
import ts from 'typescript'
import { atFileStart } from '../shared/located-error.ts'
import { checkConfig, placeOf, type FunctionConfig } from './function-config.ts'
import { readConfig, type ConfigPlace } from './read-config.ts'

export interface ContractOptions {
  /** Absolute path of the function file. */
  file: string
  /** As messages show it: 'functions/x.ts'. */
  relFile: string
}

export interface ContractInfo {
  /** config.route when set. */
  route?: string
  config: FunctionConfig
  /** Where each config key was written, for errors later steps raise about it. */
  places: Map<string, ConfigPlace>
}

const known = new Set(['file', 'relFile'])

export function checkContract(options: ContractOptions): ContractInfo {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`checkContract: unknown option '${key}'`)
  const text = readFileSync(options.file, 'utf8')
  const source = ts.createSourceFile(options.file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS)
  const read = readConfig(source, options.relFile)
  const config = checkConfig({ values: read.values, places: read.places, relFile: options.relFile })
  if (!read.hasDefault) {
    throw atFileStart(options.relFile, 'no default export', 'end the file with `export default app` (a Hono app or an object with fetch)')
  }
  return { ...(config.route !== undefined ? { route: config.route } : {}), config, places: read.places }
}

/** Where a config key (a dotted path such as 'scaling.min') is written in the file, for a later step's error. */
export function configPlace(options: ContractOptions, path: string): ConfigPlace {
  try {
    const source = ts.createSourceFile(options.file, readFileSync(options.file, 'utf8'), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS)
    return placeOf(readConfig(source, options.relFile).places, path)
  } catch {
    // The file changed or went away since the build: point at its start.
  }
  return { line: 1, column: 1 }
}
