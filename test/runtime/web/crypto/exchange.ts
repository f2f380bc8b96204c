// Differential checks for crypto.subtle: key material made on one side is used on the
// other. A `produce` snippet makes keys, signatures, ciphertexts, ... and prints one JSON
// line (keys as JWK, bytes as hex); a `consume` snippet gets such a line as INPUT, uses it
// and prints what it found. The consume snippet must print `expected` under Node with
// Node's material, and exactly the same in the runtime with Node's material and under
// Node with the runtime's material: so a key, signature or ciphertext made by either side
// works on the other.
import * as assert from 'uvu/assert'
import { bundleScript, runCommand, testRuntime, type ScriptRun } from '../../../support/script.ts'

/** Helpers every snippet gets: hex in and out, and UTF-8 bytes. */
export const helpers = `
const hex = (b: ArrayBuffer | Uint8Array) => Array.from(new Uint8Array(b as ArrayBuffer), (x) => x.toString(16).padStart(2, '0')).join('')
const unhex = (s: string) => new Uint8Array((s.match(/../g) ?? []).map((h) => parseInt(h, 16)))
const utf8 = (s: string) => new TextEncoder().encode(s)
const subtle = crypto.subtle
const outcome = (p: Promise<unknown>) => p.then((v) => 'ok ' + (v instanceof ArrayBuffer ? hex(v) : String(v)), (e) => (e.name === 'InvalidAccessException' ? 'InvalidAccessError' : e.name) + ': ' + e.message)
`

async function run(where: 'node' | 'runtime', source: string, timeoutMs: number): Promise<ScriptRun> {
  const script = await bundleScript(helpers + source)
  try {
    return await runCommand(
      where === 'node' ? process.execPath : testRuntime,
      where === 'node' ? [script.file] : ['--script', script.file],
      {
        timeoutMs,
      },
    )
  } finally {
    script.dispose()
  }
}

function parsed(r: ScriptRun, what: string): unknown {
  if (r.code !== 0) assert.unreachable(`${what} exited ${r.code}: ${r.stderr}`)
  try {
    return JSON.parse(r.stdout)
  } catch {
    return assert.unreachable(`${what} printed no JSON line: ${r.stdout}${r.stderr}`)
  }
}

export interface ExchangeOptions {
  /** Per process (RSA key generation takes a while on a loaded machine). */
  timeoutMs?: number
}

export async function exchange(produce: string, consume: string, expected: string, opts: ExchangeOptions = {}): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 60_000
  const [fromNode, fromRuntime] = await Promise.all([run('node', produce, timeoutMs), run('runtime', produce, timeoutMs)])
  const nodeMaterial = parsed(fromNode, 'produce under Node')
  const runtimeMaterial = parsed(fromRuntime, 'produce in the runtime')
  const withInput = (material: unknown) => `const INPUT: any = ${JSON.stringify(material)}\n${consume}`
  const [reference, runtimeOnNode, nodeOnRuntime] = await Promise.all([
    run('node', withInput(nodeMaterial), timeoutMs),
    run('runtime', withInput(nodeMaterial), timeoutMs),
    run('node', withInput(runtimeMaterial), timeoutMs),
  ])
  assert.is(reference.stdout, expected, `Node on its own material (stderr: ${reference.stderr})`)
  assert.is(runtimeOnNode.stdout, expected, `the runtime on Node's material (stderr: ${runtimeOnNode.stderr})`)
  assert.is(nodeOnRuntime.stdout, expected, `Node on the runtime's material (stderr: ${nodeOnRuntime.stderr})`)
}
