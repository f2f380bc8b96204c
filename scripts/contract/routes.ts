// Two functions may not answer under one route: whichever the router tried first
// would silently shadow the other. Nested prefixes are fine (the longest wins).
import { normalizeRoute } from '../../runtime/shim/contract.ts'
import { LocatedError, type SourceProblem } from '../shared/located-error.ts'

export interface RoutedFile {
  /** Path relative to the project root, as messages show it. */
  relFile: string
  route: string
  /** Where `config.route` is written, when it is; the clash is reported there. */
  place?: { line: number; column: number }
}

export class RouteClashError extends LocatedError {}

/** Throws one error that names every clash and both files of each. */
export function checkRouteClashes(files: RoutedFile[]): void {
  const owner = new Map<string, string>()
  const clashes: SourceProblem[] = []
  for (const f of files) {
    const route = normalizeRoute(f.route) || '/'
    const first = owner.get(route)
    if (first === undefined) owner.set(route, f.relFile)
    else
      clashes.push({
        file: f.relFile,
        ...(f.place ?? { line: 1, column: 1 }),
        message: `route ${route} is already claimed by ${first}`,
        hint: 'give one of them another `config.route` (or rename the file)',
      })
  }
  if (clashes.length) throw new RouteClashError(clashes)
}
