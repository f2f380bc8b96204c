// node:diagnostics_channel: named channels with subscribers, and tracing channels, as
// Node 20 has them. Clients publish to them (node-redis, ioredis, undici) whether or not
// anyone listens; a function may subscribe for metrics or tracing.
type Listener = (message: unknown, name: string | symbol) => void

export class Channel {
  readonly name: string | symbol
  #subscribers: Listener[] = []
  constructor(name: string | symbol) {
    this.name = name
  }
  get hasSubscribers(): boolean {
    return this.#subscribers.length > 0
  }
  subscribe(fn: Listener): void {
    this.#subscribers.push(fn)
  }
  unsubscribe(fn: Listener): boolean {
    const i = this.#subscribers.indexOf(fn)
    if (i < 0) return false
    this.#subscribers.splice(i, 1)
    return true
  }
  publish(message: unknown): void {
    for (const fn of this.#subscribers.slice()) {
      try {
        fn(message, this.name)
      } catch (err) {
        // As in Node: a throwing subscriber does not stop the publisher.
        globalThis.process.nextTick(() => {
          throw err
        })
      }
    }
  }
  runStores<T>(data: unknown, fn: (...args: unknown[]) => T, thisArg?: unknown, ...args: unknown[]): T {
    this.publish(data)
    return fn.apply(thisArg, args)
  }
}

const channels = new Map<string | symbol, Channel>()

export function channel(name: string | symbol): Channel {
  let c = channels.get(name)
  if (!c) channels.set(name, (c = new Channel(name)))
  return c
}
export const hasSubscribers = (name: string | symbol): boolean => channels.get(name)?.hasSubscribers ?? false
export const subscribe = (name: string | symbol, fn: Listener): void => channel(name).subscribe(fn)
export const unsubscribe = (name: string | symbol, fn: Listener): boolean => channel(name).unsubscribe(fn)

type Handlers = Partial<Record<'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error', Listener>>
const events = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const

export class TracingChannel {
  start: Channel
  end: Channel
  asyncStart: Channel
  asyncEnd: Channel
  error: Channel
  constructor(name: string) {
    this.start = channel(`tracing:${name}:start`)
    this.end = channel(`tracing:${name}:end`)
    this.asyncStart = channel(`tracing:${name}:asyncStart`)
    this.asyncEnd = channel(`tracing:${name}:asyncEnd`)
    this.error = channel(`tracing:${name}:error`)
  }
  get hasSubscribers(): boolean {
    return events.some((e) => this[e].hasSubscribers)
  }
  subscribe(handlers: Handlers): void {
    for (const e of events) if (handlers[e]) this[e].subscribe(handlers[e]!)
  }
  unsubscribe(handlers: Handlers): boolean {
    let all = true
    for (const e of events) if (handlers[e]) all = this[e].unsubscribe(handlers[e]!) && all
    return all
  }
  traceSync<T>(fn: (...args: unknown[]) => T, context: Record<string, unknown> = {}, thisArg?: unknown, ...args: unknown[]): T {
    this.start.publish(context)
    try {
      const result = fn.apply(thisArg, args)
      context.result = result
      return result
    } catch (err) {
      context.error = err
      this.error.publish(context)
      throw err
    } finally {
      this.end.publish(context)
    }
  }
  tracePromise<T>(fn: (...args: unknown[]) => Promise<T>, context: Record<string, unknown> = {}, thisArg?: unknown, ...args: unknown[]): Promise<T> {
    this.start.publish(context)
    try {
      const promise = fn.apply(thisArg, args)
      return promise.then(
        (result) => {
          context.result = result
          this.asyncStart.publish(context)
          this.asyncEnd.publish(context)
          return result
        },
        (err) => {
          context.error = err
          this.error.publish(context)
          this.asyncStart.publish(context)
          this.asyncEnd.publish(context)
          throw err
        },
      )
    } catch (err) {
      context.error = err
      this.error.publish(context)
      throw err
    } finally {
      this.end.publish(context)
    }
  }
  traceCallback<T>(fn: (...args: unknown[]) => T, position = -1, context: Record<string, unknown> = {}, thisArg?: unknown, ...args: unknown[]): T {
    const at = position < 0 ? args.length + position : position
    const callback = args[at] as (...a: unknown[]) => unknown
    args[at] = (err: unknown, result: unknown) => {
      if (err) {
        context.error = err
        this.error.publish(context)
      } else context.result = result
      this.asyncStart.publish(context)
      try {
        return callback.call(thisArg, err, result)
      } finally {
        this.asyncEnd.publish(context)
      }
    }
    return this.traceSync(fn, context, thisArg, ...args)
  }
}

export const tracingChannel = (name: string): TracingChannel => new TracingChannel(name)

export default { channel, hasSubscribers, subscribe, unsubscribe, tracingChannel, Channel, TracingChannel }
