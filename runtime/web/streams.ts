// WHATWG Streams from web-streams-polyfill (its ponyfill build: spec-complete, and
// it runs on QuickJS). The polyfill is 60 KB of code, and most functions
// never stream, so it is a lazy builtin with its own bytecode, read and evaluated on
// first use (scripts/runtime/lazy-builtins.ts): the globals are getters (see index.ts),
// and the classes exported here are stand-ins whose `new` and `instanceof` reach the
// real classes. Evaluating it at start cost about 1.1 ms per process start.
import type * as Ponyfill from 'web-streams-polyfill'
import { core } from './core.ts'

/* eslint-disable @typescript-eslint/no-explicit-any */

type Streams = typeof Ponyfill
let loaded: Streams | undefined

/** The real classes, loading the polyfill if this is the first use. */
export function streams(): Streams {
  return (loaded ??= core.loadBuiltin('streams') as Streams)
}

type ClassName = 'ReadableStream' | 'ReadableStreamDefaultReader' | 'WritableStream' | 'WritableStreamDefaultWriter' | 'TransformStream'

function standIn<K extends ClassName>(name: K): Streams[K] {
  const StandIn = function (this: unknown, ...args: unknown[]) {
    if (!new.target) throw new TypeError(`Class constructor ${name} cannot be invoked without 'new'`)
    const Real = streams()[name] as any
    return Reflect.construct(Real, args, new.target === StandIn ? Real : new.target)
  }
  Object.defineProperty(StandIn, 'name', { value: name })
  // Nothing can be an instance before the polyfill loads, so there is no need to load it here.
  Object.defineProperty(StandIn, Symbol.hasInstance, { value: (v: unknown) => loaded !== undefined && v instanceof (loaded[name] as any) })
  if (name === 'ReadableStream') {
    Object.defineProperty(StandIn, 'from', {
      value: (source: unknown) => streams().ReadableStream.from(source as any),
      writable: true,
      configurable: true,
    })
  }
  return StandIn as unknown as Streams[K]
}

export const ReadableStream = standIn('ReadableStream')
export type ReadableStream<R = any> = Ponyfill.ReadableStream<R>
export const TransformStream = standIn('TransformStream')
export type TransformStream<I = any, O = any> = Ponyfill.TransformStream<I, O>

/** Every class the polyfill provides, by its global name; all are globals in Node and browsers. */
export const streamGlobals = [
  'ReadableStream',
  'ReadableStreamDefaultReader',
  'ReadableStreamBYOBReader',
  'ReadableStreamBYOBRequest',
  'ReadableByteStreamController',
  'ReadableStreamDefaultController',
  'TransformStream',
  'TransformStreamDefaultController',
  'WritableStream',
  'WritableStreamDefaultWriter',
  'WritableStreamDefaultController',
  'ByteLengthQueuingStrategy',
  'CountQueuingStrategy',
] as const
