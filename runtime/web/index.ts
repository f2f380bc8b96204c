// Installs the Web APIs on globalThis, one module per API. Order matters only where
// one API is built on another (fetch on Request/Response, streams before bodies).
import { core } from './core.ts'

// Hide the native bridge from enumeration; it stays reachable for core tests.
Object.defineProperty(globalThis, '__core', { value: core, enumerable: false, writable: false, configurable: false })

// platform
import { AbortController, AbortSignal } from './abort.ts'
import { atob, btoa } from './base64.ts'
import { console, format } from './console.ts'
import { compression } from './compression.ts'
import type * as CryptoModule from './crypto.ts'
import { defineGlobals as definePlatformGlobals, defineLazyGlobal as defineLazyPlatformGlobal } from './define-global.ts'
import { DOMException } from './dom-exception.ts'
import { EdgeRuntime, navigator, process } from './env.ts'
import { inspect } from './inspect.ts'
import { CustomEvent, Event, EventTarget } from './event-target.ts'
import { Performance, performance } from './performance.ts'
import { streamGlobals, streams } from './streams.ts'
import { structuredClone } from './structured-clone.ts'
import { TextDecoderStream, TextEncoderStream } from './text-streams.ts'
import { clearInterval, clearTimeout, queueMicrotask, setInterval, setTimeout } from './timers.ts'

definePlatformGlobals({
  AbortController,
  AbortSignal,
  CustomEvent,
  DOMException,
  EdgeRuntime,
  Event,
  EventTarget,
  Performance,
  atob,
  btoa,
  clearInterval,
  clearTimeout,
  console,
  navigator,
  performance,
  process,
  queueMicrotask,
  setInterval,
  setTimeout,
  structuredClone,
})
// `self`, as in workers, Deno and Cloudflare's workerd: browser-targeted packages reach
// Web Crypto through self.crypto (bcryptjs does).
definePlatformGlobals({ self: globalThis })
// What the node: modules bundled into a function (runtime/node/) reuse from the runtime
// rather than carry a copy of: util.inspect and util.format are console's; node:crypto's
// KeyObject.from reads a CryptoKey through the one crypto.subtle builtin.
const subtle = () => cryptoModule().subtleBuiltin()
Object.defineProperty(globalThis, '__scratchfnWeb', { value: { inspect, format, subtle }, enumerable: false })
// Web Crypto is evaluated on first use: require() makes esbuild wrap a module in a lazy
// initializer. This saves about 0.2 ms of every cold start. SubtleCrypto and CryptoKey
// are a lazy builtin of their own, read only then.
const cryptoModule = () => require('./crypto.ts') as typeof CryptoModule
for (const name of ['crypto', 'Crypto'] as const) defineLazyPlatformGlobal(name, () => cryptoModule()[name])
for (const name of ['CryptoKey', 'SubtleCrypto'] as const) defineLazyPlatformGlobal(name, () => cryptoModule().subtleBuiltin()[name])
// Streams load on first use (see streams.ts); the text streams are built on them.
for (const name of streamGlobals) defineLazyPlatformGlobal(name, () => streams()[name])
definePlatformGlobals({ TextDecoderStream, TextEncoderStream })
// Compression streams are a lazy builtin (zlib in the core does the work).
for (const name of ['CompressionStream', 'DecompressionStream'] as const) defineLazyPlatformGlobal(name, () => compression()[name])

// fetch family
import { defineGlobals, defineLazyGlobal } from './define-global.ts'
import { Blob, File } from './blob.ts'
import { fetch } from './fetch.ts'
import { FormData } from './form-data.ts'
import { Headers } from './headers.ts'
import { Request } from './request.ts'
import { Response } from './response.ts'
import { TextDecoder, TextEncoder } from './text-encoding.ts'
import { urlClasses } from './url.ts'

defineGlobals({ Blob, File, FormData, Headers, Request, Response, TextDecoder, TextEncoder, fetch })
defineLazyGlobal('URL', () => urlClasses().URL)
defineLazyGlobal('URLSearchParams', () => urlClasses().URLSearchParams)
