// Event, CustomEvent and EventTarget (DOM Standard), for targets without a tree:
// AbortSignal and anything an app builds on EventTarget. Dispatch therefore has
// one phase, AT_TARGET, and calls listeners in the order they were added, capture
// or not, as Node does (the standard now runs capture listeners first).
import { DOMException } from './dom-exception.ts'
import { now } from './performance.ts'

// Symbol-keyed members are the module's private interface between Event and
// EventTarget: not enumerable, and unreachable without the symbols.
const kBegin = Symbol('begin')
const kEnd = Symbol('end')
const kStopped = Symbol('stopped')
const kPassive = Symbol('passive')
const kTrust = Symbol('trust')
const inspectCustom = Symbol.for('nodejs.util.inspect.custom')
type Inspect = (value: unknown, options: { depth?: number }) => string

export interface EventInit {
  bubbles?: boolean
  cancelable?: boolean
  composed?: boolean
}

export class Event {
  declare static readonly NONE: 0
  declare static readonly CAPTURING_PHASE: 1
  declare static readonly AT_TARGET: 2
  declare static readonly BUBBLING_PHASE: 3

  #type: string
  #bubbles: boolean
  #cancelable: boolean
  #composed: boolean
  #timeStamp = now()
  #target: EventTarget | null = null
  #currentTarget: EventTarget | null = null
  #phase = 0
  #canceled = false
  #stop = false
  #stopImmediate = false
  #passive = false
  #dispatching = false
  #trusted = false

  constructor(type: string, init?: EventInit) {
    if (arguments.length === 0) throw new TypeError('The "type" argument must be specified')
    this.#type = String(type)
    this.#bubbles = !!init?.bubbles
    this.#cancelable = !!init?.cancelable
    this.#composed = !!init?.composed
  }

  get type(): string {
    return this.#type
  }
  get bubbles(): boolean {
    return this.#bubbles
  }
  get cancelable(): boolean {
    return this.#cancelable
  }
  get composed(): boolean {
    return this.#composed
  }
  get isTrusted(): boolean {
    return this.#trusted
  }
  get timeStamp(): number {
    return this.#timeStamp
  }
  get target(): EventTarget | null {
    return this.#target
  }
  get srcElement(): EventTarget | null {
    return this.#target
  }
  get currentTarget(): EventTarget | null {
    return this.#currentTarget
  }
  get eventPhase(): number {
    return this.#phase
  }
  get defaultPrevented(): boolean {
    return this.#canceled
  }
  get returnValue(): boolean {
    return !this.#canceled
  }
  set returnValue(value: boolean) {
    if (!value) this.preventDefault()
  }
  get cancelBubble(): boolean {
    return this.#stop
  }
  set cancelBubble(value: boolean) {
    if (value) this.#stop = true
  }

  preventDefault(): void {
    if (this.#cancelable && !this.#passive) this.#canceled = true
  }
  stopPropagation(): void {
    this.#stop = true
  }
  stopImmediatePropagation(): void {
    this.#stop = this.#stopImmediate = true
  }
  composedPath(): EventTarget[] {
    return this.#dispatching && this.#currentTarget ? [this.#currentTarget] : []
  }

  [kBegin](target: EventTarget): void {
    if (this.#dispatching) throw new DOMException('The event is already being dispatched.', 'InvalidStateError')
    this.#dispatching = true
    this.#target = this.#currentTarget = target
    this.#phase = 2
  }
  [kEnd](): void {
    this.#dispatching = false
    this.#currentTarget = null
    this.#phase = 0
    this.#stop = this.#stopImmediate = false
  }
  [kPassive](passive: boolean): void {
    this.#passive = passive
  }
  get [kStopped](): boolean {
    return this.#stopImmediate
  }
  // What console.log shows, as in Node.
  [inspectCustom](depth: number, options: { depth?: number }, inspect: Inspect): unknown {
    if (depth < 0) return this
    const fields = { type: this.#type, defaultPrevented: this.#canceled, cancelable: this.#cancelable, timeStamp: this.#timeStamp }
    return `${this.constructor.name} ${inspect(fields, { ...options, depth: (options.depth ?? 2) - 1 })}`
  }
  [kTrust](): this {
    this.#trusted = true
    return this
  }
}

/** An event the platform itself fires (isTrusted), such as AbortSignal's abort. */
export function trustedEvent(type: string): Event {
  return new Event(type)[kTrust]()
}

for (const [name, value] of [
  ['NONE', 0],
  ['CAPTURING_PHASE', 1],
  ['AT_TARGET', 2],
  ['BUBBLING_PHASE', 3],
] as const) {
  Object.defineProperty(Event, name, { value, enumerable: true, writable: false, configurable: false })
}

export class CustomEvent<T = unknown> extends Event {
  #detail: T | null
  constructor(type: string, init?: EventInit & { detail?: T }) {
    if (arguments.length === 0) throw new TypeError('The "type" argument must be specified')
    super(type, init)
    this.#detail = init?.detail ?? null
  }
  get detail(): T | null {
    return this.#detail
  }
}

type Callback = ((event: Event) => unknown) | { handleEvent(event: Event): unknown }

interface Listener {
  callback: Callback
  capture: boolean
  once: boolean
  passive: boolean
  removed: boolean
  unlink?: () => void
}

export interface AddEventListenerOptions {
  capture?: boolean
  once?: boolean
  passive?: boolean
  signal?: EventTarget & { aborted: boolean }
}

function captureOf(options: boolean | { capture?: boolean } | undefined): boolean {
  return typeof options === 'boolean' ? options : !!options?.capture
}

// Like a browser, a throwing listener is logged and the others still run.
function report(error: unknown): void {
  console.error('Uncaught', error)
}

export class EventTarget {
  #listeners = new Map<string, Listener[]>()

  addEventListener(type: string, callback: Callback | null, options?: boolean | AddEventListenerOptions): void {
    if (arguments.length < 2) throw new TypeError('The "type" and "listener" arguments must be specified')
    if (callback === null || callback === undefined) return
    if (typeof callback !== 'function' && typeof callback !== 'object') {
      throw new TypeError('The "listener" argument must be an object or a function')
    }
    const opts = typeof options === 'object' && options !== null ? options : {}
    const signal = opts.signal
    if (signal?.aborted) return
    type = String(type)
    const capture = captureOf(options)
    let list = this.#listeners.get(type)
    if (!list) this.#listeners.set(type, (list = []))
    for (const l of list) if (l.callback === callback && l.capture === capture) return
    const listener: Listener = { callback, capture, once: !!opts.once, passive: !!opts.passive, removed: false }
    list.push(listener)
    if (signal) {
      const onAbort = () => this.#remove(type, listener)
      signal.addEventListener('abort', onAbort, { once: true })
      listener.unlink = () => signal.removeEventListener('abort', onAbort)
    }
  }

  removeEventListener(type: string, callback: Callback | null, options?: boolean | { capture?: boolean }): void {
    const list = this.#listeners.get(String(type))
    if (!list) return
    const capture = captureOf(options)
    for (const l of list) if (l.callback === callback && l.capture === capture) return this.#remove(String(type), l)
  }

  dispatchEvent(event: Event): boolean {
    if (!(event instanceof Event)) throw new TypeError('The "event" argument must be an instance of Event')
    event[kBegin](this)
    try {
      const list = this.#listeners.get(event.type)
      if (list) {
        // Listeners added during dispatch wait for the next event; removed ones are skipped.
        for (const l of list.slice()) {
          if (l.removed) continue
          if (l.once) this.#remove(event.type, l)
          event[kPassive](l.passive)
          try {
            const cb = l.callback
            if (typeof cb === 'function') cb.call(this, event)
            else if (typeof cb.handleEvent === 'function') cb.handleEvent(event)
          } catch (error) {
            report(error)
          }
          event[kPassive](false)
          if (event[kStopped]) break
        }
      }
    } finally {
      event[kEnd]()
    }
    return !event.defaultPrevented
  }

  #remove(type: string, listener: Listener): void {
    const list = this.#listeners.get(type)
    const i = list ? list.indexOf(listener) : -1
    if (i < 0) return
    listener.removed = true
    list!.splice(i, 1)
    if (list!.length === 0) this.#listeners.delete(type)
    listener.unlink?.()
  }
}
