// The contract between the C core (runtime/core/*.c) and the TypeScript layers.
// The C side installs one object, `globalThis.__core`, before any JS runs; the web
// layer captures it here. It stays a non-enumerable global so core tests can drive it;
// it is internal and unstable, not an API for functions.
// Every function below is implemented by exactly one C module (named in brackets).
// Bad arguments throw TypeError; OS failures throw Error with a `.code` ('ECONNREFUSED', ...).

export type Bytes = ArrayBuffer | ArrayBufferView
export type Chunk = string | Bytes

export interface SocketHandlers {
  onConnect(): void
  onData(chunk: ArrayBuffer): void
  /** Called exactly once, with an Error (`.code` set) on failure, undefined on a clean EOF/close. */
  onClose(err?: Error): void
  /** The peer ended its side. Reads stop; writes may go on until sockEnd or sockClose. Without it, EOF closes the socket. */
  onEnd?(): void
  /** The output buffer emptied after a sockWrite that returned more than 0. */
  onDrain?(): void
  /** No byte moved either way for the sockSetTimeout time (called again each period); the socket stays open. */
  onTimeout?(): void
}

export interface ConnectOptions {
  /** Fail with ETIMEDOUT when the lookup and connect take longer; none by default. */
  connectTimeoutMs?: number
}

export interface SocketStats {
  /** Client sockets open now (connecting, open, or closing until onClose ran). */
  open: number
  /** Opened since start. */
  opened: number
  /** Refused by the SCRATCHFN_MAX_SOCKETS limit since start. */
  refused: number
  limit: number
}

/** [remoteAddress, remotePort, remoteFamily (4 or 6), localAddress, localPort, localFamily]. */
export type SocketInfo = [string, number, number, string, number, number]

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

  // [tcp.c] client sockets, used by fetch, connect() and node:net
  /** Resolves host without blocking (dns-resolver.c, as dnsLookup) and connects (non-blocking) to each address in turn. */
  connect(host: string, port: number, handlers: SocketHandlers, options?: ConnectOptions): number
  /** Queues bytes and writes what the kernel takes; returns the bytes still buffered (then onDrain follows). Dropped after sockEnd or a close. */
  sockWrite(id: number, data: Chunk): number
  /** Half-closes: the peer sees EOF once the buffered bytes are written. */
  sockEnd(id: number): void
  /** Closes now; onClose is still called once. */
  sockClose(id: number): void
  /** Stops (true) or resumes (false) reading: the kernel's window then pushes back on the peer. */
  sockPause(id: number, paused: boolean): void
  /** Calls onTimeout after ms without traffic (0: never). */
  sockSetTimeout(id: number, ms: number): void
  /** TCP_NODELAY or SO_KEEPALIVE (with TCP_KEEPIDLE seconds); false when the socket is not connected yet. */
  sockSetOption(id: number, name: 'noDelay' | 'keepAlive', on: boolean, delaySeconds?: number): boolean
  /** Whether the socket keeps the loop alive (a script waits for it). */
  sockRef(id: number, ref: boolean): void
  /** The connected socket's addresses, or null before it connected and after it closed. */
  sockInfo(id: number): SocketInfo | null
  socketStats(): SocketStats

  // [dns.c] name resolution on the loop (dns-resolver.c); cb gets null or a code, and [address, family, ttl, ...]
  /** As getaddrinfo: numeric addresses, the hosts file, localhost, then DNS through resolv.conf's search list. */
  dnsLookup(name: string, family: 0 | 4 | 6, cb: (code: string | null, addresses: (string | number)[]) => void): void
  /** The name as given, DNS only (node:dns resolve4/resolve6). Codes: ENOTFOUND, ENODATA, ESERVFAIL, EREFUSED, ETIMEOUT, ECONNREFUSED, EBADNAME. */
  dnsResolve(name: string, family: 4 | 6, cb: (code: string | null, addresses: (string | number)[]) => void): void

  // [builtins.c]
  /** Evaluates one of the runtime's lazy builtins (scripts/runtime/lazy-builtins.ts) and returns its exports. */
  loadBuiltin(name: 'streams' | 'url' | 'hashes'): unknown

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

export interface ConnectionStats {
  open: number
  accepted: number
  refused: number
}

export const core: Core = (globalThis as any).__core
