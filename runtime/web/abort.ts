// AbortController and AbortSignal (DOM Standard), with the static abort(),
// timeout() and any(). Reasons default to the DOMExceptions Node uses, with the
// same messages, so code matching on name or message behaves alike.
import { core } from './core.ts'
import { DOMException } from './dom-exception.ts'
import { type Event, EventTarget, trustedEvent } from './event-target.ts'

const kCreate = Symbol('create')
const kAbort = Symbol('abort')
const kLink = Symbol('link')
const kUnlink = Symbol('unlink')
const inspectCustom = Symbol.for('nodejs.util.inspect.custom')

type Handler = ((this: AbortSignal, event: Event) => unknown) | null

export class AbortSignal extends EventTarget {
  #aborted = false
  #reason: unknown = undefined
  #onabort: Handler = null
  #handlerInstalled = false
  // Signals made by any(): what each follows and what follows it. Without WeakRef
  // these are strong references; a dependent unlinks itself once it aborts.
  #sources: AbortSignal[] | null = null
  #dependents: AbortSignal[] | null = null

  constructor(key?: unknown) {
    if (key !== kCreate) throw new TypeError('Illegal constructor')
    super()
  }

  get aborted(): boolean {
    return this.#aborted
  }

  get reason(): unknown {
    return this.#reason
  }

  throwIfAborted(): void {
    if (this.#aborted) throw this.#reason
  }

  get onabort(): Handler {
    return this.#onabort
  }

  set onabort(handler: Handler) {
    this.#onabort = typeof handler === 'function' ? handler : null
    // An event handler attribute takes its place among the listeners when first set.
    if (this.#onabort && !this.#handlerInstalled) {
      this.#handlerInstalled = true
      this.addEventListener('abort', (event) => this.#onabort?.call(this, event))
    }
  }

  static abort(reason?: unknown): AbortSignal {
    const signal = new AbortSignal(kCreate)
    signal.#aborted = true
    signal.#reason = reason === undefined ? abortError() : reason
    return signal
  }

  static timeout(ms: number): AbortSignal {
    const delay = Number(ms)
    if (!Number.isFinite(delay) || delay < 0 || delay > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(`The value of "delay" is out of range. Received ${String(ms)}`)
    }
    const signal = new AbortSignal(kCreate)
    core.setTimer(delay, () => {
      signal[kAbort](new DOMException('The operation was aborted due to timeout', 'TimeoutError'))
    })
    return signal
  }

  static any(signals: Iterable<AbortSignal>): AbortSignal {
    const list = Array.from(signals)
    for (const s of list) {
      if (!(s instanceof AbortSignal)) throw new TypeError('The "signals" argument must be an array of AbortSignal')
    }
    const result = new AbortSignal(kCreate)
    for (const s of list) {
      if (s.#aborted) {
        result.#aborted = true
        result.#reason = s.#reason
        return result
      }
    }
    result.#sources = []
    for (const s of list) {
      for (const source of s.#sources ?? [s]) {
        if (result.#sources.indexOf(source) < 0) {
          result.#sources.push(source)
          source[kLink](result)
        }
      }
    }
    return result
  }

  [kLink](dependent: AbortSignal): void {
    ;(this.#dependents ??= []).push(dependent)
  }

  [kUnlink](dependent: AbortSignal): void {
    const i = this.#dependents ? this.#dependents.indexOf(dependent) : -1
    if (i >= 0) this.#dependents!.splice(i, 1)
  }

  [kAbort](reason: unknown): void {
    if (this.#aborted) return
    const followers: AbortSignal[] = []
    // Every signal is marked aborted before any listener runs, as the standard orders it.
    this.#aborted = true
    this.#reason = reason === undefined ? abortError() : reason
    for (const dependent of this.#dependents ?? []) {
      if (dependent.#aborted) continue
      dependent.#aborted = true
      dependent.#reason = this.#reason
      followers.push(dependent)
    }
    this.#dependents = null
    this.#detach()
    this.dispatchEvent(trustedEvent('abort'))
    for (const dependent of followers) {
      dependent.#detach()
      dependent.dispatchEvent(trustedEvent('abort'))
    }
  }

  #detach(): void {
    for (const source of this.#sources ?? []) source[kUnlink](this)
    this.#sources = null
  }

  [inspectCustom](): string {
    return `AbortSignal { aborted: ${this.#aborted} }`
  }
}

Object.defineProperty(AbortSignal.prototype, Symbol.toStringTag, { value: 'AbortSignal', configurable: true })

function abortError(): DOMException {
  return new DOMException('This operation was aborted', 'AbortError')
}

export class AbortController {
  #signal = new AbortSignal(kCreate)

  get signal(): AbortSignal {
    return this.#signal
  }

  abort(reason?: unknown): void {
    this.#signal[kAbort](reason)
  }

  [inspectCustom](): string {
    return `AbortController { signal: ${this.#signal[inspectCustom]()} }`
  }
}

Object.defineProperty(AbortController.prototype, Symbol.toStringTag, { value: 'AbortController', configurable: true })
