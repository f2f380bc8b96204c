// Dependency graphs of the tree, and the cycles in them. The house rule: calls go down
// the layers and callbacks come up (libuv, llhttp), so no circle of files depends on
// itself. Two graphs are read:
// - C objects, from `nm`: a → b when a uses a symbol that b defines. A callback is not a
//   call: the layer above hands its own function's address down, so only it names the
//   other; the layer below calls through the pointer and names nothing.
// - TypeScript modules, from their imports (import, import type, export ... from,
//   import()). A type import counts: a type belongs to its module's layer, and a cycle
//   through one is broken by moving the type down.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import ts from 'typescript'

/** from → to → why: the symbols or the import specifiers behind each edge. */
export type Graph = Map<string, Map<string, string[]>>

function addEdge(graph: Graph, from: string, to: string, why: string): void {
  if (!graph.has(from)) graph.set(from, new Map())
  if (!graph.has(to)) graph.set(to, new Map())
  const reasons = graph.get(from)!.get(to)
  if (reasons) reasons.push(why)
  else graph.get(from)!.set(to, [why])
}

/**
 * One cycle for each strongly connected component of more than one node (or a node
 * that depends on itself), as a closed path [a, b, ..., a], in a stable order.
 */
export function findCycles(graph: Graph): string[][] {
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const components: string[][] = []
  // Recursive Tarjan: the graphs here have a few hundred nodes at most.
  const visit = (v: string): void => {
    index.set(v, counter)
    low.set(v, counter++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!))
      }
    }
    if (low.get(v) !== index.get(v)) return
    const component: string[] = []
    let w: string
    do {
      w = stack.pop()!
      onStack.delete(w)
      component.push(w)
    } while (w !== v)
    if (component.length > 1 || graph.get(v)?.has(v)) components.push(component.sort())
  }
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v)
  return components.map((component) => shortestCycle(graph, component)).sort((a, b) => a[0].localeCompare(b[0]))
}

/* The shortest closed path through the component's first node, by breadth-first search inside it. */
function shortestCycle(graph: Graph, component: string[]): string[] {
  const start = component[0]
  const inside = new Set(component)
  const previous = new Map<string, string>()
  const queue = [start]
  while (queue.length > 0) {
    const v = queue.shift()!
    for (const w of [...(graph.get(v)?.keys() ?? [])].sort()) {
      if (!inside.has(w)) continue
      if (w === start) {
        const path = [start]
        for (let u = v; u !== start; u = previous.get(u)!) path.unshift(u)
        return [start, ...path]
      }
      if (!previous.has(w)) {
        previous.set(w, v)
        queue.push(w)
      }
    }
  }
  throw new Error(`no cycle through ${start}: not a strongly connected component`)
}

/** "a.o → b.o (uses b_fn) → a.o (uses a_fn)": each step with what makes it a dependency. */
export function describeCycle(graph: Graph, cycle: string[], name: (node: string) => string = (n) => n): string {
  let out = name(cycle[0])
  for (let i = 1; i < cycle.length; i++) {
    const why = graph.get(cycle[i - 1])!.get(cycle[i])!
    out += ` → ${name(cycle[i])} (${why.slice(0, 3).join(', ')}${why.length > 3 ? ', ...' : ''})`
  }
  return out
}

/* Global symbols an object defines, and the ones it uses from elsewhere (`nm -P`: name, type, ...). */
function symbols(object: string): { defined: string[]; used: string[] } {
  const nm = spawnSync('nm', ['-P', '-g', object], { encoding: 'utf8' })
  if (nm.status !== 0) throw new Error(`nm ${object} failed: ${nm.stderr || nm.error}`)
  const defined: string[] = []
  const used: string[] = []
  for (const line of nm.stdout.split('\n')) {
    const [sym, type] = line.split(' ')
    if (!sym || !type) continue
    if (type === 'U' || type === 'w' || type === 'v') used.push(sym)
    else defined.push(sym)
  }
  return { defined, used }
}

/** a → b when object a uses a symbol object b defines; symbols from outside the set (libc, the engine) make no edge. */
export function objectGraph(objects: string[]): Graph {
  const graph: Graph = new Map(objects.map((o) => [o, new Map()]))
  const read = objects.map((o) => ({ object: o, ...symbols(o) }))
  const definedBy = new Map<string, string>()
  for (const { object, defined } of read) for (const sym of defined) definedBy.set(sym, object)
  for (const { object, used } of read) {
    for (const sym of used) {
      const to = definedBy.get(sym)
      if (to !== undefined && to !== object) addEdge(graph, object, to, sym)
    }
  }
  return graph
}

/** Every .ts file under the directories, recursively (node_modules skipped). */
export function typescriptFiles(dirs: string[]): string[] {
  const out: string[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name === 'node_modules') continue
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (name.endsWith('.ts')) out.push(path)
    }
  }
  for (const dir of dirs) walk(dir)
  return out
}

/* A relative specifier as the tree writes it (with .ts), or without an extension, or a folder's index. */
function resolveImport(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier)
  return [base, `${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p) && statSync(p).isFile())
}

/** a → b for each relative import in a that resolves to one of the files; packages and node: built-ins make no edge. */
export function moduleGraph(files: string[]): Graph {
  const known = new Set(files)
  const graph: Graph = new Map(files.map((f) => [f, new Map()]))
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue
      const to = resolveImport(file, fileName)
      if (to !== undefined && known.has(to)) addEdge(graph, file, to, `imports '${fileName}'`)
    }
  }
  return graph
}
