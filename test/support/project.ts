// A throwaway scratchfn project for build and image tests: a temporary folder with
// functions/ copied from fixtures, built with the real CLI (`npm run build -- --root`).
// It lives under .scratchfn/test/ inside the repository, so the functions' imports
// (hono) resolve from the repository's node_modules, and dist/ is never touched.
import { spawnSync } from 'node:child_process'
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { repoRoot } from './paths.ts'

export interface BuildRun {
  code: number
  stdout: string
  stderr: string
  /** Everything printed, for assertion messages. */
  output: string
}

export interface Project {
  root: string
  /** Writes functions/<name>.ts. */
  write(name: string, source: string): void
  /** `npm run build -- --root <root> ...args`, as a user runs it. */
  build(args?: string[], env?: Record<string, string>): BuildRun
  /** Reads a JSON file under the project. */
  json<T = any>(path: string): T
  remove(): void
}

export interface TempProjectOptions {
  /** Extra files at the project root, by relative path. */
  files?: Record<string, string>
  /** A whole functions/ folder to copy (with helper folders such as functions/_lib/). */
  functionsDir?: string
}

export function tempProject(fixtures: string[] = [], opts: TempProjectOptions = {}): Project {
  const base = join(repoRoot, '.scratchfn/test')
  mkdirSync(base, { recursive: true })
  const root = mkdtempSync(join(base, 'project-'))
  mkdirSync(join(root, 'functions'))
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'fixture', version: '0.0.1', private: true }) + '\n')
  if (opts.functionsDir) cpSync(opts.functionsDir, join(root, 'functions'), { recursive: true })
  for (const file of fixtures) copyFileSync(file, join(root, 'functions', basename(file)))
  for (const [path, text] of Object.entries(opts.files ?? {})) writeFileSync(join(root, path), text)
  return projectAt(root)
}

export function projectAt(root: string): Project {
  return {
    root,
    write(name, source) {
      writeFileSync(join(root, 'functions', `${name}.ts`), source)
    },
    build(args = [], env = {}) {
      const out = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts/cli.ts'), 'build', '--root', root, ...args], {
        cwd: repoRoot,
        encoding: 'utf8',
        maxBuffer: 64 << 20,
        timeout: 300_000,
        // A fixed time, unless the test sets its own: builds compare digests.
        env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000', ...env },
      })
      return { code: out.status ?? 1, stdout: out.stdout, stderr: out.stderr, output: `${out.stdout}\n${out.stderr}` }
    },
    json(path) {
      return JSON.parse(readFileSync(join(root, path), 'utf8'))
    },
    remove() {
      rmSync(root, { recursive: true, force: true })
    },
  }
}

export const fixture = (name: string) => join(repoRoot, 'test/fixtures/images', `${name}.ts`)
