// The Hono adapter for the static runtime, in the style of @hono/node-server:
// the core hands over a parsed request, we build a lazy Request, call the app and
// send the Response back in one native call when its body is a string or bytes,
// or as chunks when it is a stream. Errors answer 500 without a stack, a handler that
// ran out of JS memory 503, one interrupted at the handler timeout 504; each is logged
// as a JSON line with its stack, and only that request is affected.
import { core } from '../web/core.ts'
import { requestFromCore, responseParts } from '../web/response-bridge.ts'
import { errorBody, normalizeRoute, resolveApp, stripRoute, type FetchApp, type FunctionModule } from './contract.ts'
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

/** What the core counted before a request: a change after it means the request hit that limit. */
interface Faults {
  oom: number
  interrupts: number
}

/**
 * Errors a Hono app's error handler turned into a response, by request. Hono catches
 * what a handler throws (its default handler prints to stderr and answers 500), so
 * without this a 5xx from a thrown error would leave no JSON log line.
 */
const handledErrors = new WeakMap<Request, unknown>()

type ErrorHandler = (err: unknown, c: { req: { raw: Request } }) => Response | Promise<Response>

function recordHandledErrors(app: FetchApp): void {
  const hono = app as FetchApp & { errorHandler?: ErrorHandler; onError?: unknown }
  const original = hono.errorHandler
  if (typeof original !== 'function' || typeof hono.onError !== 'function') return
  hono.errorHandler = (err, c) => {
    handledErrors.set(c.req.raw, err)
    return original.call(hono, err, c)
  }
}

/** Called by the core once the app's module finished evaluating, with its exports. */
function start(mod: FunctionModule | undefined): void {
  const app = resolveApp(mod, core.env.SCRATCHFN_FUNCTION ?? 'app')
  recordHandledErrors(app)
  const prefix = normalizeRoute(core.env.SCRATCHFN_ROUTE ?? mod?.__route ?? mod?.config?.route ?? '/')
  core.serve((req, method, target, headers, body) => handle(app, prefix, req, method, target, headers, body))
  startOtlp()
}

function handle(
  app: FetchApp,
  prefix: string,
  req: number,
  method: string,
  target: string,
  headers: string[],
  body: ArrayBuffer | null,
): void {
  const path = stripRoute(prefix, target)
  if (path === null) {
    core.respond(req, 404, JSON_HEADERS, errorBody('Not Found'))
    return
  }
  let host = 'localhost'
  let requestId = ''
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] === 'host') host = headers[i + 1]
    else if (headers[i] === 'x-request-id') requestId = headers[i + 1]
  }
  if (prefix !== '') headers.push('x-forwarded-prefix', prefix)
  const before: Faults = { oom: core.oomCount(), interrupts: core.interruptCount() }
  let result: Response | Promise<Response>
  let request: Request
  try {
    request = requestFromCore(method, 'http://' + host + path, headers, body)
    result = app.fetch(request, env, executionCtx)
  } catch (err) {
    fail(req, err, before, requestId)
    return
  }
  if (result instanceof Promise) {
    result.then(
      (res) => send(req, res, request, before, requestId),
      (err) => fail(req, err, before, requestId),
    )
  } else {
    send(req, result, request, before, requestId)
  }
}

function send(req: number, res: Response, request: Request, before: Faults, requestId: string): void {
  const handled = handledErrors.get(request)
  if (core.oomCount() !== before.oom || core.interruptCount() !== before.interrupts) {
    // The handler hit the heap limit or its timeout; what it produced afterwards (often
    // the error handler's 500) is suspect.
    fail(req, handled ?? new Error('out of memory'), before, requestId)
    return
  }
  let parts
  try {
    parts = responseParts(res)
  } catch (err) {
    fail(req, err, before, requestId)
    return
  }
  const { status, body } = parts
  if (handled !== undefined && status >= 500) {
    logError('handler failed', handled, requestId)
    core.countFault(500)
  }
  const headers = nodeServerContentType(parts.headers)
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

// @hono/node-server sends 'text/plain; charset=UTF-8' (with a space) when a response
// has no content-type, or has the Fetch default for a string body. Functions are
// tested under Node, so the image sends the same bytes.
function nodeServerContentType(headers: string[]): string[] {
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] === 'content-type') {
      if (headers[i + 1] === 'text/plain;charset=UTF-8') headers[i + 1] = TEXT_HEADERS[1]
      return headers
    }
  }
  headers.push(TEXT_HEADERS[0], TEXT_HEADERS[1])
  return headers
}

function fail(req: number, err: unknown, before: Faults, requestId: string): void {
  if (core.interruptCount() !== before.interrupts) {
    // An async handler's interrupt arrives here as a rejection instead of reaching the core.
    logError(`handler ran past SCRATCHFN_HANDLER_TIMEOUT_MS and was interrupted`, err, requestId)
    core.countFault(504)
    core.respond(req, 504, JSON_HEADERS, errorBody('Gateway Timeout'))
    return
  }
  if (core.oomCount() !== before.oom) {
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
