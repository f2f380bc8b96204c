// Runs one test snippet under Node and under the runtime's script mode, so a suite can
// check that a Web API behaves in the image as it does in Node. The snippet is bundled
// with esbuild for QuickJS (the same settings as functions) and gets one helper, `print`,
// which writes a line to stdout in both (through the core in the runtime), so the
// comparison does not depend on console formatting.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { buildWithNodeBuiltins } from '../../scripts/bundle/node-builtins-plugin.ts'
import { webResolution } from '../../scripts/bundle/resolution.ts'
import { quickjsTarget } from '../../scripts/shared/quickjs-target.ts'
import { repoRoot, runtimeBinary } from './paths.ts'

export interface ScriptRun {
  stdout: string
  stderr: string
  /** The exit code, or the signal name when it was killed. */
  code: number | string
}

export interface ScriptOptions {
  /** Extra environment for both processes. */
  env?: Record<string, string>
  /** Kill a process that runs longer (default 10 s). */
  timeoutMs?: number
}

const PRELUDE = `
const print = (...args: unknown[]) => {
  const line = args.map(String).join(' ') + '\\n'
  const core = (globalThis as any).__core
  if (core) core.write(1, line)
  else (globalThis as any).process.stdout.write(line)
}
`

/**
 * Bundles `source` (TypeScript, may import from the repo and node_modules) to a temporary
 * .js file: for the runtime as a function is bundled (node: modules from runtime/node/),
 * or for Node, where they stay Node's own (the reference).
 */
export async function bundleScript(source: string, forNode = false): Promise<{ file: string; dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'scratchfn-script-'))
  const file = join(dir, 'script.js')
  const options = {
    stdin: { contents: PRELUDE + source, loader: 'ts' as const, resolveDir: repoRoot, sourcefile: 'script.ts' },
    bundle: true,
    format: 'iife' as const,
    write: false as const,
    logLevel: 'silent' as const,
    ...quickjsTarget,
  }
  // The runtime side resolves packages and Node built-ins as scripts/bundle/bundle.ts does for functions.
  const out = forNode
    ? await build({ ...options, platform: 'node' })
    : await buildWithNodeBuiltins({ root: repoRoot }, { ...options, ...webResolution })
  writeFileSync(file, out.outputFiles[0].text)
  return { file, dispose: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Runs a command to completion without blocking this process (a test's server keeps serving). */
export function runCommand(command: string, args: string[], opts: ScriptOptions = {}): Promise<ScriptRun> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => {
      stdout += c
    })
    child.stderr.on('data', (c) => {
      stderr += c
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 10_000)
    child.on('error', (err) => {
      clearTimeout(timer)
      resolve({ stdout, stderr: stderr + String(err), code: -1 })
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ stdout, stderr, code: code ?? signal ?? -1 })
    })
  })
}

/** The runtime to test: the one `npm test` builds, unless SCRATCHFN_TEST_RUNTIME names another build. */
export const testRuntime = process.env.SCRATCHFN_TEST_RUNTIME ?? runtimeBinary

/** Runs the snippet under Node and under `scratchfn-runtime --script`, in parallel. */
export async function runBoth(source: string, opts: ScriptOptions = {}): Promise<{ node: ScriptRun; runtime: ScriptRun }> {
  const [script, nodeScript] = await Promise.all([bundleScript(source), bundleScript(source, true)])
  try {
    const [node, runtime] = await Promise.all([
      runCommand(process.execPath, [nodeScript.file], opts),
      runCommand(testRuntime, ['--script', script.file], opts),
    ])
    return { node, runtime }
  } finally {
    script.dispose()
    nodeScript.dispose()
  }
}

/** Runs the snippet under the runtime only (for behaviour Node does not share). */
export async function runInRuntime(source: string, opts: ScriptOptions = {}): Promise<ScriptRun> {
  const script = await bundleScript(source)
  try {
    return await runCommand(testRuntime, ['--script', script.file], opts)
  } finally {
    script.dispose()
  }
}
