// The Go + chi anchor (bench/anchors/go/main.go): built with Debian's golang-go against
// Debian's chi (golang-github-go-chi-chi-dev), offline and static, as it would go into a
// FROM-scratch image. Rebuilt only when main.go or go.mod is newer than the binary.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ensureSystemPackages } from '../../scripts/shared/system-packages.ts'
import type { Anchor } from './anchor.ts'

export interface GoAnchorOptions {
  root: string
  /** Where the binary and Go's caches go (under .scratchfn/). */
  outDir?: string
  log?: (line: string) => void
}

const known = new Set(['root', 'outDir', 'log'])

export function prepareGoAnchor(options: GoAnchorOptions): Anchor {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`go anchor: unknown option '${key}'`)
  const o = { outDir: join(options.root, '.scratchfn/bench/go'), log: (line: string) => console.error(line), ...options }
  ensureSystemPackages({
    who: 'bench: go anchor',
    log: o.log,
    packages: [{ command: 'go', package: 'golang-go' }, { package: 'golang-github-go-chi-chi-dev' }],
  })
  const source = join(o.root, 'bench/anchors/go')
  const binary = join(o.outDir, 'accounts-go')
  const newest = Math.max(...['main.go', 'go.mod'].map((f) => statSync(join(source, f)).mtimeMs))
  if (!existsSync(binary) || statSync(binary).mtimeMs < newest) {
    mkdirSync(o.outDir, { recursive: true })
    o.log(`bench: go anchor: go build ${binary}`)
    const built = spawnSync('go', ['build', '-trimpath', '-buildvcs=false', '-ldflags=-s -w', '-o', binary, '.'], {
      cwd: source,
      encoding: 'utf8',
      env: {
        ...process.env,
        CGO_ENABLED: '0',
        // Nothing from the Go proxy: chi comes from go.mod's replace (Debian's tree), and
        // -mod=readonly keeps go from rewriting go.mod or writing a go.sum.
        GOPROXY: 'off',
        GOFLAGS: '-mod=readonly',
        GOCACHE: join(o.outDir, 'cache'),
        GOPATH: join(o.outDir, 'path'),
      },
    })
    if (built.status !== 0) {
      throw new Error(
        `bench: go anchor: go build in ${source} failed:\n${built.stderr}\n` +
          "it builds against Debian's chi in /usr/share/gocode (go.mod's replace); check that golang-github-go-chi-chi-dev is installed",
      )
    }
  }
  const version = spawnSync('go', ['version'], { encoding: 'utf8' }).stdout.trim().split(' ')[2] ?? 'go'
  const chi = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'golang-github-go-chi-chi-dev'], { encoding: 'utf8' }).stdout.trim()
  return {
    label: `${version} + chi ${chi}`,
    target: { label: 'go', command: binary, args: [], env: {} },
    bytes: statSync(binary).size,
    callgrind: {
      // Go preempts goroutines with signals, which valgrind delivers late enough to stall the
      // scheduler; GOMAXPROCS=1 matches the one core the bench pins it to.
      env: { GODEBUG: 'asyncpreemptoff=1', GOMAXPROCS: '1' },
      // Callgrind aborts in Go's SIGTERM handler, so the run ends with SIGKILL, uncounted.
      end: 'kill',
    },
  }
}
