// node:events: EventEmitter as Node 20 has it (listener order, once wrappers that
// removeListener finds, 'newListener'/'removeListener' events, the max-listeners leak
// warning, errorMonitor, captureRejections), and once(), on(), getEventListeners(),
// setMaxListeners(), listenerCount(), addAbortListener().
import { abortError, invalidArgType, nodeError, outOfRange, validateFunction } from './internal/errors.ts'
import { web } from './internal/natives.ts'

/* eslint-disable @typescript-eslint/no-explicit-any */
type Listener = (...args: any[]) => unknown
type Key = string | symbol

interface Wrapped extends Listener {
  listener?: Listener
}

export const errorMonitor: unique symbol = Symbol('events.errorMonitor') as any
export const captureRejectionSymbol: unique symbol = Symbol.for('nodejs.rejection') as any
const kCapture = Symbol('kCapture')
const kShapeMode = Symbol('shapeMode')
const kWarned = Symbol('kWarned')

let defaultMaxListeners = 10
let defaultCapture = false

function checkListener(listener: unknown): asserts listener is Listener {
  validateFunction(listener, 'listener')
}

// Emitters made without the constructor (Object.create(EventEmitter.prototype)) get their table on first use, as in Node.
function eventsOf(target: any): Record<Key, Listener | Listener[]> {
  let events = target._events
  if (events === undefined || events === null) {
    events = target._events = Object.create(null)
    target._eventsCount = 0
  }
  return events
}

function unwrap(list: Listener[]): Listener[] {
  return list.map((l) => (l as Wrapped).listener ?? l)
}

function addListener(target: any, type: Key, listener: unknown, prepend: boolean): any {
  checkListener(listener)
  const events = eventsOf(target)
  if (events.newListener !== undefined) {
    target.emit('newListener', type, (listener as Wrapped).listener ?? listener)
  }
  const existing = events[type]
  let list: Listener[]
  if (existing === undefined) {
    events[type] = listener
    target._eventsCount++
    return target
  } else if (typeof existing === 'function') {
    list = events[type] = prepend ? [listener, existing] : [existing, listener]
  } else {
    list = existing
    if (prepend) list.unshift(listener)
    else list.push(listener)
  }
  const max = target.getMaxListeners()
  if (max > 0 && list.length > max && !(list as any)[kWarned]) {
    ;(list as any)[kWarned] = true
    const name = target.constructor?.name || 'EventEmitter'
    const warning = Object.assign(
      new Error(
        `Possible EventEmitter memory leak detected. ${list.length} ${String(type)} listeners added to [${name}]. MaxListeners is ${max}. Use emitter.setMaxListeners() to increase limit`,
      ),
      { name: 'MaxListenersExceededWarning', emitter: target, type, count: list.length },
    )
    globalThis.process?.emitWarning?.(warning as any)
  }
  return target
}

function onceWrapper(target: any, type: Key, listener: Listener): Wrapped {
  const state = { fired: false }
  const wrapped: Wrapped = function (this: any, ...args: any[]) {
    if (state.fired) return undefined
    state.fired = true
    target.removeListener(type, wrapped)
    return listener.apply(target, args)
  }
  wrapped.listener = listener
  return wrapped
}

function handleRejection(target: any, type: Key, args: unknown[], result: unknown): void {
  if (result === undefined || result === null || typeof (result as Promise<unknown>).then !== 'function') return
  ;(result as Promise<unknown>).then(undefined, (err) => {
    globalThis.process.nextTick(() => {
      if (typeof target[captureRejectionSymbol] === 'function') target[captureRejectionSymbol](err, type, ...args)
      else {
        const prev = target[kCapture]
        try {
          target[kCapture] = false
          target.emit('error', err)
        } finally {
          target[kCapture] = prev
        }
      }
    })
  })
}

interface EmitterMethods {
  _eventsCount: number
  [key: string | symbol]: any
}

// Written as a class for its types, installed on a plain function below: old packages
// call EventEmitter.call(this) from constructors of their own, which a class refuses.
class EmitterMethods {
  static get defaultMaxListeners(): number {
    return defaultMaxListeners
  }

  static set defaultMaxListeners(n: number) {
    if (typeof n !== 'number' || n < 0 || Number.isNaN(n)) throw outOfRange('defaultMaxListeners', 'a non-negative number', n)
    defaultMaxListeners = n
  }

  static get captureRejections(): boolean {
    return defaultCapture
  }

  static set captureRejections(value: boolean) {
    if (typeof value !== 'boolean') throw invalidArgType('EventEmitter.captureRejections', 'boolean', value)
    defaultCapture = value
  }

  static errorMonitor = errorMonitor
  static captureRejectionSymbol = captureRejectionSymbol
  static usingDomains = false

  constructor(options?: { captureRejections?: boolean }) {
    EmitterMethods.init.call(this, options)
  }

  // The same own properties as Node's, in its order (libraries read _events directly).
  static init(this: any, options?: { captureRejections?: boolean }): void {
    if (this._events === undefined || this._events === Object.getPrototypeOf(this)._events) {
      this._events = Object.create(null)
      this._eventsCount = 0
    }
    this._maxListeners = this._maxListeners || undefined
    this[kShapeMode] = false
    if (options?.captureRejections !== undefined) {
      if (typeof options.captureRejections !== 'boolean')
        throw invalidArgType('options.captureRejections', 'boolean', options.captureRejections)
      this[kCapture] = options.captureRejections
    } else this[kCapture] = EmitterMethods.prototype[kCapture] ?? defaultCapture
  }

  setMaxListeners(n: number): this {
    if (typeof n !== 'number' || n < 0 || Number.isNaN(n)) throw outOfRange('n', 'a non-negative number', n)
    this._maxListeners = n
    return this
  }

  getMaxListeners(): number {
    return this._maxListeners === undefined ? defaultMaxListeners : this._maxListeners
  }

  emit(type: Key, ...args: unknown[]): boolean {
    const events = eventsOf(this)
    if (type === 'error' && events[errorMonitor] !== undefined) this.emit(errorMonitor, ...args)
    const handler = events[type]
    if (handler === undefined) {
      if (type !== 'error') return false
      const er = args[0]
      if (er instanceof Error) throw er
      const shown = typeof er === 'string' ? `'${er}'` : web.inspect(er)
      const err = nodeError(Error, 'ERR_UNHANDLED_ERROR', `Unhandled error. (${shown})`) as Error & { context?: unknown }
      err.context = er
      throw err
    }
    const capture = this[kCapture]
    if (typeof handler === 'function') {
      const result = handler.apply(this, args)
      if (capture) handleRejection(this, type, args, result)
    } else {
      for (const listener of handler.slice()) {
        const result = listener.apply(this, args)
        if (capture) handleRejection(this, type, args, result)
      }
    }
    return true
  }

  addListener(type: Key, listener: Listener): this {
    return addListener(this, type, listener, false)
  }

  on(type: Key, listener: Listener): this {
    return addListener(this, type, listener, false)
  }

  prependListener(type: Key, listener: Listener): this {
    return addListener(this, type, listener, true)
  }

  once(type: Key, listener: Listener): this {
    checkListener(listener)
    return this.on(type, onceWrapper(this, type, listener))
  }

  prependOnceListener(type: Key, listener: Listener): this {
    checkListener(listener)
    return this.prependListener(type, onceWrapper(this, type, listener))
  }

  removeListener(type: Key, listener: Listener): this {
    checkListener(listener)
    const events = eventsOf(this)
    const list = events[type]
    if (list === undefined) return this
    if (list === listener || (list as Wrapped).listener === listener) {
      if (--this._eventsCount === 0) this._events = Object.create(null)
      else delete events[type]
      if (events.removeListener !== undefined) this.emit('removeListener', type, (list as Wrapped).listener ?? listener)
    } else if (typeof list !== 'function') {
      let position = -1
      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i] === listener || (list[i] as Wrapped).listener === listener) {
          position = i
          break
        }
      }
      if (position < 0) return this
      list.splice(position, 1)
      if (list.length === 1) events[type] = list[0]
      if (events.removeListener !== undefined) this.emit('removeListener', type, listener)
    }
    return this
  }

  off(type: Key, listener: Listener): this {
    return this.removeListener(type, listener)
  }

  removeAllListeners(type?: Key): this {
    const events = eventsOf(this)
    if (events.removeListener === undefined) {
      if (type === undefined) {
        this._events = Object.create(null)
        this._eventsCount = 0
      } else if (events[type] !== undefined) {
        if (--this._eventsCount === 0) this._events = Object.create(null)
        else delete events[type]
      }
      return this
    }
    if (type === undefined) {
      for (const key of Reflect.ownKeys(events)) if (key !== 'removeListener') this.removeAllListeners(key)
      this.removeAllListeners('removeListener')
      this._events = Object.create(null)
      this._eventsCount = 0
      return this
    }
    const listeners = events[type]
    if (typeof listeners === 'function') this.removeListener(type, listeners)
    else if (listeners !== undefined) for (let i = listeners.length - 1; i >= 0; i--) this.removeListener(type, listeners[i])
    return this
  }

  listeners(type: Key): Listener[] {
    const list = eventsOf(this)[type]
    if (list === undefined) return []
    return typeof list === 'function' ? [(list as Wrapped).listener ?? list] : unwrap(list)
  }

  rawListeners(type: Key): Listener[] {
    const list = eventsOf(this)[type]
    if (list === undefined) return []
    return typeof list === 'function' ? [list] : list.slice()
  }

  listenerCount(type: Key, listener?: Listener): number {
    const list = eventsOf(this)[type]
    if (list === undefined) return 0
    const all = typeof list === 'function' ? [list] : list
    if (listener === undefined) return all.length
    return all.filter((l) => l === listener || (l as Wrapped).listener === listener).length
  }

  eventNames(): Key[] {
    return this._eventsCount > 0 ? Reflect.ownKeys(eventsOf(this)) : []
  }

  static listenerCount(emitter: EmitterMethods, type: Key): number {
    return emitter.listenerCount(type)
  }

  static once = once
  static on = on
  static getEventListeners = getEventListeners
  static getMaxListeners = getMaxListeners
  static setMaxListeners = setMaxListeners
  static addAbortListener = addAbortListener
}
export type EventEmitter = EmitterMethods
export const EventEmitter = function EventEmitter(this: EmitterMethods, options?: { captureRejections?: boolean }) {
  EmitterMethods.init.call(this, options)
} as unknown as typeof EmitterMethods
for (const key of Reflect.ownKeys(EmitterMethods.prototype)) {
  if (key !== 'constructor')
    Object.defineProperty(EventEmitter.prototype, key, Object.getOwnPropertyDescriptor(EmitterMethods.prototype, key)!)
}
for (const key of Reflect.ownKeys(EmitterMethods)) {
  if (key !== 'length' && key !== 'name' && key !== 'prototype')
    Object.defineProperty(EventEmitter, key, Object.getOwnPropertyDescriptor(EmitterMethods, key)!)
}
Object.defineProperty(EventEmitter, 'name', { value: 'EventEmitter' })
Object.defineProperty(EventEmitter, 'EventEmitter', { value: EventEmitter, writable: true, configurable: true, enumerable: true })
Object.defineProperty(EventEmitter.prototype, kCapture, { value: false, writable: true, configurable: true })
EventEmitter.prototype._events = undefined
EventEmitter.prototype._eventsCount = 0
EventEmitter.prototype._maxListeners = undefined

function isEventTarget(target: unknown): target is EventTarget {
  return typeof (target as EventTarget)?.addEventListener === 'function' && typeof (target as EventEmitter)?.on !== 'function'
}

export function once(emitter: any, name: Key, options: { signal?: AbortSignal } = {}): Promise<unknown[]> {
  const signal = options?.signal
  if (signal?.aborted) return Promise.reject(abortError(signal.reason))
  return new Promise((resolve, reject) => {
    if (isEventTarget(emitter)) {
      const handler = (...args: unknown[]) => {
        signal?.removeEventListener('abort', onAbort)
        resolve(args)
      }
      const onAbort = () => {
        emitter.removeEventListener(name as string, handler)
        reject(abortError(signal!.reason))
      }
      emitter.addEventListener(name as string, handler, { once: true })
      signal?.addEventListener('abort', onAbort, { once: true })
      return
    }
    const errorListener = (err: unknown) => {
      emitter.removeListener(name, resolver)
      signal?.removeEventListener('abort', onAbort)
      reject(err)
    }
    const resolver = (...args: unknown[]) => {
      if (name !== 'error') emitter.removeListener('error', errorListener)
      signal?.removeEventListener('abort', onAbort)
      resolve(args)
    }
    const onAbort = () => {
      emitter.removeListener(name, resolver)
      emitter.removeListener('error', errorListener)
      reject(abortError(signal!.reason))
    }
    emitter.once(name, resolver)
    if (name !== 'error') emitter.once('error', errorListener)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

export function on(emitter: any, event: Key, options: { signal?: AbortSignal; close?: Key[] } = {}): AsyncIterableIterator<unknown[]> {
  const signal = options?.signal
  if (signal?.aborted) throw abortError(signal.reason)
  const unconsumed: unknown[][] = []
  const waiting: { resolve: (r: IteratorResult<unknown[]>) => void; reject: (e: unknown) => void }[] = []
  let error: unknown = null
  let finished = false
  const eventHandler = (...args: unknown[]) => {
    const next = waiting.shift()
    if (next) next.resolve({ value: args, done: false })
    else unconsumed.push(args)
  }
  const errorHandler = (err: unknown) => {
    finished = true
    const next = waiting.shift()
    if (next) next.reject(err)
    else error = err
    iterator.return()
  }
  const closeHandler = () => iterator.return()
  const onAbort = () => errorHandler(abortError(signal!.reason))
  const add = (name: Key, fn: Listener) => (isEventTarget(emitter) ? emitter.addEventListener(name as string, fn) : emitter.on(name, fn))
  const remove = (name: Key, fn: Listener) =>
    isEventTarget(emitter) ? emitter.removeEventListener(name as string, fn) : emitter.removeListener(name, fn)
  add(event, eventHandler)
  if (event !== 'error' && !isEventTarget(emitter)) add('error', errorHandler)
  for (const name of options?.close ?? []) add(name, closeHandler)
  signal?.addEventListener('abort', onAbort, { once: true })
  const iterator: AsyncIterableIterator<unknown[]> & { return(): Promise<IteratorResult<unknown[]>> } = {
    next(): Promise<IteratorResult<unknown[]>> {
      const value = unconsumed.shift()
      if (value) return Promise.resolve({ value, done: false })
      if (error) {
        const p = Promise.reject(error)
        error = null
        return p
      }
      if (finished) return Promise.resolve({ value: undefined, done: true })
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }))
    },
    return(): Promise<IteratorResult<unknown[]>> {
      remove(event, eventHandler)
      remove('error', errorHandler)
      for (const name of options?.close ?? []) remove(name, closeHandler)
      signal?.removeEventListener('abort', onAbort)
      finished = true
      for (const w of waiting.splice(0)) w.resolve({ value: undefined, done: true })
      return Promise.resolve({ value: undefined, done: true })
    },
    throw(err: unknown): Promise<IteratorResult<unknown[]>> {
      error = err
      remove(event, eventHandler)
      remove('error', errorHandler)
      return Promise.reject(err)
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
  return iterator
}

export function getEventListeners(target: any, name: Key): Listener[] {
  if (typeof target?.listeners === 'function') return target.listeners(name)
  throw invalidArgType('emitter', ['EventEmitter', 'EventTarget'], target)
}

export function getMaxListeners(target: any): number {
  if (typeof target?.getMaxListeners === 'function') return target.getMaxListeners()
  return defaultMaxListeners
}

export function setMaxListeners(n = defaultMaxListeners, ...targets: any[]): void {
  if (typeof n !== 'number' || n < 0 || Number.isNaN(n)) throw outOfRange('n', 'a non-negative number', n)
  if (targets.length === 0) defaultMaxListeners = n
  for (const target of targets) {
    if (typeof target?.setMaxListeners === 'function') target.setMaxListeners(n)
    else if (!isEventTarget(target)) throw invalidArgType('eventTargets', ['EventEmitter', 'EventTarget'], target)
  }
}

export function listenerCount(emitter: EmitterMethods, type: Key): number {
  return emitter.listenerCount(type)
}

export function addAbortListener(signal: AbortSignal, listener: Listener): { [Symbol.dispose]?: () => void } {
  if (!(signal instanceof AbortSignal)) throw invalidArgType('signal', 'AbortSignal', signal)
  validateFunction(listener, 'listener')
  if (signal.aborted) {
    queueMicrotask(() => listener())
    return {}
  }
  signal.addEventListener('abort', listener, { once: true })
  return {}
}

export const usingDomains = false

// require('events') is EventEmitter itself, with the helpers as its properties.
export default EventEmitter
