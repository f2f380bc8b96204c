// node:timers. Here setTimeout and setInterval return Timeout objects, as Node's do, so
// code may call .unref(), .ref(), .refresh() or .hasRef() on them; the globals keep
// returning numbers (a function's own code sees what browsers give). Both clear functions
// take either. unref() is remembered but does not let a script end sooner.
import { clearImmediate, setImmediate } from './internal/immediate.ts'
import * as promises from './timers/promises.ts'

type Callback = (...args: unknown[]) => void

export class Timeout {
  #id: number
  #ref = true
  #start: () => number

  constructor(start: () => number) {
    this.#start = start
    this.#id = start()
  }

  hasRef(): boolean {
    return this.#ref
  }

  ref(): this {
    this.#ref = true
    return this
  }

  unref(): this {
    this.#ref = false
    return this
  }

  refresh(): this {
    globalThis.clearTimeout(this.#id)
    this.#id = this.#start()
    return this
  }

  close(): this {
    globalThis.clearTimeout(this.#id)
    return this
  }

  [Symbol.toPrimitive](): number {
    return this.#id
  }
}
Object.defineProperty(Timeout, 'name', { value: 'Timeout' })

export function setTimeout(callback: Callback, ms?: number, ...args: unknown[]): Timeout {
  return new Timeout(() => globalThis.setTimeout(callback, ms, ...args) as unknown as number)
}

export function setInterval(callback: Callback, ms?: number, ...args: unknown[]): Timeout {
  return new Timeout(() => globalThis.setInterval(callback, ms, ...args) as unknown as number)
}

export function clearTimeout(timer: unknown): void {
  if (timer instanceof Timeout) timer.close()
  else globalThis.clearTimeout(timer as number)
}

export const clearInterval = clearTimeout

export { clearImmediate, promises, setImmediate }

export default { setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate, promises }
