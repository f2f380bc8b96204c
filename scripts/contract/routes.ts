// Two functions may not answer under one route: whichever the router tried first
// would silently shadow the other. Nested prefixes are fine (the longest wins).
import { normalizeRoute } from '../../runtime/shim/contract.ts'

export interface RoutedFile {
  /** Path relative to the project root, as messages show it. */
  relFile: string
  route: string
}

export class RouteClashError extends Error {}

/** Throws one error that names every clash and both files of each. */
export function checkRouteClashes(files: RoutedFile[]): void {
  const owner = new Map<string, string>()
  const clashes: string[] = []
  for (const f of files) {
    const route = normalizeRoute(f.route) || '/'
    const first = owner.get(route)
    if (first === undefined) owner.set(route, f.relFile)
    else
      clashes.push(
        `${f.relFile}: error: route ${route} is already claimed by ${first}; give one of them another \`config.route\` (or rename the file)`,
      )
  }
  if (clashes.length) throw new RouteClashError(clashes.join('\n'))
}
