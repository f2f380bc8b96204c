// Loads every function for the dev server: checks its contract, bundles it with
// esbuild for Node (npm packages left external, its own files inlined) into a fresh
// file per generation, and imports that. A fresh file means a fresh module graph,
// so an edit to a helper under functions/ reloads as surely as one to the function.
// A function whose bundle did not change keeps its loaded module, and with it its
// state (the machines kept in memory survive an edit to another function).
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build, type Message } from 'esbuild'
import { normalizeRoute, resolveApp, type FetchApp, type FunctionModule } from '../../runtime/shim/contract.ts'
import { checkContract } from '../contract/check-contract.ts'
import { findFunctions } from '../contract/find-functions.ts'
import { checkRouteClashes } from '../contract/routes.ts'
import { fromEsbuild } from '../shared/esbuild-errors.ts'
import { refusedInImage } from '../shared/node-builtins.ts'
import { formatProblem, LocatedError } from '../shared/located-error.ts'

export interface DevLoadOptions {
  root: string
  /** Bundles go to <outDir>/<generation>/<name>.mjs. */
  outDir: string
  generation: number
  /** The previous load; unchanged bundles are reused from it. */
  previous?: DevLoadResult
}

export interface LoadedFunction {
  name: string
  relFile: string
  route: string
  app: FetchApp
  /** Node built-ins it imports that the image build refuses (fs, http, ...): fine here, not there. */
  nodeImports: string[]
  /** The bundle's text, to tell whether the next load changed it. */
  js: string
}

export interface DevLoadResult {
  functions: LoadedFunction[]
  /** One message per function that could not be loaded; the others still load. */
  errors: string[]
}

const known = new Set(['root', 'outDir', 'generation', 'previous'])

/** Throws RouteClashError when two functions claim one route: nothing is loaded then. */
export async function loadFunctions(options: DevLoadOptions): Promise<DevLoadResult> {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`loadFunctions: unknown option '${key}'`)
  const fns = findFunctions({ root: options.root })
  const errors: string[] = []
  const checked = fns.flatMap((fn) => {
    try {
      const contract = checkContract({ file: fn.file, relFile: fn.relFile })
      const place = contract.places.get('route')
      return [{ ...fn, route: normalizeRoute(contract.route ?? `/${fn.name}`) || '/', ...(place ? { place } : {}) }]
    } catch (err) {
      errors.push(
        err instanceof LocatedError
          ? err.message
          : formatProblem({ file: fn.relFile, line: 1, column: 1, message: (err as Error).message }),
      )
      return []
    }
  })
  checkRouteClashes(checked)
  const loaded = await Promise.all(
    checked.map(async (fn): Promise<LoadedFunction | null> => {
      const outFile = join(options.outDir, String(options.generation), `${fn.name}.mjs`)
      try {
        const result = await build({
          entryPoints: [fn.file],
          absWorkingDir: options.root,
          bundle: true,
          platform: 'node',
          format: 'esm',
          target: 'node20',
          packages: 'external',
          sourcemap: 'inline',
          metafile: true,
          outfile: outFile,
          write: false,
          logLevel: 'silent',
        })
        const js = result.outputFiles[0].text
        const same = options.previous?.functions.find((f) => f.name === fn.name && f.js === js && f.route === fn.route)
        if (same) return same
        const nodeImports = Object.values(result.metafile.inputs).flatMap((input) =>
          input.imports.filter((i) => i.external && refusedInImage(i.path)).map((i) => i.path),
        )
        mkdirSync(dirname(outFile), { recursive: true })
        writeFileSync(outFile, js)
        const mod = (await import(pathToFileURL(outFile).href)) as FunctionModule
        return {
          name: fn.name,
          relFile: fn.relFile,
          route: fn.route,
          app: resolveApp(mod, fn.relFile),
          nodeImports: [...new Set(nodeImports)],
          js,
        }
      } catch (err) {
        const messages = (err as { errors?: Message[] }).errors
        errors.push(
          messages
            ? fromEsbuild(messages, { root: options.root, fallbackFile: fn.relFile }).message
            : formatProblem({ file: fn.relFile, line: 1, column: 1, message: String((err as Error)?.stack ?? err) }),
        )
        return null
      }
    }),
  )
  return { functions: loaded.filter((f) => f !== null), errors }
}
