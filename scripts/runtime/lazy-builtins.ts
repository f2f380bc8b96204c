// The web layer's lazy parts: each is bundled and compiled to bytecode of its own, and
// linked into the runtime as builtins-bytecode.c. The core reads one only when the web
// layer first asks for it (core.loadBuiltin), because reading bytecode costs start-up
// time even for code that never runs: streams and URL alone are over half the web layer.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { quickjsTarget } from '../shared/quickjs-target.ts'
import { builtinsInputsFile } from './runtime-sources.ts'

/** Name (what runtime/web passes to core.loadBuiltin) -> entry file under runtime/web/builtins/. */
export const builtins = {
  streams: 'runtime/web/builtins/streams.ts',
  url: 'runtime/web/builtins/url.ts',
  subtle: 'runtime/web/builtins/subtle.ts',
  asyncContext: 'runtime/web/builtins/async-context.ts',
  otlp: 'runtime/web/builtins/otlp.ts',
  compression: 'runtime/web/builtins/compression.ts',
  'http-client': 'runtime/web/builtins/http-client.ts',
} as const

export interface BuiltinsOptions {
  root: string
  /** The runtime's output directory; builtins-bytecode.c is written there. */
  outDir: string
  qjsc: string
  log: (line: string) => void
}

/** Writes outDir/builtins-bytecode.c, touching it only when its bytes change so make relinks only then. */
export async function buildBuiltins(options: BuiltinsOptions): Promise<string> {
  const dir = join(options.outDir, 'builtins')
  mkdirSync(dir, { recursive: true })
  const parts: string[] = []
  const inputs = new Set<string>()
  let compiled = 0
  for (const [name, entry] of Object.entries(builtins)) {
    const js = join(dir, `${name}.js`)
    const c = join(dir, `${name}.c`)
    const result = await build({
      entryPoints: [join(options.root, entry)],
      bundle: true,
      // CommonJS inside a function that assigns a plain global property: a top-level
      // `var` (what an IIFE's globalName gives) would be undeletable after hand-over.
      format: 'cjs',
      banner: { js: 'globalThis.__scratchfn_builtin=(function(){var module={exports:{}},exports=module.exports;' },
      footer: { js: 'return module.exports})();' },
      minify: true,
      write: false,
      metafile: true,
      absWorkingDir: options.root,
      logLevel: 'silent',
      ...quickjsTarget,
    })
    const text = result.outputFiles[0].text
    for (const input of Object.keys(result.metafile.inputs)) inputs.add(input)
    // esbuild is fast, qjsc less so: recompile only when the bundle or the compiler changed
    // (a new engine writes another bytecode version), or the compiler's arguments.
    const args = [...BUILTIN_QJSC_ARGS, '-N', cIdentifier(name), '-o', c, `${name}.js`]
    const stamp = `${c}.args`
    if (
      !existsSync(c) ||
      !existsSync(js) ||
      !existsSync(stamp) ||
      readFileSync(js, 'utf8') !== text ||
      readFileSync(stamp, 'utf8') !== args.join(' ') ||
      statSync(c).mtimeMs < statSync(options.qjsc).mtimeMs
    ) {
      writeFileSync(js, text)
      // Run from the builtins directory so stacks name just "<name>.js".
      const qjsc = spawnSync(options.qjsc, args, { cwd: dir, encoding: 'utf8' })
      if (qjsc.status !== 0) throw new Error(`runtime: qjsc failed on ${js}:\n${qjsc.stdout}${qjsc.stderr}`)
      writeFileSync(stamp, args.join(' '))
      compiled++
    }
    parts.push(readFileSync(c, 'utf8'))
  }
  // What went in, for the SBOM (runtime-sources.ts reads it).
  writeFileSync(builtinsInputsFile(options.outDir), JSON.stringify({ inputs: [...inputs].sort() }, null, 1))
  const names = Object.keys(builtins)
  const table = [
    '#include "builtins.h"',
    'const scratchfn_builtin scratchfn_builtins[] = {',
    ...names.map((n) => `  { "${n}", ${cIdentifier(n)}, sizeof ${cIdentifier(n)} },`),
    '};',
    `const unsigned scratchfn_builtins_count = ${names.length};`,
    '',
  ].join('\n')
  const out = join(options.outDir, 'builtins-bytecode.c')
  const text = parts.join('\n') + '\n' + table
  if (!existsSync(out) || readFileSync(out, 'utf8') !== text) {
    writeFileSync(out + '.tmp', text)
    renameSync(out + '.tmp', out)
    options.log(`compiled ${compiled} lazy builtin(s): ${names.join(', ')}`)
  } else {
    rmSync(out + '.tmp', { force: true })
    options.log('lazy builtins are up to date')
  }
  return out
}

// -s, as for the web layer (build-runtime.ts): no line and column tables or file names in
// the bytecode (235 KB -> about 160 KB of the runtime); positions in a minified bundle the
// image does not ship tell a user nothing, and frames keep their function names.
const BUILTIN_QJSC_ARGS = ['-c', '-s']

/** The C array a builtin's bytecode is in: its name, with '-' (not allowed in C names) as '_'. */
function cIdentifier(name: string): string {
  return `scratchfn_builtin_${name.replace(/-/g, '_')}`
}
