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
import { rebuildWithIntl } from '../../scripts/bundle/intl-plugin.ts'
import { nodeBuiltinsBuild } from '../../scripts/bundle/node-builtins-plugin.ts'
import { webResolution } from '../../scripts/bundle/resolution.ts'
import { checkConfig } from '../../scripts/contract/function-config.ts'
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
  /** Bundle Intl as a function build does, with these config.locales (the runtime side only uses them). */
  locales?: string[]
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
export async function bundleScript(
  source: string,
  opts: Pick<ScriptOptions, 'locales'> & { forNode?: boolean } = {},
): Promise<{ file: string; dispose(): void }> {
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
  if (opts.forNode) {
    writeFileSync(file, (await build({ ...options, platform: 'node' })).outputFiles[0].text)
    return { file, dispose: () => rmSync(dir, { recursive: true, force: true }) }
  }
  // The runtime side resolves packages and Node built-ins, and adds Intl, as scripts/bundle/bundle.ts does for functions.
  const runtimeBuild = nodeBuiltinsBuild({ root: repoRoot })
  const runtimeOptions = { ...options, ...webResolution }
  let code = (await runtimeBuild(runtimeOptions)).outputFiles[0].text
  if (opts.locales) {
    // The process's TZ is not config.env.TZ: the bundle carries only the zones it names.
    const config = { ...checkConfig({ places: new Map(), relFile: 'script.ts' }), locales: opts.locales }
    const intl = await rebuildWithIntl({ options: runtimeOptions, code, config, relFile: 'script.ts', build: runtimeBuild })
    if (intl) code = intl.result.outputFiles[0].text
  }
  writeFileSync(file, code)
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
  // Node has Intl and its built-ins of its own: they stay Node's (the reference).
  const [script, nodeScript] = await Promise.all([bundleScript(source, opts), bundleScript(source, { forNode: true })])
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
  const script = await bundleScript(source, opts)
  try {
    return await runCommand(testRuntime, ['--script', script.file], opts)
  } finally {
    script.dispose()
  }
}
