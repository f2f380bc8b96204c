// The contract between the C core (runtime/core/*.c) and the TypeScript layers.
// The C side installs one object, `globalThis.__core`, before any JS runs; the web
// layer captures it here. It stays a non-enumerable global so core tests can drive it;
// it is internal and unstable, not an API for functions.
// Every function below is implemented by exactly one C module (named in brackets).
// Bad arguments throw TypeError; OS failures throw Error with a `.code` ('ECONNREFUSED', ...).

import type { AsyncContext } from './async-context-frames.ts'

export type Bytes = ArrayBuffer | ArrayBufferView
export type Chunk = string | Bytes

export interface SocketHandlers {
  onConnect(): void
  onData(chunk: ArrayBuffer): void
  /** Called exactly once, with an Error (`.code` set) on failure, undefined on a clean EOF/close. */
  onClose(err?: Error): void
}

/**
 * Called by the HTTP server [http-dispatch.c] once a request's head AND whole body
 * have arrived. `headers` is flat: [name, value, name, value, ...], names lower-cased,
 * in arrival order. `target` is the raw request-target (origin-form; absolute-form is
 * reduced to its path+query). The core has already answered /healthz and /readyz and
 * every malformed request itself. X-Request-Id is always present (passed through or generated).
 */
export type OnRequest = (req: number, method: string, target: string, headers: string[], body: ArrayBuffer | null) => void

export interface Core {
  // [os.c]
  /** Monotonic clock, milliseconds (fractional). */
  hrtime(): number
  /** Wall clock, milliseconds since the epoch (fractional). */
  wallTime(): number
  /** Fills the view with random bytes from getrandom(2). At most 65536 bytes. */
  getRandom(view: ArrayBufferView): void
  /** The process environment, read once at start. */
  env: Record<string, string>
  /** Writes to fd 1 or 2. Strings are written as UTF-8. */
  write(fd: number, data: Chunk): void
  /** Flushes and exits the process. */
  exit(code: number): never
  /** In script mode (`--script FILE args...`), the args after FILE. */
  argv: string[]
  pid: number
  /** The runtime's own version and the engine's. */
  versions: { scratchfn: string; quickjs: string }
  /** [resident set bytes, JS heap bytes allocated, JS heap bytes used]. */
  memoryUsage(): [number, number, number]
  /**
   * Called with 'SIGTERM' or 'SIGINT' when one arrives (while serving, after the drain began);
   * returns whether JS listens for it. A script whose callback returns true keeps running.
   */
  onSignal(cb: (signal: 'SIGTERM' | 'SIGINT') => boolean): void
  /** Called once before the process ends on its own (script done, drain done); returns the exit code. */
  onExit(cb: (code: number) => number): void

  // [encoding.c]
  utf8Encode(s: string): ArrayBuffer
  /** Encodes as much of `s` as fits; returns [UTF-16 units read, bytes written]. */
  utf8EncodeInto(s: string, dest: Uint8Array): [number, number]
  /** Throws TypeError on invalid UTF-8 when fatal; otherwise replaces with U+FFFD. Strips a BOM unless ignoreBOM. */
  utf8Decode(data: Bytes, fatal: boolean, ignoreBOM: boolean): string
  /** Latin-1 <-> bytes, used by atob/btoa. */
  latin1Decode(data: Bytes): string

  // [timers.c]
  /** One-shot timer; returns an id > 0. The event loop stays alive while timers are pending, unless unref'd. */
  setTimer(delayMs: number, cb: () => void): number
  clearTimer(id: number): void

  // [tcp.c] client sockets, used by fetch
  /** Resolves host (blocking getaddrinfo for names, none for literals) and connects (non-blocking). */
  connect(host: string, port: number, handlers: SocketHandlers): number
  sockWrite(id: number, data: Chunk): void
  /** Closes now; onClose is still called once. */
  sockClose(id: number): void

  // [builtins.c]
  /** Evaluates one of the runtime's lazy builtins (scripts/runtime/lazy-builtins.ts) and returns its exports. */
  loadBuiltin(name: 'streams' | 'url' | 'hashes' | 'asyncContext' | 'otlp'): unknown

  // [async-context.c]
  /**
   * The async context node:async_hooks is built on (runtime/web/async-context-frames.ts), a
   * lazy builtin loaded on the first call and handed the engine slot's natives, which no
   * other JS ever holds. With `onlyIfLoaded`, undefined when nothing loaded it yet (so no
   * flow has a context to carry).
   */
  asyncContext(): AsyncContext
  asyncContext(onlyIfLoaded: true): AsyncContext | undefined

  // [http-server.c]
  /** Starts listening on $PORT with the limits from the environment; calls onRequest per request. */
  serve(onRequest: OnRequest): void
  /** Count of allocations refused by the JS heap limit since start; the shim answers 503 when it moved during a request. */
  oomCount(): number
  /** Count of JS runs interrupted at SCRATCHFN_HANDLER_TIMEOUT_MS since start; the shim answers 504 when it moved during a request. */
  interruptCount(): number
  /** Runs the garbage collector (after an out-of-memory). */
  gc(): void
  /** Connection counters since start: open now (counting the caller's own), accepted to be served, and refused (503 and closed). For a metrics endpoint and for tests. */
  connectionStats(): ConnectionStats
  /** The running request's trace context, "traceparent" or "traceparent\ntracestate" (its own span as the parent), from the async context; undefined outside a request. */
  traceContext(): string | undefined
  /** Counts a handler fault the shim answered (500, 503 or 504) for /metrics. */
  countFault(status: number): void
  /** Records sampled server spans into a queue of `capacity` (0: off), for the OTLP exporter. */
  traceExport(capacity: number): void
  /** Takes up to `max` queued server spans, oldest first. */
  traceTake(max: number): ServerSpanRecord[]
  /** Adds to /metrics' span counters: exported, dropped because the queue was full, dropped because the export failed. */
  traceCount(exported: number, droppedFull: number, droppedExport: number): void
  /** cb runs once when a drain has nothing left in flight, just before the exit. */
  onDrained(cb: () => void): void
  /** holdExit(true) keeps a drained process from exiting (within the grace) until holdExit(false). */
  holdExit(hold: boolean): void

  // [http-respond.c]
  /** A complete response. Returns false when the request is gone (client closed, timed out). */
  respond(req: number, status: number, headers: string[], body: Chunk | null): boolean
  /** Starts a streamed (chunked) response. */
  respondHead(req: number, status: number, headers: string[]): boolean
  /** Writes one body chunk of a streamed response. Returns false when the socket buffer is over its high-water mark: wait for onDrain. */
  respondWrite(req: number, chunk: Chunk): boolean
  /** Calls cb once the output buffer drained (or at once if it is below the mark, or the request is gone). */
  onDrain(req: number, cb: () => void): void
  respondEnd(req: number): void
  /** True while the client is still connected and the request is unanswered or streaming. */
  isOpen(req: number): boolean
}

/** [traceId, spanId, parentId ('' for a root), flags, startNs, endNs (unix), method, target, status, requestId] */
export type ServerSpanRecord = [string, string, string, number, bigint, bigint, string, string, number, string]

export interface ConnectionStats {
  open: number
  accepted: number
  refused: number
}

export const core: Core = (globalThis as any).__core
