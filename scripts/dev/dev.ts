// `npm run dev`: every function on one port, each at its route, through the same
// Node adapter the tests use (so /healthz, /readyz, X-Request-Id and the JSON access
// lines match the image). Reads `.env`, and reloads when anything under functions/
// or `.env` changes. A reload that fails (say, two functions claim one route) is
// reported and the previous functions keep serving.
import { watch, type FSWatcher } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { serveNode, type NodeServer } from '../../runtime/shim/node.ts'
import { loadFunctions, type LoadedFunction } from './dev-load.ts'
import { applyEnvFile } from './env-file.ts'

export interface DevOptions {
  root: string
  /** Default: $PORT (after .env is read), else 8080. 0 picks a free port. */
  port?: number
  hostname?: string
  /** Relative to root. */
  envFile?: string
  watch?: boolean
  /** Wait this long after the last change before reloading, ms. */
  debounceMs?: number
  /** Banner and reload messages (default stderr; access lines still go to stdout). */
  say?: (text: string) => void
  /** Access lines (default stdout). */
  log?: (line: string) => void
}

export interface DevServer {
  port: number
  /** Loads everything again now; resolves once the new functions serve. */
  reload(reason?: string): Promise<void>
  close(): Promise<void>
}

const known = new Set(['root', 'port', 'hostname', 'envFile', 'watch', 'debounceMs', 'say', 'log'])
// How long a reload waits for in-flight requests before cutting them off.
const DRAIN_MS = 1000

export async function startDev(options: DevOptions): Promise<DevServer> {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`startDev: unknown option '${key}'`)
  const root = options.root
  const envFile = join(root, options.envFile ?? '.env')
  const say = options.say ?? ((text: string) => process.stderr.write(text + '\n'))
  const outDir = join(root, '.scratchfn/dev')
  process.setSourceMapsEnabled(true)
  await rm(outDir, { recursive: true, force: true })

  let envApplied = applyEnvFile({ file: envFile })
  const port = options.port ?? (process.env.PORT ? Number(process.env.PORT) : 8080)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port ${port} is not a TCP port; pass --port 8080`)
  const hostname = options.hostname ?? '127.0.0.1'
  let generation = 0

  // At start a failure (e.g. a route clash) stops the dev server: nothing would serve correctly.
  let loaded = await loadFunctions({ root, outDir, generation })
  let server: NodeServer = await serve(loaded.functions, port)
  const actualPort = server.port
  printBanner(loaded.functions, loaded.errors, 'started')

  function serve(functions: LoadedFunction[], onPort: number) {
    return serveNode({ functions, port: onPort, hostname, ...(options.log ? { log: options.log } : {}) })
  }

  function printBanner(functions: LoadedFunction[], errors: string[], what: string) {
    const host = hostname === '0.0.0.0' || hostname === '::' ? 'localhost' : hostname
    const base = `http://${host}:${actualPort}`
    const width = Math.max(0, ...functions.map((f) => f.route.length))
    const lines = [`scratchfn dev ${what}: ${functions.length} function${functions.length === 1 ? '' : 's'} on ${base}`]
    for (const f of [...functions].sort((a, b) => a.route.localeCompare(b.route))) {
      lines.push(`  ${base}${f.route.padEnd(width)}  ${f.relFile}`)
      if (f.nodeImports.length)
        lines.push(
          `    warning: ${f.relFile} imports ${f.nodeImports.join(', ')}; works here (on Node), but the image cannot offer them, so \`npm run build\` will fail`,
        )
    }
    lines.push(`  ${base}/healthz  ${base}/readyz`)
    for (const e of errors)
      lines.push(
        e
          .split('\n')
          .map((l) => `  ${l}`)
          .join('\n'),
      )
    const envCount = Object.keys(envApplied).length
    lines.push(
      `  env: ${relative(root, envFile)} ${envCount ? `(${envCount} variable${envCount === 1 ? '' : 's'})` : '(none read)'}; watching functions/ and ${relative(root, envFile)}`,
    )
    say(lines.join('\n'))
  }

  let queue = Promise.resolve()
  /** `fresh`: import every function again, even unchanged ones (their env may have changed). */
  function reload(reason = 'reload requested', fresh = true): Promise<void> {
    // One reload at a time, in order; a save during a reload gets its own turn after it.
    const turn = queue.then(async () => {
      const started = performance.now()
      envApplied = applyEnvFile({ file: envFile, applied: envApplied })
      let next
      try {
        next = await loadFunctions({ root, outDir, generation: generation + 1, ...(fresh ? {} : { previous: loaded }) })
      } catch (err) {
        say(`scratchfn dev: ${reason}; not reloaded, still serving the previous functions:\n${(err as Error).message}`)
        return
      }
      generation++
      const timer = setTimeout(() => server.server.closeAllConnections(), DRAIN_MS)
      await server.drain()
      clearTimeout(timer)
      server = await serve(next.functions, actualPort)
      loaded = next
      printBanner(next.functions, next.errors, `reloaded in ${Math.round(performance.now() - started)} ms (${reason})`)
    })
    // A failed reload must not block the ones after it.
    queue = turn.catch(() => {})
    return turn
  }

  const watchers: FSWatcher[] = []
  if (options.watch ?? true) {
    let timer: ReturnType<typeof setTimeout> | undefined
    let changed = new Set<string>()
    const changedFile = (file: string) => {
      changed.add(file)
      clearTimeout(timer)
      timer = setTimeout(() => {
        const files = [...changed].sort()
        changed = new Set()
        const envChanged = files.includes(relative(root, envFile))
        reload(`${files.join(', ')} changed`, envChanged).catch((err) =>
          say(`scratchfn dev: reload failed: ${(err as Error)?.stack ?? err}`),
        )
      }, options.debounceMs ?? 100)
    }
    watchers.push(
      watch(join(root, 'functions'), { recursive: true }, (_event, name) => {
        if (name && !/(^|\/)\.|~$|\.swp$/.test(String(name))) changedFile(`functions/${name}`)
      }),
    )
    // The directory, not the file: the file may not exist yet, and editors replace it on save.
    watchers.push(
      watch(root, (_event, name) => {
        if (name && join(root, String(name)) === envFile) changedFile(relative(root, envFile))
      }),
    )
  }

  return {
    port: actualPort,
    reload,
    async close() {
      for (const w of watchers) w.close()
      await queue
      const timer = setTimeout(() => server.server.closeAllConnections(), DRAIN_MS)
      await server.drain()
      clearTimeout(timer)
    },
  }
}
