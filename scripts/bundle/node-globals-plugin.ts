// Node's globals (Buffer, setImmediate, clearImmediate) for the files of a bundle that name
// them without importing them, as Node code does (pg names Buffer in most of its files).
// Each such file gets one line in front, `var Buffer = require(<runtime/node/globals/...>).Buffer;`,
// so the module that provides it goes only where it is used. esbuild's `inject` would do
// the same for every file: then the entry imports Buffer too, and with code splitting a
// global named only inside a lazy chunk (a database driver) would be read and run at every
// start, the cost chunks exist to avoid.
//
// Which files: each one is compiled alone (esbuild's transform) with the global defined to
// a marker; `define` replaces only free references, so the marker shows exactly where the
// name is the global and not a binding of the file's own (`const { Buffer } = require('buffer')`).
// A free reference means no top-level binding of that name, so the `var` cannot clash.
import { readFile } from 'node:fs/promises'
import { dirname, extname, join } from 'node:path'
import { transform, type Loader, type Plugin } from 'esbuild'

export interface NodeGlobalsOptions {
  /** The globals to provide, by name, and the file (absolute) whose export of that name provides it. */
  provide: Record<string, string>
}

const loaders: Record<string, Loader> = {
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.jsx': 'jsx',
  '.tsx': 'tsx',
}
const marker = (name: string) => `__scratchfn_free_global_${name}`
// The prelude goes after a hashbang and a 'use strict' directive (with the comments before
// it), which only count at the very start; and on their line, so line numbers stay.
const prologue = /^(#![^\n]*\n)?((?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*(['"])use strict\3;?)?/

export function nodeGlobalsPlugin(options: NodeGlobalsOptions): Plugin {
  const own = new Set(Object.values(options.provide))
  return {
    name: 'scratchfn-node-globals',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/, namespace: 'file' }, async (args) => {
        const loader = loaders[extname(args.path)]
        if (!loader || own.has(args.path)) return undefined
        const contents = await readFile(args.path, 'utf8')
        const provided = await withNodeGlobals(contents, loader, options.provide)
        return provided === undefined ? undefined : { contents: provided, loader, resolveDir: dirname(args.path) }
      })
    },
  }
}

/**
 * The file's contents with the prelude for the globals it names free, or undefined when it
 * names none. Also for an entry given as stdin (a script's source), which no onLoad sees.
 */
export async function withNodeGlobals(contents: string, loader: Loader, provide: Record<string, string>): Promise<string | undefined> {
  const names = Object.keys(provide)
  if (!names.some((n) => contents.includes(n))) return undefined
  let code: string
  try {
    const define = Object.fromEntries(names.map((n) => [n, marker(n)]))
    code = (await transform(contents, { loader, define, logLevel: 'silent' })).code
  } catch {
    return undefined // the build itself reports the syntax error, at its place
  }
  const used = names.filter((n) => code.includes(marker(n)))
  if (used.length === 0) return undefined
  const prelude = used.map((n) => `var ${n} = require(${JSON.stringify(provide[n])}).${n};`).join(' ')
  const found = prologue.exec(contents)!
  const at = found[0].length
  // A directive may end without its ';' (`'use strict'` then a newline).
  const sep = found[2] ? ';' : ''
  return contents.slice(0, at) + sep + prelude + contents.slice(at)
}

/** The provide map for names of runtime/node/globals/ files. */
export function globalsIn(dir: string, files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([name, file]) => [name, join(dir, file)]))
}
