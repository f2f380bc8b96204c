// console, printing what Node prints: log/info/debug/dir/table/count/time* go to
// stdout, warn/error/trace/assert to stderr, each call one write of whole lines.
// Arguments are formatted like util.format (%s %d %i %f %j %o %O %c %%).
import { renderTable } from './console-table.ts'
import { core } from './core.ts'
import { inspect } from './inspect.ts'
import { formatNumber } from './inspect-primitives.ts'

/* eslint-disable @typescript-eslint/no-explicit-any */

// Objects whose toString is one of these print inspected under %s, as in Node;
// any other toString (a class's own) is called.
const builtIns = new Set([
  'Object',
  'Function',
  'Array',
  'Number',
  'Boolean',
  'String',
  'Symbol',
  'BigInt',
  'Date',
  'Promise',
  'RegExp',
  'Error',
  'AggregateError',
  'EvalError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'TypeError',
  'URIError',
  'ArrayBuffer',
  'DataView',
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
])

function hasBuiltInToString(value: any): boolean {
  if (typeof value.toString !== 'function') return true
  if (Object.prototype.hasOwnProperty.call(value, 'toString')) return false
  let p = value
  do p = Object.getPrototypeOf(p)
  while (!Object.prototype.hasOwnProperty.call(p, 'toString'))
  const d = Object.getOwnPropertyDescriptor(p, 'constructor')
  return d !== undefined && typeof d.value === 'function' && builtIns.has(d.value.name)
}

function json(value: unknown): string {
  try {
    return String(JSON.stringify(value))
  } catch (err) {
    if (err instanceof TypeError && /circular/i.test(err.message)) return '[Circular]'
    throw err
  }
}

function substitute(code: number, arg: any): string | undefined {
  switch (code) {
    case 115: // s
      if (typeof arg === 'number') return formatNumber(arg)
      if (typeof arg === 'bigint') return `${arg}n`
      if (typeof arg !== 'object' || arg === null || !hasBuiltInToString(arg)) return String(arg)
      return inspect(arg, { depth: 0 })
    case 106: // j
      return json(arg)
    case 100: // d
      if (typeof arg === 'bigint') return `${arg}n`
      return typeof arg === 'symbol' ? 'NaN' : formatNumber(Number(arg))
    case 105: // i
      if (typeof arg === 'bigint') return `${arg}n`
      return typeof arg === 'symbol' ? 'NaN' : formatNumber(parseInt(arg))
    case 102: // f
      return typeof arg === 'symbol' ? 'NaN' : formatNumber(parseFloat(arg))
    case 79: // O
      return inspect(arg)
    case 111: // o
      return inspect(arg, { depth: 4, showHidden: true })
    case 99: // c: CSS has no meaning on a terminal
      return ''
  }
  return undefined
}

/** util.format: substitutions in a leading string, the rest inspected and joined by spaces. */
export function format(args: unknown[]): string {
  const first = args[0]
  let a = 0
  let str = ''
  let join = ''
  if (typeof first === 'string') {
    if (args.length === 1) return first
    let lastPos = 0
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) !== 37) continue
      const code = first.charCodeAt(++i)
      if (a + 1 !== args.length) {
        if (code === 37) {
          str += first.slice(lastPos, i)
          lastPos = i + 1
          continue
        }
        const text = substitute(code, args[a + 1])
        if (text === undefined) continue
        a++
        if (lastPos !== i - 1) str += first.slice(lastPos, i - 1)
        str += text
        lastPos = i + 1
      } else if (code === 37) {
        str += first.slice(lastPos, i)
        lastPos = i + 1
      }
    }
    if (lastPos !== 0) {
      a++
      join = ' '
      if (lastPos < first.length) str += first.slice(lastPos)
    }
  }
  for (; a < args.length; a++) {
    const value = args[a]
    str += join + (typeof value === 'string' ? value : inspect(value))
    join = ' '
  }
  return str
}

let indent = ''
const counts = new Map<string, number>()
const timers = new Map<string, number>()

function print(fd: number, text: string): void {
  if (indent) text = indent + text.replace(/\n/g, `\n${indent}`)
  core.write(fd, text + '\n')
}

function out(...args: unknown[]): void {
  print(1, args.length === 1 && typeof args[0] === 'string' ? args[0] : format(args))
}

function err(...args: unknown[]): void {
  print(2, args.length === 1 && typeof args[0] === 'string' ? args[0] : format(args))
}

function elapsed(ms: number): string {
  if (ms < 1000) return `${Number(ms.toFixed(3))}ms`
  if (ms < 60000) return `${(ms / 1000).toFixed(3)}s`
  const minutes = Math.floor(ms / 60000)
  const seconds = ((ms % 60000) / 1000).toFixed(3).padStart(6, '0')
  return `${minutes}:${seconds} (m:ss.mmm)`
}

function timeLabel(label: unknown, method: string): string | undefined {
  const key = label === undefined ? 'default' : String(label)
  if (timers.has(key)) return key
  err(`Warning: No such label '${key}' for console.${method}()`)
  return undefined
}

export const console = {
  log: out,
  info: out,
  debug: out,
  dirxml: out,
  warn: err,
  error: err,
  trace(...args: unknown[]): void {
    const message = format(args)
    // The first frame is this method itself.
    const frames = String(new Error().stack ?? '')
      .split('\n')
      .slice(1)
      .join('\n')
      .replace(/\n+$/, '')
    err(`Trace${message ? `: ${message}` : ''}${frames ? `\n${frames}` : ''}`)
  },
  dir(value: unknown, options?: { depth?: number | null }): void {
    const depth = options?.depth === null ? Infinity : options?.depth
    print(1, inspect(value, { depth }))
  },
  table(data: unknown, properties?: string[]): void {
    const table = renderTable(data, properties)
    if (table === null) out(data)
    else print(1, table)
  },
  assert(value: unknown, ...args: unknown[]): void {
    if (value) return
    if (typeof args[0] === 'string') args[0] = `Assertion failed: ${args[0]}`
    else args.unshift('Assertion failed')
    err(...args)
  },
  count(label: unknown = 'default'): void {
    const key = String(label)
    const n = (counts.get(key) ?? 0) + 1
    counts.set(key, n)
    out(`${key}: ${n}`)
  },
  countReset(label: unknown = 'default'): void {
    const key = String(label)
    if (counts.has(key)) counts.delete(key)
    else err(`Warning: Count for '${key}' does not exist`)
  },
  time(label: unknown = 'default'): void {
    const key = String(label)
    if (timers.has(key)) err(`Warning: Label '${key}' already exists for console.time()`)
    else timers.set(key, core.hrtime())
  },
  timeLog(label?: unknown, ...data: unknown[]): void {
    const key = timeLabel(label, 'timeLog')
    if (key !== undefined) out(`${key}: ${elapsed(core.hrtime() - timers.get(key)!)}`, ...data)
  },
  timeEnd(label?: unknown): void {
    const key = timeLabel(label, 'timeEnd')
    if (key === undefined) return
    out(`${key}: ${elapsed(core.hrtime() - timers.get(key)!)}`)
    timers.delete(key)
  },
  group(...label: unknown[]): void {
    if (label.length > 0) out(...label)
    indent += '  '
  },
  groupCollapsed(...label: unknown[]): void {
    console.group(...label)
  },
  groupEnd(): void {
    indent = indent.slice(0, -2)
  },
  clear(): void {},
}
