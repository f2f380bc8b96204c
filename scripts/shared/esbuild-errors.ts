// esbuild's error messages as LocatedErrors. esbuild counts lines from 1 but columns
// from 0; editors count both from 1. Files are shown relative to the project.
import { isAbsolute, relative } from 'node:path'
import type { Message } from 'esbuild'
import { LocatedError, type SourceProblem } from './located-error.ts'

export interface EsbuildErrorOptions {
  /** The project; locations are shown relative to it. */
  root: string
  /** Blamed when esbuild names no place. */
  fallbackFile: string
  /** Adds a fix to a message, or drops esbuild's own notes (return the notes to keep). */
  hints?: (message: Message) => string[]
}

export function fromEsbuild(messages: Message[], options: EsbuildErrorOptions): LocatedError {
  const problems = messages.map((m): SourceProblem => {
    const loc = m.location
    // Entry points read from stdin carry a '?suffix' naming their role.
    const file = loc ? loc.file.replace(/\?[a-z-]+$/, '') : options.fallbackFile
    const hints = options.hints ? options.hints(m) : m.notes.map((n) => n.text).filter(Boolean)
    return {
      file: isAbsolute(file) ? relative(options.root, file) : file,
      line: loc?.line ?? 1,
      column: (loc?.column ?? 0) + 1,
      message: m.text,
      ...(hints.length ? { hint: hints.join('\n') } : {}),
    }
  })
  return new LocatedError(problems)
}

/** Rethrows a failed esbuild build as a LocatedError; other errors pass unchanged. */
export function rethrowEsbuild(err: unknown, options: EsbuildErrorOptions): never {
  const errors = (err as { errors?: Message[] }).errors
  if (Array.isArray(errors) && errors.length > 0) throw fromEsbuild(errors, options)
  throw err
}
