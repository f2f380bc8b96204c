// The global `process`: the part of Node's that a function and its libraries use
// without importing anything (env, nextTick, hrtime, version, platform, exit and
// exitCode, emitWarning, and 'exit' / 'SIGTERM' / 'SIGINT' listeners). It lives in the
// runtime, not in the function's bundle like the node: modules, because most functions
// read `process.env`: a bundled process would grow every one of them. `node:process`
// exports this same object.
//
// process.release is left out on purpose: Hono and other libraries take
// `release.name === 'node'` to mean they may load Node's servers and sockets.
import { startHr as startedAt } from './clock-origin.ts'
import { core } from './core.ts'
import { queueMicrotask } from './timers.ts'

type Listener = (...args: unknown[]) => void

// Node's version whose API the node: modules follow, so version checks in libraries pass.
const NODE_VERSION = '20.0.0'
const listeners: Record<string, Listener[]> = Object.create(null)
let exiting = false

function listen(event: string, fn: Listener, once: boolean, prepend: boolean): object {
  if (typeof fn !== 'function') throw new TypeError(`The "listener" argument must be of type function. Received type ${typeof fn}`)
  const list = (listeners[event] ??= [])
  const entry = once ? onceWrapper(event, fn) : fn
  if (prepend) list.unshift(entry)
  else list.push(entry)
  return process
}

function onceWrapper(event: string, fn: Listener): Listener {
  const wrapped: Listener & { listener?: Listener } = (...args) => {
    process.removeListener(event, wrapped)
    fn.apply(process, args)
  }
  wrapped.listener = fn
  return wrapped
}

function emit(event: string, ...args: unknown[]): boolean {
  const list = listeners[event]
  if (!list || list.length === 0) return false
  for (const fn of list.slice()) fn.apply(process, args)
  return true
}

/** Emits 'exit' once with the code to exit with; listeners may still change exitCode. */
function runExit(code: number): number {
  if (exiting) return code
  exiting = true
  process.exitCode = code
  emit('exit', code)
  return Number(process.exitCode) | 0
}

core.onExit((code) => runExit(process.exitCode === undefined ? code : Number(process.exitCode) | 0))
core.onSignal((signal) => emit(signal, signal))

function hrtime(previous?: [number, number]): [number, number] {
  const ns = core.hrtime() * 1e6
  let sec = Math.floor(ns / 1e9)
  let nsec = Math.floor(ns - sec * 1e9)
  if (previous) {
    sec -= previous[0]
    nsec -= previous[1]
    if (nsec < 0) {
      sec--
      nsec += 1e9
    }
  }
  return [sec, nsec]
}
hrtime.bigint = (): bigint => BigInt(Math.round(core.hrtime() * 1e6))

const writer = (fd: number) => ({
  fd,
  isTTY: false,
  write(chunk: string | Uint8Array, encoding?: unknown, cb?: () => void): boolean {
    core.write(fd, chunk)
    const done = typeof encoding === 'function' ? encoding : cb
    if (typeof done === 'function') queueMicrotask(done as () => void)
    return true
  },
})

export const process = {
  title: 'scratchfn-runtime',
  version: `v${NODE_VERSION}`,
  versions: { node: NODE_VERSION, ...core.versions } as Record<string, string>,
  platform: 'linux',
  arch: 'x64',
  pid: core.pid,
  ppid: 0,
  execPath: '/scratchfn-runtime',
  argv: ['/scratchfn-runtime', '/app/app.bin', ...core.argv],
  execArgv: [] as string[],
  argv0: 'scratchfn-runtime',
  /** A copy of the environment at start; functions may change it, as on Node. */
  env: Object.assign({}, core.env) as Record<string, string | undefined>,
  exitCode: undefined as number | string | undefined,
  stdout: writer(1),
  stderr: writer(2),
  /** Runs after the current job, with other microtasks (Node runs it just before them). */
  nextTick(callback: (...args: unknown[]) => void, ...args: unknown[]): void {
    if (typeof callback !== 'function') throw new TypeError('The "callback" argument must be of type function')
    queueMicrotask(() => callback(...args))
  },
  exit(code?: number | string): never {
    const final = runExit(code === undefined ? (process.exitCode === undefined ? 0 : Number(process.exitCode) | 0) : Number(code) | 0)
    return core.exit(final)
  },
  cwd: (): string => '/',
  uptime: (): number => (core.hrtime() - startedAt) / 1000,
  hrtime,
  memoryUsage: Object.assign(
    () => {
      const [rss, heapTotal, heapUsed] = core.memoryUsage()
      return { rss, heapTotal, heapUsed, external: 0, arrayBuffers: 0 }
    },
    { rss: () => core.memoryUsage()[0] },
  ),
  emitWarning(warning: string | Error, type?: string | { type?: string; code?: string }, code?: string): void {
    const options = typeof type === 'object' && type !== null ? type : { type, code }
    const err =
      typeof warning === 'string'
        ? Object.assign(new Error(warning), { name: options.type || 'Warning', ...(options.code ? { code: options.code } : {}) })
        : warning
    queueMicrotask(() => {
      if (emit('warning', err)) return
      const prefix = (err as Error & { code?: string }).code ? `[${(err as Error & { code?: string }).code}] ` : ''
      core.write(2, `(node:${core.pid}) ${prefix}${err.name}: ${err.message}\n`)
    })
  },
  on: (event: string, fn: Listener) => listen(event, fn, false, false),
  addListener: (event: string, fn: Listener) => listen(event, fn, false, false),
  once: (event: string, fn: Listener) => listen(event, fn, true, false),
  prependListener: (event: string, fn: Listener) => listen(event, fn, false, true),
  prependOnceListener: (event: string, fn: Listener) => listen(event, fn, true, true),
  off: (event: string, fn: Listener) => process.removeListener(event, fn),
  removeListener(event: string, fn: Listener): object {
    const list = listeners[event]
    const i = list ? list.findIndex((l) => l === fn || (l as { listener?: Listener }).listener === fn) : -1
    if (i >= 0) list!.splice(i, 1)
    return process
  },
  removeAllListeners(event?: string): object {
    if (event === undefined) for (const key of Object.keys(listeners)) delete listeners[key]
    else delete listeners[event]
    return process
  },
  emit,
  listeners: (event: string): Listener[] => (listeners[event] ?? []).map((l) => (l as { listener?: Listener }).listener ?? l),
  listenerCount: (event: string): number => listeners[event]?.length ?? 0,
  eventNames: (): string[] => Object.keys(listeners).filter((k) => listeners[k].length > 0),
  setMaxListeners: (): object => process,
  getMaxListeners: (): number => 10,
}
