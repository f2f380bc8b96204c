// Installs the Web APIs on globalThis, one module per API. Order matters only where
// one API is built on another (fetch on Request/Response, streams before bodies).
//
// Only what serving a request needs is read and run at start: the core, timers, Request,
// Response, Headers, Blob and the body they share. The other APIs are lazy globals (see
// define-global.ts): lazy builtins with bytecode of their own (console, events, process,
// encoding, crypto, streams, URL, crypto.subtle, compression), read on the first read of
// one of their globals, or modules of this bundle that `require()` makes esbuild wrap in an
// initializer (FormData, fetch, the text streams), evaluated then. Before, reading
// and running all of them was over half of every cold start.
import { core } from './core.ts'

// Hide the native bridge from enumeration; it stays reachable for core tests.
Object.defineProperty(globalThis, '__core', { value: core, enumerable: false, writable: false, configurable: false })

// Taken now, before any app code runs, so performance.timeOrigin and process.uptime()
// count from start-up even though their modules load later.
import './clock-origin.ts'

// platform
import type * as ConsoleBuiltin from './builtins/console.ts'
import type * as CryptoBuiltin from './builtins/crypto.ts'
import type * as EncodingBuiltin from './builtins/encoding.ts'
import type * as EventsBuiltin from './builtins/events.ts'
import type * as ProcessBuiltin from './builtins/process.ts'
import { compression } from './compression.ts'
import { defineGlobals, defineLazyGlobals, lazyModule } from './define-global.ts'
import { EdgeRuntime, navigator } from './env.ts'
import type { InspectOptions } from './inspect.ts'
import { streamGlobals, streams } from './streams.ts'
import type * as TextStreamsModule from './text-streams.ts'
import { clearInterval, clearTimeout, queueMicrotask, setInterval, setTimeout } from './timers.ts'

// The core keeps each builtin's exports once it is evaluated, so every caller gets the same classes.
const consoleBuiltin = () => core.loadBuiltin('console') as typeof ConsoleBuiltin
const encoding = () => core.loadBuiltin('encoding') as typeof EncodingBuiltin
const events = () => core.loadBuiltin('events') as typeof EventsBuiltin
const processBuiltin = () => core.loadBuiltin('process') as typeof ProcessBuiltin
const textStreams = lazyModule(() => require('./text-streams.ts') as typeof TextStreamsModule, ['TextDecoderStream', 'TextEncoderStream'])
// Web Crypto: SubtleCrypto and CryptoKey are a lazy builtin of their own, read only then.
const cryptoModule = () => core.loadBuiltin('crypto') as typeof CryptoBuiltin

defineLazyGlobals(['AbortController', 'AbortSignal', 'CustomEvent', 'DOMException'], events)
defineGlobals({ EdgeRuntime })
defineLazyGlobals(['Event', 'EventTarget', 'Performance'], events)
defineLazyGlobals(['atob', 'btoa'], encoding)
defineGlobals({ clearInterval, clearTimeout })
defineLazyGlobals(['console'], consoleBuiltin)
defineGlobals({ navigator })
defineLazyGlobals(['performance'], events)
defineLazyGlobals(['process'], processBuiltin)
defineGlobals({ queueMicrotask, setInterval, setTimeout })
defineLazyGlobals(['structuredClone'], encoding)
// `self`, as in workers, Deno and Cloudflare's workerd: browser-targeted packages reach
// Web Crypto through self.crypto (bcryptjs does).
defineGlobals({ self: globalThis })
// What the node: modules bundled into a function (runtime/node/) reuse from the runtime
// rather than carry a copy of: util.inspect and util.format are console's; node:crypto's
// KeyObject.from reads a CryptoKey through the one crypto.subtle builtin.
const webHooks = {
  inspect: (value: unknown, options?: InspectOptions) => consoleBuiltin().inspect(value, options),
  format: (args: unknown[]) => consoleBuiltin().format(args),
  subtle: () => cryptoModule().subtleBuiltin(),
}
Object.defineProperty(globalThis, '__scratchfnWeb', { value: webHooks, enumerable: false })
defineLazyGlobals(['crypto', 'Crypto'], cryptoModule)
defineLazyGlobals(['CryptoKey', 'SubtleCrypto'], () => cryptoModule().subtleBuiltin())
// Streams load on first use (see streams.ts); the text streams are built on them.
defineLazyGlobals(streamGlobals, streams)
defineLazyGlobals(['TextDecoderStream', 'TextEncoderStream'], textStreams)
// Compression streams are a lazy builtin (zlib in the core does the work).
defineLazyGlobals(['CompressionStream', 'DecompressionStream'], compression)

// fetch family
// Blob and File are made at start anyway: the body of every Request and Response may be one.
import { Blob, File } from './blob.ts'
import { forms } from './body.ts'
import type * as FetchModule from './fetch.ts'
import { Headers } from './headers.ts'
import { Request } from './request.ts'
import { Response } from './response.ts'
import { urlClasses } from './url.ts'

const fetchModule = lazyModule(() => require('./fetch.ts') as typeof FetchModule, ['fetch'])

defineGlobals({ Blob, File })
defineLazyGlobals(['FormData'], forms)
defineGlobals({ Headers, Request, Response })
defineLazyGlobals(['TextDecoder', 'TextEncoder'], encoding)
defineLazyGlobals(['fetch'], fetchModule)
defineLazyGlobals(['URL', 'URLSearchParams'], urlClasses)
