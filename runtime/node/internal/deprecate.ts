// util.deprecate on its own, so packages that need only it (pg) do not carry all of util.
import { validateFunction } from './errors.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => any
const codesWarned = new Set<string>()

export function deprecate<T extends Fn>(fn: T, msg: string, code?: string): T {
  validateFunction(fn, 'fn')
  let warned = false
  function deprecated(this: unknown, ...args: unknown[]): unknown {
    if (!warned) {
      warned = true
      if (code === undefined || !codesWarned.has(code)) {
        if (code !== undefined) codesWarned.add(code)
        globalThis.process.emitWarning(msg, 'DeprecationWarning', code)
      }
    }
    if (new.target) return Reflect.construct(fn, args, new.target)
    return Reflect.apply(fn, this, args)
  }
  Object.setPrototypeOf(deprecated, fn)
  if (fn.prototype) deprecated.prototype = fn.prototype
  return deprecated as unknown as T
}

