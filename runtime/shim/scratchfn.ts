// The Hono adapter for the static runtime, in the style of @hono/node-server:
// the core hands over the request as a lazy Request it built (already mapped under the
// function's route, the core answers 404 outside it), we call the app and the core answers
// a Response whose body is a string, bytes or none in one call (respondWith); the shim
// sends the rest itself, a stream as chunks. Errors answer 500 without a stack, a handler that ran out of JS memory
// 503, one interrupted at the handler timeout 504; each is logged as a JSON line with its
// stack, and only that request is affected. The synchronous path makes no closure and no
// promise: every request runs it.
import { core } from '../web/core.ts'
import { requestFields, responseFields, responseParts } from '../web/response-bridge.ts'
import { errorBody, normalizeRoute, resolveApp, type FetchApp, type FunctionModule } from './contract.ts'
import { logError } from './log.ts'
import { startOtlp } from './otlp-runtime.ts'

const JSON_HEADERS = ['content-type', 'application/json']
const TEXT_HEADERS = ['content-type', 'text/plain; charset=UTF-8']

// Hono apps read bindings from c.env; here they are the environment variables,
// the same object the Node adapter passes.
const env = core.env
const executionCtx = {
  waitUntil(promise: Promise<unknown>) {
    Promise.resolve(promise).catch((err) => logError('waitUntil promise rejected', err))
  },
  passThroughOnException() {},
  props: {},
}

/**
 * The error a Hono app's error handler turned into a response, on its request (set only
 * then). Hono catches what a handler throws (its default handler prints to stderr and
 * answers 500), so without this a 5xx from a thrown error would leave no JSON log line.
 */
const kHandledError = Symbol('handled error')
type Handled = Request & { [kHandledError]?: unknown }

type ErrorHandler = (err: unknown, c: { req: { raw: Request } }) => Response | Promise<Response>

function recordHandledErrors(app: FetchApp): void {
  const hono = app as FetchApp & { errorHandler?: ErrorHandler; onError?: unknown }
  const original = hono.errorHandler
  if (typeof original !== 'function' || typeof hono.onError !== 'function') return
  hono.errorHandler = (err, c) => {
    ;(c.req.raw as Handled)[kHandledError] = err
    return original.call(hono, err, c)
  }
}

let app: FetchApp

/** Called by the core once the app's module finished evaluating, with its exports. */
function start(mod: FunctionModule | undefined): void {
  app = resolveApp(mod, core.env.SCRATCHFN_FUNCTION ?? 'app')
  recordHandledErrors(app)
  const route = normalizeRoute(core.env.SCRATCHFN_ROUTE ?? mod?.__route ?? mod?.config?.route ?? '/')
  // @hono/node-server sends 'text/plain; charset=UTF-8' (with a space) when a response has
  // no content type, or has the Fetch default for a string body. Functions are tested under
  // Node, so the core sends the same bytes.
  core.serve(handle, {
    route,
    defaultContentType: TEXT_HEADERS[1],
    request: requestFields(),
    response: { ...responseFields(), handled: kHandledError },
  })
  startOtlp()
}

/**
 * `oom` and `interrupts`: what the core counted before the request (heap-limit refusals,
 * handler timeouts); a change after it means the request hit that limit.
 */
function handle(req: number, request: Request, requestId: string, oom: number, interrupts: number): void {
  let result: Response | Promise<Response>
  try {
    result = app.fetch(request, env, executionCtx)
  } catch (err) {
    fail(req, err, requestId, oom, interrupts)
    return
  }
  if (result instanceof Promise) {
    result.then(
      (res) => send(req, res, request, requestId, oom, interrupts),
      (err) => fail(req, err, requestId, oom, interrupts),
    )
  } else {
    send(req, result, request, requestId, oom, interrupts)
  }
}

function send(req: number, res: Response, request: Handled, requestId: string, oom: number, interrupts: number): void {
  // The common answer, a Response of ours with a string, bytes or no body, no fault since the
  // request began and no error a Hono error handler answered, goes out in this one call.
  if (core.respondWith(req, res, request, oom + interrupts)) return
  const handled = request[kHandledError]
  if (core.faultCount() !== oom + interrupts) {
    // What the handler produced afterwards (often the error handler's 500) is suspect.
    fail(req, handled ?? new Error('out of memory'), requestId, oom, interrupts)
    return
  }
  let parts
  try {
    parts = responseParts(res)
  } catch (err) {
    fail(req, err, requestId, oom, interrupts)
    return
  }
  const { status, headers, body } = parts
  if (handled !== undefined && status >= 500) {
    logError('handler failed', handled, requestId)
    core.countFault(500)
  }
  if (body === null || typeof body === 'string' || body instanceof Uint8Array) {
    core.respond(req, status, headers, body)
    return
  }
  if (!core.respondHead(req, status, headers)) {
    body.cancel().catch(() => {})
    return
  }
  pump(req, body.getReader(), requestId)
}

async function pump(req: number, reader: ReadableStreamDefaultReader<unknown>, requestId: string): Promise<void> {
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (!core.isOpen(req)) {
        await reader.cancel()
        return
      }
      const chunk = typeof value === 'string' ? value : value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer)
      if (!core.respondWrite(req, chunk)) await new Promise<void>((resolve) => core.onDrain(req, resolve))
    }
    core.respondEnd(req)
  } catch (err) {
    logError('response stream failed', err, requestId)
    // Headers are gone already; ending the chunked body early tells the client it is cut short.
    core.respondEnd(req)
  }
}

function fail(req: number, err: unknown, requestId: string, oom: number, interrupts: number): void {
  if (core.interruptCount() !== interrupts) {
    // An async handler's interrupt arrives here as a rejection instead of reaching the core.
    logError(`handler ran past SCRATCHFN_HANDLER_TIMEOUT_MS and was interrupted`, err, requestId)
    core.countFault(504)
    core.respond(req, 504, JSON_HEADERS, errorBody('Gateway Timeout'))
    return
  }
  if (core.oomCount() !== oom) {
    core.gc()
    logError('handler ran out of JS memory', err, requestId)
    core.countFault(503)
    core.respond(req, 503, JSON_HEADERS, errorBody('Service Unavailable'))
    return
  }
  logError('handler failed', err, requestId)
  core.countFault(500)
  core.respond(req, 500, TEXT_HEADERS, 'Internal Server Error')
}

Object.defineProperty(globalThis, '__scratchfnStart', { value: start, enumerable: false })
