// Values that follow the logical flow of a program through await, promise reactions,
// queueMicrotask, timers and I/O callbacks: the machinery node:async_hooks'
// AsyncLocalStorage is built on (runtime/node/async_hooks.ts), shaped like TC39's
// AsyncContext proposal (a Variable, and a snapshot of all of them). A lazy builtin: the
// core loads it on the first __core.asyncContext() and hands it the slot's natives.
//
// The engine's async-context slot (runtime/patches/quickjs-async-context.patch) holds a
// *frame*: undefined when no variable is set, else a Map from Variable to value. A
// request starts in the frame the core gives it, its trace context (a string: no
// variable set); a Map made from it keeps the string under TRACE_KEY, where the core's
// traceContext() finds it (runtime/core/http-server.c), so fetch() passes the trace on
// inside AsyncLocalStorage.run too. A frame
// is never changed once it has been current, because the engine saved it with every
// reaction and job registered meanwhile: run, enter and without build a new Map (a copy
// costs one entry per variable set, which is few). Only this module sets the slot; what
// it hands out sets one variable, or returns to a frame that was current before, never an
// arbitrary one.

/** The engine's slot: what the core hands createAsyncContext, and nothing else. */
export interface AsyncContextNatives {
  getAsyncContext(): unknown
  setAsyncContext(value: unknown): void
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Fn<R> = (...args: any[]) => R

/** Calls fn in the flow that was current when the snapshot was taken. */
export type AsyncContextSnapshot = <R>(fn: Fn<R>, thisArg: unknown, args: unknown[]) => R

export interface AsyncContextVariable {
  /** The value in the current flow (undefined when it was never set there). */
  get(): unknown
  /** Calls fn with this variable set to `value`, for fn and everything it schedules. */
  run<R>(value: unknown, fn: Fn<R>, thisArg: unknown, args: unknown[]): R
  /** Calls fn with this variable unset. */
  without<R>(fn: Fn<R>, thisArg: unknown, args: unknown[]): R
  /**
   * Sets the variable for the rest of the current job or callback and what it schedules
   * from here on: the engine and the core restore the flow's own frame when it ends.
   */
  enter(value: unknown): void
}

export interface AsyncContext {
  Variable: new () => AsyncContextVariable
  /** Captures every variable's value now, for a callback that will run from elsewhere. */
  snapshot(): AsyncContextSnapshot
}

/** Where a frame keeps the request's trace context (the C side names the same string). */
const TRACE_KEY = 'scratchfn.trace'

export function createAsyncContext(natives: AsyncContextNatives): AsyncContext {
  const { getAsyncContext, setAsyncContext } = natives

  type Frame = Map<AsyncContextVariable | typeof TRACE_KEY, unknown> | string | undefined

  const current = getAsyncContext as () => Frame

  function runIn<R>(frame: Frame, fn: Fn<R>, thisArg: unknown, args: unknown[]): R {
    const previous = current()
    setAsyncContext(frame)
    try {
      return Reflect.apply(fn, thisArg, args)
    } finally {
      setAsyncContext(previous)
    }
  }

  function frameWith(frame: Frame, key: AsyncContextVariable, value: unknown): Frame {
    const next: Frame = typeof frame === 'string' ? new Map([[TRACE_KEY, frame]]) : new Map(frame)
    next.set(key, value)
    return next
  }

  function frameWithout(frame: Frame, key: AsyncContextVariable): Frame {
    if (typeof frame !== 'object' || !frame.has(key)) return frame
    const next = new Map(frame)
    next.delete(key)
    if (next.size === 1 && next.has(TRACE_KEY)) return next.get(TRACE_KEY) as string
    return next.size === 0 ? undefined : next
  }

  class Variable implements AsyncContextVariable {
    get(): unknown {
      const frame = current()
      return typeof frame === 'object' ? frame.get(this) : undefined
    }

    run<R>(value: unknown, fn: Fn<R>, thisArg: unknown, args: unknown[]): R {
      return runIn(frameWith(current(), this, value), fn, thisArg, args)
    }

    without<R>(fn: Fn<R>, thisArg: unknown, args: unknown[]): R {
      return runIn(frameWithout(current(), this), fn, thisArg, args)
    }

    enter(value: unknown): void {
      setAsyncContext(frameWith(current(), this, value))
    }
  }

  const snapshot = (): AsyncContextSnapshot => {
    const frame = current()
    return (fn, thisArg, args) => runIn(frame, fn, thisArg, args)
  }

  return { Variable, snapshot }
}
