// The one error type for a problem at a place in a source file, and its one formatter.
// Every build step that blames a line throws it, and the CLI prints it unchanged, so the
// location always starts the line (`functions/x.ts:12:3: error: ...`): the shape editors,
// compilers and CI annotators (GitHub's problem matchers, GitLab's code quality) look for.
import { isAbsolute, relative } from 'node:path'

export interface SourceProblem {
  /** As the user sees it: relative to the project, e.g. 'functions/x.ts'. */
  file: string
  /** 1-based. */
  line: number
  /** 1-based, as editors count. */
  column: number
  message: string
  /** What to do about it; printed on its own indented line. */
  hint?: string
}

export class LocatedError extends Error {
  readonly problems: SourceProblem[]

  constructor(problems: SourceProblem | SourceProblem[]) {
    const list = Array.isArray(problems) ? problems : [problems]
    super(list.map(formatProblem).join('\n'))
    this.name = 'LocatedError'
    this.problems = list
  }

  /** The first problem's file, e.g. to tell which function failed. */
  get file(): string {
    return this.problems[0]?.file ?? ''
  }
}

export function formatProblem(p: SourceProblem): string {
  const head = `${p.file}:${p.line}:${p.column}: error: ${p.message}`
  return p.hint ? `${head}\n  ${p.hint.split('\n').join('\n  ')}` : head
}

/** 1-based line and column of a 0-based offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let start = 0
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++
    start = i + 1
  }
  return { line, column: offset - start + 1 }
}

/** A problem that concerns a whole file rather than a place in it. */
export function atFileStart(file: string, message: string, hint?: string): LocatedError {
  return new LocatedError({ file, line: 1, column: 1, message, ...(hint ? { hint } : {}) })
}

/** A file as the user sees it in a message: relative to the working directory when inside it. */
export function shownPath(file: string): string {
  const rel = relative(process.cwd(), file)
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file
}
