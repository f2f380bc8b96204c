// node:timers/promises: setTimeout, setImmediate and setInterval as promises and async
// iterators, with AbortSignal support, and scheduler.wait / scheduler.yield.
import { abortError, invalidArgType } from '../internal/errors.ts'
import { setImmediate as immediate } from '../internal/immediate.ts'

interface TimerOptions {
  signal?: AbortSignal
  ref?: boolean
}

function checkSignal(options: TimerOptions | undefined): AbortSignal | undefined {
  if (options === undefined) return undefined
  if (options === null || typeof options !== 'object') throw invalidArgType('options', 'object', options)
  const signal = options.signal
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalidArgType('options.signal', 'AbortSignal', signal)
  return signal
}

function abortable<T>(signal: AbortSignal | undefined, start: (resolve: (v: T) => void) => () => void): Promise<T> {
  if (signal?.aborted) return Promise.reject(abortError(signal.reason))
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      cancel()
      reject(abortError(signal!.reason))
    }
    const cancel = start((v) => {
      signal?.removeEventListener('abort', onAbort)
      resolve(v)
    })
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

export function setTimeout<T = void>(delay?: number, value?: T, options?: TimerOptions): Promise<T> {
  let signal: AbortSignal | undefined
  try {
    signal = checkSignal(options)
  } catch (err) {
    return Promise.reject(err)
  }
  return abortable<T>(signal, (resolve) => {
    const id = globalThis.setTimeout(() => resolve(value as T), delay)
    return () => globalThis.clearTimeout(id)
  })
}

export function setImmediate<T = void>(value?: T, options?: TimerOptions): Promise<T> {
  let signal: AbortSignal | undefined
  try {
    signal = checkSignal(options)
  } catch (err) {
    return Promise.reject(err)
  }
  return abortable<T>(signal, (resolve) => {
    const im = immediate(() => resolve(value as T))
    return () => {
      im._onImmediate = null
    }
  })
}

export async function* setInterval<T = void>(delay?: number, value?: T, options?: TimerOptions): AsyncGenerator<T> {
  const signal = checkSignal(options)
  if (signal?.aborted) throw abortError(signal.reason)
  let ticks = 0
  let wake: (() => void) | null = null
  const id = globalThis.setInterval(() => {
    ticks++
    wake?.()
  }, delay)
  const onAbort = () => wake?.()
  signal?.addEventListener('abort', onAbort)
  try {
    for (;;) {
      if (ticks === 0) await new Promise<void>((resolve) => (wake = resolve))
      wake = null
      if (signal?.aborted) throw abortError(signal.reason)
      for (; ticks > 0; ticks--) yield value as T
    }
  } finally {
    globalThis.clearInterval(id)
    signal?.removeEventListener('abort', onAbort)
  }
}

export const scheduler = {
  wait: (delay: number, options?: TimerOptions): Promise<void> => setTimeout(delay, undefined, options),
  yield: (): Promise<void> => setImmediate(),
}

export default { setTimeout, setImmediate, setInterval, scheduler }
