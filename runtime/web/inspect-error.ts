// How inspect() prints an Error, following Node: the stack, with the constructor
// named when it differs from `name` (`DOMException [AbortError]: ...`), brackets
// when there are no frames (`[Error: x]`), then `cause`, `errors` and any other
// own keys in braces.
import { getPrefix, type Context } from './inspect-context.ts'

/* eslint-disable @typescript-eslint/no-explicit-any */

// QuickJS's `stack` holds only the frames ("    at f (file:line)\n..."); V8's
// starts with "Name: message". Rebuild that first line so errors read as on Node.
function stackOf(err: any): string {
  let header: string
  try {
    header = Error.prototype.toString.call(err)
  } catch {
    header = 'Error'
  }
  const stack = err.stack
  if (typeof stack !== 'string' || stack.trim() === '') return stack ? String(stack) : header
  if (stack.startsWith('    at ')) return `${header}\n${stack.replace(/\n+$/, '')}`
  return stack
}

function improveStack(stack: string, constructor: string | null, name: string, tag: string): string {
  let len = name.length
  if (
    constructor === null ||
    (name.endsWith('Error') && stack.startsWith(name) && (stack.length === len || stack[len] === ':' || stack[len] === '\n'))
  ) {
    let fallback = 'Error'
    if (constructor === null) {
      const start = /^([A-Z][a-z_ A-Z0-9[\]()-]+)(?::|\n {4}at)/.exec(stack) || /^([a-z_A-Z0-9-]*Error)$/.exec(stack)
      fallback = (start && start[1]) || ''
      len = fallback.length
      fallback = fallback || 'Error'
    }
    const prefix = getPrefix(constructor, tag, fallback).slice(0, -1)
    if (name !== prefix) {
      if (prefix.indexOf(name) !== -1) stack = len === 0 ? `${prefix}: ${stack}` : `${prefix}${stack.slice(len)}`
      else stack = `${prefix} [${name}]${stack.slice(len)}`
    }
  }
  return stack
}

// Where a run of more than three frames of `a` also appears in `b`.
function identicalSequenceRange(a: string[], b: string[]): { len: number; offset: number } {
  for (let i = 0; i < a.length - 3; i++) {
    const pos = b.indexOf(a[i])
    if (pos === -1 || b.length - pos <= 3) continue
    const maxLen = Math.min(a.length - i, b.length - pos)
    let len = 1
    while (maxLen > len && a[i + len] === b[pos + len]) len++
    if (len > 3) return { len, offset: i }
  }
  return { len: 0, offset: 0 }
}

// Frames the error shares with its cause are printed once, under the cause.
function framesOf(err: any, frames: string[]): string[] {
  const cause = err.cause
  if (!(cause instanceof Error)) return frames
  const causeStack = stackOf(cause)
  const start = causeStack.indexOf('\n    at')
  if (start === -1) return frames
  const { len, offset } = identicalSequenceRange(frames, causeStack.slice(start + 1).split('\n'))
  if (len > 0) frames.splice(offset + 1, len - 2, `    ... ${len - 2} lines matching cause stack trace ...`)
  return frames
}

/** Returns the error's text; adjusts `keys` to the properties to print after it. */
export function formatError(ctx: Context, err: any, constructor: string | null, tag: string, keys: PropertyKey[]): string {
  const name = err.name != null ? String(err.name) : 'Error'
  let stack = stackOf(err)
  for (const key of ['name', 'message', 'stack']) {
    const i = keys.indexOf(key)
    if (i !== -1 && stack.indexOf(String(err[key])) !== -1) keys.splice(i, 1)
  }
  if ('cause' in err && keys.indexOf('cause') === -1) keys.push('cause')
  if (Array.isArray(err.errors) && keys.indexOf('errors') === -1) keys.push('errors')
  stack = improveStack(stack, constructor, name, tag)
  let pos = (err.message && stack.indexOf(err.message)) || -1
  if (pos !== -1) pos += err.message.length
  const stackStart = stack.indexOf('\n    at', pos)
  if (stackStart === -1) stack = `[${stack}]`
  else stack = `${stack.slice(0, stackStart)}\n${framesOf(err, stack.slice(stackStart + 1).split('\n')).join('\n')}`
  if (ctx.indentationLvl !== 0) stack = stack.replace(/\n/g, `\n${' '.repeat(ctx.indentationLvl)}`)
  return stack
}
