// The esbuild side of Node built-ins in a function bundle:
// - `node:X` and bare core names resolve to runtime/node/X.ts (a core name wins over
//   node_modules, as in Node), so a function carries only the modules it imports;
// - require() of one gets the module's default export, which is what Node's
//   module.exports is (require('events') is EventEmitter itself);
// - Buffer, setImmediate and clearImmediate, used by libraries without importing, come
//   in a second build, made only when the first one shows (by a `define` marker) that
//   the bundle names one of them, into just the files that name them
//   (node-globals-plugin.ts): a function that uses no Node global stays byte for byte
//   what it was, and one whose lazy chunk does keeps them out of its entry. `global` is
//   globalThis; `process` is the runtime's own global (runtime/web/process.ts);
// - a built-in the image cannot offer fails the build at the user's own import that
//   leads to it, naming the chain of files down to the import itself. A require() inside
//   a try block is left to fail when it runs, as esbuild leaves unresolvable ones: that
//   is how packages probe for Node (`try { require('fs') } catch {}`).
import { readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { build, type BuildOptions, type BuildResult, type Metafile, type OutputFile, type PartialMessage, type Plugin } from 'esbuild'
import { lineColumn } from '../shared/located-error.ts'
import { builtinName, notYetBuiltins, providedBuiltins, refusal, requireEntries } from '../shared/node-builtins.ts'
import { globalsIn, nodeGlobalsPlugin, withNodeGlobals } from './node-globals-plugin.ts'
import { socketsPlugin } from './sockets-plugin.ts'

export const runtimeNodeDir = resolve(import.meta.dirname, '../../runtime/node')

const SKIP = 'scratchfn-node-builtins-skip'

// The packages runtime/node/ is built on import browser stand-ins for what the runtime
// has natively, by names that are not core names: they get ours. By importing package.
const standIns: Record<string, Record<string, string>> = {
  'readable-stream': {
    'process/': 'process.ts',
    'abort-controller': 'internal/abort-controller.ts',
    'string_decoder/': 'string_decoder.ts',
  },
  url: { qs: 'internal/qs-for-url.ts', 'punycode/': 'internal/punycode.ts' },
  // pg's optional files (~/.pgpass, sslcert paths in a URL): none in an image, so ENOENT.
  pgpass: { fs: 'internal/no-fs.ts' },
  'pg-connection-string': { fs: 'internal/no-fs.ts' },
  // ioredis reads a file only for a TLS option given as a path.
  ioredis: { fs: 'internal/no-fs.ts' },
  // pg's socket without readable-stream (internal/pg-stream.ts says why), and only the
  // parts of net (isIP), util (deprecate), dns (lookup) and crypto (md5, webcrypto) that pg calls: with these a
  // function on PostgreSQL stays under 1.5 MB and starts faster.
  pg: {
    './stream': 'internal/pg-stream.ts',
    './stream.js': 'internal/pg-stream.ts',
    net: 'internal/ip.ts',
    util: 'internal/deprecate.ts',
    dns: 'internal/lookup.ts',
    crypto: 'internal/pg-crypto.ts',
    pgpass: 'internal/pgpass-none.ts',
  },
}
/** Stand-ins whose default export is what require() returns (module.exports is a function). */
const requireDefault = new Set(['internal/pgpass-none.ts'])
const standInImporter = /[\\/]node_modules[\\/](readable-stream|url|pgpass|pg-connection-string|ioredis|pg)[\\/]/

// Every name esbuild should hand us: node:anything, the bare core names, the stand-ins.
const names = [...builtinModules, ...Object.values(standIns).flatMap((m) => Object.keys(m))]
const filter = new RegExp(`^(node:.*|${names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`)

export interface NodeBuiltinsOptions {
  /** The project: files in messages are shown relative to it. */
  root: string
}

/** The Node globals a bundle may name without importing them, by the file (in runtime/node/) that exports each. */
const injectable: Record<string, string> = {
  Buffer: 'globals/buffer.ts',
  setImmediate: 'globals/immediate.ts',
  clearImmediate: 'globals/immediate.ts',
}
const marker = (name: string) => `__scratchfn_node_global_${name}`

/** What a function bundle adds to its esbuild options for Node built-ins: the plugin, `global`, and markers for the injectable globals. */
export function nodeBuiltins(options: NodeBuiltinsOptions): Pick<BuildOptions, 'plugins' | 'define'> {
  const define: Record<string, string> = { global: 'globalThis' }
  for (const name of Object.keys(injectable)) define[name] = marker(name)
  return { plugins: [nodeBuiltinsPlugin(options), socketsPlugin()], define }
}

/** buildWithNodeBuiltins for one project, in the shape of esbuild's build(). */
export function nodeBuiltinsBuild(node: NodeBuiltinsOptions): (options: BuildOptions) => Promise<Built> {
  return (options) => buildWithNodeBuiltins(node, options)
}

type Built = BuildResult & { outputFiles: OutputFile[]; metafile: Metafile }

/**
 * esbuild's build() with Node built-ins (options must have write: false): when the output
 * names Buffer, setImmediate or clearImmediate, builds again with them provided.
 */
export async function buildWithNodeBuiltins(node: NodeBuiltinsOptions, options: BuildOptions): Promise<Built> {
  if (options.write !== false) throw new TypeError('buildWithNodeBuiltins: needs write: false, to read the output')
  const extra = nodeBuiltins(node)
  const plugins = [...(options.plugins ?? []), ...extra.plugins!]
  const first = (await build({ ...options, plugins, define: { ...options.define, ...extra.define } })) as Built
  // The code only, not the source maps beside it (their names are the sources').
  const text = first.outputFiles
    .filter((f) => !f.path.endsWith('.map'))
    .map((f) => f.text)
    .join('\n')
  const used = Object.keys(injectable).filter((name) => text.includes(marker(name)))
  if (used.length === 0) return first
  const provide = globalsIn(runtimeNodeDir, Object.fromEntries(used.map((name) => [name, injectable[name]])))
  const define = { ...options.define, global: 'globalThis' }
  const stdin = options.stdin?.contents
  const entry = typeof stdin === 'string' ? await withNodeGlobals(stdin, options.stdin!.loader ?? 'js', provide) : undefined
  // Last, so files another plugin loads (patched ones) keep their own contents.
  return (await build({
    ...options,
    ...(entry !== undefined ? { stdin: { ...options.stdin, contents: entry } } : {}),
    plugins: [...plugins, nodeGlobalsPlugin({ provide })],
    define,
  })) as Built
}

export function nodeBuiltinsPlugin(options: NodeBuiltinsOptions): Plugin {
  return {
    name: 'scratchfn-node-builtins',
    setup(build) {
      // The chain to a refused import is read from the metafile once the graph is known.
      build.initialOptions.metafile = true
      build.onResolve({ filter }, async (args) => {
        if (args.pluginData?.[SKIP]) return undefined
        const standIn = standIns[standInImporter.exec(args.importer)?.[1] ?? '']?.[args.path]
        if (standIn) {
          const path = join(runtimeNodeDir, standIn)
          return args.kind === 'require-call' && requireDefault.has(standIn) ? { path, namespace: 'node-cjs' } : { path }
        }
        const name = builtinName(args.path)
        if (name === null) return undefined
        const file = providedBuiltins[name]
        if (file) {
          if (args.kind === 'require-call') return { path: join(runtimeNodeDir, requireEntries[name] ?? file), namespace: 'node-cjs' }
          return { path: join(runtimeNodeDir, file) }
        }
        // A package may map the built-in away for browsers (its `browser` field, e.g. to
        // false): it then works without it, so let esbuild's own resolution decide.
        if (!args.path.startsWith('node:')) {
          const found = await build.resolve(args.path, {
            kind: args.kind,
            importer: args.importer,
            resolveDir: args.resolveDir,
            pluginData: { [SKIP]: true },
          })
          if (found.errors.length === 0 && !found.external && found.path) return { path: found.path, namespace: found.namespace }
        }
        return { path: name, namespace: 'node-refused' }
      })
      build.onLoad({ filter: /.*/, namespace: 'node-cjs' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)}).default`,
        resolveDir: runtimeNodeDir,
        loader: 'js',
      }))
      build.onLoad({ filter: /.*/, namespace: 'node-refused' }, (args) => ({
        contents: `throw Object.assign(new Error(${JSON.stringify(`Cannot find module '${args.path}': it is a Node built-in that scratchfn does not provide`)}), { code: 'MODULE_NOT_FOUND' })`,
        loader: 'js',
      }))
      build.onEnd((result) => {
        if (!result.metafile) return
        const errors = refusedImports(result.metafile, options.root)
        if (errors.length > 0) return { errors }
      })
    },
  }
}

interface Edge {
  from: string
  /** The specifier as written in `from`. */
  specifier: string
  kind?: string
}

/** One error per refused built-in and file importing it, located at the user's own import. */
function refusedImports(metafile: Metafile, root: string): PartialMessage[] {
  const parents = new Map<string, Edge[]>()
  for (const [from, input] of Object.entries(metafile.inputs)) {
    for (const imp of input.imports) {
      const list = parents.get(imp.path) ?? []
      list.push({ from, specifier: imp.original ?? imp.path, kind: imp.kind })
      parents.set(imp.path, list)
    }
  }
  const messages: PartialMessage[] = []
  for (const target of parents.keys()) {
    if (!target.startsWith('node-refused:')) continue
    const name = target.slice('node-refused:'.length)
    for (const edge of parents.get(target)!) {
      if (edge.kind === 'require-call' && insideTry(join(root, edge.from), edge.specifier)) continue
      const chain = [...chainTo(edge.from, parents), edge]
      messages.push(refusalMessage(name, chain, root))
    }
  }
  return messages
}

/** The shortest chain of imports from an entry point down to `file`. */
function chainTo(file: string, parents: Map<string, Edge[]>): Edge[] {
  // Breadth-first up the importers; `next` remembers the step back down from each.
  const next = new Map<string, { child: string; edge: Edge }>()
  const seen = new Set([file])
  const queue = [file]
  let top = file
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i]
    const up = parents.get(at)
    if (!up || up.length === 0) {
      top = at
      break
    }
    for (const edge of up) {
      if (seen.has(edge.from)) continue
      seen.add(edge.from)
      next.set(edge.from, { child: at, edge })
      queue.push(edge.from)
    }
  }
  const chain: Edge[] = []
  for (let at = top; at !== file;) {
    const step = next.get(at)
    if (!step) break
    chain.push(step.edge)
    at = step.child
  }
  return chain
}

function refusalMessage(name: string, chain: Edge[], root: string): PartialMessage {
  const shown = (file: string) => {
    const plain = file.replace(/\?[a-z-]+$/, '')
    return isAbsolute(plain) ? relative(root, plain) : plain
  }
  // Blame the last file of the user's own (outside node_modules): that import is theirs to change.
  const hops = chain.filter((e) => !e.from.endsWith('?entry'))
  const own = [...hops].reverse().find((e) => !/(^|[\\/])node_modules[\\/]/.test(e.from)) ?? hops[0] ?? chain[chain.length - 1]
  const site = (edge: Edge) => locate(join(root, shown(edge.from)), edge.specifier)
  const last = chain[chain.length - 1]
  const lastSite = site(last)
  const path = [...hops.map((e) => shown(e.from)), `"${name}"`]
  path[path.length - 2] += lastSite ? `:${lastSite.line}:${lastSite.column}` : ''
  const what =
    notYetBuiltins[name] !== undefined
      ? 'a Node built-in module that scratchfn does not provide yet'
      : 'a Node built-in module that the image cannot offer'
  const ownSite = site(own)
  return {
    text: `"${name}" is ${what}; it is not a missing npm package, so installing one will not help`,
    location: { file: shown(own.from), line: ownSite?.line ?? 1, column: (ownSite?.column ?? 1) - 1, lineText: ownSite?.lineText ?? '' },
    notes: [{ text: `imported through ${path.join(' → ')}` }, { text: `instead: ${refusal(name)}` }],
  }
}

/** Whether the file's require(specifier) sits in a try block (braces counted, strings and comments not told apart). */
function insideTry(file: string, specifier: string): boolean {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return false
  }
  const at = text.search(new RegExp(`require\\(\\s*['"\`]${specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}['"\`]\\s*\\)`))
  if (at === -1) return false
  let depth = 0
  for (let i = at - 1; i >= 0; i--) {
    const c = text[i]
    if (c === '}') depth++
    else if (c === '{') {
      if (depth > 0) depth--
      else if (/\btry\s*$/.test(text.slice(Math.max(0, i - 10), i))) return true
    }
  }
  return false
}

/** Where `specifier` is written, quoted, in the file. */
function locate(file: string, specifier: string): { line: number; column: number; lineText: string } | null {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return null
  }
  for (const quote of ["'", '"', '`']) {
    const at = text.indexOf(quote + specifier + quote)
    if (at === -1) continue
    const { line, column } = lineColumn(text, at)
    return { line, column, lineText: text.split('\n')[line - 1] ?? '' }
  }
  return null
}
