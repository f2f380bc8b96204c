// One assertion for the web-layer suites: the snippet prints `expected` under Node, and
// the runtime prints exactly what Node printed and exits with the same code.
import * as assert from 'uvu/assert'
import { runBoth, type ScriptOptions } from './script.ts'

export async function sameAsNode(source: string, expected: string, opts?: ScriptOptions): Promise<void> {
  const { node, runtime } = await runBoth(source, opts)
  assert.is(node.stdout, expected, `Node printed something else (stderr: ${node.stderr})`)
  assert.is(runtime.stdout, node.stdout, `the runtime differs from Node (stderr: ${runtime.stderr})`)
  assert.is(runtime.code, node.code, `exit code (runtime stderr: ${runtime.stderr})`)
}

/**
 * For the node: module suites, whose scripts print many lines: Node runs the snippet
 * cleanly and prints something, and the runtime prints the same, line for line (the
 * first differing line is named), with the same exit code. Returns what was printed.
 */
export async function matchesNode(source: string, opts?: ScriptOptions): Promise<string> {
  const { node, runtime } = await runBoth(source, opts)
  assert.is(node.code, 0, `Node failed: ${node.stderr}`)
  assert.ok(node.stdout.length > 0, 'Node printed nothing')
  const n = node.stdout.split('\n')
  const r = runtime.stdout.split('\n')
  const at = n.findIndex((line, i) => line !== r[i])
  if (at !== -1 || n.length !== r.length)
    assert.unreachable(`line ${at + 1} differs\n  node:    ${n[at]}\n  runtime: ${r[at]}\n(runtime stderr: ${runtime.stderr})`)
  assert.is(runtime.code, node.code, `exit code (runtime stderr: ${runtime.stderr})`)
  return node.stdout
}

/** Lines joined with newlines, each ending in one, as `print` writes them. */
export function lines(...items: string[]): string {
  return items.map((l) => `${l}\n`).join('')
}
