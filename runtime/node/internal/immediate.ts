// setImmediate: callbacks queued now run together on the loop's next turn, after the
// current job and its microtasks; ones queued meanwhile wait for the turn after, as in Node.
// Each runs in the async context it was queued in (AsyncLocalStorage), not in that of the
// one that armed the turn's timer.
import { validateFunction } from './errors.ts'
import { core } from './natives.ts'

export class Immediate {
  _onImmediate: ((...args: unknown[]) => void) | null
  _argv: unknown[]
  #ref = true
  // Without node:async_hooks loaded no flow has a context, and there is nothing to carry.
  #scope = core.asyncContext(true)?.snapshot()

  constructor(callback: (...args: unknown[]) => void, args: unknown[]) {
    this._onImmediate = callback
    this._argv = args
  }

  _run(fn: (...args: unknown[]) => void): void {
    if (this.#scope) this.#scope(fn, undefined, this._argv)
    else fn(...this._argv)
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
}
Object.defineProperty(Immediate, 'name', { value: 'Immediate' })

let queue: Immediate[] = []

function runQueue(): void {
  const batch = queue
  queue = []
  for (const immediate of batch) {
    const fn = immediate._onImmediate
    if (fn === null) continue
    immediate._onImmediate = null
    immediate.unref()
    immediate._run(fn)
  }
}

export function setImmediate<A extends unknown[]>(callback: (...args: A) => void, ...args: A): Immediate {
  validateFunction(callback, 'callback')
  const immediate = new Immediate(callback as (...args: unknown[]) => void, args)
  if (queue.push(immediate) === 1) core.setTimer(0, runQueue)
  return immediate
}

export function clearImmediate(immediate: unknown): void {
  if (immediate instanceof Immediate) {
    immediate._onImmediate = null
    immediate.unref()
  }
}
