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

/**
 * With serve's `route` option: the core answers 404 itself for a target outside the route,
 * and the handler gets the URL the app sees ("http://<Host or localhost><path under the route>",
 * headers ending with x-forwarded-prefix unless the route is '/'), the request id, and
 * oomCount() and interruptCount() as they were before the request.
 */
export type OnRoutedRequest = (
  req: number,
  method: string,
  url: string,
  headers: string[],
  body: ArrayBuffer | null,
  requestId: string,
  oomCount: number,
  interruptCount: number,
) => void

export interface ServeOptions {
  /** The path prefix the function answers under, normalized ('' for '/'). */
  route: string
  /** The content type of a response that names none (and of one with the Fetch default "text/plain;charset=UTF-8"). */
  defaultContentType?: string
}

/**
 * serve's fields of the web layer's Request (runtime/core/http-objects.h): with them the core
 * makes each request's Request, an object of this prototype with these fields set (the body
 * a Uint8Array or null), and passes it in place of its parts (OnServedRequest).
 */
export interface RequestFields {
  prototype: object
  source: symbol
  headers: symbol
  method: symbol
  url: symbol
}

/** respondWith's fields: a Response's and, on the Request, where the shim notes an error Hono's handler answered. */
export interface ResponseFields {
  prototype: object
  source: symbol
  headers: symbol
  status: symbol
  stream: symbol
  handled: symbol
}

/** The handler of serve with `request` fields: the Request the core made instead of its parts. */
export type OnServedRequest = (req: number, request: Request, requestId: string, oomCount: number, interruptCount: number) => void

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

  // [headers.c]
  /**
   * A header record's flat list ([name, value, ...], names lower-cased), its keys as
   * Object.keys lists them; entries that are not a plain token and ASCII value go through
   * the two normalizers. undefined when the record is no ordinary object (a Proxy).
   */
  headerRecord(record: object, normalizeName: (name: unknown) => string, normalizeValue: (value: unknown) => string): string[] | undefined

  // [timers.c]
  /** One-shot timer; returns an id > 0. The event loop stays alive while it is pending, unless ref is false. */
  setTimer(delayMs: number, cb: () => void, ref?: boolean): number
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
  /** One of the runtime's lazy builtins (scripts/runtime/lazy-builtins.ts): evaluated on the first call, its exports kept and returned. */
  loadBuiltin(
    name:
      | 'streams'
      | 'url'
      | 'subtle'
      | 'asyncContext'
      | 'otlp'
      | 'compression'
      | 'http-client'
      | 'console'
      | 'events'
      | 'process'
      | 'encoding'
      | 'crypto',
  ): unknown

  // [tls-js.c] TLS client sessions in memory (tls-session.c), over whatever transport the caller moves the bytes on
  /**
   * A session for `host` (a name: SNI and name check; an IP literal: IP SAN check) that verifies the
   * certificate against the trust store (tls-trust.c, loaded on the first call) unless verify is false.
   * `ca`: PEM certificates trusted instead of the store (Node's `ca`); `alpn: false`: offer no ALPN
   * (sockets; fetch offers http/1.1).
   */
  tlsNew(host: string, verify: boolean, options?: { ca?: string; alpn?: boolean }): TlsHandle
  /**
   * Feeds ciphertext (eof: the transport ended after it) and runs the handshake or decrypts.
   * Returns [state (0 handshaking, 1 open, 2 closed, 3 failed), ciphertext to send, plaintext, the failure].
   * The failure is an Error with Node's code (CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID, ...).
   */
  tlsPush(s: TlsHandle, data: Bytes | undefined, eof: boolean): [0 | 1 | 2 | 3, ArrayBuffer | null, ArrayBuffer | null, Error | undefined]
  /** Encrypts; returns the ciphertext to send. Throws unless the session is open. */
  tlsWrite(s: TlsHandle, data: Chunk): ArrayBuffer | null
  /** Queues close_notify (when open) and frees the session; returns what to send. */
  tlsEnd(s: TlsHandle): ArrayBuffer | null
  /** Queues close_notify (when open) but keeps decrypting what the peer sends: a half-close. Returns what to send. */
  tlsShutdown(s: TlsHandle): ArrayBuffer | null
  /** authorizationError: Node's code for what verification found, when it did not reject (verify false), else null. */
  tlsInfo(s: TlsHandle): { protocol: string; alpnProtocol: string | false; cipher: string; authorizationError: string | null }
  /** Certificates in the trust store, loading it first. */
  tlsTrustCount(): number

  // [zlib-stream.c] zlib streams for CompressionStream, DecompressionStream and fetch bodies
  /** A deflate (or, with decompress, inflate) stream; TypeError for another format. */
  zlibNew(format: 'gzip' | 'deflate' | 'deflate-raw', decompress: boolean): ZlibHandle
  /**
   * Feeds input[offset..] (none with undefined) and makes at most one output chunk of up to 64 KB;
   * finish: no input follows. Returns [chunk or null, input bytes consumed, stream ended]. Throws
   * Error with code Z_DATA_ERROR (bad data) or Z_BUF_ERROR (cut short at the finish), and
   * "out of memory" past the heap limit.
   */
  zlibRun(h: ZlibHandle, input: Uint8Array | undefined, offset: number, finish: boolean): [ArrayBuffer | null, number, boolean]
  /** Frees zlib's state now rather than when the handle is collected. */
  zlibEnd(h: ZlibHandle): void

  // [crypto-core.c]
  /** The crypto functions (below), installed on first call; the same object after. */
  crypto(): CryptoCore

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
  serve(onRequest: OnRoutedRequest, options: ServeOptions): void
  serve(onRequest: OnServedRequest, options: ServeOptions & { request: RequestFields; response: ResponseFields }): void
  /** Count of allocations refused by the JS heap limit since start; the shim answers 503 when it moved during a request. */
  oomCount(): number
  /** Count of JS runs interrupted at SCRATCHFN_HANDLER_TIMEOUT_MS since start; the shim answers 504 when it moved during a request. */
  interruptCount(): number
  /** oomCount() + interruptCount(): one call tells whether a request hit either. */
  faultCount(): number
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
  /**
   * Answers `response` in this call when it is one of the web layer's own Responses with a
   * string, bytes or no body (never made into a stream), `request` carries no error Hono's
   * handler answered, and the fault count is still `faults`; true then (or when the
   * connection is gone). False without answering otherwise: the shim sends it itself.
   */
  respondWith(req: number, response: unknown, request: object, faults: number): boolean
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

/** A native TLS session (tls-js.c): opaque to JS, freed with the object. */
export interface TlsHandle {
  readonly __tlsHandle: unique symbol
}

/** A native zlib stream (zlib-stream.c): opaque to JS, freed with the object. */
export interface ZlibHandle {
  readonly __zlibHandle: unique symbol
}

/** A native RSA or EC key (crypto-keys.c): opaque to JS, freed with the object. */
export interface KeyHandle {
  readonly __keyHandle: unique symbol
}
export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512'
/** Web Crypto's hashes and the two more node:crypto has. */
export type DigestName = HashName | 'SHA-224' | 'MD5'
/** An incremental digest or HMAC (crypto-digest.c). */
export interface HashState {
  readonly __hashState: unique symbol
}
/** A streaming AES cipher (crypto-aes.c). */
export interface CipherState {
  readonly __cipherState: unique symbol
}
export type CurveName = 'P-256' | 'P-384' | 'P-521'

/**
 * What core.crypto() returns. Arguments are already checked by the web layer (runtime/web/crypto-*.ts);
 * a wrong type still throws TypeError. Key material that does not parse or check throws an Error with
 * code 'ERR_CRYPTO_INVALID_KEY', an operation that fails one with 'ERR_CRYPTO_OPERATION'. Results are
 * new ArrayBuffers.
 */
export interface CryptoCore {
  // [crypto-digest.c]
  digest(hash: DigestName, data: Bytes): ArrayBuffer
  hmac(hash: DigestName, key: Bytes, data: Bytes): ArrayBuffer
  /** Constant time in the contents; false when the lengths differ. */
  timingSafeEqual(a: Bytes, b: Bytes): boolean
  /** An incremental digest, or HMAC with a key; a state is spent once digested. */
  hashNew(hash: DigestName, hmacKey?: Bytes): HashState
  hashUpdate(state: HashState, data: Bytes): void
  hashDigest(state: HashState): ArrayBuffer
  /** Digests only (not HMAC). */
  hashCopy(state: HashState): HashState

  // [crypto-keys.c] RSA and EC keys
  /** 'pkcs1' is an RSA private key, or with isPrivate false an RSAPublicKey; 'sec1' an EC private key. */
  keyParse(der: Bytes, format: 'spki' | 'pkcs8' | 'pkcs1' | 'sec1', isPrivate?: boolean): KeyHandle
  /** 'raw' is an EC public key's uncompressed point. PKCS#8 for EC is OpenSSL's (no [0] parameters); SEC1 has them. */
  keyExport(key: KeyHandle, format: 'spki' | 'pkcs8' | 'pkcs1' | 'sec1' | 'raw'): ArrayBuffer
  keyInfo(
    key: KeyHandle,
  ):
    | { type: 'RSA'; private: boolean; modulusLength: number; publicExponent: ArrayBuffer }
    | { type: 'EC'; private: boolean; curve: CurveName }
  keyPublic(key: KeyHandle): KeyHandle
  /** JWK's members, big-endian: RSA n, e[, d, p, q, dp, dq, qi]; EC x, y[, d] at the curve's size. */
  keyComponents(key: KeyHandle): Record<string, ArrayBuffer>

  // [crypto-rsa.c]
  rsaGenerate(modulusLength: number, publicExponent: number): KeyHandle
  /** A public key from n and e, or a private one from all eight members (dp, dq, qi must match). */
  rsaImport(n: Bytes, e: Bytes, d?: Bytes, p?: Bytes, q?: Bytes, dp?: Bytes, dq?: Bytes, qi?: Bytes): KeyHandle
  /** saltLength -1 signs with PKCS#1 v1.5, otherwise PSS with that salt (MGF1 with the same hash). */
  rsaSign(key: KeyHandle, hash: DigestName, saltLength: number, data: Bytes): ArrayBuffer
  /** As rsaSign; saltLength -2 is PSS with any salt length. */
  rsaVerify(key: KeyHandle, hash: DigestName, saltLength: number, signature: Bytes, data: Bytes): boolean
  /** OAEP with MGF1 on the same hash. */
  rsaEncrypt(key: KeyHandle, hash: HashName, label: Bytes | undefined, data: Bytes): ArrayBuffer
  rsaDecrypt(key: KeyHandle, hash: HashName, label: Bytes | undefined, data: Bytes): ArrayBuffer

  // [crypto-ec.c]
  ecGenerate(curve: CurveName): KeyHandle
  /** From the uncompressed point, and d for a private key (which must give that point, or with point undefined, gives it). */
  ecImport(curve: CurveName, point: Bytes | undefined, d?: Bytes): KeyHandle
  /** Raw r || s, each at the curve's size. */
  ecdsaSign(key: KeyHandle, hash: DigestName, data: Bytes): ArrayBuffer
  ecdsaVerify(key: KeyHandle, hash: DigestName, signature: Bytes, data: Bytes): boolean
  /** The shared x coordinate, at the curve's size. */
  ecdh(privateKey: KeyHandle, publicKey: KeyHandle): ArrayBuffer
  /** X25519 on raw 32-byte keys; an all-zero result (a small-order peer) fails. */
  x25519(privateKey: Bytes, publicKey: Bytes): ArrayBuffer
  x25519Public(privateKey: Bytes): ArrayBuffer

  // [crypto-aes.c] keys are 16, 24 or 32 bytes
  /** Encrypting returns ciphertext || tag; decrypting takes it. */
  aesGcm(encrypt: boolean, key: Bytes, iv: Bytes, additionalData: Bytes | undefined, tagBytes: number, data: Bytes): ArrayBuffer
  aesCbc(encrypt: boolean, key: Bytes, iv: Bytes, data: Bytes): ArrayBuffer
  /** The low lengthBits of the 16-byte counter count blocks; more blocks than they can number fail. */
  aesCtr(key: Bytes, counter: Bytes, lengthBits: number, data: Bytes): ArrayBuffer
  aesKw(wrap: boolean, key: Bytes, data: Bytes): ArrayBuffer
  /** A streaming cipher (node:crypto); iv is 16 bytes, GCM's 1 to 16. CBC pads (PKCS#7) until cipherPadding(false). */
  cipherNew(mode: 'gcm' | 'cbc' | 'ctr', encrypt: boolean, key: Bytes, iv: Bytes): CipherState
  cipherPadding(state: CipherState, enabled: boolean): void
  cipherAad(state: CipherState, data: Bytes): void
  cipherUpdate(state: CipherState, data: Bytes): ArrayBuffer
  /** Failures carry ERR_CRYPTO_BAD_DECRYPT, ERR_CRYPTO_WRONG_FINAL_BLOCK_LENGTH or ERR_CRYPTO_AUTH_FAILED (a GCM tag given here that does not match). */
  cipherFinal(state: CipherState, tag?: Bytes): ArrayBuffer
  cipherTag(state: CipherState, bytes: number): ArrayBuffer

  // [crypto-kdf.c]
  hkdf(hash: DigestName, key: Bytes, salt: Bytes, info: Bytes, bytes: number): ArrayBuffer
  pbkdf2(hash: DigestName, password: Bytes, salt: Bytes, iterations: number, bytes: number): ArrayBuffer
  /** RFC 7914; N a power of two above 1 (the caller checks the memory it takes: 128 * N * r bytes). */
  scrypt(password: Bytes, salt: Bytes, N: number, r: number, p: number, bytes: number): ArrayBuffer

  // [crypto-ed25519.c] raw 32-byte keys (the private one is RFC 8032's seed)
  ed25519Public(privateKey: Bytes): ArrayBuffer
  ed25519Sign(privateKey: Bytes, publicKey: Bytes, data: Bytes): ArrayBuffer
  ed25519Verify(publicKey: Bytes, signature: Bytes, data: Bytes): boolean
}

export const core: Core = (globalThis as any).__core
