// Calls go down the layers, callbacks come up: no cycle between the C core's object
// files (the release build, as linked) or between the TypeScript modules under scripts/
// and runtime/. The checker (test/support/dependency-graph.ts) is shown to find a cycle
// in a fixture, and to let a library call back through a pointer.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, relative } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { describeCycle, findCycles, moduleGraph, objectGraph, typescriptFiles, type Graph } from './support/dependency-graph.ts'
import { repoRoot } from './support/paths.ts'

const coreDir = join(repoRoot, 'runtime/core')
const coreObjects = join(repoRoot, '.scratchfn/runtime/obj/core')
const fixtures = join(repoRoot, 'test/fixtures/dependency-cycles')

function report(graph: Graph, name: (node: string) => string): string[] {
  return findCycles(graph).map((cycle) => describeCycle(graph, cycle, name))
}

/* Compiles the fixture's C files to objects in a temporary folder. */
function compile(dir: string): { objects: string[]; cleanup: () => void } {
  const out = mkdtempSync(join(tmpdir(), 'scratchfn-cycles-'))
  const objects = readdirSync(dir)
    .filter((f) => f.endsWith('.c'))
    .map((f) => {
      const object = join(out, f.replace(/\.c$/, '.o'))
      const cc = spawnSync('gcc', ['-c', '-O2', '-o', object, join(dir, f)], { encoding: 'utf8' })
      assert.is(cc.status, 0, `gcc -c ${f}: ${cc.stderr}`)
      return object
    })
  return { objects, cleanup: () => rmSync(out, { recursive: true, force: true }) }
}

test('the C core has no cycle between its object files (each file uses symbols only from the layers below)', () => {
  // One object per source, so a stale object of a removed file does not count.
  const sources = readdirSync(coreDir).filter((f) => f.endsWith('.c'))
  const graph = objectGraph(sources.map((f) => join(coreObjects, f.replace(/\.c$/, '.o'))))
  assert.ok(graph.size > 20, `read ${graph.size} objects from ${coreObjects}`)
  const cycles = report(graph, (o) => `runtime/core/${basename(o, '.o')}.c`)
  assert.equal(
    cycles,
    [],
    `cycles between core files (move the shared part down, or register a callback from above):\n${cycles.join('\n')}`,
  )
})

test('the HTTP connection layer and the layers below it include no engine header and hold no JS value', () => {
  const jsFree = readdirSync(coreDir).filter((f) =>
    /^(http-(parser|wire|config|request-id|access-log|pool|tick|conn)|buf|loop|log|env)\.[ch]$/.test(f),
  )
  assert.ok(jsFree.length >= 20, `found ${jsFree.length} files`)
  for (const file of jsFree) {
    // -MG lists a header it cannot find instead of failing, so the engine need not be present.
    const deps = spawnSync('gcc', ['-MM', '-MG', '-I', coreDir, '-x', 'c', join(coreDir, file)], { encoding: 'utf8' })
    assert.is(deps.status, 0, deps.stderr)
    assert.not.match(deps.stdout, /quickjs\.h/, `runtime/core/${file} includes the engine header`)
  }
})

test('TypeScript modules under scripts/ and runtime/ import without a cycle', () => {
  const files = typescriptFiles([join(repoRoot, 'scripts'), join(repoRoot, 'runtime')])
  assert.ok(files.length > 50, `read ${files.length} files`)
  const cycles = report(moduleGraph(files), (f) => relative(repoRoot, f))
  assert.equal(cycles, [], `import cycles (move the shared types or helpers into the lower module):\n${cycles.join('\n')}`)
})

test('finds the cycle between two C files that call each other by name, with the symbols', () => {
  const { objects, cleanup } = compile(join(fixtures, 'c-cycle'))
  try {
    assert.equal(
      report(objectGraph(objects), (o) => basename(o)),
      ['a.o → b.o (b_twice) → a.o (a_once)'],
    )
  } finally {
    cleanup()
  }
})

test('finds no cycle where the lower file calls the upper one back through a registered pointer', () => {
  const { objects, cleanup } = compile(join(fixtures, 'c-callback'))
  try {
    const graph = objectGraph(objects)
    assert.equal(
      report(graph, (o) => basename(o)),
      [],
    )
    const upper = objects.find((o) => o.endsWith('upper.o'))!
    assert.equal([...graph.get(upper)!.values()], [['lower_init', 'lower_run']], 'upper uses lower')
  } finally {
    cleanup()
  }
})

test('finds the cycle between two TypeScript modules, through a type import', () => {
  const files = typescriptFiles([join(fixtures, 'ts-cycle')])
  assert.equal(
    report(moduleGraph(files), (f) => basename(f)),
    ["a.ts → b.ts (imports './b.ts') → a.ts (imports './a.ts')"],
  )
})

test.run()
