// Reads a JSON file the build keeps (baselines): a file that does not parse is reported at
// the line and column where JSON.parse stopped, so an editor jumps to a bad merge.
import { readFileSync } from 'node:fs'
import { LocatedError, lineColumn, shownPath } from './located-error.ts'

export interface JsonFileOptions {
  /** Absolute or relative path of the file. */
  file: string
  /** What to do when it does not parse, e.g. 'rewrite it with `npm run cost -- --update-baseline`'. */
  hint: string
}

export function readJsonFile(options: JsonFileOptions): unknown {
  const text = readFileSync(options.file, 'utf8')
  try {
    return JSON.parse(text)
  } catch (err) {
    const message = (err as Error).message
    // Node 20 ends the message with "at position N" (0-based) when it knows the place.
    const at = /at position (\d+)/.exec(message)
    const { line, column } = at ? lineColumn(text, Number(at[1])) : { line: 1, column: 1 }
    throw new LocatedError({ file: shownPath(options.file), line, column, message: `not valid JSON (${message})`, hint: options.hint })
  }
}
