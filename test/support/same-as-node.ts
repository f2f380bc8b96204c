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

/** Lines joined with newlines, each ending in one, as `print` writes them. */
export function lines(...items: string[]): string {
  return items.map((l) => `${l}\n`).join('')
}
