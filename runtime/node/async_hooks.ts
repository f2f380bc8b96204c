// node:async_hooks: AsyncLocalStorage and AsyncResource as Node 20 has them, on the
// runtime's async context (runtime/web/async-context-frames.ts, on our engine patch), so a store
// follows the logical flow through await, promise reactions, queueMicrotask, timers,
// setImmediate, fetch and the server's callbacks, and each request starts with none.
// Not here: createHook, executionAsyncId and the other hooks (QuickJS has no async
// resources to report); asyncId() and triggerAsyncId() answer -1.
import { invalidArgType, validateFunction } from './internal/errors.ts'
import { core } from './internal/natives.ts'

/* eslint-disable @typescript-eslint/no-explicit-any */
type Fn = (...args: any[]) => any

const { Variable, snapshot } = core.asyncContext()

export class AsyncResource {
  #scope = snapshot()

  constructor(type: string, _options?: number | { triggerAsyncId?: number; requireManualDestroy?: boolean }) {
    if (typeof type !== 'string') throw invalidArgType('type', 'string', type)
  }

  /** Calls fn in the flow the resource was made in. */
  runInAsyncScope<R>(fn: (...args: any[]) => R, thisArg?: unknown, ...args: unknown[]): R {
    return this.#scope(fn, thisArg, args)
  }

  emitDestroy(): this {
    return this
  }

  asyncId(): number {
    return -1
  }

  triggerAsyncId(): number {
    return -1
  }

  bind<F extends Fn>(fn: F, thisArg?: unknown): F {
    validateFunction(fn, 'fn')
    const resource = this
    const bound =
      thisArg === undefined
        ? function bound(this: unknown, ...args: unknown[]) {
            return resource.runInAsyncScope(fn, this, ...args)
          }
        : (...args: unknown[]) => resource.runInAsyncScope(fn, thisArg, ...args)
    let self: AsyncResource = resource
    Object.defineProperties(bound, {
      name: { value: 'bound', configurable: true },
      length: { configurable: true, enumerable: false, value: fn.length, writable: false },
      asyncResource: {
        configurable: true,
        enumerable: true,
        get: () => self,
        set: (value: AsyncResource) => {
          self = value
        },
      },
    })
    return bound as F
  }

  static bind<F extends Fn>(fn: F, type?: string, thisArg?: unknown): F {
    validateFunction(fn, 'fn')
    return new AsyncResource(type || fn.name || 'bound-anonymous-fn').bind(fn, thisArg)
  }
}

export class AsyncLocalStorage<T = unknown> {
  #variable = new Variable()
  // As in Node: getStore() is undefined until run() or enterWith(), and again after disable().
  #enabled = false

  /** fn, to be called in the flow that is current now. */
  static bind<F extends Fn>(fn: F): F {
    return AsyncResource.bind(fn)
  }

  /** A function that calls its first argument in the flow that is current now. */
  static snapshot(): <R>(fn: (...args: any[]) => R, ...args: unknown[]) => R {
    return AsyncResource.bind(function (this: unknown, fn: Fn, ...args: unknown[]) {
      return Reflect.apply(fn, this, args)
    })
  }

  disable(): void {
    this.#enabled = false
  }

  getStore(): T | undefined {
    return this.#enabled ? (this.#variable.get() as T | undefined) : undefined
  }

  enterWith(store: T): void {
    this.#enabled = true
    this.#variable.enter(store)
  }

  run<R>(store: T, callback: (...args: any[]) => R, ...args: unknown[]): R {
    this.#enabled = true
    return this.#variable.run(store, callback, null, args)
  }

  exit<R>(callback: (...args: any[]) => R, ...args: unknown[]): R {
    if (!this.#enabled) return Reflect.apply(callback, null, args)
    return this.#variable.without(callback, null, args)
  }
}

// The bundle is minified; inspect() and error messages show these names.
Object.defineProperty(AsyncResource, 'name', { value: 'AsyncResource' })
Object.defineProperty(AsyncLocalStorage, 'name', { value: 'AsyncLocalStorage' })

export default { AsyncLocalStorage, AsyncResource }
